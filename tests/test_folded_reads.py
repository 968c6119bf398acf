"""A restart folds the open round and the instruction feed from exactly the events it
folded before, though it no longer reads every message of their rooms.

Why: both boards are rebuilt from the archive at every start; the store now hands them
their own event types plus the few messages an index holds (replies, references,
rounds, filed decisions) instead of all the chat. What a user sees after a restart must
not change, so the events each feature keeps are compared, in order, with what the full
read by type gave it, over an archive holding every kind of row that could be confused.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from app.core import instructions as ins
from app.core import open_round as rnd
from app.core import roles
from app.core.open_round import polls
from app.core.records import EventStatus, RoomSummary
from app.services.instructions.service import READ_TYPES as FEED_READ
from app.services.open_round.service import READ_TYPES as ROUND_READ
from app.services.open_round.service import _takes_part as round_keeps
from app.store import Archive, open_database, sqlite_url
from tests.test_store import make_event

ME = "@facilitator:ops.example"
OPS, DELEGATION, ELSEWHERE = "!ops:ops.example", "!delegation:ops.example", "!other:ops.example"
CHAT = "m.room.message"


REPLY = {"m.in_reply_to": {"event_id": "$instruction"}}
POLL_VOTE = {"m.relates_to": {"rel_type": "m.reference", "event_id": "$poll"}}
DECISION = {"kind": "decision", "title": "t", "body": "b", rnd.DECIDED: {"round": "$round"}}
# (name, time, type, content): chat and what is folded from it, with ties in time.
KINDS: list[tuple[str, int, str, dict[str, Any]]] = [
    ("chat", 10, CHAT, {"msgtype": "m.text", "body": "hello"}),
    ("quoted", 11, CHAT, {"msgtype": "m.text", "body": '"m.relates_to": is text here'}),
    ("round", 12, CHAT, {"msgtype": "m.text", "body": "Round", rnd.ROUND: {"problem": "p"}}),
    ("proposal", 13, CHAT, rnd.proposal_message("$round", "Evacuate", "by air")),
    ("poll", 13, polls.START, {"m.poll": {}}),
    ("vote", 14, polls.RESPONSE, POLL_VOTE),
    ("entry", 14, roles.ENTRY, {"kind": "sitrep", "title": "t", "body": "b"}),
    ("decision", 15, roles.ENTRY, DECISION),
    ("instruction", 15, roles.INSTRUCTION, {"subject": "s"}),
    ("ack", 16, roles.ACK, {"state": "received"}),
    ("thread", 16, CHAT, ins.thread_message("$instruction", "why?")),
    ("reply", 17, CHAT, {"msgtype": "m.text", "body": "Done", "m.relates_to": REPLY}),
    ("chat-reply", 17, CHAT, {"msgtype": "m.text", "body": "thanks", "m.relates_to": REPLY}),
]


def _archive_of_every_kind(path: Path) -> Archive:
    rows = []
    for room in (OPS, DELEGATION, ELSEWHERE):
        for name, ts, kind, content in KINDS:
            event = make_event(f"${name}-{room}", room, ts)
            rows.append(replace(event, type=kind, content=content))
        rows.append(make_event(f"$locked-{room}", room, 18, status=EventStatus.UNDECRYPTED))
    archive = Archive(open_database(sqlite_url(path)), ME)
    summaries = [RoomSummary(r, r, True, False, 18) for r in (OPS, DELEGATION, ELSEWHERE)]
    archive.save_sync_batch(rows, summaries, "s1")
    return archive


def test_a_restart_folds_the_rounds_and_feeds_from_the_same_events(tmp_path: Path) -> None:
    archive = _archive_of_every_kind(tmp_path / "a.sqlite3")
    rooms = [OPS, DELEGATION]
    before_round = archive.events_of_types(rooms, (CHAT, *polls.TYPES, roles.ENTRY), False)
    after_round = archive.folded_events(rooms, ROUND_READ, False)
    kept = [e for e in after_round if round_keeps(e)]
    assert kept == [e for e in before_round if round_keeps(e)]
    assert {e.event_id for e in kept} >= {f"$decision-{OPS}", f"$proposal-{OPS}", f"$vote-{OPS}"}

    before_feed = archive.events_of_types(rooms, ins.FEED_TYPES)
    after_feed = archive.folded_events(rooms, FEED_READ)
    kept = [e for e in after_feed if ins.in_feed(e)]
    assert kept == [e for e in before_feed if ins.in_feed(e)]
    assert {f"$reply-{DELEGATION}", f"$thread-{DELEGATION}", f"$locked-{DELEGATION}"} <= {
        e.event_id for e in kept
    }

    read = {e.event_id for e in after_round + after_feed}
    assert f"$chat-{OPS}" not in read and f"$entry-{OPS}" not in read  # chat is not read
    assert not any(e.room_id == ELSEWHERE for e in after_round + after_feed)
