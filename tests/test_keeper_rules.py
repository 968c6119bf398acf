"""The records keeper's seat in a session, as rules: configured in the blueprint, seated
by convene with the `records` role, admitted to every room, allowed to post nothing."""

from __future__ import annotations

import pytest

from app.core import roles
from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, BlueprintError, Participant, parse_blueprint, with_keeper
from app.core.session.keeper import configured_keeper

KEEPER = "@records:ministry.example"
BLUEPRINT = """\
title: Evacuation
kind: evacuation
capital_tz: Africa/Cairo
keeper: "{keeper}"
participants:
  - {{user: "@amal:ministry.example", role: expert}}
"""


def test_a_blueprint_names_the_keeper_and_convene_seats_it_as_records() -> None:
    bp = parse_blueprint(BLUEPRINT.format(keeper=KEEPER))
    assert bp.keeper == KEEPER
    seated = {p.user_id: p.role for p in with_keeper(bp).participants}
    assert seated == {"@amal:ministry.example": Role.EXPERT, KEEPER: Role.RECORDS}


def test_a_keeper_that_is_not_a_user_id_is_refused_with_its_line() -> None:
    with pytest.raises(BlueprintError) as refused:
        parse_blueprint(BLUEPRINT.format(keeper="records"))
    assert [(p.line, "keeper" in p.message) for p in refused.value.problems] == [(4, True)]


def test_a_keeper_listed_as_a_participant_keeps_one_seat_the_records_one() -> None:
    bp = Blueprint(
        "Evacuation", "evacuation", "UTC",
        participants=(Participant(KEEPER, Role.OFFICIAL),), keeper=KEEPER,
    )  # fmt: skip
    assert with_keeper(bp).participants == (Participant(KEEPER, Role.RECORDS),)
    assert with_keeper(Blueprint("Evacuation", "evacuation", "UTC")).participants == ()


def test_the_keeper_is_admitted_everywhere_and_may_post_nothing() -> None:
    assert all(roles.entitled(Role.RECORDS, kind, "", "geneva") for kind in RoomKind)
    levels = roles.power_levels({KEEPER: Role.RECORDS, "@fac:m": Role.FACILITATOR})
    assert KEEPER not in levels["users"]  # users_default 0: below every event type
    assert min(levels["events"].values()) > 0
    assert levels["events_default"] > 0


def test_the_installation_setting_seats_a_keeper_a_blueprint_can_name_another() -> None:
    plain = Blueprint("Evacuation", "evacuation", "UTC")
    assert with_keeper(plain, KEEPER).participants == (Participant(KEEPER, Role.RECORDS),)
    own = Blueprint("Evacuation", "evacuation", "UTC", keeper="@archive:ministry.example")
    assert with_keeper(own, KEEPER).participants == (
        Participant("@archive:ministry.example", Role.RECORDS),
    )
    assert configured_keeper({"OOR_KEEPER": KEEPER}) == KEEPER
    assert configured_keeper({"OOR_KEEPER": "records"}) == ""  # not a user id: none
    assert configured_keeper({}) == ""
