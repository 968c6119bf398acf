"""Whether a message to a room nio does not know, or that this run saw us leave, may
wait for a sync or has no room to go to (``Membership.verdict``).

nio refuses such a send itself ("No such room"): its rooms are those this run's syncs
brought, and it keeps a room we left as it was. That alone says nothing definite. Before
the run's first sync nio knows no room at all; a room this client joined or made a
moment ago (the join may still be in flight, or the server's list of our rooms may lag
behind it) reaches nio with a later sync. Only a room that is none of these is the
server's to judge, by its list of our rooms: not in it (removed while the app was down,
left, never joined), the row fails for good with ``NOT_A_MEMBER`` (else it would wait,
pending, for ever); in it, it waits for the sync that brings the room.

That list is asked once per sync batch at most, whatever the outbox has pending: the
send loop is serial, so each ask (up to a request's timeout on a slow server) holds up
every other room's messages, an instruction to a joined room among them. The rows of a
room judged once in a batch get the same verdict without asking again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from nio import AsyncClient

from app.core.errors import NOT_A_MEMBER, SendFailed, SendProblem
from app.matrix.calls import checked

NOT_SYNCED = "the room has not been synced yet"


class Membership:
    """This run's knowledge of our rooms beyond nio's: the rooms we left, those we
    joined or made that no sync brought yet, and the server's list of our rooms for the
    current sync batch."""

    def __init__(self, nio: AsyncClient) -> None:
        self._nio = nio
        self._synced = False  # this run's first sync processed: nio knows our rooms
        self._left: set[str] = set()  # rooms this run saw us leave, until joined again
        self._ours: set[str] = set()  # joined or made this run, until a sync brings them
        self._server: frozenset[str] | SendFailed | None = None  # this batch's answer
        self._made_encrypted: set[str] = set()  # rooms this run created encrypted

    def synced(self, joined: Iterable[str], left: Iterable[str]) -> None:
        """A sync batch was processed: the rooms it brought joined, and those it says we
        left (invited back too: left until joined, nio keeps the room as it was). The
        server's list asked during the batch before is stale now."""
        joined, left = set(joined), set(left)
        self._synced = True
        self._left = (self._left | left) - joined
        self._ours -= joined | left
        self._server = None

    def made(self, room_id: str, *, encrypted: bool) -> None:
        """A room this client created: it waits for the sync that brings it, and, made
        ``encrypted``, for its encryption state (which Synapse may announce the room
        without, while it still writes the initial state: nio would send in plaintext)."""
        self._ours.add(room_id)
        if encrypted:
            self._made_encrypted.add(room_id)

    @contextmanager
    def joining(self, room_id: str) -> Iterator[None]:
        """Around a join: from its start (what is written meanwhile waits for it), and
        after it until a sync brings the room; a join that failed leaves the room to the
        server's judgement again."""
        self._ours.add(room_id)
        try:
            yield
        except BaseException:
            self._ours.discard(room_id)
            raise

    async def verdict(self, room_id: str) -> SendFailed | None:
        """None when nio knows the room as ours and may send; else why the row cannot go
        now: TRANSIENT (it waits) or REFUSED with ``NOT_A_MEMBER`` (it fails)."""
        room = self._nio.rooms.get(room_id)
        if room_id in self._made_encrypted and (room is None or not room.encrypted):
            return SendFailed(SendProblem.TRANSIENT, "the room's encryption state is not here yet")
        if room is not None and room_id not in self._left:
            return None
        if room_id in self._ours or not self._synced:
            return SendFailed(SendProblem.TRANSIENT, NOT_SYNCED)
        if self._server is None:
            self._server = await self._ask()
        if isinstance(self._server, SendFailed):
            return self._server  # not knowing waits: a message is never failed on a guess
        if room_id not in self._server:
            return SendFailed(SendProblem.REFUSED, NOT_A_MEMBER)
        return SendFailed(SendProblem.TRANSIENT, NOT_SYNCED)

    async def _ask(self) -> frozenset[str] | SendFailed:
        """The server's list of our rooms, or why it could not be had (offline, an error
        reply): kept for the batch either way, so a server that cannot answer is not
        asked again for every row."""
        try:
            resp = await checked(self._nio.joined_rooms())
        except SendFailed as failed:  # even a refusal: not knowing waits
            return SendFailed(SendProblem.TRANSIENT, failed.detail)
        return frozenset(resp.rooms)
