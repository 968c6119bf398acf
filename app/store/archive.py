"""The archive: every event this client has seen, kept for the public record.

Transparency is a requirement (no disappearing messages; an archive that survives), so
events are only ever added, or upgraded once their room key arrives, never removed.
Each room's events form a hash chain over the source JSON as the server sent it, so an
export can later be checked for rows altered or removed in between.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Integer, Text, column, func, insert, literal, or_, select, table, update
from sqlalchemy.engine import Connection, Engine, Row

from app.core import roles
from app.core.entries import CHAT, TimelineQuery, search_terms
from app.core.records import EventStatus, RoomEvent, RoomSummary
from app.store import schema
from app.store.errors import translate_errors
from app.store.jsontext import canonical_json, parse_json

_T = schema.events
_LOOKUP_CHUNK = 500  # stays below SQLite's bound-parameter limit


def chain_step(prev_hash: str, source_json: str) -> str:
    """The next link of a room's chain: sha256 over the previous hash and the canonical source.

    The first event of a room has ``prev_hash == ""``. Kept as a plain function so an
    export verifier can recompute the chain without a database.
    """
    return hashlib.sha256((prev_hash + source_json).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class _Stored:
    """What the batch logic needs to know about an event already archived."""

    status: EventStatus
    txn_id: str | None


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _LOOKUP_CHUNK):
        yield items[start : start + _LOOKUP_CHUNK]


def _to_event(row: Row[Any]) -> RoomEvent:
    return RoomEvent(
        event_id=row.event_id,
        room_id=row.room_id,
        sender=row.sender,
        type=row.type,
        origin_ts=row.origin_ts,
        content=parse_json(row.content),
        state_key=row.state_key,
        txn_id=row.txn_id,
        status=EventStatus(row.status),
        note=row.note,
        source=parse_json(row.source),
    )


def _to_summary(row: Row[Any]) -> RoomSummary:
    return RoomSummary(
        room_id=row.room_id,
        name=row.name,
        encrypted=bool(row.encrypted),
        is_space=bool(row.is_space),
        last_ts=row.last_ts,
    )


# The full-text index of migration 0003 (SQLite only), as far as queries need it.
_FTS = table("events_fts", column("rowid", Integer), column("events_fts", Text))


def _fts_query(terms: list[str]) -> str:
    """Every term as an FTS5 phrase (quotes doubled), all required."""
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _kind_condition(kinds: Sequence[str]) -> Any:
    """Entries of these kinds, and plain messages when CHAT is asked for (canonical JSON:
    no spaces, sorted keys, so the kind reads the same in every row)."""
    ors = [
        (_T.c.type == roles.ENTRY) & _T.c.content.contains(f'"kind":"{kind}"', autoescape=True)
        for kind in kinds
        if kind != CHAT
    ]
    if CHAT in kinds:
        ors.append(_T.c.type == "m.room.message")
    return or_(*ors)


def _is_upgrade(stored: _Stored, new: RoomEvent) -> bool:
    """Only a still-undecrypted copy is ever replaced, and only by an understood one."""
    return stored.status == EventStatus.UNDECRYPTED and new.status != EventStatus.UNDECRYPTED


class Archive:
    """Read and write the event archive (events and rooms are shared; ``account`` scopes
    only the sync token).

    Synchronous by design: the backend calls it from its single store executor thread.
    """

    def __init__(self, engine: Engine, account: str) -> None:
        """``account`` is our Matrix user id; it scopes the sync token."""
        self._engine = engine
        self._account = account

    # ---- writing -------------------------------------------------------------------

    def save_sync_batch(
        self,
        events: Sequence[RoomEvent],
        rooms: Sequence[RoomSummary],
        next_batch: str | None,
    ) -> list[RoomEvent]:
        """Archive one sync response in a single transaction.

        Events are idempotent by event id; a stored undecrypted copy is upgraded by an
        OK/MALFORMED one (its chain hash stays, the source is the same). Room summaries
        are upserted and ``next_batch`` becomes this account's sync token, in the same
        transaction: after a crash we either have the batch and its token or neither,
        so nothing is skipped and nothing is archived twice.

        Returns the new or upgraded events, in input order, each event id once.
        """
        with translate_errors("save the synced events"), self._engine.begin() as conn:
            changed = self._write_events(conn, events)
            self._track_state(conn, events)
            latest: dict[str, int] = {}
            for ev in changed.values():
                latest[ev.room_id] = max(latest.get(ev.room_id, 0), ev.origin_ts)
            self._upsert_rooms(conn, rooms, latest)
            if next_batch is not None:
                self._save_token(conn, next_batch)
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
            for ev in events:
                known = stored.get(ev.event_id)
                if known is None or not _is_upgrade(known, ev):
                    continue
                upgraded = replace(ev, txn_id=ev.txn_id or known.txn_id)
                self._apply_upgrade(conn, upgraded)
                stored[ev.event_id] = _Stored(EventStatus(ev.status), upgraded.txn_id)
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

    def _write_events(self, conn: Connection, events: Sequence[RoomEvent]) -> dict[str, RoomEvent]:
        """Insert new events (one executemany) and upgrade undecrypted ones; return the changes."""
        stored = self._lookup(conn, [ev.event_id for ev in events])
        heads: dict[str, tuple[int, str]] = {}
        new_rows: dict[str, dict[str, Any]] = {}
        changed: dict[str, RoomEvent] = {}
        now = time.time()
        for ev in events:
            known = stored.get(ev.event_id)
            if known is None:
                head = heads.get(ev.room_id) or self._chain_head(conn, ev.room_id)
                row = self._new_row(ev, head, now)
                heads[ev.room_id] = (row["room_seq"], row["chain_hash"])
                new_rows[ev.event_id] = row
                result = ev
            elif _is_upgrade(known, ev):
                result = replace(ev, txn_id=ev.txn_id or known.txn_id)
                pending = new_rows.get(ev.event_id)
                if pending is None:
                    self._apply_upgrade(conn, result)
                else:  # first seen earlier in this same batch: its row is not written yet
                    pending |= self._upgrade_values(result)
            else:
                continue
            stored[ev.event_id] = _Stored(EventStatus(result.status), result.txn_id)
            changed[ev.event_id] = result
        if new_rows:
            conn.execute(insert(_T), list(new_rows.values()))
        return changed

    @staticmethod
    def _new_row(ev: RoomEvent, head: tuple[int, str], now: float) -> dict[str, Any]:
        source = canonical_json(ev.source, f"the source of event {ev.event_id}")
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
            **Archive._upgrade_values(ev),
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
    def _apply_upgrade(conn: Connection, ev: RoomEvent) -> None:
        values = Archive._upgrade_values(ev)
        conn.execute(update(_T).where(_T.c.event_id == ev.event_id).values(**values))

    @staticmethod
    def _lookup(conn: Connection, event_ids: Sequence[str]) -> dict[str, _Stored]:
        found: dict[str, _Stored] = {}
        unique = list(dict.fromkeys(event_ids))
        for chunk in _chunks(unique):
            query = select(_T.c.event_id, _T.c.status, _T.c.txn_id).where(_T.c.event_id.in_(chunk))
            for row in conn.execute(query):
                found[row.event_id] = _Stored(EventStatus(row.status), row.txn_id)
        return found

    @staticmethod
    def _rows_by_id(conn: Connection, event_ids: Sequence[str]) -> dict[str, RoomEvent]:
        found: dict[str, RoomEvent] = {}
        for chunk in _chunks(event_ids):
            for row in conn.execute(select(_T).where(_T.c.event_id.in_(chunk))):
                found[row.event_id] = _to_event(row)
        return found

    @staticmethod
    def _chain_head(conn: Connection, room_id: str) -> tuple[int, str]:
        row = conn.execute(
            select(_T.c.room_seq, _T.c.chain_hash)
            .where(_T.c.room_id == room_id)
            .order_by(_T.c.room_seq.desc())
            .limit(1)
        ).first()
        return (0, "") if row is None else (row.room_seq, row.chain_hash)

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
        for chunk in _chunks(room_ids):
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

    # ---- reading -------------------------------------------------------------------

    def sync_token(self) -> str | None:
        """Where the next sync continues from (None before the first sync)."""
        t = schema.sync_tokens
        with translate_errors("read the sync position"), self._engine.connect() as conn:
            return conn.execute(
                select(t.c.next_batch).where(t.c.account == self._account)
            ).scalar_one_or_none()

    def rooms(self) -> list[RoomSummary]:
        """All known rooms, most recently active first."""
        t = schema.rooms
        query = select(t).order_by(t.c.last_ts.desc(), t.c.room_id)
        with translate_errors("read the room list"), self._engine.connect() as conn:
            return [_to_summary(row) for row in conn.execute(query)]

    def recent_events(
        self, room_id: str, limit: int = 100, before_ts: int | None = None
    ) -> list[RoomEvent]:
        """The newest ``limit`` events of a room (older than ``before_ts`` if given), oldest first.

        Ordered by (origin_ts, insertion order), the order a timeline shows them in.
        """
        query = select(_T).where(_T.c.room_id == room_id)
        if before_ts is not None:
            query = query.where(_T.c.origin_ts < before_ts)
        query = query.order_by(_T.c.origin_ts.desc(), _T.c.seq.desc()).limit(limit)
        with translate_errors("read the room timeline"), self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [_to_event(row) for row in reversed(rows)]

    def events_before(self, room_id: str, event_id: str, limit: int = 200) -> list[RoomEvent]:
        """The ``limit`` events shown just before this one in its room, oldest first: the
        next page when the timeline is scrolled up (an index seek, whatever the room's size)."""
        with translate_errors("read older events"), self._engine.connect() as conn:
            at = conn.execute(
                select(_T.c.origin_ts, _T.c.seq).where(_T.c.event_id == event_id)
            ).first()
            if at is None:
                return []
            earlier = (_T.c.origin_ts < at.origin_ts) | (
                (_T.c.origin_ts == at.origin_ts) & (_T.c.seq < at.seq)
            )
            query = (
                select(_T)
                .where(_T.c.room_id == room_id, earlier)
                .order_by(_T.c.origin_ts.desc(), _T.c.seq.desc())
                .limit(limit)
            )
            rows = conn.execute(query).all()
        return [_to_event(row) for row in reversed(rows)]

    def oldest_event_id(self, room_id: str) -> str | None:
        """The oldest archived message-like (non-state) event of a room: where back-pagination
        starts. State events are skipped because a sync's state section brings the room's
        creation and settings however far back they lie, with nothing archived in between."""
        query = (
            select(_T.c.event_id)
            .where(_T.c.room_id == room_id)
            .order_by(_T.c.state_key.is_not(None), _T.c.origin_ts, _T.c.seq)
            .limit(1)
        )
        with translate_errors("read the room timeline"), self._engine.connect() as conn:
            return conn.execute(query).scalar_one_or_none()

    def known(self, event_ids: Sequence[str]) -> set[str]:
        """Which of these events are archived already (a sync gap is filled up to them)."""
        with translate_errors("look up archived events"), self._engine.connect() as conn:
            return set(self._lookup(conn, event_ids))

    def events_by_id(self, event_ids: Sequence[str]) -> dict[str, RoomEvent]:
        with translate_errors("read events"), self._engine.connect() as conn:
            return self._rows_by_id(conn, list(dict.fromkeys(event_ids)))

    def search(self, query: TimelineQuery, offset: int = 0) -> list[RoomEvent]:
        """Events matching the query, newest first, at most ``query.limit`` (after skipping
        ``offset`` matches: the caller pages on when its own exact checks drop some).

        Text is matched by the FTS5 trigram index on SQLite (every word, Arabic marks
        ignored); words shorter than three letters, and other engines, fall back to LIKE
        over the content. Matches are taken most recently archived first, so a common
        word in a million rows stops after ``limit`` hits instead of sorting them all;
        kind and tag are narrowed here and checked exactly by the caller.
        """
        conditions = []
        if query.room_ids:
            conditions.append(_T.c.room_id.in_(list(query.room_ids)))
        if query.sender:
            conditions.append(_T.c.sender == query.sender)
        if query.since is not None:
            conditions.append(_T.c.origin_ts >= query.since)
        if query.until is not None:
            conditions.append(_T.c.origin_ts < query.until)
        if query.kinds:
            conditions.append(_kind_condition(query.kinds))
        if query.tag:
            conditions.append(_T.c.content.contains(canonical_json(query.tag), autoescape=True))
        terms = search_terms(query.text)
        source: Any = _T
        order = _T.c.seq.desc()
        if terms and self._engine.dialect.name == "sqlite" and all(len(t) >= 3 for t in terms):
            source = _T.join(_FTS, _FTS.c.rowid == _T.c.seq)
            conditions.append(_FTS.c.events_fts.op("MATCH")(_fts_query(terms)))
            order = _FTS.c.rowid.desc()  # FTS5 walks its own rowids backwards and stops
        else:
            conditions += [_T.c.content.contains(term, autoescape=True) for term in terms]
        statement = select(_T).select_from(source).where(*conditions).order_by(order)
        with translate_errors("search the archive"), self._engine.connect() as conn:
            rows = conn.execute(statement.limit(query.limit).offset(offset)).all()
        found = [_to_event(row) for row in rows]
        found.sort(key=lambda e: e.origin_ts, reverse=True)
        return found

    def events_of_types(
        self, room_ids: Sequence[str], types: Sequence[str], with_source: bool = True
    ) -> list[RoomEvent]:
        """Every archived event of these types in these rooms, in timeline order.

        What the features rebuild their projections from (instructions, indicator series).
        ``with_source=False`` leaves out the event as the server sent it (ciphertext and
        all, the largest column), which a projection never reads: ``source`` is then {}.
        """
        columns = [c for c in _T.c if with_source or c.name != "source"]
        if not with_source:
            columns.append(literal("{}").label("source"))
        found: list[RoomEvent] = []
        with translate_errors("read archived events"), self._engine.connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(room_ids))):
                query = (
                    select(*columns)
                    .where(_T.c.room_id.in_(chunk), _T.c.type.in_(list(types)))
                    .order_by(_T.c.origin_ts, _T.c.seq)
                )
                found += [_to_event(row) for row in conn.execute(query)]
        found.sort(key=lambda e: e.origin_ts)  # chunks are each in order; merge them
        return found

    def state(self, room_ids: Sequence[str], types: Sequence[str] = ()) -> list[RoomEvent]:
        """Current state events of these rooms (only ``types`` when given)."""
        t = schema.room_state
        found: list[RoomEvent] = []
        with translate_errors("read room state"), self._engine.connect() as conn:
            for chunk in _chunks(list(dict.fromkeys(room_ids))):
                query = select(t).where(t.c.room_id.in_(chunk))
                if types:
                    query = query.where(t.c.type.in_(list(types)))
                for row in conn.execute(query.order_by(t.c.room_id, t.c.type, t.c.state_key)):
                    found.append(
                        RoomEvent(
                            event_id=row.event_id,
                            room_id=row.room_id,
                            sender=row.sender,
                            type=row.type,
                            origin_ts=row.origin_ts,
                            content=parse_json(row.content),
                            state_key=row.state_key,
                        )
                    )
        return found

    def undecrypted(self, room_id: str | None = None, limit: int = 500) -> list[RoomEvent]:
        """Events still waiting for a room key, newest first, each with its encrypted source.

        Newest first: keys that never come (history from before we joined) pile up at the
        old end, and must not crowd out recent events whose key just arrived.
        """
        query = select(_T).where(_T.c.status == EventStatus.UNDECRYPTED.value)
        if room_id is not None:
            query = query.where(_T.c.room_id == room_id)
        query = query.order_by(_T.c.seq.desc()).limit(limit)
        with translate_errors("read undecrypted events"), self._engine.connect() as conn:
            return [_to_event(row) for row in conn.execute(query)]

    def state_before(self, event_id: str, types: Sequence[str]) -> list[RoomEvent]:
        """The newest archived state event of each of these types and each state key that
        came before an event in its room: the rules in force when it arrived (power levels,
        and the role states keyed by user that say who belongs to a delegation)."""
        found: dict[tuple[str, str], RoomEvent] = {}
        with translate_errors("read earlier room state"), self._engine.connect() as conn:
            at = conn.execute(
                select(_T.c.room_id, _T.c.room_seq).where(_T.c.event_id == event_id)
            ).first()
            if at is None:
                return []
            rows = conn.execute(
                select(_T)
                .where(
                    _T.c.room_id == at.room_id,
                    _T.c.type.in_(list(types)),
                    _T.c.state_key.is_not(None),
                    _T.c.status == EventStatus.OK.value,
                    _T.c.room_seq < at.room_seq,
                )
                .order_by(_T.c.room_seq.desc())
            )
            for row in rows:  # newest first: the first of each (type, key) is in force
                found.setdefault((row.type, row.state_key), _to_event(row))
        return list(found.values())

    def echoed(self, txn_ids: Sequence[str], sender: str) -> dict[str, str]:
        """Transaction ids of ours whose echo is archived, with the event id each became."""
        found: dict[str, str] = {}
        with translate_errors("match sent messages"), self._engine.connect() as conn:
            for chunk in _chunks(list(txn_ids)):
                query = select(_T.c.txn_id, _T.c.event_id).where(
                    _T.c.txn_id.in_(chunk), _T.c.sender == sender
                )
                found.update({row.txn_id: row.event_id for row in conn.execute(query)})
        return found

    def event(self, event_id: str) -> RoomEvent | None:
        """One archived event, or None if we never saw it."""
        with translate_errors("read an event"), self._engine.connect() as conn:
            row = conn.execute(select(_T).where(_T.c.event_id == event_id)).first()
        return None if row is None else _to_event(row)

    def count(self, room_id: str | None = None) -> int:
        """How many events are archived (in one room, or in all)."""
        query = select(func.count()).select_from(_T)
        if room_id is not None:
            query = query.where(_T.c.room_id == room_id)
        with translate_errors("count archived events"), self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())

    def chain_head(self, room_id: str) -> str | None:
        """The room's latest chain hash: what an export records so it can be verified later."""
        with translate_errors("read the archive chain"), self._engine.connect() as conn:
            seq, chain_hash = self._chain_head(conn, room_id)
        return chain_hash if seq else None

    def verify_chain(self, room_id: str) -> bool:
        """Recompute the room's hash chain; False if any row was altered or removed in between.

        The chain covers the source JSON; decrypted content of encrypted events is not
        covered (it can always be re-derived from the source with the room keys).
        """
        query = (
            select(_T.c.room_seq, _T.c.source, _T.c.chain_hash)
            .where(_T.c.room_id == room_id)
            .order_by(_T.c.room_seq)
        )
        prev, expected_seq = "", 1
        with translate_errors("verify the archive chain"), self._engine.connect() as conn:
            for row in conn.execute(query):
                if row.room_seq != expected_seq or chain_step(prev, row.source) != row.chain_hash:
                    return False
                prev, expected_seq = row.chain_hash, expected_seq + 1
        return True
