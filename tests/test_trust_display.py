"""How trust reads on screen: an instruction feed event from an unverified device is a
row of its own kind in the timeline, and each person's state has its word."""

from __future__ import annotations

from app.core import roles
from app.core.records import EventStatus, RoomEvent
from app.core.trust import UserTrust
from app.core.trust.judge import DeviceTrust
from app.core.trust.memory import acknowledge, changed, remember
from app.core.trust.states import TrustState, state_of
from app.ui.sessions.trust_badge import badge_text
from app.ui.timeline.rows import RowKind, event_row


def test_an_ack_from_an_unverified_device_is_shown_as_such() -> None:
    ack = RoomEvent(
        "$ack", "!geneva", "@omar:x", roles.ACK, 1, {"state": "done"},
        status=EventStatus.UNVERIFIED, note="unverified device: @omar:x has not verified NEW",
    )  # fmt: skip
    row = event_row(ack)
    assert row is not None and row.kind is RowKind.UNVERIFIED
    assert "unverified device" in row.text and row.detail.endswith("NEW")


def test_each_state_has_its_word_and_the_most_alarming_wins() -> None:
    device = DeviceTrust("@b:x", "D", "curve", "ed", cross_signed=False)
    verified = UserTrust("@b:x", master="m", verified=True)
    assert state_of(verified, identity_changed=False) is TrustState.VERIFIED
    assert state_of(UserTrust("@b:x", master="m"), False) is TrustState.NOT_VERIFIED
    with_stranger = UserTrust("@b:x", master="m", verified=True, devices={"D": device})
    assert state_of(with_stranger, False) is TrustState.UNVERIFIED_DEVICE
    assert state_of(with_stranger, True) is TrustState.IDENTITY_CHANGED
    assert state_of(None, False) is TrustState.NOT_VERIFIED
    words = {badge_text(state) for state in TrustState}
    assert len(words) == len(TrustState) and "" not in words
    assert badge_text(None) == ""


def test_a_new_master_key_is_a_changed_identity_until_acknowledged() -> None:
    memory, changed_now = remember({}, {"@b:x": "first", "@c:x": ""})
    assert changed_now == [] and changed(memory) == frozenset()
    memory, changed_now = remember(memory, {"@b:x": "second"})
    assert changed_now == ["@b:x"] and changed(memory) == {"@b:x"}
    memory = acknowledge(memory, "@b:x")
    assert changed(memory) == frozenset()
    assert remember(memory, {"@b:x": "second"})[1] == []
    assert remember({"@b:x": "garbage"}, {"@b:x": "k"})[1] == []  # a damaged file: start over
