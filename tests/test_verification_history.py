"""A device that reads a finished in-room verification later, newest first, stays out of it.

Seen by hand with Nheko (docs/nheko-check.md): the delegate verified with Nheko, then
signed in with the app; the app's new device read the room's verification events as
history, newest first (back-filled, and decrypted late), took the requests for live ones
and sent an ``m.unexpected_message`` cancel into the room for a verification other
devices had finished. The events here are the ones of that run, in that order, handed
to a real signed-in device's verification hub.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from app.core import verification as v
from app.core.records import RoomEvent
from app.core.verification import Phase
from app.homeserver import EmbeddedHomeserver
from app.services.notices import OutboxChanged
from app.services.verification.notices import VerificationChanged
from tests.fixtures_homeserver import MakeAccount
from tests.peers import peers_signed_in

V = "m.key.verification."
ALICE = "@alice-official:hs"
NHEKO = "NHEKODEVICE"


def event(n: int, kind: str, sender: str, content: dict[str, Any], age_s: float) -> RoomEvent:
    ts = int((time.time() - age_s) * 1000)
    return RoomEvent(f"$e{n}", "!geneva:hs", sender, kind, ts, content)


def about(request_id: str, **content: Any) -> dict[str, Any]:
    return {**content, "m.relates_to": {"rel_type": "m.reference", "event_id": request_id}}


async def test_history_of_a_verification_done_elsewhere_sends_nothing(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with peers_signed_in(homeserver, make_account, tmp_path, "bob") as (bob,):
        me = bob.user_id
        asked = {"msgtype": V + "request", "body": "verify?", "from_device": "ALICEDEV"}
        asked |= {"methods": ["m.sas.v1"], "to": me}
        mac = {"mac": {"ed25519:ALICEDEV": "x"}, "keys": "y"}
        newest_first = [
            event(1, "m.room.message", ALICE, asked, 300),  # the second request, answered
            event(2, "m.room.message", ALICE, asked, 350),  # the first, cancelled by Alice
            event(3, V + "done", me, about("$e1"), 240),  # from Bob's Nheko
            event(4, V + "done", ALICE, about("$e1"), 240),
            event(5, V + "mac", ALICE, about("$e1", **mac), 241),
            event(6, V + "key", ALICE, about("$e1", key="k"), 270),
            event(7, V + "accept", me, about("$e1", commitment="c"), 271),
            event(8, V + "start", ALICE, about("$e1", from_device="ALICEDEV"), 272),
            event(9, V + "ready", me, about("$e1", from_device=NHEKO, methods=["m.sas.v1"]), 280),
            event(10, V + "cancel", ALICE, about("$e2", code=v.USER, reason="x"), 320),
        ]
        hub = bob.account.client.verification
        for past in newest_first:
            await hub.receive_room(past)

        sent = [
            n.item.event_type
            for n in bob.notices
            if isinstance(n, OutboxChanged) and n.item.event_type.startswith(V)
        ]
        assert sent == []  # no cancel, no ready: this device was no party to it
        shown = [n.view for n in bob.notices if isinstance(n, VerificationChanged)]
        assert shown, "the live-looking request was offered once"
        assert shown[-1].phase is Phase.CANCELLED
        assert shown[-1].cancel_code == v.ACCEPTED_ELSEWHERE  # the prompt goes away
