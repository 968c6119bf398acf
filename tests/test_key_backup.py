"""Key backup on a real Synapse: a delegate's second device reads earlier instructions only
after the recovery key is typed in, and says how many it cannot read until then.

What the backup holds is checked from outside: a plain matrix-nio client signed in as
the same user reads the backup version and the uploaded session ids over the API and
compares them with the Megolm sessions the room's events were encrypted with.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import aiohttp
import vodozemac
from cryptography.hazmat.primitives import hashes, padding
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from nio import AsyncClient, MegolmEvent
from nio.crypto.sessions import InboundGroupSession

from app.core import recovery_key
from app.core.instructions import Draft, Stage
from app.homeserver import EmbeddedHomeserver
from app.services.notices import Recovery, RecoveryChanged
from app.services.recovery import KeyRecovery
from app.services.trust.cross_signing import CrossSigning
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_nio_client
from tests.test_instructions import convene, feed, instructions, peers, stage_is
from tests.test_secret_storage import spec_decrypt

DEFAULT_KEY = "m.secret_storage.default_key"
SECRET_NAME = "m.megolm_backup.v1"
__all__ = ["peers"]  # the four signed-in clients of the instruction tests


def unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def spec_backup_decrypt(private: bytes, session_data: dict[str, str]) -> dict:
    """m.megolm_backup.v1.curve25519-aes-sha2 from the spec: X25519 with the ephemeral
    key, HKDF-SHA-256 (zero salt, empty info) to 80 bytes, AES-256-CBC with PKCS#7. The
    MAC is the first 8 bytes of HMAC-SHA-256 over an empty message, as libolm made it
    and every implementation since keeps it (the spec notes the flaw)."""
    ephemeral = X25519PublicKey.from_public_bytes(unb64(session_data["ephemeral"]))
    shared = X25519PrivateKey.from_private_bytes(private).exchange(ephemeral)
    okm = HKDF(hashes.SHA256(), 80, bytes(32), b"").derive(shared)
    aes_key, mac_key, iv = okm[:32], okm[32:64], okm[64:]
    assert hmac.new(mac_key, b"", hashlib.sha256).digest()[:8] == unb64(session_data["mac"])
    decryptor = Cipher(algorithms.AES(aes_key), modes.CBC(iv)).decryptor()
    padded = decryptor.update(unb64(session_data["ciphertext"])) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return json.loads(unpadder.update(padded) + unpadder.finalize())


def account_data(raw: AsyncClient, kind: str) -> str:
    return f"/_matrix/client/v3/user/{quote(raw.user_id)}/account_data/{kind}"


def recovery(peer: Peer) -> KeyRecovery:
    return peer.account.feature(KeyRecovery)


def told(peer: Peer, state: Recovery) -> Callable[[], RecoveryChanged | None]:
    def newest() -> RecoveryChanged | None:
        found = [n for n in peer.notices if isinstance(n, RecoveryChanged) and n.state is state]
        return found[-1] if found else None

    return newest


async def api_get(homeserver: EmbeddedHomeserver, token: str, path: str) -> dict:
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        aiohttp.ClientSession(headers=headers) as http,
        http.get(f"{homeserver.url}{path}") as resp,
    ):
        assert resp.status == 200, await resp.text()
        return await resp.json()


def rows_of(peer: Peer, space: str) -> list[tuple[str, str, Stage, str]]:
    return sorted(
        (r.instruction.ref, r.instruction.delegation, r.stage, r.instruction.subject)
        for r in feed(peer, space).rows
    )


async def test_a_second_device_reads_earlier_instructions_after_the_recovery_key(
    homeserver: EmbeddedHomeserver, peers: list[Peer], tmp_path: Path
) -> None:
    fac, amal, omar, sara = peers
    await omar.wait_for(lambda: told(omar, Recovery.SET_UP_NEEDED)() is not None, "the offer")
    shown = await omar.backend.use("recovery", lambda r: r.set_up())
    assert shown is not None and told(omar, Recovery.KEY_CREATED)() is not None
    assert shown not in repr(omar.notices)  # the key never reaches a log or a record

    info = await convene(fac, amal, omar, sara)
    space = info.space_id
    refs = [
        await instructions(amal).issue(space, Draft(subject, "Details.", action=("geneva",)))
        for subject in ("Hold the line", "Propose a pause", *(f"Report {n}" for n in range(5)))
    ]  # with their "received" acks, more than a new device's first sync brings of a room
    for ref in refs:
        await omar.wait_for(stage_is(omar, space, ref, "geneva", Stage.RECEIVED), "received")
    first = feed(omar, space).by_ref[refs[0]][0].instruction
    await instructions(omar).acknowledge(first.event_id, "acknowledged")
    await omar.wait_for(
        stage_is(omar, space, refs[0], "geneva", Stage.ACKNOWLEDGED), "omar's own ack"
    )
    room = first.room_id
    archived = await omar.account.db(omar.account.archive.recent_events, room, 500)
    encrypted = [e for e in archived if e.source.get("type") == "m.room.encrypted"]
    sessions = {str(e.source["content"]["session_id"]) for e in encrypted}
    await omar.wait_for(
        lambda: {f"{room}|{s}" for s in sessions} <= recovery(omar).backed_up(),
        "every room key of the delegation room in the backup",
    )

    # An independent client of the same user sees the backup and its sessions.
    raw = await raw_nio_client(
        homeserver, omar.login_as.user_id, omar.login_as.password, tmp_path / "raw"
    )
    try:
        version = await api_get(
            homeserver, raw.access_token, "/_matrix/client/v3/room_keys/version"
        )
        assert version["algorithm"] == "m.megolm_backup.v1.curve25519-aes-sha2"
        path = f"/_matrix/client/v3/room_keys/keys?version={quote(version['version'])}"
        held = await api_get(homeserver, raw.access_token, path)
        messages = await api_get(
            homeserver,
            raw.access_token,
            f"/_matrix/client/v3/rooms/{quote(room)}/messages?dir=b&limit=200",
        )
        in_room = {
            e["content"]["session_id"] for e in messages["chunk"] if e["type"] == "m.room.encrypted"
        }
        assert in_room and in_room <= set(held["rooms"][room]["sessions"])

        # With the recovery key and the spec alone, the plain client reads the
        # instructions: secret storage → backup key → session keys → Megolm.
        pointer = await api_get(homeserver, raw.access_token, account_data(raw, DEFAULT_KEY))
        sealed = await api_get(homeserver, raw.access_token, account_data(raw, SECRET_NAME))
        backup_key = spec_decrypt(
            recovery_key.decode(shown), SECRET_NAME, sealed["encrypted"][pointer["key"]]
        )
        for session_id, data in held["rooms"][room]["sessions"].items():
            plain = spec_backup_decrypt(unb64(backup_key.decode()), data["session_data"])
            session = InboundGroupSession.import_session(
                plain["session_key"],
                plain["sender_claimed_keys"]["ed25519"],
                plain["sender_key"],
                room,
                plain["forwarding_curve25519_key_chain"],
            )
            assert session.id == session_id
            raw.olm.inbound_group_store.add(session)
        bodies = set()
        for source in messages["chunk"]:
            if source["type"] == "m.room.encrypted":
                event = MegolmEvent.from_dict(source)
                event.room_id = room
                opened = raw.decrypt_event(event)
                bodies.add(str(opened.source["content"].get("body")))
        for subject in ("Hold the line", "Propose a pause"):
            assert any(subject in body for body in bodies)
    finally:
        await raw.close()

    # A new laptop: the same delegate signs in again and sees why the feed is empty. The
    # old device is switched off first (it would answer the laptop's key requests).
    omar_keys = omar.account.feature(CrossSigning).keys
    assert omar_keys is not None
    omar_master = omar_keys.master.public
    peers.remove(omar)
    await omar.close()
    laptop = await Peer(tmp_path / "omar-laptop", omar.login_as).login(homeserver)
    try:
        await laptop.wait_for(lambda: told(laptop, Recovery.RESTORE_OFFERED)() is not None, "offer")
        expected = len({e.event_id for e in encrypted})
        await laptop.wait_for(lambda: told(laptop, Recovery.HISTORY_FETCHED)() is not None, "it")
        await laptop.wait_for(
            lambda: feed(laptop, space).unreadable == expected,
            f"{expected} instructions cannot be read on this device",
        )
        assert rows_of(laptop, space) == []

        wrong = recovery_key.encode(recovery_key.new_key())
        assert await laptop.backend.use("recovery", lambda r: r.restore(wrong)) is None
        failed = told(laptop, Recovery.FAILED)()
        assert failed is not None and failed.reason == "wrong_key"
        typo = shown[:-1] + ("2" if shown[-1] != "2" else "3")
        assert await laptop.backend.use("recovery", lambda r: r.restore(typo)) is None
        failed = told(laptop, Recovery.FAILED)()
        assert failed is not None and failed.reason == "not_a_key"
        assert feed(laptop, space).unreadable == expected and rows_of(laptop, space) == []

        typed_back = "  " + shown.replace(" ", "\n")  # as copied from a note, over lines
        restored = await laptop.backend.use("recovery", lambda r: r.restore(typed_back))
        assert restored is not None and restored.imported >= len(sessions)
        done = told(laptop, Recovery.RESTORED)()
        assert done is not None and done.decrypted >= expected
        await laptop.wait_for(
            lambda: rows_of(laptop, space) == rows_of(omar, space), "the feed as on the old device"
        )
        assert feed(laptop, space).unreadable == 0
        still_locked = await laptop.account.db(laptop.account.archive.undecrypted, room)
        assert still_locked == []  # the timeline reads every row too
        # Cross-signing's keys were behind the same recovery key: the laptop holds them.
        laptop_keys = laptop.account.feature(CrossSigning).keys
        assert laptop_keys is not None
        assert laptop_keys.master.public == omar_master
        assert [r[2] for r in rows_of(laptop, space)].count(Stage.ACKNOWLEDGED) == 1
    finally:
        await laptop.close()


async def test_a_backup_swapped_in_by_someone_else_gets_no_keys(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """The server (or anyone holding the password) can make a new backup version with a
    key of its own. The app keeps feeding only the backup it opened with the recovery
    key, and asks for the key again instead of sending room keys to the newcomer."""
    account = make_account("swap")
    alice = await Peer(tmp_path / "alice", account).login(homeserver)
    try:
        assert await recovery(alice).set_up() is not None
        token = alice.account.client.creds.access_token
        forged_key = vodozemac.PkDecryption.from_key(
            vodozemac.Curve25519SecretKey.from_bytes(os.urandom(32))
        )
        forged = {
            "algorithm": "m.megolm_backup.v1.curve25519-aes-sha2",
            "auth_data": {"public_key": forged_key.public_key.to_base64()},
        }
        headers = {"Authorization": f"Bearer {token}"}
        url = f"{homeserver.url}/_matrix/client/v3/room_keys/version"
        async with aiohttp.ClientSession(headers=headers) as http, http.post(url, json=forged) as r:
            assert r.status == 200
            forged_version = (await r.json())["version"]

        room = await alice.account.create_room("After the swap")
        sent = await alice.account.send_text(room, "a new session's first message")
        await alice.wait_for(lambda: alice.sent(sent.txn_id), "the message")
        await alice.wait_for(
            lambda: told(alice, Recovery.RESTORE_OFFERED)() is not None, "being asked again"
        )
        now = await api_get(homeserver, token, "/_matrix/client/v3/room_keys/version")
        assert now["version"] == forged_version and now["count"] == 0
        assert not any(k.startswith(f"{room}|") for k in recovery(alice).backed_up())
    finally:
        await alice.close()
