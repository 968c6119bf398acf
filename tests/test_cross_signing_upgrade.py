"""An install from before cross-signing: its devices only restore a stored login, so no
sign-in ever made the account's cross-signing keys. After its first sync it says so;
the user's password (a wrong one is refused and changes nothing) then makes the keys
exactly as a password sign-in does: this device signed, the keys behind the recovery
key once it is typed. Judged by Synapse's own ``/keys/query`` answer, its signatures
checked here with ``cryptography``, not by the code that made them.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
import pytest

from app.core.paths import DataDir
from app.core.records import Credentials
from app.homeserver import Account, EmbeddedHomeserver
from app.matrix.crypto.cross_signing import CrossSigningKeys
from app.services.notices import Refused
from app.services.trust.bootstrap import publish_first
from app.services.trust.cross_signing import CrossSigning
from app.services.trust.local_keys import keep
from app.services.trust.notices import OwnStanding, StandingChanged
from app.store import CredentialStore, JsonDocument
from tests.cross_signing_peer import device_cross_signed, public_of, query
from tests.fixtures_homeserver import MakeAccount
from tests.old_install import give_keys_elsewhere, make_old_install
from tests.peers import Peer


async def old_install(homeserver: EmbeddedHomeserver, account: Account, data_dir: Path) -> Peer:
    """A Peer on what an app from before cross-signing left in ``data_dir``."""
    await make_old_install(homeserver.url, account.user_id, account.password, data_dir)
    return Peer(data_dir, account)


def standing(peer: Peer) -> OwnStanding | None:
    told = [n.standing for n in peer.notices if isinstance(n, StandingChanged)]
    return told[-1] if told else None


async def _verified_by(
    homeserver: EmbeddedHomeserver, peer: Peer, creds: Credentials, master: str
) -> None:
    """The device says it is verified, and the server agrees: the account's master key is
    ``master`` and it has signed the device."""
    await peer.wait_for(lambda: standing(peer) is OwnStanding.VERIFIED, "verified")
    reply = await query(homeserver.url, creds.access_token, creds.user_id)
    assert public_of(reply["master_keys"][creds.user_id]) == master
    assert device_cross_signed(reply, creds.user_id, creds.device_id)


async def secret_stored(homeserver: EmbeddedHomeserver, token: str, user_id: str) -> bool:
    """Whether the account data holds the master key's secret (encrypted, for any key)."""
    url = f"{homeserver.url}/_matrix/client/v3/user/{user_id}/account_data/m.cross_signing.master"
    async with (
        aiohttp.ClientSession(headers={"Authorization": f"Bearer {token}"}) as http,
        http.get(url) as reply,
    ):
        return reply.status == 200 and bool((await reply.json()).get("encrypted"))


async def test_an_old_install_sets_up_cross_signing_with_the_password(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    account = make_account("old")
    peer = await old_install(homeserver, account, tmp_path / "device")
    await peer.backend.start()  # the app starts again after the upgrade: a restored login
    try:
        creds = peer.account.client.creds
        shown = await peer.backend.use("recovery", lambda r: r.set_up())  # made before too
        assert shown is not None
        await peer.wait_for(lambda: standing(peer) is OwnStanding.SET_UP_NEEDED, "the prompt")
        reply = await query(homeserver.url, creds.access_token, creds.user_id)
        assert creds.user_id not in reply.get("master_keys", {})

        with pytest.raises(Refused) as refused:
            await peer.backend.use("trust", lambda t: t.set_up("not the password"))
        assert refused.value.problem.what == "wrong_password"
        reply = await query(homeserver.url, creds.access_token, creds.user_id)
        assert creds.user_id not in reply.get("master_keys", {})  # nothing was made

        await peer.backend.use("trust", lambda t: t.set_up(account.password))
        reply = await query(homeserver.url, creds.access_token, creds.user_id)
        master = public_of(reply["master_keys"][creds.user_id])
        assert device_cross_signed(reply, creds.user_id, creds.device_id)
        # made here while the account had a recovery key: it is asked for once
        await peer.wait_for(lambda: standing(peer) is OwnStanding.STORE_NEEDED, "the next step")
        assert not await secret_stored(homeserver, creds.access_token, creds.user_id)

        assert await peer.backend.use("recovery", lambda r: r.restore(shown)) is not None
        await peer.wait_for(lambda: standing(peer) is OwnStanding.VERIFIED, "verified")
        assert await secret_stored(homeserver, creds.access_token, creds.user_id)
    finally:
        await peer.close()

    again = Peer(tmp_path / "device", account)  # the next start asks for nothing
    await again.backend.start()
    try:
        await again.wait_for(lambda: standing(again) is OwnStanding.VERIFIED, "verified")
        reply = await query(homeserver.url, creds.access_token, creds.user_id)
        assert public_of(reply["master_keys"][creds.user_id]) == master
    finally:
        await again.close()


async def test_a_device_of_an_account_with_keys_is_pointed_to_verification(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    account = make_account("two")
    first = await Peer(tmp_path / "first", account).login(homeserver)  # makes the keys
    old = await old_install(homeserver, account, tmp_path / "old")
    await old.backend.start()
    try:
        creds = old.account.client.creds
        before = await query(homeserver.url, creds.access_token, creds.user_id)
        await old.wait_for(lambda: standing(old) is OwnStanding.VERIFY_NEEDED, "the prompt")

        with pytest.raises(Refused) as refused:  # never replaces the account's identity
            await old.backend.use("trust", lambda t: t.set_up(account.password))
        assert refused.value.problem.what == "trust_failed"
        after = await query(homeserver.url, creds.access_token, creds.user_id)
        assert after["master_keys"] == before["master_keys"]
        assert not device_cross_signed(after, creds.user_id, creds.device_id)

        # the first device signs it, as an emoji verification between them ends
        await first.account.feature(CrossSigning).sign_own_device(creds.device_id)
        await old.wait_for(lambda: standing(old) is OwnStanding.VERIFIED, "verified")
    finally:
        await old.close()
        await first.close()


async def test_keys_stored_behind_the_recovery_key_but_never_published_come_back_with_it(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    account = make_account("stored")
    first = await old_install(homeserver, account, tmp_path / "first")
    await first.backend.start()
    try:
        shown = await first.backend.use("recovery", lambda r: r.set_up())
        assert shown is not None
        await first.wait_for(lambda: standing(first) is OwnStanding.SET_UP_NEEDED, "the prompt")
        # a device that made keys and stored them, but whose upload never reached the server
        made = CrossSigningKeys.generate(account.user_id)
        first.account.feature(CrossSigning).keys = made
        assert await first.backend.use("recovery", lambda r: r.restore(shown)) is not None
        await first.wait_for(lambda: standing(first) is OwnStanding.VERIFY_NEEDED, "the prompt")
    finally:
        await first.close()

    second = await old_install(homeserver, account, tmp_path / "second")
    await second.backend.start()
    try:
        creds = second.account.client.creds
        # no password asked: the recovery key brings the keys back
        await second.wait_for(lambda: standing(second) is OwnStanding.VERIFY_NEEDED, "the prompt")
        assert await second.backend.use("recovery", lambda r: r.restore(shown)) is not None
        await _verified_by(homeserver, second, creds, made.master.public)
    finally:
        await second.close()


async def test_keys_kept_before_a_set_up_stopped_are_published_at_the_next_start(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """Keys are kept on this device before the server sees them: a set-up that stopped
    past that point (the app closed, the upload or the signature failed) is finished by
    the next start, without a password, so no identity is published without its keys."""
    account = make_account("halfway")
    await make_old_install(homeserver.url, account.user_id, account.password, tmp_path)
    data = DataDir(tmp_path)
    creds = await asyncio.to_thread(CredentialStore(data.root).load)
    assert creds is not None
    made = CrossSigningKeys.generate(account.user_id)
    document = JsonDocument(data.account(account.user_id) / "cross_signing.json")
    await asyncio.to_thread(keep, document, made, creds.pickle_key)

    peer = Peer(tmp_path, account)
    await peer.backend.start()
    try:
        await _verified_by(homeserver, peer, creds, made.master.public)
    finally:
        await peer.close()


async def test_first_keys_never_replace_an_identity_published_meanwhile(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """Another device (plain matrix-nio) publishes the account's keys after this one
    looked: the server then asks for the password, and this device, even holding it,
    leaves the other identity in place."""
    account = make_account("race")
    peer = await old_install(homeserver, account, tmp_path / "old")
    await peer.backend.start()
    try:
        creds = peer.account.client.creds
        await peer.wait_for(lambda: standing(peer) is OwnStanding.SET_UP_NEEDED, "the prompt")
        await give_keys_elsewhere(homeserver.url, account.user_id, account.password, tmp_path)
        before = await query(homeserver.url, creds.access_token, creds.user_id)
        ours = CrossSigningKeys.generate(account.user_id)
        assert not await publish_first(peer.account.client, ours, account.password)
        after = await query(homeserver.url, creds.access_token, creds.user_id)
        assert after["master_keys"] == before["master_keys"]
        assert public_of(after["master_keys"][creds.user_id]) != ours.master.public
    finally:
        await peer.close()
