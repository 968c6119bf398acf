"""Reading the archive: rooms, timelines, pages back, state, the events features rebuild
their projections from, and what the outbox needs to match its echoes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, bindparam, func, select, text

from app.core.records import EventStatus, RoomEvent, RoomSummary
from app.store import folded, schema
from app.store.archive.base import EVENTS as _T
from app.store.archive.base import ArchiveBase, chunks
from app.store.archive.left import rooms_left
from app.store.carrying import BY_ROOM_AND_TYPE, INDEX, INDEX_WHERE, KEY
from app.store.errors import translate_errors
from app.store.rows import to_event, to_state_event, to_summary


class Reads(ArchiveBase):
    """Everything read back, newest or oldest first as each caller shows it."""

    def sync_token(self) -> str | None:
        """Where the next sync continues from (None before the first sync)."""
        t = schema.sync_tokens
        with translate_errors("read the sync position"), self._engine.connect() as conn:
            return conn.execute(
                select(t.c.next_batch).where(t.c.account == self._account)
            ).scalar_one_or_none()

    def rooms(self) -> list[RoomSummary]:
        """All known rooms, most recently active first, those we left marked ``left``."""
        t = schema.rooms
        query = select(t).order_by(t.c.last_ts.desc(), t.c.room_id)
        with translate_errors("read the room list"), self._engine.connect() as conn:
            left = rooms_left(conn, self._account)
            return [to_summary(row, row.room_id in left) for row in conn.execute(query)]

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
        return [to_event(row) for row in reversed(rows)]

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
        return [to_event(row) for row in reversed(rows)]

    def oldest_event_id(self, room_id: str) -> str | None:
        """The oldest archived message-like (non-state) event of a room: where back-pagination
        starts. State events are skipped because a sync's state section brings the room's
        creation and settings however far back they lie, with nothing archived in between
        (the oldest state event only when the room has no message with a "$" id at all).

        A well-formed message is preferred: a malformed row may carry an id the server
        never gave (taken out of a page) and whatever timestamp its sender wrote; as the
        start it would fail every scroll back. But a malformed message with a "$" id comes
        before any state event: a room member can make every message malformed (invalid
        custom content), and starting at the room's creation would show "beginning of
        room" with all earlier history out of reach. A ``local:`` id
        (``app.matrix.decode``) is never a start: the server has never heard of it.

        Each walk follows the room's (origin_ts, seq) index from its start and stops at
        the first fit, so it costs the rows it steps over (state or malformed ones dated
        first), not a sort of the whole room."""
        server_id = (_T.c.room_id == room_id, _T.c.event_id.startswith("$"))
        message, state = _T.c.state_key.is_(None), _T.c.state_key.is_not(None)
        well_formed = _T.c.status != EventStatus.MALFORMED.value
        walks = ((message, well_formed), (message,), (state, well_formed))
        with translate_errors("read the room timeline"), self._engine.connect() as conn:
            for walk in walks:
                query = select(_T.c.event_id).where(*server_id, *walk)
                query = query.order_by(_T.c.origin_ts, _T.c.seq).limit(1)
                if (found := conn.execute(query).scalar_one_or_none()) is not None:
                    return found
        return None

    def known(self, event_ids: Sequence[str]) -> set[str]:
        """Which of these events are archived already (a sync gap is filled up to them)."""
        with translate_errors("look up archived events"), self._engine.connect() as conn:
            return set(self._lookup(conn, event_ids))

    def known_status(self, event_ids: Sequence[str]) -> dict[str, EventStatus]:
        """The archived ones of these events, each with its status (a hole's fill stops
        at a well-formed one: a malformed row's id may be junk a page repeats)."""
        with translate_errors("look up archived events"), self._engine.connect() as conn:
            return {i: stored.status for i, stored in self._lookup(conn, event_ids).items()}

    def events_by_id(self, event_ids: Sequence[str]) -> dict[str, RoomEvent]:
        with translate_errors("read events"), self._engine.connect() as conn:
            return self._rows_by_id(conn, list(dict.fromkeys(event_ids)))

    def events_of_types(
        self, room_ids: Sequence[str], types: Sequence[str], with_source: bool = True
    ) -> list[RoomEvent]:
        """Every archived event of these types in these rooms, in timeline order.

        What the features rebuild their projections from (instructions, indicator series).
        ``with_source=False`` leaves out the event as the server sent it (ciphertext and
        all, the largest column), which a projection never reads: ``source`` is then {}.
        """
        return self._feature_events(room_ids, types, with_source, folded_too=False)

    def folded_events(
        self, room_ids: Sequence[str], types: Sequence[str], with_source: bool = True
    ) -> list[RoomEvent]:
        """``events_of_types``, and besides the messages a feature may fold from among
        the chat (``app.store.folded``: replies, references, rounds, filed decisions),
        read through their own index, a seek per room, not every message of the rooms.
        Whoever folds them checks the parsed content: the text match only narrows."""
        return self._feature_events(room_ids, types, with_source, folded_too=True)

    def _feature_events(
        self, room_ids: Sequence[str], types: Sequence[str], with_source: bool, folded_too: bool
    ) -> list[RoomEvent]:
        names = [c.name for c in _T.c if with_source or c.name != "source"]
        found: list[RoomEvent] = []
        with translate_errors("read archived events"), self._engine.connect() as conn:
            selected = ", ".join(names if with_source else [*names, "'{}' AS source"])
            # By (room, type): the planner, without statistics, walks each room's whole
            # timeline in order instead (a room's verifications: 50-500 ms of 3,000
            # messages read for none, where the seek finds them in under a millisecond).
            typed_rows = text(
                f"SELECT {selected} FROM events{_indexed_by(conn, BY_ROOM_AND_TYPE)}"
                " WHERE room_id IN :rooms AND type IN :types ORDER BY origin_ts, seq"
            ).bindparams(bindparam("rooms", expanding=True), bindparam("types", expanding=True))
            folded_rows = text(
                f"SELECT {selected}"
                f" FROM events{_indexed_by(conn, folded.INDEX)}"
                f" WHERE room_id IN :rooms AND {folded.INDEX_WHERE}"
            ).bindparams(bindparam("rooms", expanding=True))
            for chunk in chunks(list(dict.fromkeys(room_ids))):
                rows = list(conn.execute(typed_rows, {"rooms": list(chunk), "types": list(types)}))
                if folded_too:
                    more = conn.execute(folded_rows, {"rooms": list(chunk)})
                    rows += [row for row in more if row.type not in types]
                    rows.sort(key=lambda row: (row.origin_ts, row.seq))
                found += [to_event(row) for row in rows]
        found.sort(key=lambda e: e.origin_ts)  # chunks are each in order; merge them
        return found

    def details_messages(self, room_ids: Sequence[str]) -> list[RoomEvent]:
        """Archived messages of these rooms that carry a session's encrypted details, in
        timeline order, read through their own index (``app.store.carrying``), a seek per
        room; the text match only narrows the rows, the parsed content is checked."""
        found: list[RoomEvent] = []
        with translate_errors("read archived messages"), self._engine.connect() as conn:
            query = text(
                f"SELECT * FROM events{_indexed_by(conn, INDEX)} WHERE room_id IN :rooms"
                f" AND {INDEX_WHERE} ORDER BY origin_ts, seq"
            ).bindparams(bindparam("rooms", expanding=True))
            for chunk in chunks(list(dict.fromkeys(room_ids))):
                rows = conn.execute(query, {"rooms": list(chunk)})
                found += [e for row in rows if KEY in (e := to_event(row)).content]
        found.sort(key=lambda e: e.origin_ts)
        return found

    def state(self, room_ids: Sequence[str], types: Sequence[str] = ()) -> list[RoomEvent]:
        """Current state events of these rooms (only ``types`` when given)."""
        t = schema.room_state
        found: list[RoomEvent] = []
        with translate_errors("read room state"), self._engine.connect() as conn:
            for chunk in chunks(list(dict.fromkeys(room_ids))):
                query = select(t).where(t.c.room_id.in_(chunk))
                if types:
                    query = query.where(t.c.type.in_(list(types)))
                rows = conn.execute(query.order_by(t.c.room_id, t.c.type, t.c.state_key))
                found.extend(to_state_event(row) for row in rows)
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
            return [to_event(row) for row in conn.execute(query)]

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
            # by (room, type): the planner would walk the room's timeline backwards
            query = text(
                f"SELECT * FROM events{_indexed_by(conn, BY_ROOM_AND_TYPE)}"
                " WHERE room_id = :room AND type IN :types AND state_key IS NOT NULL"
                " AND status = :ok AND room_seq < :at ORDER BY room_seq DESC"
            ).bindparams(bindparam("types", expanding=True))
            rows = conn.execute(
                query,
                {
                    "room": at.room_id,
                    "types": list(types),
                    "ok": EventStatus.OK.value,
                    "at": at.room_seq,
                },
            )
            for row in rows:  # newest first: the first of each (type, key) is in force
                found.setdefault((row.type, row.state_key), to_event(row))
        return list(found.values())

    def echoed(self, txn_ids: Sequence[str], sender: str) -> dict[str, str]:
        """Transaction ids of ours whose echo is archived, with the event id each became.
        An echo archived under a local id (it came without a server id) does not prove
        the server holds the message: its row stays to be sent."""
        found: dict[str, str] = {}
        with translate_errors("match sent messages"), self._engine.connect() as conn:
            for chunk in chunks(list(txn_ids)):
                query = select(_T.c.txn_id, _T.c.event_id).where(
                    _T.c.txn_id.in_(chunk), _T.c.sender == sender, _T.c.event_id.startswith("$")
                )
                found.update({row.txn_id: row.event_id for row in conn.execute(query)})
        return found

    def event(self, event_id: str) -> RoomEvent | None:
        """One archived event, or None if we never saw it."""
        with translate_errors("read an event"), self._engine.connect() as conn:
            row = conn.execute(select(_T).where(_T.c.event_id == event_id)).first()
        return None if row is None else to_event(row)

    def count(self, room_id: str | None = None) -> int:
        """How many events are archived (in one room, or in all)."""
        query = select(func.count()).select_from(_T)
        if room_id is not None:
            query = query.where(_T.c.room_id == room_id)
        with translate_errors("count archived events"), self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())


def _indexed_by(conn: Connection, index: str) -> str:
    """SQLite told which index a read takes (``app.store.carrying``, ``app.store.folded``:
    its planner, without statistics, takes a worse one); other engines plan by their own."""
    return f" INDEXED BY {index}" if conn.dialect.name == "sqlite" else ""
