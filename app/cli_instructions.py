"""`oor instruct`, `oor ack`, `oor instructions`: the instruction feed for scripts.

Each command runs the account headless (sync loop, outbox, the instructions feature)
until its one sync has been archived and what it queued has been sent, then stops in
order. A row the server could not take yet stays in the outbox and is reported as
queued: the next run of the app or of a command sends it, once.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from app.core.instructions import PRIORITY_ORDER, Draft, Stage
from app.core.paths import DataDir
from app.core.records import OutboxState
from app.services.headless import print_opening, start_signed_in
from app.services.instructions import InstructionError, Instructions
from app.services.notices import Notice, OutboxChanged
from app.services.sessions import SessionError

SEND_WAIT_SECONDS = 30.0


class _Headless:
    """A Backend without a window: records notices, waits for sync and sends."""

    def __init__(self, data: DataDir) -> None:
        from app.services.backend import Backend  # nio and SQL load only when a command runs

        self.notices: list[Notice] = []
        self.changed = asyncio.Event()
        self.backend = Backend(data, self._notify)

    def _notify(self, notice: Notice) -> None:
        self.notices.append(notice)
        print_opening(notice)
        self.changed.set()

    async def start(self) -> Instructions:
        account = await start_signed_in(self.backend, self.notices)
        with contextlib.suppress(TimeoutError):  # offline: work from the archive; queue
            await asyncio.wait_for(account.synced.wait(), SEND_WAIT_SECONDS)
        return account.feature(Instructions)

    async def sent(self, since: int) -> bool:
        """Wait until every row queued after notice number ``since`` has been sent."""

        def waiting() -> set[str]:
            states: dict[str, OutboxState] = {}
            for notice in self.notices[since:]:
                if isinstance(notice, OutboxChanged):
                    states[notice.item.txn_id] = notice.item.state
            return {txn for txn, state in states.items() if state is not OutboxState.SENT}

        deadline = time.monotonic() + SEND_WAIT_SECONDS
        while waiting() and time.monotonic() < deadline:
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), deadline - time.monotonic())
            except TimeoutError:
                break
        return not waiting()


async def _run(data: DataDir, action: Callable[[Instructions], Any]) -> dict[str, Any]:
    headless = _Headless(data)
    try:
        feature = await headless.start()
        since = len(headless.notices)
        reply = await action(feature)
        reply["sent"] = await headless.sent(since)
        return reply
    finally:
        await headless.backend.shutdown()


async def _instruct(args: argparse.Namespace, feature: Instructions) -> dict[str, Any]:
    deadline = None
    if args.deadline_minutes is not None:
        deadline = int(time.time() * 1000) + int(args.deadline_minutes * 60_000)
    draft = Draft(
        subject=args.subject,
        body=args.body or "",
        priority=args.priority,
        action=tuple(d for d in (args.to or "").split(",") if d),
        info=tuple(d for d in (args.info or "").split(",") if d),
        deadline=deadline,
        requires_ack=not args.no_ack,
        classification=args.classification or "",
        supersedes=args.supersedes or "",
        answers=args.answers or "",
    )
    ref = await feature.issue(args.session, draft)
    return {"ref": ref, "space_id": args.session, "delegations": list(draft.addressees)}


async def _ack(args: argparse.Namespace, feature: Instructions) -> dict[str, Any]:
    await feature.acknowledge(args.instruction, args.state, args.note or "")
    return {"instruction": args.instruction, "state": args.state}


async def _board(args: argparse.Namespace, feature: Instructions) -> dict[str, Any]:
    now = int(time.time() * 1000)
    sessions = []
    for desk in feature.desks():
        if args.session and desk.space_id != args.session:
            continue
        feed = feature.feed(desk.space_id)
        rows = [
            {
                **{k: v for k, v in asdict(row.instruction).items() if k != "body"},
                "stage": row.stage.value,
                "stage_by": row.stage_by,
                "note": row.note,
                "overdue": row.overdue,
                "superseded_by": row.superseded_by,
                "age_seconds": max(0, (now - row.instruction.issued_ts) // 1000),
            }
            for row in feed.rows
        ]
        sessions.append(
            {
                "space_id": desk.space_id,
                "title": desk.title,
                "exercise": desk.exercise,
                "instructions": rows,
                "requests": [asdict(r) for r in feed.requests],
                "not_counted": [{**asdict(s), "doubt": s.doubt.value} for s in feed.suspects],
            }
        )
    return {"sessions": sessions}


ACTIONS = {"instruct": _instruct, "ack": _ack, "instructions": _board}


def run(args: argparse.Namespace, data: DataDir) -> int:
    action = ACTIONS[args.command]
    try:
        reply = asyncio.run(_run(data, lambda feature: action(args, feature)))
    except InstructionError as exc:
        raise SessionError(str(exc)) from None
    if args.command == "instructions":
        reply.pop("sent", None)
    if args.json or args.command == "instructions":
        print(json.dumps(reply, ensure_ascii=False), flush=True)
    else:
        queued = "" if reply.pop("sent") else " (queued: sent by the next run)"
        print(" ".join(f"{k}={v}" for k, v in reply.items()) + queued, flush=True)
    return 0


def add_commands(commands: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register the instruction subcommands (``common`` adds --data-dir, --json and run)."""
    instruct = commands.add_parser("instruct", help="issue an instruction to delegations")
    instruct.add_argument("--session", required=True, help="the session's space id")
    instruct.add_argument("--to", help="delegation ids that must act, comma-separated")
    instruct.add_argument("--info", help="delegation ids informed only, comma-separated")
    instruct.add_argument("--subject", required=True)
    instruct.add_argument("--body", help="the instruction's text")
    instruct.add_argument("--priority", choices=PRIORITY_ORDER, default="routine")
    instruct.add_argument("--deadline-minutes", type=float, help="deadline from now")
    instruct.add_argument("--no-ack", action="store_true", help="no acknowledgement needed")
    instruct.add_argument("--classification", help="e.g. CONFIDENTIAL")
    instruct.add_argument("--supersedes", help="ref of the instruction this replaces")
    instruct.add_argument("--answers", help="event id of the request this answers")
    ack = commands.add_parser("ack", help="acknowledge an instruction for your delegation")
    ack.add_argument("instruction", help="the instruction's event id (or its ref)")
    states = [s.value for s in Stage if s not in (Stage.PENDING, Stage.ISSUED)]
    ack.add_argument("--state", default="acknowledged", choices=states)
    ack.add_argument("--note", help="what was done, or why the delegation is unable")
    board = commands.add_parser("instructions", help="the status board as JSON")
    board.add_argument("--session", help="only this session's space id")
    for name in ACTIONS:
        common(commands.choices[name])
