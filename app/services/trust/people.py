"""Who is who, at a glance: each person we share a room with gets a trust state, and a
new identity (master key) is remembered and reported until the user acknowledges it.

After every sync the people of our rooms are looked up (``Identities`` asks the server
only for those whose keys changed), their master keys compared with the ones first seen
(kept per account in ``identities.json``), and the states sent to the UI when they change.
Who is in which room is read from the archive in parts, and only where someone came or
went (``app.services.trust.shared_rooms``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from app.core.records import RoomEvent
from app.core.trust.memory import acknowledge, changed, remember
from app.core.trust.states import state_of
from app.services.notices import IdentitiesChanged, Problem, TrustChanged
from app.services.trust.shared_rooms import MEMBER, SharedRooms

if TYPE_CHECKING:
    from app.services.account import AccountService
    from app.store import JsonDocument

log = logging.getLogger(__name__)


class People:
    """Trust states of the people in our rooms, and the identities we remember."""

    def __init__(self, account: AccountService, document: JsonDocument) -> None:
        self._account = account
        self._document = document
        self._memory: dict[str, Any] = {}
        self._shown: TrustChanged | None = None
        self._warned = IdentitiesChanged(())
        self._task: asyncio.Task[None] | None = None
        self._rooms = SharedRooms(account.archive, account.db)
        self._read = 0  # reviews that have read the rooms, in the order they read them
        self._told = 0  # the latest of those whose states the UI was given

    async def start(self) -> None:
        self._memory = await self._account.db(self._document.load)
        self._task = asyncio.get_running_loop().create_task(self._watch(), name="oor-trust")

    async def absorb(self, fresh: Sequence[RoomEvent]) -> None:
        """Note the rooms where someone came or went: the next review reads only those
        (states otherwise follow the server's key changes after each sync)."""
        self._rooms.moved(e.room_id for e in fresh if e.type == MEMBER and e.state_key)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def identity_changed(self, user_id: str) -> bool:
        """Whether sending to this person waits for the user's acknowledgement."""
        return user_id in changed(self._memory)

    async def acknowledge_identity(self, user_id: str) -> None:
        """The user accepts the person's new identity: the warning ends, sending goes on."""
        self._memory = acknowledge(self._memory, user_id)
        await self._account.db(self._document.save, self._memory)
        await self.review()

    async def review(self) -> None:
        """Look the people of our rooms up and tell the UI what changed.

        Reviews run from the trust watch and from the user's commands, and each waits
        for the server's identities after reading the rooms. One that read the rooms
        before another and finishes after that one told the UI stops there: its people
        are older (someone who joined meanwhile is missing) and its identities were asked
        no later, so telling them would undo the newer states on screen until the next
        review. Its memory is not written either, for the same reason."""
        account = self._account
        shared = await self._rooms.read()  # one at a time: reviews read in turn
        self._read += 1
        turn = self._read
        people = set(shared) - {account.user_id}
        found = await account.client.identities.fetch(people)
        if turn < self._told:
            return
        before = changed(self._memory)
        memory, now_changed = remember(self._memory, {u: t.master for u, t in found.items()})
        if memory != self._memory:
            self._memory = memory
            await account.db(self._document.save, memory)
        account.client.identities.held = changed(memory)
        for user_id in sorted(set(now_changed) - before):
            log.warning("the identity of %s changed", user_id)
            account.notify(Problem("identity_changed", user_id))
        if turn < self._told:  # overtaken while the memory was saved
            return
        self._told = turn
        warned = IdentitiesChanged(tuple((u, shared.get(u, ())) for u in sorted(changed(memory))))
        if warned != self._warned:  # every shared room's timeline warns, until accepted
            self._warned = warned
            account.notify(warned)
        states = tuple(
            (user, state_of(found.get(user), user in now_changed)) for user in sorted(people)
        )
        notice = TrustChanged(states)
        if notice != self._shown:
            self._shown = notice
            account.notify(notice)

    async def _watch(self) -> None:
        while True:
            await self._account.synced.wait()
            try:
                await self.review()
            except Exception as exc:  # never lost silently, never ends the watch
                log.exception("trust review failed")
                self._account.notify(Problem("feature_failed", f"{type(exc).__name__}: {exc}"))
