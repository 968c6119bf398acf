"""The keeper's record of a session: export, retention and legal hold.

The export is the one every client makes (``app.services.records``), read from the
keeper's database and signed by the keeper's device, so `oor verify` checks both the
same way. Retention and hold act on the rooms the session's archived state names; the
known gaps (``open_gaps``) are the holes of the record, each with the session it lies in.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from app.core.records_export import KnownGap, room_label
from app.matrix import MatrixClient
from app.services.notices import Notice
from app.services.records import Exported, Records, RecordsError, archived_session
from app.services.records.known_gaps import known_gaps
from app.services.rosters import claimed_rooms, rosters_of
from app.store.keeper import KeeperArchive, Marking, Policy

T = TypeVar("T")


class KeeperDesk:
    """What the records export needs of an account, served from the keeper's archive:
    the archive, a store call, the signing device and somewhere to report progress."""

    def __init__(
        self,
        client: MatrixClient,
        archive: KeeperArchive,
        notify: Callable[[Notice], None] = lambda _notice: None,
    ) -> None:
        self.client = client
        self.archive = archive
        self.notify = notify

    @property
    def user_id(self) -> str:
        return self.client.user_id

    async def db(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(fn, *args)

    async def export(
        self, space_id: str, folder: str, *, details_pending: bool = False
    ) -> Exported:
        """The session's record as `oor export` writes it (report, bundle, signature);
        ``details_pending`` as there: exported though its details never arrived."""
        records = Records(self)  # type: ignore[arg-type]
        return await records.export(space_id, folder, details_pending=details_pending)


def session_rooms(archive: KeeperArchive, space_id: str) -> list[str]:
    """The space and its rooms, as the archived session state names them."""
    return list(archived_session(archive, space_id, "the keeper").room_ids)


def set_retention(archive: KeeperArchive, space_id: str, days: int | None) -> Policy:
    """Keep the session's record ``days`` after each event (None: for ever)."""
    if days is not None and days < 0:
        raise RecordsError("a retention period is a number of days, 0 or more")
    session_rooms(archive, space_id)  # refuse a space that is not an archived session
    policy = archive.policy(space_id)
    new = Policy(space_id, days, policy.legal_hold, policy.hold_reason)
    archive.set_policy(new)
    return new


def set_hold(archive: KeeperArchive, space_id: str, reason: str | None) -> Policy:
    """Place a legal hold (with its reason), or lift it with ``reason=None``."""
    if reason is not None and not reason.strip():
        raise RecordsError("a legal hold needs a reason (a case, an order, a request)")
    session_rooms(archive, space_id)
    policy = archive.policy(space_id)
    new = Policy(space_id, policy.retention_days, reason is not None, (reason or "").strip())
    archive.set_policy(new)
    return new


def mark(archive: KeeperArchive, space_id: str, now_ms: int | None = None) -> Marking:
    """Mark what the session's retention lets be destroyed; a hold stops it."""
    rooms = session_rooms(archive, space_id)
    now = int(time.time() * 1000) if now_ms is None else now_ms
    return archive.mark_expired(space_id, rooms, now)


@dataclass(frozen=True, slots=True)
class SessionGap:
    """A known gap of the record, with the session it lies in ("" when no archived
    session names its room) and its room as a reader knows it."""

    space_id: str
    title: str
    room: str
    gap: KnownGap


def open_gaps(archive: KeeperArchive, space_id: str | None = None) -> list[SessionGap]:
    """The record's open holes: of one session (refused if it is none the keeper
    archived), in every room it claims (``claimed_rooms``: one the keeper could read
    nothing of too), or of every room."""
    if space_id is not None:
        found = [archived_session(archive, space_id, "the keeper")]
    else:
        found = rosters_of(archive, [r.room_id for r in archive.rooms() if r.is_space])
    session_of = {
        room_id: f.roster.session
        for f in found
        for room_id in claimed_rooms(archive, f.roster.session.space_id)
    }
    rooms = None if space_id is None else list(session_of)
    gaps = []
    for gap in known_gaps(archive, rooms):
        session = session_of.get(gap.room_id)
        space, title = (session.space_id, session.title) if session else ("", "")
        gaps.append(SessionGap(space, title, room_label(gap.room_id, session), gap))
    return gaps
