"""Forged and malformed verification messages, sent on purpose to our device.

The sender is another device of the same account (so it may take part in a to-device
verification at all), speaking raw ``PUT /sendToDevice``: an unknown transaction, an
offer with no method we know, a key that does not match its commitment, a MAC that does
not check, a second verification while one runs, and events no parser expects. Each is
recorded with its reason, nothing becomes trusted, and the sync goes on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import uuid4

import aiohttp
import pytest
import vodozemac
from nio import AsyncClient

from app.core.verification import Phase, VerificationView
from app.homeserver import EmbeddedHomeserver
from app.services.verification.notices import VerificationChanged
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_nio_client

V = "m.key.verification."


class Forger:
    """Another device of Alice's account that sends whatever it likes to her device."""

    def __init__(self, homeserver: EmbeddedHomeserver, raw: AsyncClient, victim: Peer) -> None:
        self.homeserver, self.raw, self.victim = homeserver, raw, victim

    async def send(self, kind: str, content: Any) -> None:
        device = self.victim.account.client.creds.device_id
        body = {"messages": {self.victim.user_id: {device: content}}}
        url = f"{self.homeserver.url}/_matrix/client/v3/sendToDevice/{kind}/{uuid4()}"
        headers = {"Authorization": f"Bearer {self.raw.access_token}"}
        async with aiohttp.ClientSession() as http, http.put(url, json=body, headers=headers) as r:
            assert r.status == 200


def views(peer: Peer) -> list[VerificationView]:
    return [n.view for n in peer.notices if isinstance(n, VerificationChanged)]


def latest(peer: Peer, key: str) -> VerificationView | None:
    found = [v for v in views(peer) if v.key == key]
    return found[-1] if found else None


def start(device: str, tx: str, **changes: Any) -> dict[str, Any]:
    offer = {
        "from_device": device,
        "method": "m.sas.v1",
        "transaction_id": tx,
        "key_agreement_protocols": ["curve25519-hkdf-sha256"],
        "hashes": ["sha256"],
        "message_authentication_codes": ["hkdf-hmac-sha256.v2"],
        "short_authentication_string": ["emoji", "decimal"],
    }
    return {**offer, **changes}


def trusted(alice: Peer, device_id: str) -> bool:
    olm = alice.account.client.olm
    device = olm.device_store[alice.user_id].get(device_id)
    return device is not None and olm.is_device_verified(device)


@pytest.mark.timeout(240)
async def test_forged_verification_messages_are_recorded_and_trust_nothing(
    homeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    account = make_account("forged")
    alice = await Peer(tmp_path / "alice", account).login(homeserver)
    raw = await raw_nio_client(homeserver, account.user_id, account.password, tmp_path / "nio")
    forger, device = Forger(homeserver, raw, alice), raw.device_id
    record = alice.account.to_device
    assert record is not None

    async def recorded(n: int) -> list[str]:
        async def count() -> int:
            return len(await alice.account.db(record.problems, alice.user_id))

        while await count() < n:
            await alice.account.synced.wait()
        return [p.detail for p in await alice.account.db(record.problems, alice.user_id)]

    try:
        # 1. Steps of verifications that do not exist, and shapes no step has.
        await forger.send(V + "key", {"transaction_id": "nobody", "key": "x"})
        await forger.send(V + "mac", {"mac": {}, "keys": "x"})  # no transaction id
        await forger.send(V + "start", start(device, "weird", method="m.reciprocate.v1"))
        await forger.send(V + "start", start(device, "md5", hashes=["md5"]))
        await forger.send(
            V + "request",
            {
                "transaction_id": "old",
                "from_device": device,
                "methods": ["m.sas.v1"],
                "timestamp": 1,
            },
        )
        details = await recorded(5)
        assert any("m.unknown_transaction" in d for d in details)
        assert any("no transaction id" in d for d in details)
        assert sum("m.unknown_method" in d for d in details) == 2
        assert any("too old" in d for d in details)
        assert not any(v.phase is Phase.SHOWING for v in views(alice))

        # 2. A key that does not match the commitment in the accept.
        key = await alice.backend.use("verification", lambda v: v.request(alice.user_id))
        await forger.send(
            V + "ready", {"transaction_id": key, "from_device": device, "methods": ["m.sas.v1"]}
        )
        await alice.wait_for(lambda: latest(alice, key).phase is Phase.STARTED, "alice's start")
        # While this one runs, a second verification from the same person is refused.
        await forger.send(V + "start", start(device, "parallel"))
        await forger.send(
            V + "accept",
            {
                "transaction_id": key,
                "key_agreement_protocol": "curve25519-hkdf-sha256",
                "hash": "sha256",
                "message_authentication_code": "hkdf-hmac-sha256.v2",
                "short_authentication_string": ["emoji"],
                "commitment": "not the commitment",
            },
        )
        their = vodozemac.Sas()
        await forger.send(V + "key", {"transaction_id": key, "key": their.public_key.to_base64()})
        await alice.wait_for(lambda: latest(alice, key).phase is Phase.CANCELLED, "the cancel")
        assert latest(alice, key).cancel_code == "m.mismatched_commitment"
        details = await recorded(7)
        assert any("another one is under way" in d for d in details)
        assert any("m.mismatched_commitment" in d for d in details)

        # 3. A MAC that does not check, after Alice said the emoji match.
        await forger.send(V + "start", start(device, "badmac"))
        await alice.wait_for(
            lambda: any(v.incoming and v.phase is Phase.REQUESTED for v in views(alice)[-1:]),
            "the forger's start",
        )
        incoming = views(alice)[-1].key
        await alice.backend.use("verification", lambda v: v.accept(incoming))
        await forger.send(
            V + "key", {"transaction_id": "badmac", "key": their.public_key.to_base64()}
        )
        await alice.wait_for(lambda: latest(alice, incoming).phase is Phase.SHOWING, "emoji")
        await alice.backend.use("verification", lambda v: v.confirm(incoming))
        await forger.send(
            V + "mac",
            {"transaction_id": "badmac", "keys": "AAAA", "mac": {f"ed25519:{device}": "AAAA"}},
        )
        await alice.wait_for(lambda: latest(alice, incoming).phase is Phase.CANCELLED, "cancel")
        assert latest(alice, incoming).cancel_code == "m.key_mismatch"
        assert any("m.key_mismatch" in d for d in await recorded(8))
        assert not trusted(alice, device)

        # The sync went on all along: a message sent now comes back from the server.
        room = await alice.account.create_room("still syncing")
        await alice.account.send_text(room, "after the forgeries")
        await alice.wait_text(room, "after the forgeries")
    finally:
        await raw.close()
        await alice.close()
