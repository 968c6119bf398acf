"""The archive's room list on screen before nio has even loaded.

Why: on a restart, the slowest part of opening the app is loading Python modules (nio,
aiohttp, the crypto store), then asking the server who we are. None of that is needed
to show the rooms the user had: the stored login names the account, and its archive
holds the list, and the sessions' rosters that group and name it as the backend's list
will (a session's rooms shown flat under neutral names, then regrouped, would move rows
under the pointer). The list, rosters and newest room are read first through the store's
plain look into the archive (``app.store.peek``: no SQLAlchemy, whose loading alone took
longer than the rest of the way to the painted list); then the archive is opened
through the store proper, behind the painted list. What was opened is handed to the
``Backend``; anything that fails here is left for the ``Backend`` to meet again and
report as it always has.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from app.core.paths import DataDir
from app.core.records import Credentials
from app.services.archive_passphrase import ArchivePassphrases
from app.services.at_rest import OpenArchive, open_account_archive
from app.services.early_list import announce_list
from app.services.first_list import FirstList
from app.services.instance_lock import DataDirInUse, InstanceLock
from app.services.notices import Notice, RoomLoaded, RosterChanged
from app.store import StoreError
from app.store.archive_keys import ArchiveKeys
from app.store.credentials import CredentialStore
from app.store.peek import ArchivePeek, peek_archive

if TYPE_CHECKING:  # loaded behind the painted list, by the store's own opening
    from app.services.rosters import StateReads
    from app.store import Archive, Outbox

log = logging.getLogger(__name__)

OPEN_LIMIT = 200  # events a room opens with; older ones come as the user scrolls up


def load_room(archive: Archive, outbox: Outbox, room_id: str) -> RoomLoaded:
    """A room as it opens: its newest archived events and what still waits to be sent.
    Before the first sync is archived an empty room is only not known yet (provisional)."""
    events = archive.recent_events(room_id, OPEN_LIMIT)
    provisional = not events and archive.sync_token() is None
    return RoomLoaded(room_id, tuple(events), tuple(outbox.items(room_id)), provisional)


@dataclass
class Preview:
    """What was read before the backend was built: the data dir's lock (held when
    ``creds`` is set), the stored login, and its archive, open (once announced)."""

    lock: InstanceLock
    creds: Credentials | None = None
    opened: OpenArchive | None = None
    passphrases: ArchivePassphrases | None = None  # the window's, to ask for a passphrase
    first_list: FirstList | None = None  # a first start's list from its prefetched sync

    def ask_again(self) -> None:
        """A sign-in by hand: a passphrase cancelled at the start is asked for again."""
        if self.passphrases is not None:
            self.passphrases.ask_again()

    def take_archive(self, user_id: str) -> OpenArchive | None:
        """The open archive, once, if it is this account's (another's is closed). The
        backend speaks from here on: no provisional list may come after it."""
        self.end_first_list()
        if self.creds is not None and self.creds.user_id == user_id:
            opened, self.opened = self.opened, None
            return opened
        self.close()
        return None

    def close(self) -> None:
        """Close the archive if nobody took it (a revoked login, a shutdown before)."""
        self.end_first_list()
        opened, self.opened = self.opened, None
        if opened is not None:
            opened.dispose()

    def end_first_list(self) -> None:
        """No early list from now on: the backend has spoken, or is about to."""
        if self.first_list is not None:
            self.first_list.close()


async def show_archive(
    data: DataDir,
    notify: Callable[[Notice], None],
    passphrases: ArchivePassphrases | None = None,
    fetch_first_sync: bool = False,
) -> Preview:
    """Announce the stored login's archived rooms if there are any; never raises for a
    locked data dir, an unreadable login or archive (the backend reports those). An
    archive whose key is a passphrase is asked for through ``passphrases`` (the window).

    With ``fetch_first_sync``, a stored login with no archive yet (a first start) has its
    first sync sent for at once (``app.matrix.sync_prefetch``), with the login read here
    under the data dir's lock: the server builds the answer while nio and the backend
    load, and the rooms it tells are announced as it comes (``FirstList``). A restart
    continues from its archive's token and asks nothing early."""
    preview = Preview(InstanceLock(data.root), passphrases=passphrases)
    try:
        return await _fill(preview, data, notify, passphrases, fetch_first_sync)
    except asyncio.CancelledError:  # the window closed meanwhile (at a passphrase, say)
        preview.close()
        preview.lock.release()
        raise


async def _fill(
    preview: Preview,
    data: DataDir,
    notify: Callable[[Notice], None],
    passphrases: ArchivePassphrases | None,
    fetch_first_sync: bool,
) -> Preview:
    """``show_archive``'s work on its ``preview``."""
    try:
        await asyncio.to_thread(preview.lock.acquire)
        preview.creds = await asyncio.to_thread(CredentialStore(data.root).load)
    except (DataDirInUse, StoreError):
        return preview
    if preview.creds is None:
        return preview
    if not data.archive(preview.creds.user_id).is_file():
        if fetch_first_sync:  # loaded here: http.client and ssl cost a restart nothing
            from app.matrix.sync_prefetch import prefetch

            creds = preview.creds
            preview.first_list = FirstList(creds.user_id, notify)
            prefetch(creds.homeserver, creds.access_token, look=preview.first_list.look)
        return preview
    user_id = preview.creds.user_id
    shown_with = await _show_peeked(data, user_id, notify)
    try:
        opened = await open_account_archive(data, user_id, notify, passphrases, shown_with)
    except (StoreError, OSError):
        return preview
    preview.opened = opened
    if shown_with is None:  # converted, asked for or migrated just now: read through the store
        from app.store import Archive, Outbox

        archive, outbox = Archive(opened.engine, user_id), Outbox(opened.outbox)
        load = partial(load_room, archive, outbox)
        if not await _announce_in_worker(notify, user_id, archive, load):
            preview.close()
    return preview


async def _show_peeked(
    data: DataDir, user_id: str, notify: Callable[[Notice], None]
) -> ArchiveKeys | None:
    """Announce the rooms from a plain look into the archive, if it can be had now; the
    keys that opened it (the store's opening uses them: the key is looked up once)."""
    keys = ArchiveKeys(data.account(user_id), user_id)
    try:
        peek = await asyncio.to_thread(peek_archive, data.archive(user_id), keys, user_id)
        if peek is None:
            return None
    except (StoreError, OSError):
        return None
    try:
        shown = await _announce_in_worker(notify, user_id, peek, lambda r: _peek_room(peek, r))
    finally:  # the worker is done with the connection, even when the window closed
        await asyncio.to_thread(peek.close)
    return keys if shown else None


def _peek_room(peek: ArchivePeek, room_id: str) -> RoomLoaded:
    """``load_room``'s notice, read through the plain look."""
    events = peek.recent_events(room_id, OPEN_LIMIT)
    return RoomLoaded(room_id, tuple(events), tuple(peek.outbox_items(room_id)))


async def _announce_in_worker(
    notify: Callable[[Notice], None],
    user_id: str,
    listing: ArchivePeek | Archive,
    load: Callable[[str], RoomLoaded],
) -> bool:
    """``_announce`` on a worker thread; False when the list could not be read, which is
    left for the backend to meet again and report (a failure other than the store's, a
    garbled row or a bug in folding a roster, is logged here too, with its traceback).

    Cancelled (the window closed), the worker announces nothing more and is waited for:
    the caller closes the connection it reads through only once it is done with it."""
    stop = threading.Event()

    def unless_stopped(notice: Notice) -> None:
        if not stop.is_set():
            notify(notice)

    worker = asyncio.ensure_future(
        asyncio.to_thread(_announce, unless_stopped, user_id, listing, load)
    )
    try:
        await asyncio.shield(worker)
    except asyncio.CancelledError:
        stop.set()
        await _finished(worker)
        raise
    except StoreError:
        return False
    except Exception:  # anything that fails here is the backend's to report
        log.exception("The archive's room list was not shown early; the backend reads it")
        return False
    return True


async def _finished(worker: asyncio.Future[None]) -> None:
    """Wait for the worker to end, whatever is cancelled meanwhile; what it raised is
    dropped (the window is closing; the backend meets it again at the next start)."""
    while not worker.done():
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait([worker])
    if not worker.cancelled():
        worker.exception()


def _announce(
    notify: Callable[[Notice], None],
    user_id: str,
    listing: ArchivePeek | Archive,
    load: Callable[[str], RoomLoaded],
) -> None:
    """The rooms, grouped and named by the sessions' rosters as the backend's list will
    be, then the first (most recently active) room: the list is painted while that room
    is read. One worker thread reads and announces, in the order the window applies.
    Raises StoreError, having announced nothing, when the list or a roster is unreadable
    (the session's details not decrypted yet are no error: its roster says so, marked
    pending, as the backend's will)."""
    rooms = listing.rooms()
    spaces = [r.room_id for r in rooms if r.is_space]
    rosters = _rosters(listing, spaces) if spaces else []
    announce_list(notify, user_id, rooms, rosters, lambda room_id: _read_ahead(load, room_id))


def _rosters(reads: StateReads, spaces: list[str]) -> list[RosterChanged]:
    """The sessions among these spaces, read as the backend reads them. The session
    modules load here, for an account with spaces only: a list without any pays
    nothing for them before it is painted."""
    from app.services.rosters import rosters_of

    return rosters_of(reads, spaces)


def _read_ahead(load: Callable[[str], RoomLoaded], room_id: str) -> RoomLoaded | None:
    """The room the window opens, unless it cannot be read now (the backend reads it
    again, and reports)."""
    try:
        return load(room_id)
    except StoreError:
        return None
    except Exception:  # a garbled row, a bug: the list stays, the backend reports it
        log.exception("The newest room was not opened early; the backend reads it")
        return None
