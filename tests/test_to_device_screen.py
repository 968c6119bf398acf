"""Raw to-device events a homeserver could deliver but nio cannot parse safely.

Synapse itself refuses some of these at the API (a to-device body over 64 KiB gets a
413), but a federated server or a future version may deliver them, so the screen that
runs before nio parses a sync body is checked on its own here.
"""

from __future__ import annotations

import json
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


BOB = ("@bob:example.org", "BOBDEV")  # whose crypto store the record is in
OLM = {
    "sender": SENDER,
    "type": "m.room.encrypted",
    "content": {
        "algorithm": "m.olm.v1.curve25519-aes-sha2",
        "sender_key": "a curve25519 key",
        "ciphertext": {"our key": {"type": 0, "body": "a pre-key message"}},
    },
}


def _run(record: Path, owner: tuple[str, str] = BOB) -> ToDeviceScreen:
    """The screen of one run of the app, its record loaded with the crypto store."""
    screen = ToDeviceScreen([])
    screen.keep_in(record, *owner)
    return screen


def _fetched(
    screen: ToDeviceScreen, since: str, *events: object, read: tuple[object, ...] = ()
) -> list[object]:
    """One sync answer, which nio parses and applies; of what the screen hands on, the
    Olm guard sees nio save a session past the events in ``read`` (one copy each), and
    not past the rest."""
    body = {"to_device": {"events": [dict(e) for e in events]}}
    screen(body, since)
    screen.parsed()
    handed, unread = body["to_device"]["events"], list(read)
    for event in handed:
        if event in unread:
            unread.remove(event)
            screen.read(event)
    screen.consumed()
    return handed


def test_an_olm_message_read_is_held_back_in_the_next_run_if_the_token_did_not_move(
    tmp_path: Path,
) -> None:
    """A run stopped before the archive committed the token starts from the older one;
    the server sends the same to-device events again: the Olm message's keys are spent."""
    record = tmp_path / "to_device_consumed.json"
    assert _fetched(_run(record), "s1", OLM, read=(OLM,)) == [OLM]
    assert _fetched(_run(record), "s1", OLM) == []  # the token stayed s1
    assert _fetched(_run(record), "s2", OLM) == [OLM]  # it moved: the same bytes are news


def test_an_olm_message_no_session_was_saved_past_is_judged_again_in_the_next_run(
    tmp_path: Path,
) -> None:
    """No session was saved past it (say the crypto store refused the account's write
    while nio opened a pre-key message): unless the account was written again since,
    the one-time key is still on disk and the copy sent again after a restart may yet
    open; held back, its room key would be lost."""
    record = tmp_path / "to_device_consumed.json"
    assert _fetched(_run(record), "s1", OLM) == [OLM]  # handed on, but not read
    assert _fetched(_run(record), "s1", OLM) == [OLM]


def test_a_plaintext_event_is_handled_again_in_the_next_run(tmp_path: Path) -> None:
    """A key request's answer, a withheld notice, a verification step live in memory
    until the batch is saved: sent again after a restart, they are handled again."""
    record = tmp_path / "to_device_consumed.json"
    assert _fetched(_run(record), "s1", GOOD, OLM, read=(OLM,)) == [GOOD, OLM]
    assert _fetched(_run(record), "s1", GOOD, OLM) == [GOOD]


def test_the_record_of_another_device_holds_nothing_back(tmp_path: Path) -> None:
    record = tmp_path / "to_device_consumed.json"
    assert _fetched(_run(record), "s1", OLM, read=(OLM,)) == [OLM]
    signed_in_again = (BOB[0], "NEWDEV")  # the data dir logged in as a new device
    assert _fetched(_run(record, signed_in_again), "s1", OLM) == [OLM]


def test_an_olm_message_read_in_a_first_sync_is_held_back_when_it_is_synced_again(
    tmp_path: Path,
) -> None:
    """A run stopped during its very first sync (no token) syncs again with none, and
    the server sends the same to-device messages again: held back as for any token,
    for this device only; a sync with a token afterwards clears the record."""
    record = tmp_path / "to_device_consumed.json"
    assert _fetched(_run(record), "", OLM, read=(OLM,)) == [OLM]
    assert _fetched(_run(record, (BOB[0], "NEWDEV")), "", OLM) == [OLM]
    assert _fetched(_run(record), "", OLM, GOOD) == [GOOD]
    assert _fetched(_run(record), "s1") == []
    assert _fetched(_run(record), "", OLM) == [OLM]


def test_a_token_that_moved_with_nothing_read_leaves_no_record(tmp_path: Path) -> None:
    """Should the archive ever sync from an older token again, a record naming it must
    not hold back what the server sends then."""
    record = tmp_path / "to_device_consumed.json"
    assert _fetched(_run(record), "s1", OLM, read=(OLM,)) == [OLM]
    assert _fetched(_run(record), "s2") == []  # the token moved, no to-device events
    assert _fetched(_run(record), "s1", OLM) == [OLM]


def test_only_as_many_copies_are_held_back_as_were_consumed(tmp_path: Path) -> None:
    """A copy more than the earlier fetch had came later (a replay, say): it is judged,
    within one run and after a restart alike."""
    record = tmp_path / "to_device_consumed.json"
    screen = _run(record)
    assert _fetched(screen, "s1", OLM, read=(OLM,)) == [OLM]
    assert _fetched(screen, "s1", OLM, OLM) == [OLM]  # the second copy is news
    assert _fetched(screen, "s1", OLM, OLM) == []  # both copies consumed now
    assert _fetched(_run(record), "s1", OLM, OLM) == [OLM]  # a session was saved past only one


def test_a_body_nio_never_parsed_is_not_recorded_as_consumed(tmp_path: Path) -> None:
    record = tmp_path / "to_device_consumed.json"
    screen = _run(record)
    screen({"to_device": {"events": [dict(OLM)]}}, "s1")
    screen.failed()  # nio raised before parsing: nothing of it was consumed
    assert _fetched(_run(record), "s1", OLM) == [OLM]


def test_an_unreadable_record_holds_nothing_back(tmp_path: Path) -> None:
    record = tmp_path / "to_device_consumed.json"
    owner = {"user_id": BOB[0], "device_id": BOB[1]}
    for kept in ("{not json", json.dumps({**owner, "since": 5, "read": {}}), "[]"):
        record.write_text(kept, encoding="utf-8")
        assert _fetched(_run(record), "s1", OLM) == [OLM]
        record.unlink()
