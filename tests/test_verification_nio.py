"""Emoji verification between this app and matrix-nio's own SAS, to-device, real Synapse.

The other side is a plain ``nio.AsyncClient`` of the same account (a second device of
our own user, the to-device case), driven through nio's public verification API:
``start_key_verification``, ``confirm_short_auth_string``. Nothing of ours runs in it.

nio 0.26 shows its emoji wrongly (it regroups the bits of vodozemac's emoji *indices* as
if they were raw bytes), so the emoji are compared through nio's own SAS bytes and its
own emoji table; its decimals come straight from vodozemac and are compared as shown.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from nio import AsyncClient
from nio.crypto.sas import Sas, SasState

from app.core.verification import EMOJI, Phase, VerificationView
from app.services.verification.notices import DeviceVerified, VerificationChanged
from tests.cross_signing_peer import device_cross_signed, query
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_nio_client


def latest(peer: Peer) -> VerificationView | None:
    views = [n.view for n in peer.notices if isinstance(n, VerificationChanged)]
    return views[-1] if views else None


class NioSyncing:
    """nio's client syncing and flushing its to-device queue, as ``sync_forever`` does;
    ``until`` waits for a condition on nio's state, re-checked after each of its syncs."""

    def __init__(self, raw: AsyncClient) -> None:
        self.raw = raw
        self.synced = asyncio.Event()

    async def run(self) -> None:
        while True:
            await self.raw.sync(timeout=500)
            await self.raw.send_to_device_messages()
            self.synced.set()

    async def until(self, check: Callable[[], bool], what: str) -> None:
        try:
            async with asyncio.timeout(60):
                while not check():
                    self.synced.clear()
                    await self.synced.wait()
        except TimeoutError:
            raise AssertionError(f"gave up waiting for {what}") from None


@contextlib.asynccontextmanager
async def syncing(raw: AsyncClient) -> AsyncIterator[NioSyncing]:
    nio = NioSyncing(raw)
    task = asyncio.create_task(nio.run())
    try:
        yield nio
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


@contextlib.asynccontextmanager
async def started_by_nio(
    homeserver, make_account: MakeAccount, tmp_path: Path, timeout_s: float = 600.0
) -> AsyncIterator[tuple[Peer, AsyncClient, Sas, str]]:
    """Our app signed in, and nio's client of the same user asking to verify it; both
    closed at the end."""
    account = make_account("sas")
    app = await Peer(tmp_path / "app", account).login(homeserver)
    raw: AsyncClient | None = None
    try:
        app.account.client.verification.timeout_s = timeout_s
        raw = await raw_nio_client(homeserver, account.user_id, account.password, tmp_path / "nio")
        app_device = app.account.client.creds.device_id
        raw.olm.users_for_key_query.add(account.user_id)
        await raw.keys_query()
        device = raw.device_store[account.user_id][app_device]
        await raw.start_key_verification(device)
        (tx,) = raw.key_verifications
        await app.wait_for(lambda: (v := latest(app)) is not None and v.incoming, "the request")
        view = latest(app)
        assert view is not None and view.phase is Phase.REQUESTED
        assert view.other_device == raw.device_id
        yield app, raw, raw.key_verifications[tx], view.key
    finally:
        if raw is not None:
            await raw.close()
        await app.close()


@contextlib.asynccontextmanager
async def emoji_shown(
    homeserver, make_account: MakeAccount, tmp_path: Path
) -> AsyncIterator[tuple[Peer, AsyncClient, Sas, str, NioSyncing]]:
    """nio asked, our app accepted; both sides hold each other's keys and our app shows
    the emoji. nio keeps syncing until the end."""
    async with (
        started_by_nio(homeserver, make_account, tmp_path) as (app, raw, sas, key),
        syncing(raw) as nio,
    ):
        await app.backend.use("verification", lambda v: v.accept(key))
        await app.wait_for(lambda: latest(app).phase is Phase.SHOWING, "the emoji")
        await nio.until(lambda: sas.state is SasState.key_received, "nio's keys")
        yield app, raw, sas, key, nio


def trusted_by_app(app: Peer, device_id: str) -> bool:
    """Whether our app's Olm store holds this device of our user as verified."""
    olm = app.account.client.olm
    device = olm.device_store[app.user_id].get(device_id)
    return device is not None and olm.is_device_verified(device)


def nio_emoji(sas: Sas) -> list[str]:
    """The spec's emoji for nio's SAS bytes, read with nio's own table."""
    indices = sas.established_sas.bytes(sas._extra_info).emoji_indices
    return [Sas.emoji[i][0] for i in indices]


@pytest.mark.timeout(180)
async def test_emoji_verification_with_nio_completes_on_both_sides(
    homeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with emoji_shown(homeserver, make_account, tmp_path) as (app, raw, sas, key, nio):
        shown = latest(app)
        assert len(shown.emoji) == 7
        assert [EMOJI[i][0] for i in shown.emoji] == nio_emoji(sas)
        assert shown.decimals == tuple(sas.get_decimals())

        await app.backend.use("verification", lambda v: v.confirm(key))
        assert latest(app).phase is Phase.CONFIRMED  # waits for nio's MAC (legacy method)
        await raw.confirm_short_auth_string(sas.transaction_id)
        await app.wait_for(lambda: latest(app).phase is Phase.DONE, "done")
        await nio.until(lambda: sas.verified, "nio to verify us")
        assert trusted_by_app(app, raw.device_id)
        ours = raw.device_store[app.user_id][app.account.client.creds.device_id]
        assert raw.olm.is_device_verified(ours)
        # The result is cross-signing: our self-signing key signed nio's device (checked
        # on Synapse's answer by the test's own verifier).
        await app.wait_for(
            lambda: any(isinstance(n, DeviceVerified) for n in app.notices), "the signature"
        )
        reply = await query(homeserver.url, raw.access_token, app.user_id)
        assert device_cross_signed(reply, app.user_id, raw.device_id)


@pytest.mark.timeout(180)
async def test_they_dont_match_cancels_on_both_sides_and_trusts_nothing(
    homeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with emoji_shown(homeserver, make_account, tmp_path) as (app, raw, sas, key, nio):
        await app.backend.use("verification", lambda v: v.mismatch(key))
        await nio.until(lambda: sas.transaction_id not in raw.key_verifications, "nio's cancel")
        assert sas.canceled
        ended = latest(app)
        assert ended.phase is Phase.CANCELLED and ended.cancel_code == "m.mismatched_sas"
        assert ended.cancelled_by_us
        assert not trusted_by_app(app, raw.device_id)
        ours = raw.device_store[app.user_id][app.account.client.creds.device_id]
        assert not raw.olm.is_device_verified(ours)


@pytest.mark.timeout(180)
async def test_a_verification_left_unanswered_times_out_on_both_sides(
    homeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """Nobody answers nio's request: the app cancels with m.timeout and tells nio (the
    spec's ten minutes, shortened here to one second)."""
    started = started_by_nio(homeserver, make_account, tmp_path, timeout_s=1.0)
    async with started as (app, raw, sas, _key):
        async with syncing(raw) as nio:
            await app.wait_for(lambda: latest(app).phase is Phase.CANCELLED, "the time-out")
            await nio.until(lambda: sas.transaction_id not in raw.key_verifications, "nio told")
        assert latest(app).cancel_code == "m.timeout" and sas.canceled
        assert not trusted_by_app(app, raw.device_id)
