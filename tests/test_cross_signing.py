"""Cross-signing on a real Synapse, checked from outside: the keys the app makes at its
first sign-in, and a second device that becomes cross-signed by the recovery key.

Every signature is verified by ``tests.cross_signing_peer`` (``cryptography`` and its own
canonical JSON) on what Synapse's ``/keys/query`` returns, not by the code that made it.
"""

from __future__ import annotations

from pathlib import Path

from app.core.trust import judge_user
from app.homeserver import EmbeddedHomeserver
from app.services.notices import Recovery, RecoveryChanged
from app.services.trust import CrossSigning
from tests.cross_signing_peer import device_cross_signed, public_of, query, verify
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer


def told(peer: Peer, state: Recovery) -> bool:
    return any(isinstance(n, RecoveryChanged) and n.state is state for n in peer.notices)


async def test_first_sign_in_makes_keys_that_sign_the_device_and_a_new_device_restores_them(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    account = make_account("xs")
    first = await Peer(tmp_path / "first", account).login(homeserver)
    try:
        creds = first.account.client.creds
        reply = await query(homeserver.url, creds.access_token, creds.user_id)
        master = reply["master_keys"][creds.user_id]
        usk = reply["user_signing_keys"][creds.user_id]
        master_public = public_of(master)
        assert verify(usk, creds.user_id, master_public, master_public)
        assert device_cross_signed(reply, creds.user_id, creds.device_id)

        await first.wait_for(lambda: told(first, Recovery.SET_UP_NEEDED), "the offer")
        shown = await first.backend.use("recovery", lambda r: r.set_up())
        assert shown is not None
    finally:
        await first.close()

    # A second sign-in: the account keeps its identity; this device is not cross-signed.
    second = await Peer(tmp_path / "second", account).login(homeserver)
    try:
        creds2 = second.account.client.creds
        reply = await query(homeserver.url, creds2.access_token, creds2.user_id)
        assert public_of(reply["master_keys"][creds2.user_id]) == master_public
        assert not device_cross_signed(reply, creds2.user_id, creds2.device_id)
        assert second.account.feature(CrossSigning).keys is None

        await second.wait_for(lambda: told(second, Recovery.RESTORE_OFFERED), "the offer")
        assert await second.backend.use("recovery", lambda r: r.restore(shown)) is not None
        reply = await query(homeserver.url, creds2.access_token, creds2.user_id)
        assert device_cross_signed(reply, creds2.user_id, creds2.device_id)
        assert judge_user(creds2.user_id, reply).devices[creds2.device_id].cross_signed
    finally:
        await second.close()
