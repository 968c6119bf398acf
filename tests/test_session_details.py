"""The encrypted session details (protocol 1.2) as pure rules: built, folded, checked."""

from __future__ import annotations

from app.core import protocol, roles
from app.core.roles import Role
from app.core.session import (
    Blueprint,
    Delegation,
    InfoMessage,
    Participant,
    SessionInfo,
    fold_details,
    info_message,
    info_payload,
    invite_reason,
    read_session,
    role_content,
    session_content,
    with_details,
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


def test_a_session_is_known_only_from_details_naming_it_and_its_exercise_flag() -> None:
    """A title alone (another client's partial message) must not turn a pending session
    into a real one: ``exercise`` would read false without having been said."""
    pending = read_session("!s:x", session_content("Session 4821", "convened", []))
    assert pending is not None and not pending.details_known
    title_only = fold_details([InfoMessage(info_message({"title": "Port Sable"}))])
    named_only = with_details(pending, title_only)
    assert not named_only.details_known
    assert named_only.title == "Session 4821"  # no name shown as a real session's
    people_only = fold_details([InfoMessage(info_message({"people": {"@a:x": {"name": "A"}}}))])
    assert not with_details(pending, people_only).details_known
    whole = fold_details([InfoMessage(info_message(info_payload(BP)))])
    known = with_details(pending, whole)
    assert known.details_known and known.exercise and known.title == BP.title
    # Once known it stays known: a later people-only update does not undo it.
    assert with_details(known, people_only).details_known


def test_a_session_built_without_saying_so_is_pending_not_real() -> None:
    info = SessionInfo("!s:x", "Session 4821", "other", "convened", "UTC", "", False)
    assert not info.details_known
    # Protocol 1.1 kept the details in state: known as it stands when it names the
    # session and says whether it is an exercise, as details must.
    state = session_content("Session 4821", "convened", []) | {"title": "Port Sable"}
    old = read_session("!s:x", state | {"exercise": False})
    assert old is not None and old.details_known and old.title == "Port Sable"


def test_a_1_1_session_state_with_a_title_but_no_exercise_flag_is_pending() -> None:
    state = session_content("Session 4821", "convened", []) | {"title": "Port Sable"}
    info = read_session("!s:x", state)
    assert info is not None and not info.details_known
    assert info.title == "Session 4821"  # its name waits with its exercise answer
