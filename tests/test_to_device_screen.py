"""Raw to-device events a homeserver could deliver but nio cannot parse safely.

Synapse itself refuses some of these at the API (a to-device body over 64 KiB gets a
413), but a federated server or a future version may deliver them, so the screen that
runs before nio parses a sync body is checked on its own here.
"""

from __future__ import annotations

from pathlib import Path

from app.core.to_device import ToDeviceFault, ToDeviceProblem
from app.matrix.crypto.screen import ToDeviceScreen, screen_to_device

SENDER = "@mallory:example.org"
GOOD = {"sender": SENDER, "type": "org.example.ping", "content": {"n": 1}}


def _screened(*events: object) -> tuple[list[object], list[ToDeviceProblem]]:
    body = {"next_batch": "s1", "to_device": {"events": [*events, GOOD]}}
    problems: list[ToDeviceProblem] = []
    screen_to_device(body, problems)
    return body["to_device"]["events"], problems


def test_unusable_events_are_taken_out_with_their_reason_and_the_rest_kept() -> None:
    kept, problems = _screened(
        "not an object",
        {"sender": SENDER, "type": 7, "content": {}},
        {"sender": SENDER, "type": "m.room.encrypted", "content": ["a", "list"]},
        {"sender": SENDER, "type": "m.room.encrypted", "content": {"padding": "x" * 70_000}},
        {"sender": SENDER, "type": "m.room.encrypted", "content": {"algorithm": "rot13"}},
        {"sender": SENDER, "type": "m.room_key_request", "content": {"request_id": "1"}},
    )
    assert kept == [GOOD]
    assert [p.fault for p in problems] == [
        ToDeviceFault.MALFORMED,
        ToDeviceFault.MALFORMED,
        ToDeviceFault.MALFORMED,
        ToDeviceFault.OVERSIZED,
        ToDeviceFault.UNKNOWN_ALGORITHM,
        ToDeviceFault.MALFORMED,  # nio would index the missing "action" and raise
    ]
    assert all(len(p.source) <= 4_000 for p in problems)
    assert problems[-1].sender == SENDER and problems[-1].event_type == "m.room_key_request"


def test_a_to_device_section_of_the_wrong_shape_is_emptied() -> None:
    for section in ([], {"events": "nope"}):
        body = {"next_batch": "s1", "to_device": section}
        screen_to_device(body, [])
        assert body["to_device"] == {"events": []}


def test_a_batch_fetched_again_hands_on_only_what_the_first_fetch_did_not_have() -> None:
    screen = ToDeviceScreen([])
    twice = {"sender": SENDER, "type": "org.example.ping", "content": {"n": 2}}

    def fetched(since: str, *events: object) -> list[object]:
        body = {"next_batch": "s2", "to_device": {"events": [dict(e) for e in events]}}
        screen(body, since)
        return body["to_device"]["events"]

    assert fetched("s1", GOOD, twice, twice) == [GOOD, twice, twice]  # a copy sent twice
    assert fetched("s1", GOOD, twice, twice) == []  # the same batch again, after a failed save
    assert fetched("s2", GOOD) == [GOOD]  # a later batch: the same bytes are a new message


def test_after_a_failed_parse_the_retry_is_screened_with_nios_own_parser() -> None:
    """A field nio's schema refuses passes the cheap checks (nio then hands the Olm guard
    a 'bad event'). When nio could not parse a body at all, the same batch comes again
    whole, screened with nio's parser, so whatever made it fail is taken out."""
    sink: list[ToDeviceProblem] = []
    screen = ToDeviceScreen(sink)
    wrong = {
        "sender": SENDER,
        "type": "m.key.verification.start",
        "content": {"transaction_id": 5, "method": ["no"]},
    }

    def fetched(since: str) -> list[object]:
        body = {"to_device": {"events": [dict(wrong), dict(GOOD)]}}
        screen(body, since)
        return body["to_device"]["events"]

    assert fetched("s1") == [wrong, GOOD] and sink == []  # the cheap pass lets it through
    screen.failed()  # nio raised before parsing it (MatrixClient.sync tells the screen)
    assert fetched("s1") == [GOOD]  # nothing was consumed: all again, the culprit out
    assert [p.fault for p in sink] == [ToDeviceFault.MALFORMED]
    assert fetched("s2") == [wrong, GOOD]  # a new batch is screened the cheap way again


def test_a_body_nio_parsed_then_failed_on_is_not_handed_on_again() -> None:
    screen = ToDeviceScreen([])
    body = {"to_device": {"events": [dict(GOOD)]}}
    screen(body, "s1")
    screen.parsed()
    screen.failed()  # e.g. the archive could not save the batch: nio had consumed it
    body = {"to_device": {"events": [dict(GOOD)]}}
    screen(body, "s1")
    assert body["to_device"]["events"] == []


def _fetched(screen: ToDeviceScreen, since: str, *events: object) -> list[object]:
    body = {"to_device": {"events": [dict(e) for e in events]}}
    screen(body, since)
    screen.parsed()
    screen.consumed()
    return body["to_device"]["events"]


def test_what_nio_consumed_is_held_back_in_the_next_run_if_the_token_did_not_move(
    tmp_path: Path,
) -> None:
    """A run stopped before the archive committed the token starts from the older one;
    the server sends the same to-device events again: they were consumed."""
    record = tmp_path / "to_device_consumed.json"
    assert _fetched(ToDeviceScreen([], record), "s1", GOOD) == [GOOD]
    assert _fetched(ToDeviceScreen([], record), "s1", GOOD) == []  # the token stayed s1
    assert _fetched(ToDeviceScreen([], record), "s2", GOOD) == [GOOD]  # it moved: news


def test_a_body_nio_never_parsed_is_not_recorded_as_consumed(tmp_path: Path) -> None:
    record = tmp_path / "to_device_consumed.json"
    screen = ToDeviceScreen([], record)
    screen({"to_device": {"events": [dict(GOOD)]}}, "s1")
    screen.failed()  # nio raised before parsing: nothing of it was consumed
    assert _fetched(ToDeviceScreen([], record), "s1", GOOD) == [GOOD]


def test_an_unreadable_record_holds_nothing_back(tmp_path: Path) -> None:
    record = tmp_path / "to_device_consumed.json"
    for text in ("{not json", '{"since": 5, "seen": []}', "[]"):
        record.write_text(text, encoding="utf-8")
        assert _fetched(ToDeviceScreen([], record), "s1", GOOD) == [GOOD]
        record.unlink()
