"""The one QObject between the UI thread and the backend thread.

Commands go in as coroutines submitted to the backend loop; notices come out as Qt
signals. Signals emitted from the backend thread reach slots on the UI thread queued,
so Qt models are only ever touched on the UI thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from app.core.blueprint import Blueprint, Participant
from app.core.paths import DataDir
from app.services import notices
from app.services.runtime import BackendRuntime

if TYPE_CHECKING:
    from app.services.backend import Backend


class Bridge(QObject):
    """Owns the backend runtime; the UI's only way to ask the backend for anything."""

    connectionChanged = Signal(object)  # notices.ConnectionChanged
    loginNeeded = Signal(object)  # notices.LoginNeeded
    loggedIn = Signal(object)  # notices.LoggedIn
    roomsChanged = Signal(object)  # notices.RoomsChanged
    roomLoaded = Signal(object)  # notices.RoomLoaded
    eventsArrived = Signal(object)  # notices.EventsArrived
    outboxChanged = Signal(object)  # notices.OutboxChanged
    invitationsChanged = Signal(object)  # notices.InvitationsChanged
    rosterChanged = Signal(object)  # notices.RosterChanged
    problem = Signal(object)  # notices.Problem

    def __init__(self, data: DataDir, embedded: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self._signals = {
            notices.ConnectionChanged: self.connectionChanged,
            notices.LoginNeeded: self.loginNeeded,
            notices.LoggedIn: self.loggedIn,
            notices.RoomsChanged: self.roomsChanged,
            notices.RoomLoaded: self.roomLoaded,
            notices.EventsArrived: self.eventsArrived,
            notices.OutboxChanged: self.outboxChanged,
            notices.InvitationsChanged: self.invitationsChanged,
            notices.RosterChanged: self.rosterChanged,
            notices.Problem: self.problem,
        }
        self._data, self._embedded = data, embedded
        self._backend: Backend | None = None  # built on the backend thread, see _boot
        self._ready = asyncio.Event()
        self._runtime = BackendRuntime(on_error=self._loop_error)
        self._running = False

    @property
    def runtime(self) -> BackendRuntime:
        """The backend loop (tests run a second client on it: one nio thread per process)."""
        return self._runtime

    def _emit(self, notice: notices.Notice) -> None:
        """Called on the backend thread; Qt queues the signal to the UI thread."""
        self._signals[type(notice)].emit(notice)

    def _loop_error(self, message: str) -> None:
        self.problem.emit(notices.Problem("backend_error", message))

    def _call(self, action: Callable[[Backend], Coroutine[Any, Any, Any]]) -> None:
        """Run a backend use case once the backend is up; dropped after shutdown."""
        if self._running:
            self._runtime.submit(self._when_ready(action))

    async def _when_ready(self, action: Callable[[Backend], Coroutine[Any, Any, Any]]) -> Any:
        await self._ready.wait()
        assert self._backend is not None
        return await action(self._backend)

    async def _boot(self) -> None:
        """Build the backend on its own thread: nio, SQL and keyring discovery take about a
        second to load, and the window should be on screen meanwhile."""
        from app.services.backend import Backend

        self._backend = Backend(self._data, self._emit, embedded=self._embedded)
        self._ready.set()
        await self._backend.start()

    async def _shutdown(self) -> None:
        if self._backend is not None:
            await self._backend.shutdown()

    # -- commands (UI thread) ----------------------------------------------------------

    def start(self) -> None:
        self._runtime.start()
        self._running = True
        self._runtime.submit(self._boot())

    def login(self, homeserver: str, user: str, password: str) -> None:
        self._call(lambda b: b.login(homeserver, user, password))

    def logout(self) -> None:
        self._call(lambda b: b.logout())

    def open_room(self, room_id: str) -> None:
        self._call(lambda b: b.open_room(room_id))

    def send_text(self, room_id: str, body: str) -> None:
        self._call(lambda b: b.send_text(room_id, body))

    def retry(self, txn_id: str) -> None:
        self._call(lambda b: b.retry(txn_id))

    def create_room(self, name: str, invite: tuple[str, ...] = ()) -> None:
        self._call(lambda b: b.create_room(name, invite))

    def convene(self, blueprint: Blueprint) -> None:
        self._call(lambda b: b.convene(blueprint))

    def join(self, room_id: str, is_session: bool) -> None:
        """Accept an invitation: a session's space with its rooms, or a single room."""
        self._call(lambda b: b.join_session(room_id) if is_session else b.join_room(room_id))

    def add_participant(self, space_id: str, participant: Participant) -> None:
        self._call(lambda b: b.add_participant(space_id, participant))

    def set_role(self, space_id: str, participant: Participant) -> None:
        self._call(lambda b: b.set_role(space_id, participant))

    def remove_participant(self, space_id: str, user_id: str) -> None:
        self._call(lambda b: b.remove_participant(space_id, user_id))

    def close_session(self, space_id: str) -> None:
        self._call(lambda b: b.close_session(space_id))

    def shutdown(self) -> None:
        """Ordered: stop sync, close client and store, stop the loop, join the thread."""
        if self._running:
            self._running = False
            self._runtime.stop(self._shutdown())
