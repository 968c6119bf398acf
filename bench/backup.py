"""Key backup on loopback: how long setting it up, keeping it current and restoring take.

Alice writes ``--messages`` encrypted messages into each of ``--rooms`` rooms shared with
Bob (one Megolm session per room from Alice, so ``rooms`` sessions). Bob's first device
has read them all, then makes the recovery key: the clock runs from the command to the
backup holding every session (set-up plus the first upload). Then one more message per
room, each in a new session: the time from Bob's device archiving the last of them to
its new sessions being in the backup (the "backed up after each sync" path; negative
when the keys, which come by to-device ahead of the messages, were backed up first).
Finally Bob signs in on a new device, which holds no key and has archived each room's
newest events from its first sync: the clock runs from typing the recovery key to
every archived event being readable (download, decrypt, import, re-decrypt the archive).

Run: ``python -m bench.backup [--rooms N] [--messages M]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import time
from pathlib import Path

from app.core.records import EventStatus
from app.homeserver import EmbeddedHomeserver
from app.services.notices import EventsArrived, Notice, Recovery, RecoveryChanged
from app.services.recovery import KeyRecovery
from bench.common import (
    ServicePeer,
    emit_json,
    encrypted_room,
    new_account,
    nonce,
    quiet_environment,
    running_homeserver,
)

WAIT_SECONDS = 300.0


def _sessions_of(peer: ServicePeer, rooms: list[str]) -> set[str]:
    """``room|session`` of every encrypted event the peer archived in these rooms."""
    return {
        f"{e.room_id}|{e.source['content']['session_id']}"
        for e in peer.events()
        if e.room_id in rooms and e.source.get("type") == "m.room.encrypted"
    }


def _locked(peer: ServicePeer, rooms: list[str]) -> set[str]:
    """Events the peer archived in these rooms without being able to read them."""
    return {
        f"{e.room_id}|{e.event_id}"
        for e in peer.events()
        if e.room_id in rooms and e.status is EventStatus.UNDECRYPTED
    }


async def _send_round(alice: ServicePeer, bob: ServicePeer, rooms: list[str], label: str) -> None:
    bodies = {room: nonce(label, n) for n, room in enumerate(rooms)}
    for room, body in bodies.items():
        await alice.account.send_text(room, body)
    await bob.wait_for(
        lambda: all(body in bob.texts(room) for room, body in bodies.items()),
        f"the {label} round",
        WAIT_SECONDS,
    )


async def measure(server: EmbeddedHomeserver, work: Path, rooms: int, messages: int) -> dict:
    async with contextlib.AsyncExitStack() as cleanup:
        accounts = [await asyncio.to_thread(new_account, server, n) for n in ("alice", "bob")]
        alice = await ServicePeer(work / "alice", accounts[0]).login(server)
        cleanup.push_async_callback(alice.close)
        bob = await ServicePeer(work / "bob", accounts[1]).login(server)
        cleanup.push_async_callback(bob.close)
        room_ids = [await encrypted_room(alice, bob, f"Backup bench {n}") for n in range(rooms)]
        for index in range(messages):
            await _send_round(alice, bob, room_ids, f"message-{index}")

        recovery = bob.account.feature(KeyRecovery)
        start = time.perf_counter()
        shown = await recovery.set_up()
        assert shown is not None
        await bob.wait_for(
            lambda: _sessions_of(bob, room_ids) <= recovery.backed_up(), "backup", WAIT_SECONDS
        )
        set_up_s = time.perf_counter() - start

        alice.account.client.olm.outbound_group_sessions.clear()  # new sessions to back up
        stamped: list[tuple[float, Notice]] = []
        bob.listeners.append(lambda n: stamped.append((time.perf_counter(), n)))
        await _send_round(alice, bob, room_ids, "after-set-up")
        await bob.wait_for(
            lambda: _sessions_of(bob, room_ids) <= recovery.backed_up(), "new keys", WAIT_SECONDS
        )
        arrived = max(
            t
            for t, n in stamped
            if isinstance(n, EventsArrived) and any(e.room_id in room_ids for e in n.events)
        )
        total = len(recovery.backed_up())
        backed = min(
            t
            for t, n in stamped
            if isinstance(n, RecoveryChanged) and n.state is Recovery.READY and n.backed_up == total
        )
        follow_s = backed - arrived

        laptop = await ServicePeer(work / "bob-laptop", accounts[1]).login(server)
        cleanup.push_async_callback(laptop.close)
        await laptop.wait_for(
            lambda: any(
                isinstance(n, RecoveryChanged) and n.state is Recovery.RESTORE_OFFERED
                for n in laptop.notices
            ),
            "the restore offer",
        )
        # The first sync brings each room's newest events (older ones are paged in when
        # the user scrolls back): all of them locked on a device that holds no key.
        await laptop.wait_for(
            lambda: {e.split("|")[0] for e in _locked(laptop, room_ids)} == set(room_ids),
            "the rooms' newest events",
            WAIT_SECONDS,
        )
        archive = laptop.account.archive
        locked = len(await laptop.account.db(archive.undecrypted, None, 1_000_000))
        start = time.perf_counter()
        restored = await laptop.account.feature(KeyRecovery).restore(shown)
        restore_s = time.perf_counter() - start
        assert restored is not None
        left = await laptop.account.db(archive.undecrypted, None, 1_000_000)
        readable = sum(
            1 for e in laptop.events() if e.status is EventStatus.OK and e.room_id in room_ids
        )
    return {
        "sessions": len(_sessions_of(bob, room_ids)),
        "set_up_and_first_upload_s": round(set_up_s, 3),
        "backed_up_after_last_message_s": round(follow_s, 3),
        "locked_on_new_device": locked,
        "restore_s": round(restore_s, 3),
        "imported": restored.imported,
        "still_locked_after_restore": len(left),
        "readable_events": readable,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.backup", description=__doc__)
    parser.add_argument("--rooms", type=int, default=20, help="rooms, one session each")
    parser.add_argument("--messages", type=int, default=10, help="messages per room")
    args = parser.parse_args(argv)
    quiet_environment()
    with running_homeserver("backup") as (server, work):
        figures = asyncio.run(measure(server, work, args.rooms, args.messages))
    for key, value in figures.items():
        print(f"{key:>34}: {value}", flush=True)
    emit_json("backup", {"rooms": args.rooms, "messages": args.messages, **figures})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
