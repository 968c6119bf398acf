"""The account's cross-signing at work on this device: the keys it holds, the signatures
it makes, and their place behind the recovery key.

Two entry points sign on the user's word (the emoji verification calls them once the
emoji matched): ``sign_own_device`` (our self-signing key vouches for another device of
ours) and ``sign_user`` (our user-signing key vouches for another person's master key:
"I verified this person"). A device that restores with the recovery key reads the
private keys from secret storage, checks them against the account's public keys, and
signs itself, so it becomes cross-signed like the first one.

An account whose devices never saw a password since cross-signing came (installs that
only restore a stored login) is asked for it once: after the first sync the device's
standing is checked and told to the UI (``StandingChanged``), and ``set_up`` makes the
keys with the password the user typed, exactly as a password sign-in does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from app.core import roles
from app.core.errors import ConnectionLost, SendFailed
from app.core.records import RoomEvent
from app.core.trust import judge_user
from app.core.trust.judge import cross_signing_key
from app.matrix.backup import SecretStorageError
from app.matrix.crypto.cross_signing import (
    SECRET_NAMES,
    AuthNeeded,
    CrossSigningError,
    CrossSigningKeys,
    PasswordRefused,
    confirm_password,
    query_keys,
    upload_signature,
)
from app.services.notices import Problem
from app.services.recovery import KeyRecovery, Unlocked
from app.services.trust.bootstrap import has_master, make_keys, publish_first, sign_device
from app.services.trust.local_keys import keep, unseal
from app.services.trust.notices import OwnStanding, StandingChanged
from app.services.trust.people import People
from app.services.trust.policy import policy_rooms, with_policy
from app.services.trust.standing import own_standing

if TYPE_CHECKING:
    from app.services.account import AccountService
    from app.store import JsonDocument

log = logging.getLogger(__name__)


class TrustError(Exception):
    """A signature this device cannot make; the text says why."""


class WrongPassword(Exception):
    """The server refused the password typed to set up cross-signing."""


class CrossSigning:
    """The cross-signing keys as this device holds them (or not)."""

    def __init__(self, account: AccountService, document: JsonDocument) -> None:
        self._account = account
        self._document = document
        self.keys: CrossSigningKeys | None = None
        self._task: asyncio.Task[None] | None = None
        self._standing: OwnStanding | None = None  # as last told to the UI

    # -- Feature ---------------------------------------------------------------------------

    async def start(self) -> None:
        creds = self._account.client.creds
        saved = await self._account.db(self._document.load)
        self.keys = unseal(saved, creds.user_id, creds.pickle_key)
        self._announce()
        self._account.feature(KeyRecovery).add_holder(self)
        await self._apply_policy()
        loop = asyncio.get_running_loop()
        self._task = loop.create_task(self._watch(), name="oor-cross-signing-standing")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def absorb(self, fresh: Sequence[RoomEvent]) -> None:
        """A session's state changed (new rooms, the policy set): the rooms under the
        device policy follow; what the server found wrong in keys goes on record."""
        if any(e.type == roles.SESSION and e.state_key == "" for e in fresh):
            await self._apply_policy()
        identities = self._account.client.identities
        problems, identities.problems[:] = list(identities.problems), []
        for problem in problems:
            log.warning("keys not trusted: %s", problem)
            self._account.notify(Problem("keys_not_trusted", problem))

    # -- SecretHolder ------------------------------------------------------------------------

    def secrets_to_store(self) -> Mapping[str, str]:
        return self.keys.secrets() if self.keys is not None else {}

    async def unlocked(self, storage: Unlocked) -> None:
        """A restore opened secret storage: take the keys if they are the account's, keep
        them, and sign this device with them."""
        try:
            secrets = {usage: await storage.read(name) for usage, name in SECRET_NAMES.items()}
            keys = CrossSigningKeys.from_secrets(self._account.user_id, secrets)
            await self._check_published(keys)
        except SecretStorageError as exc:
            if exc.reason != "no_secret":
                raise
            await self._store_behind(storage)  # the recovery key predates our keys
            await self.review()
            return
        except (CrossSigningError, TrustError) as exc:
            self._account.notify(Problem("cross_signing_mismatch", str(exc)))
            await self.review()  # what the user can do instead
            return
        await self._keep(keys)
        await self.sign_own_device(self._account.client.creds.device_id)
        await self.review()

    # -- commands --------------------------------------------------------------------------

    async def set_up(self, password: str) -> None:
        """Make the account's cross-signing keys with the password the user typed (never
        kept), as a password sign-in does: WrongPassword if the server refuses it,
        TrustError if the account has keys already (this device is then verified with the
        recovery key or by emoji), SendFailed if the server cannot be reached."""
        client = self._account.client
        if await confirm_password(client, client.user_id, password) is False:
            raise WrongPassword  # no detail: the sentence the user reads says it all
        try:
            keys = await make_keys(client, password, self._keep)
        except PasswordRefused as exc:  # not checked above: the upload's own auth did
            raise WrongPassword from exc
        except ConnectionLost as exc:
            raise TrustError(f"the server could not be reached: {exc}") from exc
        # keys this device kept when a set-up stopped halfway are finished instead
        if keys is None and not await self._finish_set_up():
            await self.review()
            raise TrustError("the account has cross-signing keys already: verify this device")
        client.identities.invalidate([client.user_id])
        await self._account.feature(People).review()
        await self.review()

    async def review(self) -> bool:
        """Tell the UI where this device stands now; False if the server could not say
        (the UI keeps what it was told last)."""
        try:
            standing = await own_standing(self._account.client, self.keys is not None)
        except SendFailed as exc:
            log.info("cross-signing standing not known: %s", exc.detail)
            return False
        log.info("this device's cross-signing standing: %s", standing)
        self._standing = standing
        self._account.notify(StandingChanged(standing))
        return True

    async def sign_own_device(self, device_id: str) -> None:
        """Our self-signing key signs another (or this) device of ours, as the server
        lists it. Raises TrustError without the keys, SendFailed if the server refuses."""
        keys = self._held()
        client = self._account.client
        reply = await query_keys(client, [client.user_id])
        await sign_device(client, keys, reply, device_id)
        client.identities.invalidate([client.user_id])
        await self._account.feature(People).review()

    async def sign_user(self, user_id: str, master_key: str) -> None:
        """Our user-signing key signs ``user_id``'s master key, which must be the one
        the verification saw (``master_key``, unpadded base64): a key changed meanwhile
        is not signed."""
        keys = self._held()
        client = self._account.client
        reply = await query_keys(client, [user_id])
        masters = reply.get("master_keys")
        master = masters.get(user_id) if isinstance(masters, dict) else None
        if cross_signing_key(master, user_id, "master") != master_key:
            raise TrustError(f"{user_id}'s master key is not the one verified")
        assert isinstance(master, dict)
        signed = keys.user_signing.sign(client.user_id, master)
        await upload_signature(client, user_id, master_key, signed)
        client.identities.invalidate([user_id])
        await self._account.feature(People).review()

    async def set_session_policy(self, space_id: str, cross_signed_only: bool) -> None:
        """The facilitator's setting: whether the session's delegation and restricted rooms
        count (and share keys with) only cross-signed devices. The server refuses it to
        anyone without the power to change the session's state."""
        client = self._account.client
        content = await client.get_state(space_id, roles.SESSION)
        if content is None:
            raise TrustError(f"{space_id} is not a session")
        await client.put_state(space_id, roles.SESSION, with_policy(content, cross_signed_only))

    # -- inside ----------------------------------------------------------------------------

    async def _watch(self) -> None:
        """Check after the first sync that reaches the server (offline, the next ones),
        once a set-up left unfinished by the last run is finished; then check again when
        the account's keys show this device's signature come (by emoji from another
        device of ours) or go (the identity reset from another device)."""
        client = self._account.client
        while True:
            await self._account.synced.wait()
            try:
                if self._standing is None:
                    await self._finish_set_up()
                    await self.review()
                elif self._standing in (OwnStanding.VERIFY_NEEDED, OwnStanding.VERIFIED):
                    await client.identities.fetch([])  # ours, if the server said it changed
                    signed = client.identities.cross_signed(client.user_id, client.creds.device_id)
                    if signed != (self._standing is OwnStanding.VERIFIED):
                        await self.review()
            except Exception as exc:  # never lost silently, never ends the watch
                log.exception("cross-signing standing not checked")
                self._account.notify(Problem("feature_failed", f"{type(exc).__name__}: {exc}"))

    async def _apply_policy(self) -> None:
        client = self._account.client
        rooms = await self._account.db(policy_rooms, self._account.archive)
        for room_id in rooms - client.identities.policy_rooms:
            client.rotate_room_key(room_id)  # devices now excluded may hold the current key
        client.identities.policy_rooms = rooms

    def _held(self) -> CrossSigningKeys:
        if self.keys is None:
            raise TrustError(
                "this device holds no cross-signing keys: restore with the recovery key"
            )
        return self.keys

    async def _check_published(self, keys: CrossSigningKeys) -> dict[str, object]:
        """Keys from secret storage (or kept here) count only if the server publishes the
        same public keys, checked by their signatures (a replaced identity would otherwise
        be signed with stale keys: TrustError). An account that publishes none (keys stored
        by a device that never got to upload them) gets these as its first keys: they are
        its only identity. Returns the server's reply from before any upload."""
        client = self._account.client
        try:
            reply = await query_keys(client, [client.user_id])
            if not has_master(reply, client.user_id):
                if await publish_first(client, keys, password=None):
                    log.info("cross-signing keys held here published")
                    return reply
                reply = await query_keys(client, [client.user_id])  # published meanwhile
        except AuthNeeded as exc:  # no master key, yet the server wants the password
            raise TrustError("the server asks for the password to publish the keys") from exc
        except SendFailed as exc:
            detail = f"the account's keys could not be fetched or published: {exc.detail}"
            raise TrustError(detail) from exc
        published = judge_user(client.user_id, reply, our_user_id=client.user_id)
        ours = (published.master, published.self_signing, published.user_signing)
        held = keys.master.public, keys.self_signing.public, keys.user_signing.public
        if ours != held:
            raise TrustError("these cross-signing keys are not the account's published keys")
        return reply

    async def _finish_set_up(self) -> bool:
        """Keys kept here by a set-up that stopped before the server had them all (the
        upload or this device's signature failed) are published and sign this device now,
        as first keys only: never with a password, never over another identity. True if
        this device holds the account's keys and is signed with them."""
        if self.keys is None:
            return False
        client = self._account.client
        try:
            reply = await self._check_published(self.keys)
        except TrustError as exc:  # kept all the same: never a private key thrown away here
            log.warning("cross-signing keys kept here not published: %s", exc)
            return False
        me = judge_user(client.user_id, reply, our_user_id=client.user_id)
        device = me.devices.get(client.creds.device_id)
        if device is None or not device.cross_signed:
            await sign_device(client, self.keys, reply, client.creds.device_id)
            client.identities.invalidate([client.user_id])
        return True

    async def _store_behind(self, storage: Unlocked) -> None:
        """Secret storage made before this device had cross-signing keys: keep the keys
        this device holds behind the recovery key now that it is open."""
        if self.keys is None:
            log.info("no cross-signing keys behind the recovery key, nor on this device")
            return
        for name, secret in self.keys.secrets().items():
            await storage.store(name, secret)
        log.info("cross-signing keys stored behind the existing recovery key")

    def _announce(self) -> None:
        """Our master key, when this device holds it, is covered by our emoji
        verification MACs: the other side then learns and can trust our identity."""
        held = self.keys.master.public if self.keys is not None else ""
        self._account.client.verification.master_key = held

    async def _keep(self, keys: CrossSigningKeys | None) -> None:
        """Hold and keep ``keys``, or forget the ones held (None)."""
        self.keys = keys
        self._announce()
        await self._account.db(keep, self._document, keys, self._account.client.creds.pickle_key)
