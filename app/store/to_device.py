"""The record of to-device messages this device skipped (app.core.to_device), and why.

Kept apart from the archive: a to-device message belongs to no room and no hash chain.
What matters later is who sent how many unusable messages from which device, and why,
so that a person can tell a hostile account from a broken device of a colleague.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from app.core.to_device import ToDeviceFault, ToDeviceProblem
from app.store import schema
from app.store.errors import translate_errors

_T = schema.to_device_problems


def _digest(problem: ToDeviceProblem) -> str:
    key = f"{problem.sender}\n{problem.event_type}\n{problem.source}"
    return hashlib.sha256(key.encode()).hexdigest()


class ToDeviceRecord:
    """Skipped to-device messages. Synchronous; used from the backend's store thread."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, problems: Sequence[ToDeviceProblem]) -> list[ToDeviceProblem]:
        """Record these; returns those not recorded before (a replay or a batch fetched
        again after a failed save is the same message, not a new one)."""
        fresh: list[ToDeviceProblem] = []
        with translate_errors("record skipped to-device messages"), self._engine.begin() as conn:
            for problem in problems:
                digest = _digest(problem)
                if conn.execute(select(_T.c.seq).where(_T.c.source_hash == digest)).first():
                    continue
                conn.execute(
                    insert(_T).values(
                        source_hash=digest,
                        sender=problem.sender,
                        sender_device=problem.sender_device,
                        sender_key=problem.sender_key,
                        event_type=problem.event_type,
                        fault=problem.fault.value,
                        detail=problem.detail,
                        source=problem.source,
                        received_at=time.time(),
                    )
                )
                fresh.append(problem)
        return fresh

    def problems(self, sender: str | None = None) -> list[ToDeviceProblem]:
        """What was recorded (of one sender, or of all), oldest first."""
        query = select(_T).order_by(_T.c.seq)
        if sender is not None:
            query = query.where(_T.c.sender == sender)
        with translate_errors("read skipped to-device messages"), self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [
            ToDeviceProblem(
                sender=row.sender,
                event_type=row.event_type,
                fault=ToDeviceFault(row.fault),
                detail=row.detail,
                sender_key=row.sender_key,
                sender_device=row.sender_device,
                source=row.source,
            )
            for row in rows
        ]
