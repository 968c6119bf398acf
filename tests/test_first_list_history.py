"""A first start's room keeps its history: opened before anything was archived, it pages
back as soon as its events come.

What the user must see: on a new device the room the window opens first (announced
from the first sync's raw answer, before the backend has archived anything) shows the
first sync's newest messages once they are archived, and the older ones the first sync
left out come when the user is at the top of that room, as in any room. The other side
is a plain matrix-nio client on the real Synapse.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.core.paths import DataDir
from app.homeserver import Account, EmbeddedHomeserver
from tests.child_app import run_child, window_child
from tests.fixtures_homeserver import MakeAccount
from tests.peers import raw_nio_client
from tests.test_first_list import stored_login

MESSAGES = 30  # a first sync brings the newest 10 of a room

# A first start in a new interpreter (as a user's: the list comes before the backend):
# it notes whether the first room was opened provisional, waits for the room's newest
# message, then keeps the timeline at its top until the oldest message is shown (or a
# minute has gone by). Its rows then, and whether the room list was already painted.
FIRST_START = window_child(
    """
from PySide6.QtWidgets import QLabel

seen = {"provisional": False, "newest_shown": False}

def texts():
    model = window.workspace.timeline
    return [model.row(i).text for i in range(model.rowCount())]

def note():
    return window.findChild(QLabel, "receivingNote").isVisible()

def loaded(notice):
    seen["provisional"] |= notice.provisional
    if notice.provisional and "note_when_opened" not in seen:
        QTimer.singleShot(0, lambda: seen.setdefault("note_when_opened", note()))

def check(_notice=None):
    shown = texts()
    if f"message {MESSAGES - 1}" in shown:
        seen["newest_shown"] = True
        seen["note_with_messages"] = note()
        window.workspace.timeline_view.scrollToTop()
    if "message 0" in shown:
        seen["texts"] = shown
        QTimer.singleShot(0, app.quit)
""",
    hooks={"RoomLoaded": "loaded", "EventsArrived": "check", "OlderLoaded": "check"},
    limit_ms=60_000,
    end='seen["texts_at_end"] = texts()\n',
)


async def a_room_with_history(
    homeserver: EmbeddedHomeserver, owner: Account, sam: Account, tmp: Path
) -> None:
    """A room a plain client made, joined by the owner's plain client, with more
    messages than a first sync brings."""
    raw = await raw_nio_client(homeserver, sam.user_id, sam.password, tmp / "sam")
    mine = await raw_nio_client(homeserver, owner.user_id, owner.password, tmp / "owner")
    try:
        made = await raw.room_create(name="Operations", invite=[owner.user_id])
        await mine.join(made.room_id)
        await raw.sync(timeout=0)  # the plain client learns the room it made
        for n in range(MESSAGES):
            content = {"msgtype": "m.text", "body": f"message {n}"}
            await raw.room_send(made.room_id, "m.room.message", content)
    finally:
        await raw.close()
        await mine.close()


def test_the_first_room_of_a_first_start_pages_back_its_older_messages(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    owner, sam = make_account("first-history"), make_account("sam-history", name="Sam")
    asyncio.run(a_room_with_history(homeserver, owner, sam, tmp_path))
    data = DataDir(tmp_path / "device")
    asyncio.run(stored_login(homeserver, owner, data))

    seen = run_child(
        FIRST_START.replace("MESSAGES", str(MESSAGES)), data.root, OOR_CREDENTIALS="file"
    )
    assert seen["provisional"]  # opened before anything was archived, as on a user's start
    assert seen["note_when_opened"]  # "Receiving this room's messages…", not "no messages"
    assert seen["newest_shown"] and not seen["note_with_messages"]  # gone once they came
    shown = [t for t in seen["texts_at_end"] if t.startswith("message ")]
    assert shown == [f"message {n}" for n in range(MESSAGES)]  # every one, once, in order
