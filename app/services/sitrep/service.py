"""Situation reports of every session this account is in: compile a draft from the
operations room's timeline, submit it for approval, approve or return it, publish it.

A Feature of the account. Each session's board is folded from the archive (the sitrep
events of its operations and delegation rooms) whenever such an event arrives, so it is
the same after a restart and on every client. The approver's device publishes: an
official is in every delegation room, the author may not be. Every send goes through the
outbox. What the rules refuse is raised as ``SitrepError`` carrying the rule's code
(``core.sitrep.Why``), which the UI words in the user's language.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from app.core import roles
from app.core import sitrep as rules
from app.core.records import RoomEvent
from app.core.roles import Role, RoomKind
from app.core.session import Roster, shapes_session
from app.core.sitrep import Board, Sitrep, SitrepDraft, Stage, Why
from app.services.sitrep.notices import LatestSitrep, SitrepsChanged

if TYPE_CHECKING:  # the bridge imports this package: keep SQL and nio out of the UI's start
    from app.services.account import AccountService

SITREP_TYPES = (roles.SITREP, roles.SITREP_REVIEW)
TIMELINE_TYPES = (roles.ENTRY, roles.VERIFICATION)


class SitrepError(ValueError):
    """A sitrep step the rules refuse; ``str()`` is the rule's code (``Why``)."""

    def __init__(self, why: Why) -> None:
        super().__init__(why.value)
        self.why = why


@dataclass(frozen=True, slots=True)
class _Session:
    roster: Roster
    operations: str
    rooms: tuple[str, ...]  # operations first, then the delegation rooms
    my_role: Role | None

    @property
    def officials(self) -> frozenset[str]:
        return frozenset(m.user_id for m in self.roster.members if m.role is Role.OFFICIAL)


class Sitreps:
    def __init__(self, account: AccountService) -> None:
        self._account = account
        self._lock = asyncio.Lock()
        self._sessions: dict[str, _Session] = {}
        self._boards: dict[str, Board] = {}
        self._reviewed: set[str] = set()  # submissions we reviewed, until the echo folds in

    # -- Feature ---------------------------------------------------------------------------

    async def start(self) -> None:
        async with self._lock:
            await self._reload()

    async def absorb(self, fresh: Sequence[RoomEvent]) -> None:
        async with self._lock:
            if any(shapes_session(e) for e in fresh):
                await self._reload()
                return
            touched = {
                space
                for space, session in self._sessions.items()
                for e in fresh
                if e.room_id in session.rooms and e.type in SITREP_TYPES
            }
            for space in touched:
                await self._rebuild(space)

    # -- reading ---------------------------------------------------------------------------

    def board(self, space_id: str) -> Board:
        return self._boards.get(space_id, Board())

    # -- commands --------------------------------------------------------------------------

    async def compile(self, space_id: str) -> SitrepDraft:
        """A draft from the operations room's timeline since the last published sitrep."""
        session = self._known_session(space_id)
        if not rules.may_compile(session.my_role):
            raise SitrepError(Why.NOT_COMPILER)
        account = self._account
        events = await account.db(
            account.archive.events_of_types, [session.operations], TIMELINE_TYPES, False
        )
        return rules.compile_draft(events, self.board(space_id).covered_until)

    async def submit(self, space_id: str, draft: SitrepDraft) -> str:
        """Submit a new sitrep, or (``draft.sitrep_id`` set) the author's revision of one;
        returns the sitrep's id."""
        session = self._known_session(space_id)
        if not rules.may_compile(session.my_role):
            raise SitrepError(Why.NOT_COMPILER)
        if (why := rules.draft_refusal(draft)) is not None:
            raise SitrepError(why)
        revision, sitrep_id = 1, draft.sitrep_id or rules.new_sitrep_id()
        if draft.sitrep_id:
            known = self._known(space_id, draft.sitrep_id)
            if known.author != self._account.user_id:
                raise SitrepError(Why.NOT_AUTHOR)
            if known.stage not in (Stage.SUBMITTED, Stage.RETURNED):
                raise SitrepError(Why.NOT_SUBMITTED)
            revision = known.revision + 1
        exercise = session.roster.session.exercise
        payload = rules.submission_payload(draft, sitrep_id, revision, exercise)
        await self._account.send(
            session.operations, "m.room.message", rules.submission_message(payload)
        )
        return sitrep_id

    async def approve(self, space_id: str, sitrep_id: str) -> None:
        """Approve (as the second person, an official) and publish to every room."""
        self._known_session(space_id)
        session, sitrep = await self._review(space_id, sitrep_id, "approved", "")
        approved = replace(sitrep, approved_by=self._account.user_id)
        message = rules.publication_message(
            rules.publication_payload(approved, self._account.user_id)
        )
        for room in session.rooms:
            await self._account.send(room, "m.room.message", message)

    async def return_to_author(self, space_id: str, sitrep_id: str, comment: str) -> None:
        if not comment.strip():
            raise SitrepError(Why.NO_COMMENT)
        await self._review(space_id, sitrep_id, "returned", comment)

    # -- inside ----------------------------------------------------------------------------

    async def _review(
        self, space_id: str, sitrep_id: str, verdict: str, comment: str
    ) -> tuple[_Session, Sitrep]:
        session = self._session(space_id)
        sitrep = self._known(space_id, sitrep_id)
        why = rules.review_refusal(sitrep, self._account.user_id, session.officials)
        if why is None and sitrep.submitted_event in self._reviewed:
            why = Why.NOT_SUBMITTED  # our review of it is on its way
        if why is not None:
            raise SitrepError(why)
        self._reviewed.add(sitrep.submitted_event)
        payload = rules.review_payload(sitrep, verdict, comment)
        await self._account.send(
            session.operations, "m.room.message", rules.review_message(payload, sitrep)
        )
        return session, sitrep

    def _session(self, space_id: str) -> _Session:
        session = self._sessions.get(space_id)
        if session is None:
            raise SitrepError(Why.NOT_IN_SESSION)
        return session

    def _known_session(self, space_id: str) -> _Session:
        """The session, refused while its exercise flag is not decrypted: what is compiled,
        submitted or published then would carry ``exercise`` false and go out as real."""
        session = self._session(space_id)
        if not session.roster.session.details_known:
            raise SitrepError(Why.DETAILS_PENDING)
        return session

    def _known(self, space_id: str, sitrep_id: str) -> Sitrep:
        sitrep = self.board(space_id).find(sitrep_id)
        if sitrep is None:
            raise SitrepError(Why.NOT_SUBMITTED)
        return sitrep

    async def _reload(self) -> None:
        """Read the sessions anew; swapped in whole, so a command never finds none."""
        me = self._account.user_id
        sessions: dict[str, _Session] = {}
        for notice in await self._account.rosters():
            info = notice.roster.session
            operations = info.room(RoomKind.OPERATIONS)
            if operations is None:
                continue
            delegations = [r.room_id for r in info.rooms if r.kind is RoomKind.DELEGATION]
            member = next((m for m in notice.roster.members if m.user_id == me), None)
            role = member.role if member else None
            sessions[info.space_id] = _Session(
                notice.roster, operations, (operations, *delegations), role
            )
        self._sessions = sessions
        for space in sessions:
            await self._rebuild(space)

    async def _rebuild(self, space_id: str) -> None:
        session = self._sessions[space_id]
        account = self._account
        events = await account.db(
            account.archive.events_of_types, list(session.rooms), SITREP_TYPES, False
        )
        board = rules.fold_sitreps(events, session.operations, session.officials)
        before = self._boards.get(space_id)
        self._boards[space_id] = board
        info = session.roster.session
        changed = SitrepsChanged(
            space_id, info.title, info.exercise, board, account.user_id, session.my_role,
            session.officials, info.details_known,
        )  # fmt: skip
        account.notify(changed)
        latest = board.latest_published
        if before is None or before.latest_published != latest:
            account.notify(LatestSitrep(space_id, latest))
