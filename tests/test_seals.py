"""Witnessed records against a plain matrix-nio client: the seal's chain is the same on
both sides, a disagreeing seal says "records differ" with its span, a badly signed one is
recorded as forged and ignored (real Synapse; the other side is not our code)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nio import AsyncClient, SyncResponse

from app.core.records import EventStatus, RoomEvent
from app.core.seals import NOTE_DIFFERS, SEAL, Seal, read_seal, sealed_content, span_head
from app.core.seals.seal import signature_holds
from app.homeserver import EmbeddedHomeserver
from app.services.notices import RecordsDiffer
from app.ui.timeline.rows import RowKind, event_row
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client
from tests.test_plain_clients import knows_device


class RecordingClient(AsyncClient):
    """Plain matrix-nio that also keeps each timeline event as the server sent it, before
    nio decrypts it in place (a seal's chain covers the ciphertext everyone receives)."""

    received: list[dict[str, Any]]

    async def receive_response(self, response: Any) -> None:
        if isinstance(response, SyncResponse):
            for room_id, joined in response.rooms.join.items():
                self.received += [{**e.source, "room_id": room_id} for e in joined.timeline.events]
        await super().receive_response(response)


async def recording_client(
    homeserver: EmbeddedHomeserver, user: str, password: str, store: Path
) -> RecordingClient:
    raw = await raw_nio_client(homeserver, user, password, store, RecordingClient)
    raw.received = []  # before any sync: login and key upload answers are not recorded
    return raw


class Witness:
    """Bob's plain client in one room: the events as sent, and the seals it could read."""

    def __init__(self, raw: RecordingClient, room_id: str) -> None:
        self.raw = raw
        self.room_id = room_id
        self.seals: list[dict[str, Any]] = []  # decrypted seal contents

    async def until(self, check: Callable[[], bool], what: str) -> None:
        """Sync until ``check()`` holds."""
        for _ in range(60):  # long polls: each returns as soon as the server has news
            if check():
                return
            reply = await self.raw.sync(timeout=3_000)
            assert isinstance(reply, SyncResponse), reply
            joined = reply.rooms.join.get(self.room_id)
            for event in joined.timeline.events if joined else ():
                if event.source.get("type") == SEAL:  # nio decrypted it in place
                    self.seals.append(event.source["content"])
        raise AssertionError(f"{what} never reached the plain client")

    @property
    def sources(self) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in s.items() if k != "room_id"}
            for s in self.raw.received
            if s["room_id"] == self.room_id
        ]

    def ids(self) -> list[str]:
        return [str(s["event_id"]) for s in self.sources]

    def span(self, first: str, last: str) -> list[dict[str, Any]]:
        ids, sources = self.ids(), self.sources
        return sources[ids.index(first) : ids.index(last) + 1]

    def sign(self, payload: bytes) -> str:
        assert self.raw.olm is not None
        return str(self.raw.olm.account.sign(payload.decode("utf-8")))

    async def send_seal(
        self, sources: list[dict[str, Any]], sign: Callable[[bytes], str] | None = None
    ) -> str:
        count, head = span_head(sources)
        seal = Seal(
            self.room_id,
            str(sources[0]["event_id"]),
            str(sources[-1]["event_id"]),
            count,
            head,
            self.raw.device_id,
        )
        content = sealed_content(seal, self.raw.user_id, sign or self.sign)
        sent = await self.raw.room_send(self.room_id, SEAL, content, ignore_unverified_devices=True)
        return str(sent.event_id)


def latest(peer: Peer, event_id: str) -> RoomEvent | None:
    """The event as the app last announced it (a verdict re-announces it)."""
    found = [e for e in peer.events() if e.event_id == event_id]
    return found[-1] if found else None


def stranger_signs(payload: bytes) -> str:
    """A signature by a key that is not the device's."""
    signature = Ed25519PrivateKey.generate().sign(payload)
    return base64.b64encode(signature).decode().rstrip("=")


async def test_seals_agree_differ_or_are_forged_against_a_plain_client(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    alice = await Peer(tmp_path / "alice", make_account("alice")).login(homeserver)
    bob_account = make_account("bob")
    raw = await recording_client(
        homeserver, bob_account.user_id, bob_account.password, tmp_path / "bob"
    )
    try:
        room = await alice.account.create_room("Delegation feed", (bob_account.user_id,))
        await raw_join(raw, room)
        await alice.wait_for(
            lambda: knows_device(alice, raw.user_id, raw.device_id), "bob's device"
        )
        bob = Witness(raw, room)

        # Alice seals on demand twice; bob, who joined late, checks the second one (its
        # span starts after the first seal) from what *he* received: same chain.
        await alice.account.send_text(room, "one")
        await alice.backend.use("seals", lambda s: s.seal(room))
        for body in ("two", "three"):
            await alice.account.send_text(room, body)
        await alice.wait_text(room, "three")
        (second,) = await alice.backend.use("seals", lambda s: s.seal_all([room]))

        def second_seal() -> list[dict[str, Any]]:
            return [c for c in bob.seals if c.get("last_event_id") == second.last_event_id]

        await bob.until(lambda: bool(second_seal()), "alice's second seal")
        (content,) = second_seal()
        alice_key = raw.device_store[alice.user_id][alice.account.client.creds.device_id].ed25519
        assert signature_holds(content, alice.user_id, alice_key)
        theirs = read_seal(content)
        assert isinstance(theirs, Seal)
        assert (theirs.count, theirs.head) == span_head(
            bob.span(theirs.first_event_id, theirs.last_event_id)
        )

        # Bob's seals of the three texts: one as received, one as if the server had
        # dropped "two" for him, one signed by a key that is not his device's.
        texts = [e.event_id for b in ("one", "two", "three") if (e := alice.find_text(room, b))]
        await bob.until(lambda: texts[-1] in bob.ids(), "the three texts")
        span = bob.span(texts[0], texts[-1])
        agreeing = await bob.send_seal(span)
        dropped = await bob.send_seal([s for s in span if s["event_id"] != texts[1]])
        forged = await bob.send_seal(span, stranger_signs)

        await alice.wait_for(
            lambda: any(isinstance(n, RecordsDiffer) for n in alice.notices), "records differ"
        )
        (differ,) = [n for n in alice.notices if isinstance(n, RecordsDiffer)]
        assert (differ.first_event_id, differ.last_event_id) == (texts[0], texts[-1])
        whole = len(span)  # the texts and alice's seal between them
        assert (differ.their_count, differ.our_count, differ.sender) == (
            whole - 1,
            whole,
            raw.user_id,
        )
        differs = latest(alice, dropped)
        assert differs is not None and differs.note.startswith(NOTE_DIFFERS)
        row = event_row(differs)
        assert row is not None and row.kind is RowKind.DIFFERS and texts[0] in row.text

        await alice.wait_for(
            lambda: (e := latest(alice, forged)) is not None and e.status is EventStatus.FORGED,
            "the forged seal recorded as such",
        )
        forged_row = event_row(latest(alice, forged))
        assert forged_row is not None and forged_row.kind is RowKind.FORGED
        agreed = latest(alice, agreeing)
        assert agreed is not None and agreed.status is EventStatus.OK and agreed.note == ""
        assert event_row(agreed) is None  # machine-only: nothing to show when all agrees
        kept = await alice.account.db(
            alice.account.archive.events_by_id, [agreeing, dropped, forged]
        )
        assert set(kept) == {agreeing, dropped, forged}  # every seal is in the record
    finally:
        await raw.close()
        await alice.close()
