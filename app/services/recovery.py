"""Key backup and the recovery key, as a use case: set up once, back up always, restore
on a new device.

A Feature of the account. At start it asks the server whether the account has secret
storage and a backup, and tells the UI what to offer: making a recovery key (first
sign-in of the account), or typing it in (a device that has not opened the backup yet).
After every sync it sends the room keys the device gained to the backup; offline, they
simply wait for the next successful sync. Only a backup this device created or opened
with the recovery key is trusted with keys: one the server made up (or another device
replaced) is not written to until the key has been typed here.

Commands report failure as a ``RecoveryChanged(FAILED, reason)`` notice and return None,
so neither the UI nor a script ever sees a traceback for a wrong key.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from app.core import recovery_key
from app.core.errors import SendFailed, SendProblem
from app.core.records import RoomEvent
from app.matrix.backup import (
    SECRET_NAME,
    BackupKeyMismatch,
    BackupVersion,
    KeyBackup,
    Restored,
    SecretStorage,
    SecretStorageError,
    StorageKey,
    passphrase_info,
)
from app.matrix.backup.secret_storage import b64decode, b64encode
from app.services.notices import Problem, Recovery, RecoveryChanged

if TYPE_CHECKING:
    from app.services.account import AccountService
    from app.store import JsonDocument

log = logging.getLogger(__name__)
HISTORY_PAGES = 20  # per room, of SERVER_PAGE events: older history comes on scrolling
SERVER_PAGE = 100


class Unlocked:
    """Secret storage opened by the user's key, handed to holders for the moment of a
    set-up or restore (the key itself is not kept beyond it)."""

    def __init__(self, storage: SecretStorage, storage_key: StorageKey, key: bytes) -> None:
        self._storage, self._storage_key, self._key = storage, storage_key, key

    async def read(self, name: str) -> str:
        """A secret's plaintext; SecretStorageError (reason ``no_secret``) if absent."""
        return await self._storage.read(self._storage_key, self._key, name)

    async def store(self, name: str, secret: str) -> None:
        await self._storage.store(self._storage_key, self._key, name, secret)


class SecretHolder(Protocol):
    """Another feature keeping private keys behind the same recovery key (cross-signing's
    master, self-signing and user-signing keys): its secrets are stored when the recovery
    key is made, and it is handed the opened storage when a device restores."""

    def secrets_to_store(self) -> Mapping[str, str]: ...

    async def unlocked(self, storage: Unlocked) -> None: ...


class _Refused(Exception):
    """A step of set-up or restore that cannot go on; ``reason`` is what the UI shows."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class KeyRecovery:
    """The account's key backup as seen from this device."""

    def __init__(
        self,
        account: AccountService,
        document: JsonDocument,
        iterations: int = recovery_key.PBKDF2_ITERATIONS,
    ) -> None:
        self._account = account
        self._document = document  # which backup this device trusts, and what it sent there
        self._iterations = iterations
        self._storage = SecretStorage(account.client)
        self._backup = KeyBackup(account.client)
        self._lock = asyncio.Lock()
        self._trusted: BackupVersion | None = None
        self._sent: dict[str, int] = {}
        self._checked = False  # the server was asked what the account has
        self._task: asyncio.Task[None] | None = None
        self._holders: list[SecretHolder] = []
        self._history: asyncio.Task[None] | None = None

    def add_holder(self, holder: SecretHolder) -> None:
        """Keep another feature's secrets behind the recovery key too."""
        self._holders.append(holder)

    # -- Feature ---------------------------------------------------------------------------

    async def start(self) -> None:
        saved = await self._account.db(self._document.load)
        if saved.get("version") and saved.get("public_key"):
            self._trusted = BackupVersion(str(saved["version"]), str(saved["public_key"]))
            self._sent = {str(k): int(v) for k, v in dict(saved.get("sent", {})).items()}
        self._task = asyncio.get_running_loop().create_task(self._watch(), name="oor-backup")

    async def absorb(self, fresh: Sequence[RoomEvent]) -> None:
        """Nothing to fold: room keys are collected after each sync, not from events."""

    async def stop(self) -> None:
        for task in (self._task, self._history):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    def backed_up(self) -> frozenset[str]:
        """Room keys the backup holds from this device, as ``room id|session id``."""
        return frozenset(self._sent)

    # -- commands --------------------------------------------------------------------------

    async def set_up(self, passphrase: str = "") -> str | None:
        """Make the account's recovery key and key backup; returns the key to show once."""
        async with self._lock:
            try:
                if await self._storage.default_key() is not None:
                    raise _Refused("exists")  # another device was first: restore instead
                key, info = await self._new_key(passphrase)
                version, private = await self._backup.create()
                secrets = {SECRET_NAME: b64encode(private).rstrip("=")}
                for holder in self._holders:
                    secrets.update(holder.secrets_to_store())
                await self._storage.create_key(key, info, secrets)
            except (_Refused, SecretStorageError) as exc:
                return self._failed(exc.reason)
            except SendFailed as exc:
                return self._failed("unreachable", exc.detail)
            await self._trust(version)
            shown = recovery_key.encode(key)
            self._account.notify(RecoveryChanged(Recovery.KEY_CREATED, recovery_key=shown))
            self._checked = True
        await self._upload_now()
        return shown

    async def restore(self, typed: str) -> Restored | None:
        """Open the backup with a recovery key or passphrase; import its room keys and
        decrypt what the archive could not read. A wrong key changes nothing."""
        self._account.notify(RecoveryChanged(Recovery.RESTORING))
        async with self._lock:
            try:
                unlocked, version, private = await self._open(typed)
                restored = await self._backup.restore(version, private)
            except (_Refused, SecretStorageError) as exc:
                return self._failed(exc.reason)
            except SendFailed as exc:
                return self._failed("unreachable", exc.detail)
            await self._trust(version)
            self._checked = True
            await self._hand_over(unlocked)
        decrypted = await self._account.decrypt_waiting()
        self._account.notify(
            RecoveryChanged(Recovery.RESTORED, imported=restored.imported, decrypted=decrypted)
        )
        await self._upload_now()
        return restored

    # -- inside ----------------------------------------------------------------------------

    async def _new_key(self, passphrase: str) -> tuple[bytes, dict[str, Any] | None]:
        if not passphrase:
            return recovery_key.new_key(), None
        info = passphrase_info(iterations=self._iterations)
        key = await asyncio.to_thread(
            recovery_key.from_passphrase, passphrase, info["salt"], info["iterations"]
        )
        return key, info

    async def _open(self, typed: str) -> tuple[Unlocked, BackupVersion, bytes]:
        """Secret storage, the server's backup and its private key, unlocked by what the
        user typed."""
        storage_key = await self._storage.default_key()
        if storage_key is None:
            raise _Refused("no_storage")
        try:
            key = await asyncio.to_thread(storage_key.unlock, typed)  # PBKDF2 takes a while
            private = await self._storage.read(storage_key, key, SECRET_NAME)
        except SecretStorageError as exc:
            raise _Refused(exc.reason) from exc
        version = await self._backup.current()
        if version is None:
            raise _Refused("no_backup")
        try:
            private_key = b64decode(private)
            await asyncio.to_thread(self._backup.check_key, version, private_key)
        except (ValueError, BackupKeyMismatch) as exc:
            raise _Refused("key_mismatch") from exc
        return Unlocked(self._storage, storage_key, key), version, private_key

    async def _hand_over(self, unlocked: Unlocked) -> None:
        """Each holder reads its secrets; one that cannot does not undo the restore."""
        for holder in self._holders:
            try:
                await holder.unlocked(unlocked)
            except (SecretStorageError, SendFailed) as exc:
                log.warning("%s could not read its secrets: %s", type(holder).__name__, exc)
                self._account.notify(Problem("secret_unreadable", str(exc)))

    async def _trust(self, version: BackupVersion) -> None:
        if self._trusted is None or self._trusted.version != version.version:
            self._sent = {}
        self._trusted = version
        await self._save()

    async def _save(self) -> None:
        assert self._trusted is not None
        document = {
            "version": self._trusted.version,
            "public_key": self._trusted.public_key,
            "sent": self._sent,
        }
        await self._account.db(self._document.save, document)

    def _failed(self, reason: str, detail: str = "") -> None:
        log.info("key recovery: %s %s", reason, detail)
        self._account.notify(RecoveryChanged(Recovery.FAILED, reason=reason))

    async def _watch(self) -> None:
        """After every sync (the first one included, so the rooms are known): check what
        the account has if not done yet, then back up what is new, for ever."""
        while True:
            await self._account.synced.wait()
            try:
                async with self._lock:
                    if not self._checked:
                        await self._check()
                    await self._upload()
            except SendFailed as exc:
                log.info("key backup waits: %s", exc.detail)
                if exc.problem is SendProblem.REFUSED:
                    self._checked = False  # e.g. the backup was replaced: ask again
            except Exception as exc:  # never lost silently, never ends the watch
                log.exception("key backup failed")
                self._account.notify(Problem("backup_failed", f"{type(exc).__name__}: {exc}"))

    async def _check(self) -> None:
        """Tell the UI what to offer, from what the server holds."""
        storage_key = await self._storage.default_key()
        current = await self._backup.current() if storage_key is not None else None
        self._checked = True
        if storage_key is None:
            self._account.notify(RecoveryChanged(Recovery.SET_UP_NEEDED))
        elif self._still_trusted(current):
            self._account.notify(RecoveryChanged(Recovery.READY, backed_up=len(self._sent)))
        else:
            self._trusted = None  # whatever we trusted is no longer the account's backup
            passphrase = storage_key.passphrase is not None
            notice = RecoveryChanged(Recovery.RESTORE_OFFERED, has_passphrase=passphrase)
            self._account.notify(notice)
            self._start_history()

    def _start_history(self) -> None:
        """A device new to the account's backup fetches its rooms' history in the
        background: what it cannot read yet is then counted honestly, and a restore
        opens all of it, not only the few newest events the first sync brought."""
        if self._history is None or self._history.done():
            loop = asyncio.get_running_loop()
            self._history = loop.create_task(self._fetch_history(), name="oor-backup-history")

    async def _fetch_history(self) -> None:
        try:
            rooms = await self._account.db(self._account.archive.rooms)
            for room in rooms:
                await self._room_history(room.room_id)
        except Exception as exc:  # a background task: shown, never lost silently
            log.exception("history of a new device not fetched")
            self._account.notify(Problem("history_failed", f"{type(exc).__name__}: {exc}"))
            return
        self._account.notify(RecoveryChanged(Recovery.HISTORY_FETCHED))

    async def _room_history(self, room_id: str) -> None:
        """Page back from the sync position (a token every event of the room precedes),
        past what the first sync brought, to the room's start or HISTORY_PAGES pages; the
        new events are archived oldest first. A failure keeps what came: scrolling back
        fetches the rest."""
        account = self._account
        token: str | None = await account.db(account.archive.sync_token)
        missing: list[RoomEvent] = []
        try:
            for _ in range(HISTORY_PAGES):
                if token is None:
                    break
                events, token = await account.client.history(room_id, token, SERVER_PAGE)
                known = await account.db(account.archive.known, [e.event_id for e in events])
                missing[:0] = [e for e in events if e.event_id not in known]
        except SendFailed as exc:
            log.info("history of %s stopped: %s", room_id, exc.detail)
        if missing:
            await account.archive_history(missing)

    def _still_trusted(self, current: BackupVersion | None) -> bool:
        """Whether the server's backup is still the one this device opened or made (a
        deleted or replaced one is not)."""
        if current is None or self._trusted is None:
            return False
        return (current.version, current.public_key) == (
            self._trusted.version,
            self._trusted.public_key,
        )

    async def _upload_now(self) -> None:
        async with self._lock:
            try:
                await self._upload()
            except SendFailed as exc:
                log.info("key backup waits: %s", exc.detail)

    async def _upload(self) -> None:
        """Send the room keys the backup lacks; remember them once the server took them."""
        if self._trusted is None:
            return
        pending = self._backup.not_yet_sent(self._sent)
        if not pending:
            return
        self._sent.update(await self._backup.upload(self._trusted, pending))
        await self._save()
        self._account.notify(RecoveryChanged(Recovery.READY, backed_up=len(self._sent)))
