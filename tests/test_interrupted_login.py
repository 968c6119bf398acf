"""A login that stops before its first sync finishes must leave a device others can reach.

The worst moment to stop is just after the first one-time-key upload reached the server
and before the app heard the answer: the server then hands out keys to other devices,
and our device must still hold their private halves after a restart. The other side is
a plain matrix-nio client: it claims one of our one-time keys, starts an Olm session
and shares a room key, which our device must decrypt.
"""

from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from app.core.paths import DataDir
from app.homeserver import EmbeddedHomeserver
from app.matrix import MatrixClient
from app.services.backend import DEVICE_NAME
from app.services.notices import Connection
from app.store import CredentialStore
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client, raw_send_text


@pytest.mark.parametrize("stopped", ["after_the_upload_went_out", "before_any_upload"])
async def test_a_device_whose_login_was_cut_short_can_still_be_reached(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, stopped: str
) -> None:
    delegate_account, other = make_account("delegate"), make_account("other")
    data = DataDir(tmp_path / "delegate")
    client = await MatrixClient.login(
        homeserver.url,
        delegate_account.user_id,
        delegate_account.password,
        data.crypto,
        DEVICE_NAME,
    )
    if stopped == "after_the_upload_went_out":
        # The crash point: the upload request reached the server, the answer never came
        # back (so nio never marked the keys published nor saved anything afterwards).
        upload = client._nio.olm.share_keys()
        await client._call("POST", "/_matrix/client/v3/keys/upload", upload)
    await client.close()
    CredentialStore(data.root).save(client.creds)  # what the app keeps from a login

    delegate = Peer(data.root)
    await delegate.backend.start()
    raw = await raw_nio_client(homeserver, other.user_id, other.password, tmp_path / "raw")
    try:
        room = await delegate.account.create_room("Delegation", (other.user_id,))
        await raw_join(raw, room)
        await delegate.wait_for(lambda: delegate.has_joined(room, other.user_id), "the join")
        await raw_send_text(raw, room, "Instruction for the resumed device")
        await delegate.wait_text(room, "Instruction for the resumed device")
        record = delegate.account.to_device
        assert record is not None
        assert await delegate.account.db(record.problems) == []
    finally:
        await raw.close()
        await delegate.close()


async def _claim_one(homeserver: EmbeddedHomeserver, raw, user_id: str, device_id: str) -> bool:
    """Claim one of the device's one-time keys, as any account may; False when none is left."""
    body = {"one_time_keys": {user_id: {device_id: "signed_curve25519"}}}
    headers = {"Authorization": f"Bearer {raw.access_token}"}
    url = f"{homeserver.url}/_matrix/client/v3/keys/claim"
    async with aiohttp.ClientSession() as http, http.post(url, json=body, headers=headers) as r:
        reply = await r.json()
    return bool(reply.get("one_time_keys", {}).get(user_id, {}).get(device_id))


async def test_a_device_whose_one_time_keys_ran_out_while_away_tops_them_up(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    other = make_account("other")
    delegate = await Peer(tmp_path / "delegate", make_account("delegate")).login(homeserver)
    raw = await raw_nio_client(homeserver, other.user_id, other.password, tmp_path / "raw")
    try:
        room = await delegate.account.create_room("Delegation", (other.user_id,))
        user_id, device_id = delegate.user_id, delegate.account.client.creds.device_id
        await delegate.close()
        claimed = 0
        while await _claim_one(homeserver, raw, user_id, device_id):  # all of them, while away
            claimed += 1
            assert claimed <= 200, "the server never ran out of keys"

        delegate = Peer(tmp_path / "delegate")
        await delegate.backend.start()
        await delegate.wait_for(lambda: delegate.connection() is Connection.ONLINE, "a sync")
        await raw_join(raw, room)
        await delegate.wait_for(lambda: delegate.has_joined(room, other.user_id), "the join")
        await raw_send_text(raw, room, "Reached after the keys ran out")
        await delegate.wait_text(room, "Reached after the keys ran out")
    finally:
        await raw.close()
        await delegate.close()
