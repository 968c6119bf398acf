"""The archive: every event this client has seen, kept for the public record.

Transparency is a requirement (no disappearing messages; an archive that survives), so
events are only ever added, or upgraded once their room key arrives, never removed.
Each room's events form a hash chain over the source JSON as the server sent it, so an
export can later be checked for rows altered or removed in between.

This part writes: synced batches (events, room summaries and the sync token in one
transaction), pages of history, late decryptions."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import exists, insert, select, update
from sqlalchemy.engine import Connection, Row

from app.core.chain import chain_step
from app.core.records import EventStatus, RoomEvent, RoomSummary
from app.store import schema
from app.store.archive.base import EVENTS as _T
from app.store.archive.base import ArchiveBase, Stored, chunks
from app.store.archive.gaps import note_holes
from app.store.archive.left import note_left
from app.store.errors import translate_errors
from app.store.jsontext import canonical_json

log = logging.getLogger(__name__)


def _is_upgrade(stored: Stored, new: RoomEvent) -> bool:
    """Only a still-undecrypted copy is ever replaced, and only by an understood one
    (``_opens`` says whether it is the same message)."""
    return stored.status == EventStatus.UNDECRYPTED and new.status != EventStatus.UNDECRYPTED


def _opens(conn: Connection, new: RoomEvent, sealed: dict[str, str]) -> bool:
    """Whether ``new`` is the stored undecrypted message opened: the decryption of that
    very envelope, whose archived source is the envelope (``app.matrix.decode``) and
    canonically equal to the stored row's.

    Any other copy under the same id is not, whatever it holds: a homeserver's plain
    message would show the server's text as the sender's encrypted one (under their
    name), and the same ciphertext echoed with a field nio refuses would count as the
    message opened (malformed), so that no key ever opened it again. ``sealed`` caches
    the source text of each undecrypted row looked at."""
    if new.source.get("type") != "m.room.encrypted":  # a plaintext copy is no decryption
        return False
    if new.event_id not in sealed:
        query = select(_T.c.source).where(_T.c.event_id == new.event_id)
        sealed[new.event_id] = conn.execute(query).scalar_one()
    return sealed[new.event_id] == canonical_json(new.source, f"the source of {new.event_id}")


def _holding(conn: Connection, room_ids: list[str]) -> set[str]:
    """Which of these rooms the archive holds events of: one indexed EXISTS per room, in
    the write transaction (a DISTINCT over the rooms read every event of each)."""

    def holds(room_id: str) -> bool:
        return bool(conn.execute(select(exists().where(_T.c.room_id == room_id))).scalar())

    return {room_id for room_id in room_ids if holds(room_id)}


def _refused(new: RoomEvent) -> None:
    """A copy that may not replace a locked message is recorded, never silently dropped."""
    log.warning(
        "kept the undecrypted event %s in room %s: a %s copy of type %s from %s under its id "
        "is not the decryption of its envelope (%s)",
        new.event_id,
        new.room_id,
        EventStatus(new.status).value,
        new.type,
        new.sender,
        canonical_json(new.source, f"the source of {new.event_id}")[:2000],
    )


class Ingest(ArchiveBase):
    """Events are only ever added, or upgraded once their room key arrives; never removed."""

    def save_sync_batch(
        self,
        events: Sequence[RoomEvent],
        rooms: Sequence[RoomSummary],
        next_batch: str | None,
        announce: Callable[[list[RoomEvent]], None] | None = None,
        *,
        holes: Mapping[str, str] | None = None,
        noted: Callable[[list[str]], None] | None = None,
        left: Sequence[str] = (),
    ) -> list[RoomEvent]:
        """Archive one sync response in a single transaction.

        Events are idempotent by event id; a stored undecrypted copy is upgraded only by
        the decryption of the same envelope, OK or MALFORMED (its chain hash stays, the
        source is the same); any other copy under its id changes nothing and is logged.
        Room summaries are upserted and ``next_batch`` becomes this account's sync
        token, in the same transaction: after a crash we either have the batch and its
        token or neither, so nothing is skipped and nothing is archived twice.

        ``holes`` (room id -> token) are the rooms the response cut short: each one
        whose events the archive held already is noted as a hole in its history
        (``gaps``), in the same transaction, since once the token moves no sync brings
        those events again. A room new to the archive has no hole: it is paged back
        on demand. ``noted`` hears, once the batch is committed, the rooms a hole was
        noted in (none for a room new to the archive: nothing for the fill to fetch).
        ``left``: the rooms the response says we left, noted as such until a batch's
        ``rooms`` bring them joined again (``app.store.archive.left``), in the same
        transaction too.

        ``announce`` hears the new or upgraded events once they are decided, before they
        are written (the caller shows them while the write goes on; the token has not
        moved yet, so a failed write still loses nothing: the batch comes again).

        Returns the new or upgraded events, in input order, each event id once.
        """
        with translate_errors("save the synced events"), self._engine.begin() as conn:
            cut_short = dict(holes or {})
            held = _holding(conn, list(cut_short))  # before this batch's events are in
            changed = self._write_events(conn, events, announce)
            kept = {room_id: token for room_id, token in cut_short.items() if room_id in held}
            note_holes(conn, self._account, kept)
            self._track_state(conn, events)
            latest: dict[str, int] = {}
            for ev in changed.values():
                latest[ev.room_id] = max(latest.get(ev.room_id, 0), ev.origin_ts)
            self._upsert_rooms(conn, rooms, latest)
            note_left(conn, self._account, left, [room.room_id for room in rooms])
            if next_batch is not None:
                self._save_token(conn, next_batch)
        if noted is not None:
            noted(list(kept))
        return list(changed.values())

    def update_decrypted(self, events: Sequence[RoomEvent]) -> list[RoomEvent]:
        """Apply late decryptions (room keys that arrived after the events did).

        Replaces type/content/status/note (and fills txn_id) of stored UNDECRYPTED rows;
        events still undecrypted, unknown, or already understood are ignored. Returns the
        rows changed, as now stored, in input order.
        """
        with translate_errors("save decrypted events"), self._engine.begin() as conn:
            stored = self._lookup(conn, [ev.event_id for ev in events])
            changed: list[str] = []
            sealed: dict[str, str] = {}
            for ev in events:
                known = stored.get(ev.event_id)
                if known is None or not _is_upgrade(known, ev):
                    continue
                if not _opens(conn, ev, sealed):
                    _refused(ev)
                    continue
                upgraded = replace(ev, txn_id=ev.txn_id or known.txn_id)
                self._apply_upgrade(
                    conn, event_id=ev.event_id, values=self._upgrade_values(upgraded)
                )
                stored[ev.event_id] = Stored(EventStatus(ev.status), upgraded.txn_id)
                changed.append(ev.event_id)
            rows = self._rows_by_id(conn, changed)
        return [rows[event_id] for event_id in changed]

    def set_notes(self, notes: Mapping[str, str]) -> list[RoomEvent]:
        """Say why still-undecrypted events cannot be read yet (key asked from whom, key
        withheld and why); returns the rows whose note changed, as now stored."""
        with translate_errors("note why events cannot be read"), self._engine.begin() as conn:
            rows = self._rows_by_id(conn, list(notes))
            changed = [
                event_id
                for event_id, row in rows.items()
                if row.status is EventStatus.UNDECRYPTED and row.note != notes[event_id]
            ]
            for event_id in changed:
                query = update(_T).where(_T.c.event_id == event_id)
                conn.execute(query.values(note=notes[event_id]))
            updated = self._rows_by_id(conn, changed)
        return [updated[event_id] for event_id in changed]

    def save_history(self, events: Sequence[RoomEvent]) -> list[RoomEvent]:
        """Archive older events fetched from the server (back-pagination, a sync gap).

        They join the room's hash chain in arrival order like any event, but they never
        touch the room's current state (it is older state) nor the sync token. Returns
        the new or upgraded events.
        """
        with translate_errors("save older events"), self._engine.begin() as conn:
            return list(self._write_events(conn, events).values())

    def _write_events(
        self,
        conn: Connection,
        events: Sequence[RoomEvent],
        announce: Callable[[list[RoomEvent]], None] | None = None,
    ) -> dict[str, RoomEvent]:
        """Insert new events (one executemany) and upgrade undecrypted ones; return the
        changes (told to ``announce`` first, as soon as they are decided: the chain
        hashes and the writes come after, while the notice is on its way)."""
        stored = self._lookup(conn, [ev.event_id for ev in events])
        new: dict[str, tuple[RoomEvent, str]] = {}  # first copy seen, with its source text
        values: dict[str, dict[str, Any]] = {}  # the columns a new or opened copy writes
        upgrades: dict[str, RoomEvent] = {}
        changed: dict[str, RoomEvent] = {}
        sealed: dict[str, str] = {}  # the source text of each undecrypted row looked at
        for ev in events:
            known = stored.get(ev.event_id)
            # Its texts are made before it is shown: one that cannot be stored fails the
            # write before anything is on screen.
            if known is None:
                source = canonical_json(ev.source, f"the source of event {ev.event_id}")
                new[ev.event_id] = (ev, source)
                sealed[ev.event_id] = source
                result = ev
            elif not _is_upgrade(known, ev):
                continue
            elif _opens(conn, ev, sealed):
                result = replace(ev, txn_id=ev.txn_id or known.txn_id)
                upgrades[ev.event_id] = result
            else:
                _refused(ev)
                continue
            values[ev.event_id] = self._upgrade_values(result)  # a later copy's, if opened
            stored[ev.event_id] = Stored(EventStatus(result.status), result.txn_id)
            changed[ev.event_id] = result
        if announce is not None and changed:
            announce(list(changed.values()))
        heads: dict[str, tuple[int, str]] = {}
        new_rows = []
        now = time.time()
        for event_id, (ev, source) in new.items():
            head = heads.get(ev.room_id) or self._chain_head(conn, ev.room_id)
            row = self._new_row(ev, source, head, now) | values[event_id]
            heads[ev.room_id] = (row["room_seq"], row["chain_hash"])
            upgrades.pop(event_id, None)  # undecrypted, then opened, in one batch: one row
            new_rows.append(row)
        for event_id in upgrades:
            self._apply_upgrade(conn, event_id=event_id, values=values[event_id])
        if new_rows:
            conn.execute(insert(_T), new_rows)
        return changed

    @staticmethod
    def _new_row(ev: RoomEvent, source: str, head: tuple[int, str], now: float) -> dict[str, Any]:
        return {
            "event_id": ev.event_id,
            "room_id": ev.room_id,
            "room_seq": head[0] + 1,
            "sender": ev.sender,
            "state_key": ev.state_key,
            "origin_ts": ev.origin_ts,
            "source": source,
            "chain_hash": chain_step(head[1], source),
            "archived_at": now,
        }

    @staticmethod
    def _upgrade_values(ev: RoomEvent) -> dict[str, Any]:
        """The columns a decrypted copy may replace (never the source or the chain)."""
        return {
            "type": ev.type,
            "content": canonical_json(ev.content, f"the content of event {ev.event_id}"),
            "status": EventStatus(ev.status).value,
            "note": ev.note,
            "txn_id": ev.txn_id,
        }

    @staticmethod
    def _apply_upgrade(conn: Connection, *, event_id: str, values: dict[str, Any]) -> None:
        conn.execute(update(_T).where(_T.c.event_id == event_id).values(**values))

    @staticmethod
    def _track_state(conn: Connection, events: Sequence[RoomEvent]) -> None:
        """Keep the newest state event per key, in sync order (state section, then timeline).

        Every state event of the batch counts, already archived or not: the full-state sync
        at the start of a run refreshes what an earlier run may have missed.
        """
        t = schema.room_state
        latest: dict[tuple[str, str, str], RoomEvent] = {}
        for ev in events:
            # Malformed state is still the room's state on the server: mirror it, and let
            # readers judge it. Only state the server saw as such counts (never plaintext).
            is_state = ev.state_key is not None and ev.source.get("type") != "m.room.encrypted"
            if is_state and ev.status != EventStatus.UNDECRYPTED:
                latest[(ev.room_id, ev.type, ev.state_key)] = ev
        for (room_id, event_type, state_key), ev in latest.items():
            key = (t.c.room_id == room_id) & (t.c.type == event_type) & (t.c.state_key == state_key)
            values = {
                "event_id": ev.event_id,
                "sender": ev.sender,
                "origin_ts": ev.origin_ts,
                "content": canonical_json(ev.content, f"the content of event {ev.event_id}"),
            }
            if conn.execute(update(t).where(key).values(**values)).rowcount == 0:
                conn.execute(
                    insert(t).values(
                        room_id=room_id, type=event_type, state_key=state_key, **values
                    )
                )

    @staticmethod
    def _upsert_rooms(
        conn: Connection, summaries: Sequence[RoomSummary], latest: dict[str, int]
    ) -> None:
        """Insert or update summaries; last_ts never goes back and covers archived events."""
        given = {summary.room_id: summary for summary in summaries}
        room_ids = list(dict.fromkeys([*given, *latest]))
        t = schema.rooms
        existing: dict[str, Row[Any]] = {}
        for chunk in chunks(room_ids):
            for row in conn.execute(select(t).where(t.c.room_id.in_(chunk))):
                existing[row.room_id] = row
        for room_id in room_ids:
            summary, row = given.get(room_id), existing.get(room_id)
            last_ts = max(
                row.last_ts if row is not None else 0,
                summary.last_ts if summary is not None else 0,
                latest.get(room_id, 0),
            )
            values: dict[str, Any] = {"last_ts": last_ts}
            if summary is not None:
                values |= {
                    "name": summary.name,
                    "encrypted": summary.encrypted,
                    "is_space": summary.is_space,
                }
            if row is not None:
                conn.execute(update(t).where(t.c.room_id == room_id).values(**values))
            else:
                # A room we have events for but no summary yet: name it by its id for now.
                values = {"name": room_id, "encrypted": False, "is_space": False} | values
                conn.execute(insert(t).values(room_id=room_id, **values))

    def _save_token(self, conn: Connection, next_batch: str) -> None:
        t = schema.sync_tokens
        values = {"next_batch": next_batch, "updated_at": time.time()}
        result = conn.execute(update(t).where(t.c.account == self._account).values(**values))
        if result.rowcount == 0:
            conn.execute(insert(t).values(account=self._account, **values))
