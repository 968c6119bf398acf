"""The encrypted session details (protocol 1.2) as pure rules: built, folded, checked."""

from __future__ import annotations

from app.core import protocol, roles
from app.core.roles import Role
from app.core.session import (
    Blueprint,
    Delegation,
    InfoMessage,
    Participant,
    fold_details,
    info_message,
    info_payload,
    invite_reason,
    read_session,
    role_content,
    session_content,
)

GENEVA = Delegation("d1", "Geneva talks", "Europe/Zurich", "Geneva")
BP = Blueprint(
    "Evacuation from Port Sable",
    "evacuation",
    "Africa/Cairo",
    classification="RESTRICTED",
    exercise=True,
    delegations=(GENEVA,),
    participants=(Participant("@amal:x", Role.OFFICIAL, title="Director", organisation="MFA"),),
)


def test_state_and_invitations_carry_nothing_but_structure() -> None:
    state = session_content("Session 4821", "convened", [])
    role = role_content(Participant("@omar:x", Role.DELEGATE, "d1", "Head", "Embassy"))
    text = repr((state, role, invite_reason()))
    for secret in ("Port Sable", "evacuation", "Cairo", "RESTRICTED", "Head", "Embassy"):
        assert secret not in text
    info = read_session("!s:x", state)
    assert info is not None and info.title == "Session 4821" and info.capital_tz == "UTC"


def test_a_message_reads_back_and_other_clients_see_a_notice() -> None:
    content = info_message(info_payload(BP, BP.participants, GENEVA))
    assert content["msgtype"] == "m.notice" and "Port Sable" in content["body"]
    assert not protocol.problem(roles.SESSION_INFO, content[roles.SESSION_INFO])
    details = fold_details([InfoMessage(content, "d1")])
    assert details.fields["title"] == BP.title and details.fields["exercise"] is True
    assert details.people["@amal:x"].organisation == "MFA"
    assert details.delegations["d1"].location == "Geneva"


def test_fold_later_overrides_and_delegations_only_from_their_room() -> None:
    first = info_message(info_payload(BP, BP.participants, GENEVA))
    renamed = info_message({"title": "Renamed", "people": {"@amal:x": {"title": "Envoy"}}})
    details = fold_details([InfoMessage(first, "other"), InfoMessage(renamed)])
    assert details.fields["title"] == "Renamed" and details.fields["kind"] == "evacuation"
    assert details.people["@amal:x"].title == "Envoy"
    assert not details.delegations  # Geneva's details arrived in another delegation's room


def test_hostile_payloads_are_skipped_never_raised() -> None:
    hostile = [
        {roles.SESSION_INFO: "not an object"},
        {roles.SESSION_INFO: {"title": 7}},
        {roles.SESSION_INFO: {"capital_tz": "Mars/Olympus"}},
        {roles.SESSION_INFO: {"people": {"@a:x": "boss", "@b:x": {"title": "x" * 500}}}},
        {roles.SESSION_INFO: {"delegation": {"id": "BAD ID!", "name": "x", "tz": "UTC"}}},
    ]
    details = fold_details(InfoMessage(c, "d1") for c in hostile)
    assert not details.fields and not details.people and not details.delegations


def test_a_name_given_at_invitation_travels_encrypted_and_outlives_a_role_change() -> None:
    named = Participant("@omar:x", Role.EXPERT, name="Omar Khalil")
    invited = info_message(info_payload(None, [named]))
    assert "Omar Khalil" in invited["body"]  # other clients read who that id is
    assert "Omar Khalil" not in repr(role_content(named))  # never in server-readable state
    re_roled = info_message(
        info_payload(None, [Participant("@omar:x", Role.OFFICIAL, title="Envoy")])
    )
    details = fold_details([InfoMessage(invited), InfoMessage(re_roled)])
    assert details.people["@omar:x"].name == "Omar Khalil"
    assert details.people["@omar:x"].title == "Envoy"
    hostile = {roles.SESSION_INFO: {"people": {"@b:x": {"name": ["not", "text"]}}}}
    assert not fold_details([InfoMessage(hostile)]).people
