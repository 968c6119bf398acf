"""Untrusted content is classified, never trusted and never allowed to raise."""

from __future__ import annotations

import pytest

from app.core import protocol, roles
from app.core.identifiers import is_user_id
from app.core.records import EventStatus
from app.core.text import is_rtl


@pytest.mark.parametrize(
    ("content", "status"),
    [
        ({"msgtype": "m.text", "body": "Convoy at the border"}, EventStatus.OK),
        ({"msgtype": "m.text", "body": 42}, EventStatus.MALFORMED),
        ({"body": "no msgtype"}, EventStatus.MALFORMED),
        ({"msgtype": "m.text", "body": "x" * (protocol.MAX_BODY_CHARS + 1)}, EventStatus.MALFORMED),
        (["not", "an", "object"], EventStatus.MALFORMED),
        (None, EventStatus.MALFORMED),
    ],
)
def test_text_messages_are_validated(content: object, status: EventStatus) -> None:
    got, reason = protocol.validate("m.room.message", content)
    assert got is status
    assert bool(reason) == (status is EventStatus.MALFORMED)


def test_unknown_types_from_other_clients_pass_through() -> None:
    assert protocol.validate("com.example.poll", {"anything": [1, 2]}) == (EventStatus.OK, "")


def test_direction_follows_the_first_strong_letter() -> None:
    assert is_rtl("تم الإجلاء at 14:00")
    assert not is_rtl("14:00 Convoy — تم")
    assert not is_rtl("")


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("@alice:example.org", True),
        ("@a:localhost:8448", True),
        ("alice", False),
        ("@alice", False),
    ],
)
def test_user_ids(text: str, ok: bool) -> None:
    assert is_user_id(text) is ok


def test_numbers_and_times_out_of_any_range_are_malformed_not_errors() -> None:
    validate = protocol.validate
    """A member can put 10**400 in an encrypted event; the server cannot refuse it."""
    indicator = {"body": "x", "series": "evacuated", "at": 1_800_000_000_000}
    assert validate(roles.INDICATOR, {**indicator, "value": 10**400})[0] is EventStatus.MALFORMED
    assert validate(roles.INDICATOR, {**indicator, "value": 12})[0] is EventStatus.OK
    entry = {"body": "x", "kind": "sitrep", "title": "t"}
    far = {**entry, "occurred_at": 2**53 - 1}  # no clock shows it: the view could not draw it
    assert validate(roles.ENTRY, far)[0] is EventStatus.MALFORMED
    assert validate(roles.ENTRY, {**entry, "occurred_at": -1})[0] is EventStatus.MALFORMED
