"""The sync step's guard against answers nio fails on, and what it leaves in the record.

``SyncScreen`` sees every sync answer before nio does: the cheap to-device screen runs
always, the whole-answer screen (``app.matrix.sync_screen``) only once an answer from
the same token has failed. ``screened_answer`` is the step's side of it: an answer nio
fails on (raising, or refusing a success answer) is fetched again at once, screened, so
the step goes on without a failure shown. ``room_traces`` turns each room event taken
out into a malformed row of its room.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from nio import AsyncClient

from app.core.records import EventStatus, RoomEvent
from app.core.rooms.first_sync import LATEST_TS
from app.core.sync_problems import ROOM_EVENT_SECTIONS, SyncProblem
from app.matrix.calls import NETWORK_ERRORS
from app.matrix.crypto.screen import ToDeviceScreen
from app.matrix.decode import local_id, server_id
from app.matrix.sync_screen import refused, screen_answer, why

log = logging.getLogger(__name__)


def room_traces(problems: list[SyncProblem]) -> list[RoomEvent]:
    """A malformed row in its room's timeline for each room event taken out that has an
    id to be kept by: the room shows that something was said, and the record keeps it."""
    traces = []
    for problem in problems:
        if problem.section not in ROOM_EVENT_SECTIONS or not (problem.room_id and problem.event_id):
            continue
        source = _as_object(problem.source)
        # An id the server cannot have given is no key: the row gets the local id an
        # id-less event gets (over what was kept of it, whole or not).
        kept = source or {"event_id": problem.event_id, "source": problem.source}
        event_id = server_id(problem.event_id) or local_id(problem.room_id, kept)
        ts = source.get("origin_server_ts")
        state_key = source.get("state_key")
        traces.append(
            RoomEvent(
                event_id=event_id,
                room_id=problem.room_id,
                sender=problem.sender,
                type=problem.event_type or "unknown",
                origin_ts=ts
                if type(ts) is int and 0 <= ts <= LATEST_TS
                else int(time.time() * 1000),
                content={},
                state_key=state_key if isinstance(state_key, str) else None,
                status=EventStatus.MALFORMED,
                note=f"the Matrix library could not read it: {problem.detail}",
                source=source,
            )
        )
    return traces


def _as_object(text: str) -> dict[str, Any]:
    """The recorded source as an object, if it was kept whole and holds only JSON values."""

    def refuse(constant: str) -> None:
        raise ValueError(constant)

    try:
        value = json.loads(text, parse_constant=refuse)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


class SyncRefused(Exception):
    """nio's sync schema refused an answer the server sent as a success."""


async def screened_answer(
    screen: SyncScreen, early: Awaitable[Any] | None, fetch: Callable[[], Awaitable[Any]]
) -> Any:
    """nio's answer to one sync step. An answer nio fails on (parsing or applying it) is
    fetched once more at once and screened whole, so the step goes on with the rest of
    it; a second failure is raised, for the loop to report and retry, screened still."""
    try:
        return await _checked(screen, early or fetch())
    except NETWORK_ERRORS:
        raise
    except Exception as exc:  # whatever nio raised on the answer
        log.warning("nio failed on a sync answer (%s): fetched again, screened", why(exc))
    screen.forget_token()
    return await _checked(screen, fetch())


async def _checked(screen: SyncScreen, request: Awaitable[Any]) -> Any:
    try:
        response = await request
    except NETWORK_ERRORS:
        raise
    except Exception:
        screen.failed()
        raise
    if refused(response):
        screen.failed()
        raise SyncRefused(f"nio's sync schema refuses the answer: {response.message}")
    return response


class SyncScreen:
    """The screen every sync answer passes before nio reads it: its to-device events
    always (``ToDeviceScreen``, cheap), the whole answer only once an answer from the
    same token has failed (``screen_answer``: it costs a parse of every event)."""

    def __init__(
        self, to_device: ToDeviceScreen, problems: list[SyncProblem], client: AsyncClient
    ) -> None:
        self.to_device = to_device
        self.problems = problems
        self._client = client
        self._since: str | None = None
        self.thorough = False

    def __call__(self, body: dict[str, Any], since: str) -> None:
        self.to_device(body, since)
        if since != self._since:
            self._since, self.thorough = since, False
        if self.thorough:
            screen_answer(body, self.problems, self._client.rooms, self._client.user_id)

    def parsed(self) -> None:
        self.to_device.parsed()

    def consumed(self) -> None:
        self.to_device.consumed()

    def forget_token(self) -> None:
        """nio skips an answer whose token it processed last, as it may have done with
        the one it then failed on: the same batch must be processed again."""
        self._client.next_batch = None

    def failed(self) -> None:
        """nio failed on the last answer, parsing it or applying it: the same batch,
        fetched again, is screened whole."""
        self.to_device.failed()
        self.thorough = True
