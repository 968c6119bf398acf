"""Issue instructions, acknowledge them, and keep every session's status board current.

A Feature of the account: it rebuilds each session's board from the archive at start,
folds in every archived batch, and runs one timer for the next instruction that turns
overdue. A delegate's device says "received" on its own as soon as it has decrypted an
instruction; everything beyond that is a deliberate act. All of it goes through the
outbox, so an instruction issued offline waits there, visible, and goes out once.

Its state changes only under one lock: sync batches, history pages, the overdue timer
and commands may all arrive at once on the loop.

A board shows what the account shows: events shown ahead of their archive write join it
at once (``show_early``); what has consequences acts on archived events only (``held``).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from app.core import instructions as ins
from app.core import protocol, roles
from app.core.errors import SendFailed
from app.core.instructions import Desk, desk_of
from app.core.records import EventStatus, OutboxItem, RoomEvent
from app.core.session import shapes_session
from app.services.instructions.background import Background
from app.services.instructions.built import BoardInputs, LastBuilt
from app.services.instructions.checks import InstructionError, checked
from app.services.instructions.held import Held, board_events
from app.services.instructions.kept import Kept
from app.services.instructions.outbox_rows import acked_in_outbox, outbox_rows
from app.services.notices import (
    InstructionAlert,
    InstructionOverdue,
    InstructionsChanged,
)

if TYPE_CHECKING:  # the bridge imports this module: keep SQL and nio out of the UI's start
    from app.services.account import AccountService
    from app.store import JsonDocument

log = logging.getLogger(__name__)
# The feed's own types; its plain messages (thread replies, replies that read as acks)
# come with them through the archive's index of those few among all the chat.
READ_TYPES = tuple(t for t in ins.FEED_TYPES if t != "m.room.message")


class Instructions:
    """The instruction feeds and status boards of every session this account is in."""

    def __init__(
        self,
        account: AccountService,
        document: JsonDocument,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._account = account
        self._kept = Kept(account, document)  # drafts, the overdue rows the issuer was told of
        self._clock = clock
        self._lock = asyncio.Lock()
        self._desks: dict[str, Desk] = {}
        self._events: dict[str, dict[str, RoomEvent]] = {}  # space -> event id -> event
        self._early = Held()  # shown ahead of their archive write (``held``)
        self._feeds: dict[str, ins.Feed] = {}
        self._built = LastBuilt()
        self._notified: dict[str, tuple[Desk, ins.Feed]] = {}  # what the UI was told last
        self._received: set[str] = set()  # instructions we have said "received" for
        self._my_tz = ""
        self._timer: asyncio.TimerHandle | None = None
        self._background = Background(account.notify)
        # Our instructions still in the outbox, as last read (early notices show them so);
        # only issue() adds one: none left and none issued since, a rebuild reads no outbox
        # (each read also looks up, once, the rows it watched that went out since).
        self._pending: dict[str, list[tuple[ins.Instruction, str]]] = {}
        self._issued: dict[str, set[str]] = {}  # space -> txn ids queued since its last read
        self._sent = Held()  # ours, accepted by the server, echo not archived yet

    # -- Feature ---------------------------------------------------------------------------

    async def start(self) -> None:
        await self._kept.load()
        async with self._lock:
            await self._reload()

    def show_early(self, shown: Sequence[RoomEvent]) -> None:
        """Fold events shown ahead of their archive write into the boards, and only that:
        no alert, no "received", nothing written (those wait for ``absorb``). Runs on the
        loop between awaits, so a rebuild under the lock sees these rows too."""
        for space in self._early.add_feed(self._spaces_by_room(), shown):
            if space in self._events:  # else being read: that rebuild shows them
                self._show(space, self._pending.get(space, []))

    async def absorb(self, fresh: Sequence[RoomEvent]) -> None:
        async with self._lock:
            settled = self._early.release({e.event_id for e in fresh})
            if any(shapes_session(e) for e in fresh):
                await self._reload()  # a session, room or delegation changed: read anew
            else:
                known = self._spaces_by_room()
                touched = {space for space in settled if space in self._desks}
                for event in fresh:
                    space = known.get(event.room_id)
                    if space is None:
                        continue
                    if ins.in_feed(event):
                        self._events[space][event.event_id] = event
                    elif self._events[space].pop(event.event_id, None) is None:
                        continue  # decrypted into something the feed does not show
                    touched.add(space)
                for space in touched:
                    await self._rebuild(space, reuse=True)
            await self._receive_new(fresh)

    async def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        await self._background.cancel()

    # -- reading ----------------------------------------------------------------------------

    def desk(self, space_id: str) -> Desk | None:
        return self._desks.get(space_id)

    def feed(self, space_id: str) -> ins.Feed:
        return self._feeds.get(space_id, ins.Feed())

    def desks(self) -> list[Desk]:
        return list(self._desks.values())

    def find(self, event_id: str) -> tuple[Desk, ins.Addressed] | None:
        """An instruction by its event id (or by its ref, the first copy we hold)."""
        for space, feed in self._feeds.items():
            for row in feed.rows:
                if event_id in (row.instruction.event_id, row.instruction.ref):
                    return self._desks[space], row
        return None

    # -- commands ---------------------------------------------------------------------------

    async def issue(self, space_id: str, draft: ins.Draft) -> str:
        """Queue one copy per addressed delegation; returns the instruction's ref."""
        desk = self._desk_or_fail(space_id)
        if not desk.can_issue:
            raise InstructionError("only officials and facilitators issue instructions")
        problems = ins.draft_problems(draft, self._now())
        if problems:
            raise InstructionError(", ".join(problems))
        rooms = {d: desk.room_of(d) for d in draft.addressees}
        missing = sorted(d for d, room in rooms.items() if room is None)
        if missing:
            raise InstructionError(f"no delegation room we are in for: {', '.join(missing)}")
        ref = ins.new_ref()
        content = checked(roles.INSTRUCTION, ins.instruction_content(draft, ref))
        async with self._lock:
            queued = self._issued.setdefault(space_id, set())
            for delegation, room in rooms.items():
                name = desk.name_of(delegation)
                message = ins.instruction_message(content, delegation, name, draft.body)
                queued.add((await self._account.send(str(room), "m.room.message", message)).txn_id)
            if draft.draft_id and self._kept.drafts.pop(draft.draft_id, None) is not None:
                await self._kept.save()
            await self._rebuild(space_id)
        return ref

    async def acknowledge(self, instruction_id: str, state: str, note: str = "") -> None:
        """A deliberate acknowledgement (or done, or unable with a reason)."""
        found = self.find(instruction_id)
        if found is None:
            raise InstructionError(f"no instruction {instruction_id} in a delegation room of ours")
        desk, row = found
        if row.instruction.delegation != desk.my_delegation:
            raise InstructionError("only members of the addressed delegation acknowledge")
        stage = ins.Stage(state)
        if stage is ins.Stage.UNABLE and not note.strip():
            raise InstructionError("say why the delegation is unable")
        content = checked(
            roles.ACK, ins.ack_content(row.instruction.event_id, stage.value, note.strip())
        )
        await self._send_ack(desk, row.instruction, content)

    async def request(
        self, space_id: str, subject: str, body: str, deadline: int | None = None
    ) -> OutboxItem:
        """Our delegation asks the capital for instructions."""
        desk = self._desk_or_fail(space_id)
        room = desk.room_of(desk.my_delegation) if desk.my_delegation else None
        if room is None:
            raise InstructionError("only a delegation's members request instructions")
        if not subject.strip():
            raise InstructionError("the request needs a subject")
        content = checked(roles.REQUEST, ins.request_content(subject.strip(), body, deadline))
        message = ins.request_message(content, desk.name_of(desk.my_delegation), body)
        return await self._account.send(room, "m.room.message", message)

    async def clarify(self, instruction_id: str, text: str) -> None:
        found = self.find(instruction_id)
        if found is None or not text.strip():
            raise InstructionError("nothing to send")
        _, row = found
        content = checked("m.room.message", ins.thread_message(row.instruction.event_id, text))
        await self._account.send(row.instruction.room_id, "m.room.message", content)

    async def save_draft(self, draft: ins.Draft) -> ins.Draft:
        saved = replace(draft, draft_id=draft.draft_id or uuid.uuid4().hex)
        async with self._lock:
            self._kept.drafts[saved.draft_id] = saved
            await self._kept.save()
        return saved

    async def delete_draft(self, draft_id: str) -> None:
        async with self._lock:
            if self._kept.drafts.pop(draft_id, None) is not None:
                await self._kept.save()

    # -- inside -----------------------------------------------------------------------------

    def _now(self) -> int:
        return int(self._clock() * 1000)

    def _desk_or_fail(self, space_id: str) -> Desk:
        desk = self._desks.get(space_id)
        if desk is None:
            raise InstructionError(f"{space_id} is not a session we are in")
        return desk

    def _spaces_by_room(self) -> dict[str, str]:
        return {room: space for space, desk in self._desks.items() for room in desk.rooms}

    def _archived(self, space_id: str, row: ins.Addressed) -> bool:
        return row.instruction.event_id in self._events.get(space_id, {})

    async def _reload(self) -> None:
        """Read sessions and their delegation rooms' instruction events from the archive."""
        account = self._account
        for space, rows in self._pending.items():  # still watched: one may be sent by now
            self._issued.setdefault(space, set()).update(i.event_id for i, _ in rows)
        self._pending.clear()  # rows left by an earlier run are read again
        for notice in await account.rosters():
            desk = desk_of(notice.roster, account.user_id, self._my_tz)
            self._desks[desk.space_id] = desk
            found = await account.db(account.archive.folded_events, list(desk.rooms), READ_TYPES)
            self._events[desk.space_id] = {e.event_id: e for e in found if ins.in_feed(e)}
            self._received |= await account.db(acked_in_outbox, account.outbox, desk)
            await self._rebuild(desk.space_id)
        await self._receive_missing()
        self._background.spawn("time-zone", self._read_time_zone())  # sessions changed: ask again

    async def _read_time_zone(self) -> None:
        """The user's m.tz, off the sync path (a slow server must not hold the boards)."""
        try:
            zone = await self._account.client.time_zone(self._account.user_id)
        except SendFailed as exc:
            log.info("m.tz not read: %s", exc.detail)
            return
        usable = zone if protocol.is_time_zone(zone) else ""
        if usable == self._my_tz:
            return
        async with self._lock:
            self._my_tz = usable
            for space, desk in list(self._desks.items()):
                self._desks[space] = replace(desk, my_tz=usable)
                await self._rebuild(space)

    async def _rebuild(self, space_id: str, *, reuse: bool = False) -> None:
        pending = self._pending.get(space_id)
        if pending is None or pending or space_id in self._issued:  # one of ours may wait
            before = {i.event_id for i, _ in pending or ()} | self._issued.pop(space_id, set())
            account = self._account
            desk = self._desks[space_id]
            pending, sent = await account.db(
                outbox_rows, account.outbox, desk, account.user_id, before
            )
            self._pending[space_id] = pending
            self._sent.add(space_id, sent)  # held on the board until their echo
        feed = self._show(space_id, pending, reuse=reuse)
        await self._tell_overdue(self._desks[space_id], feed)
        self._arm_timer()

    def _show(
        self, space_id: str, pending: list[tuple[ins.Instruction, str]], *, reuse: bool = False
    ) -> ins.Feed:
        """Fold the archived events and those shown early into the board; the UI hears of
        it when it changed (a batch shown early changes nothing once archived). ``reuse``
        (after an archive write): the board built from the same events still holds."""
        desk = self._desks[space_id]
        events = board_events(space_id, self._events[space_id], self._sent, self._early)
        now = self._now()
        inputs = BoardInputs(desk, events, tuple(pending))
        feed = self._built.reusable(space_id, inputs, now) if reuse else None
        if feed is None:
            feed = ins.build_feed(events.values(), desk.rooms, now, pending)
            self._built.record(space_id, inputs, now, feed)
        if (desk, feed) != self._notified.get(space_id):
            self._notified[space_id] = (desk, feed)
            self._account.notify(InstructionsChanged(desk, feed))
        self._feeds[space_id] = feed
        return feed

    async def _receive_new(self, fresh: Sequence[RoomEvent]) -> None:
        """Alert on urgent arrivals for our delegation, then say "received" for them."""
        for event in fresh:
            found = self._row_for_me(event)
            if found is None:
                continue
            desk, row = found
            if row.instruction.priority in ins.ALERT_PRIORITIES and row.open:
                self._account.notify(InstructionAlert(desk, row))
        await self._receive_missing()

    def _row_for_me(self, event: RoomEvent) -> tuple[Desk, ins.Addressed] | None:
        if event.type != roles.INSTRUCTION or event.status is not EventStatus.OK:
            return None
        found = self.find(event.event_id)
        if found is None or event.sender == self._account.user_id:
            return None
        desk, row = found
        return found if row.instruction.delegation == desk.my_delegation else None

    async def _receive_missing(self) -> None:
        """Say "received" once for every live instruction to our delegation that has no
        word from us yet (what is archived or in our outbox counts, across restarts)."""
        me = self._account.user_id
        for space, feed in list(self._feeds.items()):
            desk = self._desks[space]
            for row in feed.rows:
                i = row.instruction
                if (
                    not self._archived(space, row)  # said once it is on record
                    or i.delegation != desk.my_delegation
                    or row.stage in (ins.Stage.PENDING, *ins.SETTLED)
                    or row.superseded_by
                    or i.event_id in self._received
                    or any(a.sender == me for a in row.history)
                ):
                    continue
                self._received.add(i.event_id)
                content = ins.ack_content(i.event_id, ins.Stage.RECEIVED.value)
                await self._send_ack(desk, i, content)

    async def _send_ack(
        self, desk: Desk, instruction: ins.Instruction, content: dict[str, Any]
    ) -> None:
        """An ack as a notice other clients show, naming the delegation and instruction."""
        name, subject = desk.name_of(instruction.delegation), instruction.subject
        await self._account.send(
            instruction.room_id, "m.room.message", ins.ack_message(content, name, subject)
        )

    async def _tell_overdue(self, desk: Desk, feed: ins.Feed) -> None:
        """Tell the issuer once (across restarts) when an instruction of theirs is overdue."""
        told = False
        for row in feed.rows:
            key = f"{row.instruction.ref}/{row.instruction.delegation}"
            mine = row.instruction.sender == self._account.user_id
            on_record = self._archived(desk.space_id, row)
            if row.overdue and mine and on_record and key not in self._kept.told_overdue:
                self._kept.told_overdue.add(key)
                self._account.notify(InstructionOverdue(desk, row))
                told = True
        if told:
            await self._kept.save()

    def _arm_timer(self) -> None:
        """One timer for the next row to turn overdue, not a poll."""
        if self._timer is not None:
            self._timer.cancel()
        now = self._now()
        due = [d for f in self._feeds.values() if (d := ins.next_due(f.rows, now)) is not None]
        if due:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later((min(due) - now) / 1000 + 0.05, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self._background.spawn("overdue", self._rebuild_all())

    async def _rebuild_all(self) -> None:
        async with self._lock:
            try:
                for space in list(self._feeds):
                    await self._rebuild(space)
            finally:
                self._arm_timer()  # a failed check must not stop rows turning overdue
