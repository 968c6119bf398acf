"""The app's single entry point for the UI and the CLI: start, log in, send, stop.

It runs on the backend loop. Expected failures (wrong password, dead server) become
notices the UI can show; only the unexpected reach the loop's exception handler.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from app.core.errors import LoginFailed, LoginProblem, SendFailed, disk_full
from app.core.paths import DataDir
from app.core.records import Credentials
from app.homeserver import EmbeddedHomeserver, HomeserverError
from app.matrix import MatrixClient
from app.services import composer_drafts as composer
from app.services.account import AccountService
from app.services.archive_passphrase import login_problem
from app.services.arrival import Screen
from app.services.at_rest import open_account_archive
from app.services.backend_exercise import ExerciseCommands
from app.services.feature import Feature
from app.services.features import FEATURES
from app.services.instance_lock import DataDirInUse, InstanceLock
from app.services.local_operator import local_operator
from app.services.notices import (
    Connection,
    ConnectionChanged,
    LoggedIn,
    LoginNeeded,
    Notice,
    Problem,
    Refused,
)
from app.services.preview import Preview
from app.services.sessions import SessionError, Sessions
from app.services.trust.bootstrap import bootstrap
from app.store import (
    Archive,
    CredentialStore,
    JsonDocument,
    Outbox,
    StoreError,
    ToDeviceRecord,
)

DEVICE_NAME = "Open Operations Room"
T = TypeVar("T")
FEATURES_BY_NAME = {spec.name: spec for spec in FEATURES}


class Backend(ExerciseCommands):
    """One data dir, at most one signed-in account, optionally the embedded homeserver;
    the exercise commands are in ``ExerciseCommands``."""

    def __init__(
        self,
        data: DataDir,
        notify: Callable[[Notice], None],
        embedded: bool = False,
        preview: Preview | None = None,
        screen: Screen | None = None,
    ) -> None:
        self.data = data
        self.notify = notify
        self.screen = screen  # the window's quick way to show arriving events, if any
        self.credentials = CredentialStore(data.root)
        self.homeserver = EmbeddedHomeserver(data.homeserver) if embedded else None
        self.account: AccountService | None = None
        self._preview = preview or Preview(InstanceLock(data.root))  # see app.services.preview
        self._instance = self._preview.lock  # already held if start-up showed the archive
        self._login_lock = asyncio.Lock()  # one login or restore at a time
        self._features: dict[str, Feature] = {}  # the signed-in account's, by name

    async def start(self) -> None:
        """Restore the stored login, or log the local operator in, or ask for a login."""
        try:
            await asyncio.to_thread(self._instance.acquire)
            if self.homeserver is not None and not await asyncio.to_thread(
                self.homeserver.running_elsewhere  # e.g. `oor serve` in a terminal: use it
            ):
                self.notify(ConnectionChanged(Connection.STARTING, "homeserver"))
                await asyncio.to_thread(self.homeserver.start)
            creds = self._preview.creds or await asyncio.to_thread(self.credentials.load)
        except DataDirInUse as exc:
            self.notify(Problem("data_dir_in_use", str(exc)))
            return
        except HomeserverError as exc:
            self.notify(Problem("homeserver_failed", str(exc)))
            return
        except StoreError as exc:  # unreadable stored login: say so, then ask for a new one
            self.notify(Problem("credentials_unreadable", str(exc)))
            creds = None
        if creds is not None:
            async with self._login_lock:
                await self._restore(creds)
        elif self.homeserver is not None:
            try:
                operator = await asyncio.to_thread(
                    local_operator, self.homeserver, self.data.homeserver / "operator.json"
                )
            except HomeserverError as exc:  # the server runs; only its saved login is gone
                self.notify(Problem("credentials_unreadable", str(exc)))
                self.notify(LoginNeeded(self.homeserver.url))
                return
            await self.login(self.homeserver.url, operator.user_id, operator.password)
        else:
            self.notify(LoginNeeded())

    async def _restore(self, creds: Credentials) -> None:
        client = MatrixClient.from_credentials(creds, self.data.crypto)
        try:
            try:  # nothing archived yet? then the first sync is asked for beside the login check
                await client.restore(sync_soon=not self.data.archive(creds.user_id).exists())
            except LoginFailed as exc:
                await client.close()
                self._preview.close()
                await asyncio.to_thread(self.credentials.clear)
                self.notify(LoginNeeded(creds.homeserver, exc.problem, exc.detail))
                return
            except BaseException:
                self._preview.end_first_list()  # no early list after the error is reported
                raise
            await self._open_account(client)
        except asyncio.CancelledError:  # the window closed during the start-up
            if self.account is None:  # no account holds the client: close it here
                await client.close()
            raise

    async def login(self, homeserver: str, user: str, password: str) -> bool:
        """Password login; on failure the login screen is told why, nothing raises."""
        async with self._login_lock:
            await self._close_account()  # a new login replaces the old one, never runs beside it
            self._preview.ask_again()  # a passphrase cancelled before is asked for again
            self.notify(ConnectionChanged(Connection.STARTING, "login"))
            homeserver = homeserver.strip().rstrip("/")
            try:
                await asyncio.to_thread(self._instance.acquire)
                if not homeserver.startswith(("http://", "https://")):
                    raise LoginFailed(
                        LoginProblem.BAD_INPUT, "the address must start with https://"
                    )
                client = await MatrixClient.login(
                    homeserver, user, password, self.data.crypto, DEVICE_NAME
                )
            except DataDirInUse as exc:
                self.notify(Problem("data_dir_in_use", str(exc)))
                self.notify(LoginNeeded(homeserver))
                return False
            except LoginFailed as exc:
                self.notify(LoginNeeded(homeserver, exc.problem, exc.detail))
                return False
            except Exception as exc:  # the new device's keys could not be written
                if not disk_full(exc):
                    raise
                self.notify(Problem("disk_full", str(exc)))
                self.notify(LoginNeeded(homeserver))
                return False
            keys = JsonDocument(self.data.account(client.user_id) / "cross_signing.json")
            await bootstrap(client, password, keys, self.notify)
            if not self.data.archive(client.user_id).exists():  # after bootstrap's key upload
                client.sync_soon()
            if await self._open_account(client):
                await asyncio.to_thread(self.credentials.save, client.creds)
                return True
            return False

    async def _open_account(self, client: MatrixClient) -> bool:
        """Open the account's archive and start it; a storage failure is shown, not raised."""
        user_id = client.user_id
        try:
            opened = self._preview.take_archive(user_id) or await open_account_archive(
                self.data, user_id, self.notify, self._preview.passphrases
            )
        except (StoreError, OSError) as exc:
            await client.close()
            self.notify(Problem("disk_full" if disk_full(exc) else "archive_failed", str(exc)))
            self.notify(LoginNeeded(client.creds.homeserver, login_problem(exc), str(exc)))
            return False
        engine = opened.engine
        self.account = AccountService(
            client,
            Archive(engine, user_id),
            Outbox(opened.outbox),
            self.notify,
            opened.dispose,
            to_device=ToDeviceRecord(engine),
            file_key=opened.file_key,
            screen=self.screen,
        )
        self._features = {spec.name: spec.build(self.account, self.data) for spec in FEATURES}
        for feature in self._features.values():
            self.account.add_feature(feature)
        self.notify(
            LoggedIn(
                user_id, client.creds.device_id, client.creds.homeserver, self.credentials.location
            )
        )
        self.notify(ConnectionChanged(Connection.CONNECTING))
        await self.account.start()
        return True

    async def _close_account(self) -> None:
        account, self.account = self.account, None
        if account is not None:
            await account.stop()

    def _cast_backend(self, data: DataDir) -> Backend:
        return Backend(data, _unwatched)

    def _signed_in(self) -> AccountService | None:
        if self.account is None:
            self.notify(Problem("not_signed_in"))
        return self.account

    def _required_account(self) -> AccountService:
        """The signed-in account, or a refusal for the command's sender."""
        if self.account is None:
            raise Refused(Problem("not_signed_in"))
        return self.account

    async def use(self, name: str, action: Callable[[Any], Awaitable[T]]) -> T:
        """Run a command of one of the signed-in account's features, by its name in
        ``FEATURES``; what the feature refuses, or a missing login, is raised as
        ``Refused`` with the Problem its sender should hear."""
        self._required_account()
        spec = FEATURES_BY_NAME[name]
        try:
            return await action(self._features[name])
        except tuple(spec.refusals) as exc:
            what = next(code for kind, code in spec.refusals.items() if isinstance(exc, kind))
            detail = exc.detail if isinstance(exc, SendFailed) else str(exc)
            raise Refused(Problem(what, detail)) from exc

    async def with_sessions(self, action: Callable[[Sessions], Awaitable[T]]) -> T:
        """A session command (convene, invite, re-role, remove, close) of the signed-in
        account; what the server or the rules refuse is raised as ``Refused`` so the
        command's sender hears it (the convene form shows it, for instance)."""
        account = self._required_account()
        try:
            return await action(Sessions.of(account))
        except (SessionError, SendFailed) as exc:
            raise Refused(Problem("session_failed", str(exc))) from exc

    async def send_text(self, room_id: str, body: str) -> None:
        if (account := self._signed_in()) is not None:
            try:
                await account.send_text(room_id, body)
            except StoreError as exc:  # not even queued: say why, and that it was not
                if not disk_full(exc):
                    raise
                self.notify(Problem("disk_full", f"not queued, type it again later: {exc}"))

    async def composer_drafts(self) -> dict[str, str]:
        """What the user typed and did not send, per room, as the last run left it."""
        return await composer.load(self._composer_document())

    async def keep_composer_drafts(self, drafts: dict[str, str]) -> None:
        await composer.keep(self._composer_document(), drafts)

    def _composer_document(self) -> JsonDocument:
        account = self._required_account()
        return JsonDocument(self.data.account(account.user_id) / "composer.json", account.file_key)

    async def retry(self, txn_id: str) -> None:
        if (account := self._signed_in()) is not None:
            await account.retry(txn_id)

    async def open_room(self, room_id: str) -> None:
        if (account := self._signed_in()) is not None:
            await account.open_room(room_id)

    async def create_room(self, name: str, invite: tuple[str, ...] = ()) -> None:
        """A new encrypted, invite-only room; a refusal is shown, not raised."""
        if (account := self._signed_in()) is None:
            return
        try:
            await account.create_room(name, invite)
        except SendFailed as exc:
            self.notify(Problem("create_room_failed", exc.detail))

    async def join_session(self, space_id: str) -> None:
        """Accept an invitation: join the session's space and the rooms our role allows."""
        if await self._session_call(lambda s: s.join(space_id)) is None and self.account:
            self.account.announce_invitations()  # failed: the invitation is still there

    async def join_room(self, room_id: str) -> None:
        if (account := self._signed_in()) is None:
            return
        try:
            await account.client.join(room_id)
        except SendFailed as exc:
            self.notify(Problem("join_failed", exc.detail))
            account.announce_invitations()

    async def _session_call(self, action: Callable[[Sessions], Awaitable[T]]) -> T | None:
        """A session step nobody waits on: a refusal is shown, not raised."""
        try:
            return await self.with_sessions(action)
        except Refused as exc:
            self.notify(exc.problem)
            return None

    async def logout(self) -> None:
        """Sign this device out on the server and forget it here; the archive stays."""
        account = self.account
        if account is None:
            return
        homeserver = account.client.creds.homeserver
        try:
            await account.client.logout()
        except SendFailed as exc:  # offline: the token stays valid on the server; say so
            self.notify(Problem("logout_incomplete", exc.detail))
        finally:
            await self._close_account()
            await asyncio.to_thread(self.credentials.clear)
            self.notify(LoginNeeded(homeserver))

    async def shutdown(self) -> None:
        """Ordered: the exercise's cast, then syncing, the client and the store, then the
        homeserver."""
        await self.stop_exercise()
        await self._close_account()
        self._preview.close()  # the archive, if the restore never took it
        if self.homeserver is not None:
            await asyncio.to_thread(self.homeserver.stop)
        self._instance.release()


def _unwatched(_notice: Notice) -> None:
    """A cast member's notices: nobody looks at their screens."""
