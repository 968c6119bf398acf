"""The outbox: messages the user asked to send, persisted before any network I/O.

The row (with its transaction id) is committed first; the Matrix layer sends with that
same txn id, so a retry after a crash or a dead server is deduplicated by the homeserver
and the server's echo marks the row sent. Nothing is lost and nothing is sent twice.
Refused messages are kept as FAILED (never deleted) so the user sees what did not go out.
"""

from __future__ import annotations

import time
import uuid
from collections import namedtuple
from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.sql import Select

from app.core.records import OutboxItem, OutboxState
from app.store import schema
from app.store.errors import translate_errors
from app.store.jsontext import canonical_json, parse_json
from app.store.rows import to_outbox_item

_T = schema.outbox
# What a changed row is read back as: the fields an OutboxItem is made of.
_Changed = namedtuple(
    "_Changed", "txn_id room_id event_type content state created_at event_id error"
)
_COLUMNS = ", ".join(_Changed._fields)
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
            row = conn.execute(select(_T).where(_T.c.txn_id == txn_id)).first()
        return None if row is None else to_outbox_item(row)

    def mark_sent(self, txn_id: str, event_id: str) -> OutboxItem | None:
        """Record that the server accepted the message: the row, if this call changed it.

        A FAILED row becomes SENT too: the echo is proof the server has the event. None
        for a row already SENT (the send's answer and the echo both mark it: whichever
        comes second changes nothing, and nobody is told twice) or an unknown txn id.
        """
        return self._change(
            "mark a message as sent",
            "state = ?, event_id = ?, error = ''",
            (OutboxState.SENT.value, event_id),
            guard="state != ?",
            guard_args=(OutboxState.SENT.value,),
            txn_id=txn_id,
        )

    def mark_failed(self, txn_id: str, error: str) -> OutboxItem | None:
        """Record a permanent refusal; the row is kept. A row already SENT stays SENT
        (None then, as for an unknown txn id)."""
        return self._change(
            "mark a message as failed",
            "state = ?, error = ?",
            (OutboxState.FAILED.value, error),
            guard="state != ?",
            guard_args=(OutboxState.SENT.value,),
            txn_id=txn_id,
        )

    def retry(self, txn_id: str) -> OutboxItem | None:
        """Queue a FAILED message again under the same txn id (so it cannot be sent twice).
        None unless the row was FAILED."""
        return self._change(
            "retry a message",
            "state = ?, error = ''",
            (OutboxState.PENDING.value,),
            guard="state = ?",
            guard_args=(OutboxState.FAILED.value,),
            txn_id=txn_id,
        )

    def _change(
        self,
        doing: str,
        assignments: str,
        values: tuple[Any, ...],
        *,
        guard: str,
        guard_args: tuple[Any, ...],
        txn_id: str,
    ) -> OutboxItem | None:
        """One guarded UPDATE … RETURNING, committed on its own: the row as changed, or
        None when the guard (or the txn id) matched nothing.

        Why one raw statement: every send's row is marked twice (the send's answer, then
        its echo), on the event loop that shows what arrives. Through SQLAlchemy that was
        BEGIN, SELECT, UPDATE, SELECT and COMMIT, each letting the GIL go to the store
        threads archiving the same message (docs/performance.md, session 12)."""
        sql = (
            f"UPDATE outbox SET {assignments}, updated_at = ? WHERE txn_id = ? AND {guard}"
            f" RETURNING {_COLUMNS}"
        )
        args = (*values, time.time(), txn_id, *guard_args)
        with translate_errors(doing), self._engine.connect() as conn:
            rows = conn.connection.driver_connection.execute(sql, args).fetchall()
        return to_outbox_item(_Changed(*rows[0])) if rows else None

    def _list(self, query: Select[Any]) -> list[OutboxItem]:
        with translate_errors("read the outbox"), self._engine.connect() as conn:
            rows = conn.execute(query.order_by(_T.c.seq)).all()
        return [to_outbox_item(row) for row in rows]
