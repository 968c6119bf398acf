"""A client rides out a homeserver restart: it shows the outage and loses nothing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from app.homeserver import EmbeddedHomeserver
from app.services.notices import Connection
from tests.peers import Peer

pytestmark = pytest.mark.integration  # starts and restarts a Synapse of its own


async def test_synapse_restart_under_a_running_client(tmp_path: Path) -> None:
    server = EmbeddedHomeserver(tmp_path / "homeserver")
    server.start()
    try:
        alice = await Peer(tmp_path / "alice", server.create_account("alice")).login(server)
        bob = await Peer(tmp_path / "bob", server.create_account("bob")).login(server)
        try:
            room = await alice.open_room_with("Crisis cell", bob)
            await alice.account.send_text(room, "before the outage")
            await bob.wait_text(room, "before the outage")

            server.stop()
            await alice.wait_for(lambda: alice.connection() is Connection.OFFLINE, "offline")
            during = await alice.account.send_text(room, "written during the outage")
            assert not alice.sent(during.txn_id)  # pending, shown as such, not lost

            server.start()
            await alice.wait_for(lambda: alice.connection() is Connection.ONLINE, "reconnect")
            await alice.wait_for(lambda: alice.sent(during.txn_id), "the pending row to go out")
            await bob.wait_text(room, "written during the outage")
            await alice.account.send_text(room, "after the outage")
            await bob.wait_text(room, "after the outage")
            assert Counter(bob.texts(room))["written during the outage"] == 1
        finally:
            await alice.close()
            await bob.close()
    finally:
        server.stop()
