"""The archive's room list on screen before nio has even loaded.

Why: on a restart, the slowest part of opening the app is loading Python modules (nio,
aiohttp, the crypto store), then asking the server who we are. None of that is needed
to show the rooms the user had: the stored login names the account, and its archive
holds the list. This module imports only the store, so the backend thread can show the
list first and load the rest behind it. Everything it read is handed to the ``Backend``
so nothing is read twice; anything that fails here is left for the ``Backend`` to meet
again and report as it always has.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from app.core.paths import DataDir
from app.core.records import Credentials
from app.services.archive_passphrase import ArchivePassphrases
from app.services.at_rest import OpenArchive, open_account_archive
from app.services.instance_lock import DataDirInUse, InstanceLock
from app.services.notices import Notice, Resuming, RoomLoaded, RoomsChanged
from app.store import Archive, CredentialStore, Outbox, StoreError

OPEN_LIMIT = 200  # events a room opens with; older ones come as the user scrolls up


def load_room(archive: Archive, outbox: Outbox, room_id: str) -> RoomLoaded:
    """A room as it opens: its newest archived events and what still waits to be sent."""
    events = archive.recent_events(room_id, OPEN_LIMIT)
    return RoomLoaded(room_id, tuple(events), tuple(outbox.items(room_id)))


@dataclass
class Preview:
    """What was read before the backend was built: the data dir's lock (held when
    ``creds`` is set), the stored login, and its archive, open (once announced)."""

    lock: InstanceLock
    creds: Credentials | None = None
    opened: OpenArchive | None = None
    passphrases: ArchivePassphrases | None = None  # the window's, to ask for a passphrase

    def ask_again(self) -> None:
        """A sign-in by hand: a passphrase cancelled at the start is asked for again."""
        if self.passphrases is not None:
            self.passphrases.ask_again()

    def take_archive(self, user_id: str) -> OpenArchive | None:
        """The open archive, once, if it is this account's (another's is closed)."""
        if self.creds is not None and self.creds.user_id == user_id:
            opened, self.opened = self.opened, None
            return opened
        self.close()
        return None

    def close(self) -> None:
        """Close the archive if nobody took it (a revoked login, a shutdown before)."""
        opened, self.opened = self.opened, None
        if opened is not None:
            opened.engine.dispose()


async def show_archive(
    data: DataDir,
    notify: Callable[[Notice], None],
    passphrases: ArchivePassphrases | None = None,
) -> Preview:
    """Announce the stored login's archived rooms if there are any; never raises for a
    locked data dir, an unreadable login or archive (the backend reports those). An
    archive whose key is a passphrase is asked for through ``passphrases`` (the window)."""
    preview = Preview(InstanceLock(data.root), passphrases=passphrases)
    try:
        await asyncio.to_thread(preview.lock.acquire)
        preview.creds = await asyncio.to_thread(CredentialStore(data.root).load)
    except (DataDirInUse, StoreError):
        return preview
    if preview.creds is None or not data.archive(preview.creds.user_id).is_file():
        return preview
    user_id = preview.creds.user_id
    try:
        opened = await open_account_archive(data, user_id, notify, passphrases)
    except (StoreError, OSError):
        return preview
    engine = opened.engine
    archive = Archive(engine, user_id)
    try:
        rooms = await asyncio.to_thread(archive.rooms)
    except StoreError:
        engine.dispose()
        return preview
    preview.opened = opened
    notify(Resuming(user_id))
    notify(RoomsChanged(tuple(rooms)))
    # The list is painted while its first (most recently active) room is read: filling
    # the timeline costs the UI thread more than painting the list does.
    with contextlib.suppress(StoreError):  # the backend reads it again, and reports
        if rooms:
            notify(await asyncio.to_thread(load_room, archive, Outbox(engine), rooms[0].room_id))
    return preview
