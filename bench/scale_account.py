"""The ministry-sized account ``bench.scale_rooms`` measures: built once, or reused.

A real account on the embedded Synapse (its stored login is real, so a restart checks it
and syncs as usual), but its history is written straight into its archive through the
store layer (``Archive.save_sync_batch``, hash chain and search index included), not sent
through the server: a million events through Synapse would take hours. Rows are what a
sync would archive; see ``bench.scale_rooms`` for what they hold.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import random
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app.core import roles
from app.core.paths import DataDir
from app.core.records import RoomEvent, RoomSummary
from app.core.roles import Role, RoomKind
from app.core.session import Participant, SessionRoom, role_content, role_key, session_content
from app.homeserver import EmbeddedHomeserver
from app.store import Archive
from app.store.archive_keys import ArchiveKeys
from app.store.at_rest import open_archive
from bench.common import new_account, stored_login

ROOMS_PER_SESSION = 8  # the space and seven rooms: operations, restricted, delegations …
KINDS = ("Operations", "Restricted", "Delegation A", "Delegation B", "Outreach", "Press", "Legal")
WORDS = [
    "convoy",
    "border",
    "crossing",
    "consulate",
    "evacuation",
    "flight",
    "manifest",
    "citizens",
    "hostage",
    "talks",
    "ceasefire",
    "corridor",
    "embassy",
    "ministry",
    "statement",
    "confirmed",
    "unverified",
    "rumour",
    "sitrep",
    "delegation",
    "capital",
    "instruction",
    "acknowledged",
    "hospital",
    "supplies",
    "airport",
    "closed",
    "open",
]


def _id(prefix: str, *parts: object) -> str:
    return f"{prefix}{'-'.join(str(p) for p in parts)}"


_ROLES = ["facilitator"] + ["official"] * 3 + ["delegate"] * 4 + ["expert"] * 3 + ["influencer"]


def _session_state(
    index: int, rooms: list[str], members: list[str]
) -> dict[str, list[tuple[str, str, dict[str, Any]]]]:
    """Per room id, the state that makes the space a session (protocol 1.2: structure
    only): the session, everyone's role in the space and its rooms, a delegation's id."""
    kinds = (RoomKind.OPERATIONS, RoomKind.RESTRICTED, RoomKind.DELEGATION, RoomKind.DELEGATION)
    layout = [
        SessionRoom(kind, room_id, "AB"[n - 2] if kind is RoomKind.DELEGATION else "")
        for n, (kind, room_id) in enumerate(zip((*kinds, RoomKind.OUTREACH), rooms, strict=False))
    ]
    space = _id("!space", index, ":localhost")
    described = session_content(f"Session {index + 1}", "active", layout)
    state = {space: [(roles.SESSION, "", described)]}
    people = [
        Participant(user, Role(role), "AB"[n % 2] if role == "delegate" else "")
        for n, (user, role) in enumerate(zip(members, _ROLES, strict=True))
    ]
    # Everyone's role in the space and in each room, as the sessions service writes it.
    held = [(roles.ROLE, role_key(p.user_id), role_content(p)) for p in people]
    state[space] += held
    for room_id in rooms:
        state[room_id] = list(held)
    for room in layout:
        if room.delegation:
            described = {"body": f"Delegation {room.delegation}", "id": room.delegation}
            state[room.room_id].append((roles.DELEGATION, "", described))
    return state


class Builder:
    """Rows for one session at a time, written through the archive in sync-sized batches."""

    def __init__(
        self, archive: Archive, owner: str, events_per_room: int, *, sessions: bool, seed: int = 16
    ):
        self.archive, self.owner, self.per_room = archive, owner, events_per_room
        self.sessions = sessions  # the spaces carry session state and roles (else plain)
        self.rand = random.Random(seed)
        self.clock = int(time.time() * 1000) - 400 * 24 * 3600 * 1000  # sessions of a year
        self.written = 0
        self.newest: tuple[str, str] = ("", "")  # room id and body of the newest message
        self.newest_by_room: dict[str, str] = {}  # what each room's timeline shows last

    def session(self, index: int) -> None:
        members = [self.owner] + [f"@member{index}-{m}:localhost" for m in range(11)]
        space = _id("!space", index, ":localhost")
        rooms = [_id("!room", index, k, ":localhost") for k in range(len(KINDS))]
        extra = _session_state(index, rooms, members) if self.sessions else {}
        self._room(
            space, f"Session {index + 1}", members, is_space=True, children=rooms,
            extra=extra.get(space, []),
        )  # fmt: skip
        for room_id, kind in zip(rooms, KINDS, strict=True):
            name = f"{kind} {index + 1}"
            self._room(room_id, name, members, parent=space, extra=extra.get(room_id, []))

    def _room(
        self,
        room_id: str,
        name: str,
        members: list[str],
        *,
        is_space: bool = False,
        children: list[str] = (),  # type: ignore[assignment]
        parent: str = "",
        extra: list[tuple[str, str, dict[str, Any]]] = (),  # type: ignore[assignment]
    ) -> None:
        state = [
            (
                "m.room.create",
                "",
                {"creator": self.owner, "type": "m.space"} if is_space else {"creator": self.owner},
            )
        ]
        state += [("m.room.encryption", "", {"algorithm": "m.megolm.v1.aes-sha2"})]
        levels = {"users": {self.owner: 100}, "events_default": 0, "state_default": 50}
        state += [("m.room.power_levels", "", levels), ("m.room.name", "", {"name": name})]
        state += [("m.room.member", m, {"membership": "join"}) for m in members]
        state += [("m.space.child", c, {"via": ["localhost"]}) for c in children]
        if parent:
            state += [("m.space.parent", parent, {"via": ["localhost"], "canonical": True})]
        state += extra
        events = [self._event(room_id, self.owner, t, c, key) for t, key, c in state]
        if not is_space:
            events += [self._message(room_id, members) for _ in range(self.per_room - len(state))]
        summary = RoomSummary(room_id, name, encrypted=True, is_space=is_space)
        for start in range(0, len(events), 1000):  # sync-sized transactions
            self.archive.save_sync_batch(events[start : start + 1000], [summary], None)
        self.written += len(events)

    def _event(
        self, room_id: str, sender: str, kind: str, content: dict[str, Any], key: str | None
    ) -> RoomEvent:
        self.clock += self.rand.randint(1_000, 60_000)
        event_id = f"$e{self.written + self.rand.getrandbits(64):x}{self.clock}"
        source = {"type": kind, "event_id": event_id, "sender": sender, "room_id": room_id}
        source |= {"origin_server_ts": self.clock, "content": content}
        if key is not None:
            source["state_key"] = key
        return RoomEvent(event_id, room_id, sender, kind, self.clock, content, key, source=source)

    def _message(self, room_id: str, members: list[str]) -> RoomEvent:
        body = " ".join(self.rand.choices(WORDS, k=self.rand.randint(4, 40)))
        sender = self.rand.choice(members)
        cipher = {
            "algorithm": "m.megolm.v1.aes-sha2",
            "ciphertext": base64.b64encode(self.rand.randbytes(len(body) + 180)).decode(),
            "device_id": "DEVICEID",
            "sender_key": base64.b64encode(self.rand.randbytes(32)).decode(),
            "session_id": base64.b64encode(self.rand.randbytes(32)).decode(),
        }
        event = self._event(room_id, sender, "m.room.encrypted", cipher, None)
        self.newest = (room_id, body)
        self.newest_by_room[room_id] = body
        decrypted = {"msgtype": "m.text", "body": body}
        return RoomEvent(
            event.event_id, room_id, sender, "m.room.message", event.origin_ts, decrypted,
            source=event.source,
        )  # fmt: skip


def open_account_archive(data: DataDir, user_id: str) -> tuple[Any, Any]:
    """The account's archive and outbox as the app opens them: encrypted, with the
    account's key."""
    keys = ArchiveKeys(data.account(user_id), user_id)
    engine, outbox, _key = open_archive(data.archive(user_id), keys, lambda _done, _total: None)
    return engine, outbox


@dataclass
class Built:
    """What the bench knows of the account it built (kept beside a ``--keep`` dir)."""

    user_id: str
    sessions: int
    events: int
    newest_body: str  # the newest message of all: the restart's room shows it
    newest_by_room: dict[str, str]  # each talk room's newest message

    @classmethod
    def of(cls, builder: Builder, sessions: int) -> Built:
        newest = dict(builder.newest_by_room)
        return cls(builder.owner, sessions, builder.written, builder.newest[1], newest)


def steps(sessions: int, step_rooms: int) -> Iterator[int]:
    """Session counts at which to measure: every ``step_rooms`` rooms, and the last."""
    per_step = max(1, step_rooms // ROOMS_PER_SESSION)
    yield from range(per_step, sessions, per_step)
    yield sessions


async def build_or_reuse(
    server: EmbeddedHomeserver, work: Path, args: argparse.Namespace
) -> tuple[DataDir, Iterator[tuple[int, Built]]]:
    """The account, and its sizes to measure: grown step by step, or (a ``--keep`` dir
    holding a finished account of this size) as it is, measured at its full size only."""
    kept = work / "account.json"
    data = DataDir(work / "app")
    if kept.exists():
        state = json.loads(kept.read_text())
        asked = (state.pop("asked_events"), state.pop("plain_spaces"), state["sessions"])
        if asked != (args.events, args.plain_spaces, args.sessions):
            raise SystemExit(f"{kept} holds another account (size, layout): use another dir")
        built = Built(**state)
        print(f"reusing {kept.parent}: {built.sessions * ROOMS_PER_SESSION} rooms", flush=True)
        return data, iter([(built.sessions, built)])
    owner = await asyncio.to_thread(new_account, server, "scale-owner")
    data = await stored_login(server, data.root, owner)
    rooms_total = args.sessions * (ROOMS_PER_SESSION - 1)  # rooms holding messages
    engine, outbox = open_account_archive(data, owner.user_id)
    outbox.dispose()  # the account is built in its archive alone
    per_room = args.events // rooms_total
    archive = Archive(engine, owner.user_id)
    builder = Builder(archive, owner.user_id, per_room, sessions=not args.plain_spaces)

    def grow() -> Iterator[tuple[int, Built]]:
        done = 0
        for upto in steps(args.sessions, args.step):
            started = time.perf_counter()
            for index in range(done, upto):
                builder.session(index)
            done = upto
            print(
                f"archive: {upto * ROOMS_PER_SESSION} rooms, {builder.written:,} events "
                f"(+{time.perf_counter() - started:.0f} s to write)",
                flush=True,
            )
            yield upto, Built.of(builder, upto)
        engine.dispose()
        asked = {"asked_events": args.events, "plain_spaces": args.plain_spaces}
        state = asked | asdict(Built.of(builder, args.sessions))
        kept.write_text(json.dumps(state))

    return data, grow()
