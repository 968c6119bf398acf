"""The outbox: messages the user asked to send, persisted before any network I/O.

The row (with its transaction id) is committed first; the Matrix layer sends with that
same txn id, so a retry after a crash or a dead server is deduplicated by the homeserver
and the server's echo marks the row sent. Nothing is lost and nothing is sent twice.
Refused messages are kept as FAILED (never deleted) so the user sees what did not go out.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine, Row
from sqlalchemy.sql import Select

from app.core.records import OutboxItem, OutboxState
from app.store import schema
from app.store.errors import translate_errors
from app.store.jsontext import canonical_json, parse_json
from app.store.rows import to_outbox_item

_T = schema.outbox
_INSERT = (
    "INSERT INTO outbox (txn_id, room_id, event_type, content, state, created_at, updated_at,"
    " event_id, error) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, '')"
)


def new_txn_id() -> str:
    """A fresh transaction id: unique per device, stable across restarts once stored."""
    return "oor" + uuid.uuid4().hex


class Outbox:
    """Queue of outgoing events. Synchronous; written on the backend's event loop (its one
    writer: ``AccountService.in_outbox``), read from any backend thread."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def enqueue(self, room_id: str, event_type: str, content: Mapping[str, Any]) -> OutboxItem:
        """Persist a message to send; it is committed before this returns."""
        text = canonical_json(content, "the message")
        now = time.time()
        item = OutboxItem(
            txn_id=new_txn_id(),
            room_id=room_id,
            event_type=event_type,
            content=parse_json(text),
            state=OutboxState.PENDING,
            created_at=now,
        )
        # One statement, committed on its own (the connection is in autocommit): through
        # SQLAlchemy it was BEGIN, INSERT and COMMIT, and each lets the GIL go, which a
        # busy event loop (where sends are queued) took up to a switch interval to get
        # back: 1.7 → 0.75 ms a queued row under load (docs/performance.md, session 11).
        with translate_errors("queue the message for sending"), self._engine.connect() as conn:
            conn.connection.driver_connection.execute(
                _INSERT,
                (item.txn_id, room_id, event_type, text, item.state.value, now, now),
            )
        return item

    def pending(self) -> list[OutboxItem]:
        """Everything still to be sent, oldest first: the order the user queued them in."""
        return self._list(select(_T).where(_T.c.state == OutboxState.PENDING.value))

    def items(
        self,
        room_id: str,
        states: Collection[OutboxState] = (OutboxState.PENDING, OutboxState.FAILED),
    ) -> list[OutboxItem]:
        """A room's outbox rows in the given states, oldest first (what its timeline shows)."""
        wanted = [OutboxState(state).value for state in states]
        if not wanted:
            return []
        return self._list(select(_T).where(_T.c.room_id == room_id, _T.c.state.in_(wanted)))

    def get(self, txn_id: str) -> OutboxItem | None:
        """One row by transaction id."""
        with translate_errors("read the outbox"), self._engine.connect() as conn:
            row = self._row(conn, txn_id)
        return None if row is None else to_outbox_item(row)

    def mark_sent(self, txn_id: str, event_id: str) -> OutboxItem | None:
        """Record that the server accepted the message (idempotent; None for unknown txn ids).

        A FAILED row becomes SENT too: the echo is proof the server has the event.
        """
        with translate_errors("mark a message as sent"), self._engine.begin() as conn:
            row = self._row(conn, txn_id)
            if row is None:
                return None
            if row.state != OutboxState.SENT.value:
                self._set(conn, txn_id, state=OutboxState.SENT, event_id=event_id, error="")
                row = self._row(conn, txn_id)
        return to_outbox_item(row)

    def mark_failed(self, txn_id: str, error: str) -> OutboxItem | None:
        """Record a permanent refusal; the row is kept. A row already SENT stays SENT."""
        with translate_errors("mark a message as failed"), self._engine.begin() as conn:
            row = self._row(conn, txn_id)
            if row is None:
                return None
            if row.state != OutboxState.SENT.value:
                self._set(conn, txn_id, state=OutboxState.FAILED, error=error)
                row = self._row(conn, txn_id)
        return to_outbox_item(row)

    def retry(self, txn_id: str) -> OutboxItem | None:
        """Queue a FAILED message again under the same txn id (so it cannot be sent twice)."""
        with translate_errors("retry a message"), self._engine.begin() as conn:
            row = self._row(conn, txn_id)
            if row is None:
                return None
            if row.state == OutboxState.FAILED.value:
                self._set(conn, txn_id, state=OutboxState.PENDING, error="")
                row = self._row(conn, txn_id)
        return to_outbox_item(row)

    def _list(self, query: Select[Any]) -> list[OutboxItem]:
        with translate_errors("read the outbox"), self._engine.connect() as conn:
            rows = conn.execute(query.order_by(_T.c.seq)).all()
        return [to_outbox_item(row) for row in rows]

    @staticmethod
    def _row(conn: Connection, txn_id: str) -> Row[Any] | None:
        return conn.execute(select(_T).where(_T.c.txn_id == txn_id)).first()

    @staticmethod
    def _set(conn: Connection, txn_id: str, *, state: OutboxState, **values: Any) -> None:
        conn.execute(
            update(_T)
            .where(_T.c.txn_id == txn_id)
            .values(state=state.value, updated_at=time.time(), **values)
        )
