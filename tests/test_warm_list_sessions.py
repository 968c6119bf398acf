"""A restart paints a session's rooms grouped under its title at once, from the archive.

What the user must see: the list painted before the server has answered is the list the
backend shows a moment later, sessions included: the session's space under its
decrypted title with its rooms beneath it, named by kind, not the space's neutral name
("Session 4821") and flat rooms that regroup once the backend's rosters come. Nothing
in the list moves, is renamed or disappears when the backend's list and rosters arrive,
though a plain matrix-nio participant posted into the session while the app was closed.
The session is convened by the app's own code; the restart runs in a new interpreter
against the real Synapse.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.core import roles
from app.core.paths import DataDir
from app.core.records import EventStatus
from app.core.roles import Role
from app.core.session import Blueprint, Participant, SessionInfo
from app.homeserver import Account, EmbeddedHomeserver
from app.services.notices import Notice, RosterChanged
from app.services.preview import show_archive
from app.services.rosters import rosters_of
from app.services.sessions import Sessions
from app.store import Archive
from app.store.archive_keys import ArchiveKeys
from app.store.sqlcipher import connect_encrypted
from app.ui.session_marking import Marking
from tests.child_app import FIRST_PAINT, run_child, window_child
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client

TITLE = "Zeta crisis"
POSTED = "the convoy left at dawn"

# The window's rows (id and label, as painted) when the list was first painted and when
# the plain client's message has come through the backend; whether the login was
# confirmed at that first paint; every row the list moved or removed after it.
RESTART = window_child(
    """
import os
model = window.workspace.rooms
seen = {"signed_in": False, "changes_after_paint": []}

def rows():
    return [[model.room(row).room_id, model.data(model.index(row))]
            for row in range(model.rowCount())]

def changed(what):
    def note(*_args):
        if "rows_at_paint" in seen:
            seen["changes_after_paint"].append(what)
    return note

model.rowsMoved.connect(changed("moved"))
model.rowsRemoved.connect(changed("removed"))

def signed_in(_notice):
    seen["signed_in"] = True

def arrived(notice):
    bodies = [e.content.get("body") for e in notice.events]
    if seen["signed_in"] and os.environ["POSTED"] in bodies:
        def done():
            seen["rows_at_end"] = rows()
            app.quit()
        QTimer.singleShot(0, done)

def painted():
    seen["rows_at_paint"] = rows()
    seen["signed_in_at_paint"] = seen["signed_in"]
""",
    FIRST_PAINT,
    hooks={"LoggedIn": "signed_in", "EventsArrived": "arrived"},
    limit_ms=90_000,
)


async def convene(
    homeserver: EmbeddedHomeserver, owner: Account, amal: Account, data: DataDir, store: Path
) -> tuple[SessionInfo, str]:
    """The owner's app on ``data`` convenes a session (amal an official) and makes a plain
    room; amal joins the operations room from a plain nio client; once the owner's app has
    archived the session's details and amal's join it is closed, and amal posts into the
    operations room. Returns the session and the plain room."""
    facilitator = await Peer(data.root, owner).login(homeserver)
    raw = await raw_nio_client(homeserver, amal.user_id, amal.password, store)
    try:
        blueprint = Blueprint(
            TITLE,
            "evacuation",
            "Africa/Cairo",
            participants=(Participant(amal.user_id, Role.OFFICIAL),),
        )
        info = await Sessions.of(facilitator.account).convene(blueprint)
        plain = await facilitator.account.create_room("Alpha chat")
        operations = info.room(roles.RoomKind.OPERATIONS)
        assert operations is not None
        await raw_join(raw, operations)
        await facilitator.wait_for(
            lambda: (
                titled(facilitator.notices) and facilitator.has_joined(operations, amal.user_id)
            ),
            "the session's details and amal's join archived",
        )
        await facilitator.close()
        content = {"msgtype": "m.text", "body": POSTED}
        await raw.room_send(operations, "m.room.message", content, ignore_unverified_devices=True)
    finally:
        await raw.close()
    return info, plain


def titled(said: list[Notice]) -> bool:
    return any(isinstance(n, RosterChanged) and n.roster.session.title == TITLE for n in said)


def test_a_restart_paints_a_sessions_rooms_grouped_under_its_title_before_the_server_answers(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    owner, amal = make_account("warm-sessions"), make_account("amal-warm")
    data = DataDir(tmp_path / "device")
    info, plain = asyncio.run(convene(homeserver, owner, amal, data, tmp_path / "amal"))

    seen = run_child(RESTART, data.root, POSTED=POSTED, OOR_CREDENTIALS="file")
    painted = seen["rows_at_paint"]
    assert not seen["signed_in_at_paint"]  # painted from the archive, the server not asked yet
    ids = [room_id for room_id, _ in painted]
    session = [info.space_id, *(r.room_id for r in info.rooms)]
    assert ids[: len(session)] == session  # the session first, its rooms beneath it
    assert painted[0][1] == TITLE  # the decrypted title, not the space's neutral name
    labels = dict(painted)
    assert all(labels[r.room_id].startswith("    ") for r in info.rooms)  # named by kind
    assert labels[plain] == "Alpha chat"
    assert "rows_at_end" in seen  # the backend's list came, and amal's message through it
    assert seen["rows_at_end"] == painted  # nothing moved, renamed, added or taken away
    assert seen["changes_after_paint"] == []


def test_a_session_whose_details_are_not_decrypted_is_announced_pending_as_the_backend_reads_it(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """The records rule: until its details are read, a session is neither an exercise nor
    a real one. Its details message is made what the archive holds while the room key has
    not come (undecrypted, the ciphertext as content): the early list's roster says
    "details pending", the same roster the store reads for the backend."""
    owner, amal = make_account("warm-pending"), make_account("amal-pending")
    data = DataDir(tmp_path / "device")
    info, _plain = asyncio.run(convene(homeserver, owner, amal, data, tmp_path / "amal"))
    as_if_the_details_key_had_not_come(data, owner.user_id)

    said: list[Notice] = []
    preview = asyncio.run(show_archive(data, said.append))
    try:
        assert preview.opened is not None
        archive = Archive(preview.opened.engine, owner.user_id)
        backend_reads = rosters_of(archive, [info.space_id])
    finally:
        preview.close()
        preview.lock.release()
    kinds = [type(n).__name__ for n in said]
    assert kinds == ["Resuming", "RosterChanged", "RoomsChanged", "RoomLoaded"]
    announced = said[1]
    assert isinstance(announced, RosterChanged)
    assert [announced] == backend_reads
    assert Marking.of(announced.roster.session) is Marking.PENDING
    assert announced.roster.session.title != TITLE


def as_if_the_details_key_had_not_come(data: DataDir, user_id: str) -> None:
    """The session's details messages as the archive keeps an event whose key is late."""
    key = ArchiveKeys(data.account(user_id), user_id).existing()
    conn = connect_encrypted(data.archive(user_id), key)
    try:
        conn.execute(
            "UPDATE events SET type = 'm.room.encrypted', status = ?,"
            " content = json_extract(source, '$.content')"
            " WHERE type = 'm.room.message' AND content LIKE ?",
            (EventStatus.UNDECRYPTED.value, f'%"{roles.SESSION_INFO}":%'),
        )
        assert conn.total_changes > 0
        conn.commit()
    finally:
        conn.close()
