"""A full disk: said as such, waited out, and nothing queued lost or sent twice.

A small tmpfs stands in for the full disk, so these tests need root (to mount) and
skip with the exact reason otherwise. The reader is a plain matrix-nio client.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from nio import SyncResponse

from app.core.records import OutboxState
from app.homeserver import EmbeddedHomeserver
from app.services.notices import OutboxChanged, Problem
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client

ORDERS = ["Order 1: hold the line", "Order 2: ask for a recess", "Order 3: sign nothing"]


@contextlib.contextmanager
def small_disk(where: Path, size: str = "8m") -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where`` for the test's duration."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill needs root (os.geteuid() != 0)")
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"mount -t tmpfs failed: {mounted.stderr.strip() or mounted.returncode}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> Path:
    """Write a file until the disk has no byte left; returns it (delete it to free space)."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (1 << 20, 4096, 1):
            try:
                while True:
                    os.write(fd, b"\0" * chunk)
            except OSError as exc:
                assert exc.errno == errno.ENOSPC, exc
    finally:
        os.close(fd)
    return filler


def _problems(peer: Peer) -> list[Problem]:
    return [n for n in peer.notices if isinstance(n, Problem)]


def _disk_full_told(peer: Peer) -> bool:
    return any(isinstance(n, Problem) and n.what == "disk_full" for n in peer.notices)


@pytest.mark.parametrize("fetched", ["before", "while full"])
async def test_sending_waits_out_a_full_disk_and_resumes_by_itself(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, fetched: str
) -> None:
    """``fetched``: whether the reader's device list reaches us before the disk fills, or
    while it is full (then it is held in memory only, and must not stop every later send)."""
    reader = make_account("reader")
    data_dir = tmp_path / "capital"
    # The device's crypto store lives on the small disk: sharing a room key with a new
    # device must write there (a new Olm session) before anything is sent.
    with small_disk(data_dir / "crypto") as disk:
        capital = await Peer(data_dir, make_account("capital")).login(homeserver)
        raw = await raw_nio_client(homeserver, reader.user_id, reader.password, tmp_path / "raw")
        try:
            room = await capital.account.create_room("Delegation", (reader.user_id,))
            # The room's own creation synced first (nio stores that it is encrypted, on
            # the small disk): what must arrive while the disk is full is the reader.
            await capital.wait_for(lambda: capital.has_joined(room, capital.user_id), "the room")
            filler = fill(disk) if fetched == "while full" else None
            await raw_join(raw, room)
            await capital.wait_for(lambda: capital.has_joined(room, reader.user_id), "the join")

            filler = filler or fill(disk)
            queued = [await capital.account.send_text(room, text) for text in ORDERS]
            await capital.wait_for(lambda: _disk_full_told(capital), "'the disk is full'")
            rows = await capital.account.db(capital.account.outbox.pending)
            assert [r.txn_id for r in rows] == [q.txn_id for q in queued]  # kept, in order
            assert not [
                n
                for n in capital.notices
                if isinstance(n, OutboxChanged) and n.item.state is OutboxState.FAILED
            ]

            filler.unlink()  # space returns: nobody presses anything
            await capital.wait_for(
                lambda: all(capital.sent(q.txn_id) for q in queued), "the queued orders to go"
            )
            raw.next_batch = None  # an initial sync: the room's last 50 events, decrypted
            resp = await raw.sync(timeout=0, sync_filter={"room": {"timeline": {"limit": 50}}})
            assert isinstance(resp, SyncResponse)
            bodies = [getattr(e, "body", None) for e in resp.rooms.join[room].timeline.events]
            assert [b for b in bodies if b in ORDERS] == ORDERS  # each once, in order
        finally:
            await raw.close()
            await capital.close()


async def test_a_full_disk_at_start_up_is_told_as_such(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    data_dir = tmp_path / "capital"
    with small_disk(data_dir, "16m") as disk:
        capital = await Peer(data_dir, make_account("capital")).login(homeserver)
        room = await capital.account.create_room("Delegation")
        pending = await capital.account.send_text(room, "queued before the disk filled")
        await capital.wait_for(lambda: capital.sent(pending.txn_id), "the send")
        await capital.close()
        filler = fill(disk)

        again = Peer(data_dir)
        await again.backend.start()
        try:
            problems = [n for n in again.notices if isinstance(n, Problem)]
            assert [p.what for p in problems] == ["disk_full"], problems
            assert "disk is full" in problems[0].detail
            assert "move it aside" not in problems[0].detail
        finally:
            await again.close()

        delegate = make_account("delegate")
        fresh = Peer(disk / "another")  # a first sign-in on the full disk
        try:
            assert not await fresh.backend.login(
                homeserver.url, delegate.user_id, delegate.password
            )
            assert [n.what for n in fresh.notices if isinstance(n, Problem)] == ["disk_full"]
        finally:
            await fresh.close()
        filler.unlink()


async def test_a_full_data_folder_is_told_and_sending_works_again_once_space_returns(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """The whole data folder on the small disk: a message typed then is refused as 'not
    queued' or queued to wait (whichever write hits the full disk first); either way the
    user reads 'the disk is full', and once space returns what was queued and what is
    typed next reach the reader, each exactly once."""
    reader = make_account("reader")
    with small_disk(tmp_path / "capital", "24m") as disk:
        capital = await Peer(disk, make_account("capital")).login(homeserver)
        raw = await raw_nio_client(homeserver, reader.user_id, reader.password, tmp_path / "raw")
        try:
            room = await capital.account.create_room("Delegation", (reader.user_id,))
            await raw_join(raw, room)
            await capital.wait_for(lambda: capital.has_joined(room, reader.user_id), "the join")

            filler = fill(disk)
            for text in ORDERS[:2]:
                await capital.backend.send_text(room, text)
            await capital.wait_for(lambda: _disk_full_told(capital), "'the disk is full'")

            filler.unlink()
            await capital.backend.send_text(room, ORDERS[2])
            queued = {
                n.item.txn_id: n.item.content["body"]
                for n in capital.notices
                if isinstance(n, OutboxChanged)
            }
            assert ORDERS[2] in queued.values(), (queued, _problems(capital))
            await capital.wait_for(
                lambda: all(capital.sent(txn) for txn in queued), "the queued orders to go"
            )
            raw.next_batch = None
            resp = await raw.sync(timeout=0, sync_filter={"room": {"timeline": {"limit": 50}}})
            assert isinstance(resp, SyncResponse)
            bodies = [getattr(e, "body", None) for e in resp.rooms.join[room].timeline.events]
            got = [b for b in bodies if b in ORDERS]
            assert got == list(queued.values()), (got, queued, _problems(capital))
        finally:
            await raw.close()
            await capital.close()
