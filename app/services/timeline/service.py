"""The shared crisis timeline: post entries, change their verification, page back in
history, fill sync gaps, search the archive.

A feature of the account (see ``Feature``): it sees every fresh batch, so it can tell the
UI when an entry's verification changed and fetch what a cut-short sync left out. The
archive stays the only source: nothing here keeps a copy that could drift from it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app.core import roles
from app.core.errors import SendFailed, SendProblem
from app.core.identifiers import is_server_id
from app.core.records import EventStatus, OutboxItem, RoomEvent
from app.core.timeline import (
    CHAT,
    MAX_BYTES,
    PINNED,
    THREAD,
    AttachmentError,
    EntryDraft,
    EntryError,
    TimelineQuery,
    Verification,
    attachment_of,
    can_change,
    check_file,
    edit_content,
    entry_content,
    entry_message,
    file_content,
    pinned_ids,
    read_entry,
    referenced_entry,
    relation_of,
    reply_content,
    verification_content,
    verification_message,
    verification_of,
)
from app.services.notices import (
    AttachmentFetched,
    OlderLoaded,
    PinsChanged,
    Problem,
    SearchResults,
    VerificationsChanged,
)
from app.services.timeline.holes import SERVER_PAGE, Holes

if TYPE_CHECKING:  # the bridge imports this module: keep SQL and nio out of the UI's start
    from app.services.account import AccountService

log = logging.getLogger(__name__)
PAGE = 200  # rows per page of the timeline view
# Pages fetched for one scroll back: 20 × 100 events is ten times a view's page, so only
# a server answering pages that bring nothing (junk) under new tokens for ever, or a
# long run of history we hold, reaches it; the next scroll goes on from where it stopped.
MAX_BACK_PAGES = 20
MAX_SEARCH_PAGES = 20  # pages of matches a filtered search reads before it stops looking


class Timeline:
    """Use cases of the shared timeline for one signed-in account."""

    def __init__(self, account: AccountService) -> None:
        self._account = account
        self._holes = Holes(account)  # what cut-short syncs left out, until archived
        # room id -> (the oldest event a scroll back started from, where it stopped)
        self._back_from: dict[str, tuple[str, str | None]] = {}
        # One scroll back per room at a time: a second (the view asking again before the
        # first's page came) waits, then finds the first's pages archived; run side by
        # side, both asked the server for the same token and walked the same pages.
        # Never dropped: one small lock per room scrolled back in, for one sign-in.
        self._scrolling: dict[str, asyncio.Lock] = {}

    async def start(self) -> None:
        """The holes earlier runs left are filled in the background; nothing to rebuild
        (verification is read from the archive when a room opens)."""
        self._holes.wake()

    async def stop(self) -> None:
        await self._holes.stop()

    def history_cut_short(self) -> None:
        """A sync batch came cut short in some room, and the archive noted the holes it
        left with the batch (``Archive.save_sync_batch``): the background fill fetches
        them. Told by the account after the batch's commit, not from ``absorb``, which
        pages of history and late decryptions reach too."""
        self._holes.wake()

    async def absorb(self, fresh: Sequence[RoomEvent]) -> None:
        """Announce changed pins and verifications."""
        # Pins as the room's current state says (an old pin event from history is not it).
        for room_id in sorted({e.room_id for e in fresh if e.type == PINNED}):
            self._account.notify(PinsChanged(room_id, await self._pins(room_id)))
        changed: dict[str, set[str]] = {}
        for event in fresh:
            if event.type == roles.VERIFICATION and event.status is EventStatus.OK:
                changed.setdefault(event.room_id, set()).add(referenced_entry(event.content))
        for room_id, entry_ids in changed.items():
            found = await self._verifications(room_id, entry_ids)
            self._account.notify(VerificationsChanged(room_id, tuple(found)))

    # -- commands ------------------------------------------------------------------------

    async def post(self, room_id: str, draft: EntryDraft) -> OutboxItem:
        """Send a new entry through the outbox; EntryError if the draft breaks a rule."""
        message = entry_message(entry_content(draft), draft.body.strip())
        return await self._account.send(room_id, "m.room.message", message)

    async def verify(self, entry_id: str, status: str, reason: str) -> OutboxItem:
        """Change an entry's verification status, with the reason, through the outbox."""
        entry = (await self._account.db(self._account.archive.events_by_id, [entry_id])).get(
            entry_id
        )
        if entry is None or entry.type != roles.ENTRY or entry.status is not EventStatus.OK:
            raise EntryError("only a valid timeline entry can be verified")
        current = (await self._verifications(entry.room_id, {entry_id}))[0].status
        if not can_change(current, status):
            raise EntryError(f"an entry that is {current} cannot become {status}")
        if status == "retracted" and entry.sender != self._account.user_id:
            raise EntryError("only the author can retract an entry")
        content = verification_content(entry_id, status, reason)
        message = verification_message(content, read_entry(entry.content).title)
        return await self._account.send(entry.room_id, "m.room.message", message)

    async def reply(self, room_id: str, event_id: str, body: str) -> OutboxItem | None:
        """Answer an event in its thread (``m.thread``; a thread starts at the event
        answered unless that is itself in a thread), through the outbox."""
        archived = await self._account.db(self._account.archive.events_by_id, [event_id])
        if not body.strip() or event_id not in archived:
            return None
        _known_to_server(event_id, "answered")
        relation = relation_of(archived[event_id].content)
        root = relation.target if relation and relation.kind == THREAD else event_id
        content = reply_content(root, event_id, body.strip())
        return await self._account.send(room_id, "m.room.message", content)

    async def edit(self, event_id: str, body: str) -> OutboxItem:
        """Correct one of our own text messages (``m.replace``); the original stays in the
        archive and every client shows that it was edited."""
        archived = await self._account.db(self._account.archive.events_by_id, [event_id])
        event = archived.get(event_id)
        if event is None or event.sender != self._account.user_id:
            raise EntryError("only your own messages can be edited")
        if event.type != "m.room.message" or event.content.get("msgtype") != "m.text":
            raise EntryError("only text messages can be edited")
        if not body.strip():
            raise EntryError("an edit needs text; a facilitator can remove a message")
        _known_to_server(event_id, "edited")
        content = edit_content(event_id, body.strip())
        return await self._account.send(event.room_id, "m.room.message", content)

    async def attach(self, room_id: str, path: str) -> OutboxItem:
        """Send a file: encrypted and uploaded first, then its message through the outbox.
        AttachmentError for a file the rules refuse; SendFailed if the upload fails."""
        file_path = Path(path)
        try:
            data = await asyncio.to_thread(file_path.read_bytes)
        except OSError as exc:
            raise AttachmentError(f"{file_path.name} cannot be read: {exc.strerror}") from exc
        check_file(file_path.name, data)
        file = await self._account.client.upload_encrypted(data)
        content = file_content(file_path.name, len(data), file)
        return await self._account.send(room_id, "m.room.message", content)

    async def fetch_attachment(self, event_id: str, save_to: str = "") -> bytes:
        """Download and decrypt a message's file: saved to ``save_to`` when given, else
        announced for preview (images only)."""
        archived = await self._account.db(self._account.archive.events_by_id, [event_id])
        event = archived.get(event_id)
        attachment = attachment_of(event.content) if event is not None else None
        if event is None or attachment is None or event.status is not EventStatus.OK:
            raise AttachmentError("this event carries no file")
        if attachment.size > MAX_BYTES:  # what we would not send, we do not fetch either
            raise AttachmentError(f"the file is {attachment.size:,} bytes, over {MAX_BYTES:,}")
        data = await self._account.client.download_decrypted(attachment.url, attachment.file)
        if len(data) > MAX_BYTES:  # its message may have understated the size
            raise AttachmentError(f"the file is {len(data):,} bytes, over {MAX_BYTES:,}")
        if save_to:
            await asyncio.to_thread(Path(save_to).write_bytes, data)
        self._account.notify(AttachmentFetched(event_id, b"" if save_to else data, save_to))
        return data

    async def announce_room(self, room_id: str) -> None:
        """Every entry's verification and the pinned events of a room (when it is opened)."""
        found = await self._verifications(room_id, None)
        self._account.notify(VerificationsChanged(room_id, tuple(found)))
        self._account.notify(PinsChanged(room_id, await self._pins(room_id)))

    async def pin(self, room_id: str, event_id: str, pinned: bool = True) -> None:
        """Pin or unpin a key entry. Pins are room state (not encrypted, not through the
        outbox, like every state change); officials and above may change them."""
        if pinned:
            _known_to_server(event_id, "pinned")
        ids = [i for i in await self._pins(room_id) if i != event_id]
        if pinned:
            ids.append(event_id)
        try:
            await self._account.client.put_state(room_id, PINNED, {"pinned": ids})
        except SendFailed as exc:
            self._account.notify(Problem("pin_failed", exc.detail))

    async def _pins(self, room_id: str) -> tuple[str, ...]:
        state = await self._account.db(self._account.archive.state, [room_id], [PINNED])
        return next((pinned_ids(e.content) for e in state if e.state_key == ""), ())

    async def older(self, room_id: str, before: str) -> None:
        """The page before ``before``: from the archive, and when the archive runs out,
        back-paginated from the server and archived first. The room's open holes are
        tried then too (``holes``: the user asks for its history, and the server is asked
        anyway; not before every page the archive holds, which offline would each wait
        for the network); what they bring is announced like any arrival."""
        archive = self._account.archive
        page: list[RoomEvent] = []
        at_start = False
        try:
            async with self._scrolling.setdefault(room_id, asyncio.Lock()):
                page = await self._account.db(archive.events_before, room_id, before, PAGE)
                if len(page) < PAGE:
                    await self._holes.in_room(room_id)
                    server_has_more = await self._paginate(room_id, PAGE - len(page))
                    page = await self._account.db(archive.events_before, room_id, before, PAGE)
                    at_start = not server_has_more and len(page) < PAGE
        finally:  # even when the server or the disk failed: the view must not wait forever
            self._account.notify(OlderLoaded(room_id, before, tuple(page), at_start))

    async def search(self, query: TimelineQuery) -> None:
        """Search and filter everything the archive holds (encrypted rooms included)."""
        found: list[RoomEvent] = []
        verifications: list[Verification] = []
        # The exact checks (kind, tag, current verification) run after the archive's limit,
        # so page on until the limit is met: "confirmed entries" must not come back empty
        # just because the newest matches were chat.
        for page in range(MAX_SEARCH_PAGES):
            batch = await self._account.db(self._account.archive.search, query, page * query.limit)
            events = [e for e in batch if _fits(e, query)]
            by_room: dict[str, set[str]] = {}
            for event in events:
                if event.type == roles.ENTRY and event.status is EventStatus.OK:
                    by_room.setdefault(event.room_id, set()).add(event.event_id)
            for room_id, entry_ids in by_room.items():
                verifications += await self._verifications(room_id, entry_ids)
            if query.statuses:
                current = {v.entry_id: v.status for v in verifications}
                events = [e for e in events if current.get(e.event_id) in query.statuses]
            found += events
            if len(found) >= query.limit or len(batch) < query.limit:
                break
        self._account.notify(
            SearchResults(query, tuple(found[: query.limit]), tuple(verifications))
        )

    # -- helpers -------------------------------------------------------------------------

    async def _verifications(
        self, room_id: str, entry_ids: Iterable[str] | None
    ) -> list[Verification]:
        """Fold the room's verification events over the entries they reference (all
        referenced entries when ``entry_ids`` is None; entries without changes too when named)."""
        archive = self._account.archive
        changes = await self._account.db(archive.events_of_types, [room_id], [roles.VERIFICATION])
        wanted = set(entry_ids) if entry_ids is not None else None
        targets = {referenced_entry(c.content) for c in changes} | (wanted or set())
        if wanted is not None:
            targets &= wanted
        entries = await self._account.db(archive.events_by_id, sorted(targets))
        found = []
        for entry_id in sorted(targets):
            entry = entries.get(entry_id)
            if entry is None or entry.type != roles.ENTRY or entry.status is not EventStatus.OK:
                continue
            if entry.room_id != room_id:
                continue  # a reference across rooms changes nothing
            found.append(verification_of(entry, changes))
        return found

    async def _paginate(self, room_id: str, wanted: int) -> bool:
        """Fetch at least ``wanted`` older events from the server; False at the beginning.

        It starts just before the archive's oldest message, or, while that is still the
        oldest (the last scroll brought state events only, or stopped at its page limit),
        where the last scroll stopped: otherwise a run of more than ``MAX_BACK_PAGES``
        pages of events we hold (a mass of joins above the oldest message) would be walked
        again at every scroll and never passed. Once a scroll reached the room's
        beginning, nothing is asked while the oldest message it brought is the oldest:
        else the next scroll (one that waited for it) walked the state events above that
        message to the beginning again."""
        archive, client = self._account.archive, self._account.client
        oldest = await self._account.db(archive.oldest_event_id, room_id)
        if oldest is None:
            return False
        try:
            last = self._back_from.get(room_id)
            if last is not None and last[0] == oldest:
                token = last[1]
            else:
                token = await client.token_before(room_id, oldest)
            got = pages = 0
            while token is not None and got < wanted:
                if pages == MAX_BACK_PAGES:
                    log.warning(
                        "back-pagination in %s stopped after %d pages with %d new events",
                        room_id,
                        pages,
                        got,
                    )
                    break
                events, token = await client.history(room_id, token, SERVER_PAGE)
                got += len(await self._account.archive_history(events))
                pages += 1
                self._back_from[room_id] = (oldest, token)
            if token is None and pages:  # the beginning, as the archive now starts
                start = await self._account.db(archive.oldest_event_id, room_id)
                self._back_from[room_id] = (start or oldest, None)
        except SendFailed as exc:  # keep what we have; scrolling up again retries
            if exc.problem is SendProblem.REFUSED:  # e.g. history not visible to us
                self._account.notify(Problem("history_failed", exc.detail))
            log.info("back-pagination in %s stopped: %s", room_id, exc.detail)
            return True
        return token is not None


def _known_to_server(event_id: str, what: str) -> None:
    """EntryError for an event only our archive knows (a ``local:`` id): a pin, a
    reply or an edit would point every other member at nothing."""
    if not is_server_id(event_id):
        raise EntryError(f"this message came without a server id and cannot be {what}")


def _fits(event: RoomEvent, query: TimelineQuery) -> bool:
    """The exact check of what the archive narrowed by text (kind and tag of entries)."""
    if query.kinds:
        is_chat = event.type == "m.room.message"
        kind = event.content.get("kind") if event.type == roles.ENTRY else None
        if not ((is_chat and CHAT in query.kinds) or kind in query.kinds):
            return False
    if query.tag:
        if event.type != roles.ENTRY or event.status is not EventStatus.OK:
            return False
        return query.tag in read_entry(event.content).tags
    return True
