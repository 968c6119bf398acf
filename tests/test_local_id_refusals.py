"""An event the server sent without an id lives in our archive under a ``local:`` id;
that id must never reach the server or the other members. Pinning, answering or (our
own) editing it is refused with a clear reason (shown as a refused timeline action),
and nothing is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.records import EventStatus
from app.core.timeline import EntryError
from app.homeserver import EmbeddedHomeserver
from app.services.timeline import Timeline
from tests.fixtures_homeserver import MakeAccount
from tests.hostile_homeserver import bob_behind_a_proxy


async def test_an_event_without_a_server_id_cannot_be_pinned_answered_or_edited(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with bob_behind_a_proxy(homeserver, make_account, tmp_path) as (alice, bob, proxy):
        room = await alice.account.create_room("Operations", (bob.user_id,))
        said = {"msgtype": "m.text", "body": "no id at all"}
        mine = {"msgtype": "m.text", "body": "mine, no id"}
        proxy.put_in_timeline[room] = [
            {"type": "m.room.message", "sender": alice.user_id, "origin_server_ts": 1}
            | {"content": said},
            {"type": "m.room.message", "sender": bob.user_id, "origin_server_ts": 2}
            | {"content": mine},
        ]
        await bob.account.client.join(room)
        await alice.account.send_text(room, "after the join")
        await bob.wait_text(room, "after the join")
        rows = await bob.account.db(bob.account.archive.recent_events, room, 10**6)
        local = next(e for e in rows if e.content.get("body") == "no id at all")
        assert local.status is EventStatus.MALFORMED and local.event_id.startswith("local:")
        timeline = bob.account.feature(Timeline)
        with pytest.raises(EntryError, match="server id"):
            await timeline.pin(room, local.event_id)
        with pytest.raises(EntryError, match="server id"):
            await timeline.reply(room, local.event_id, "answering nothing")
        own = next(e for e in rows if e.content.get("body") == "mine, no id")
        with pytest.raises(EntryError, match="server id"):
            await timeline.edit(own.event_id, "correcting nothing")
        assert await bob.account.db(bob.account.outbox.pending) == []
        pins = await bob.account.db(bob.account.archive.state, [room], ["m.room.pinned_events"])
        assert pins == []
