"""A first start's room list, shown from the first sync's raw answer before nio loads.

What the user must see: on a new device (a stored login, nothing archived) the window
lists the rooms before the backend has even confirmed the login, named as a plain
matrix-nio client names them, and the list does not change (no reorder, no renamed or
moved row) when the backend's list, archived, replaces it; a room chosen meanwhile shows
its messages once the backend has them. A revoked login, or an answer that is garbage,
odd or huge, shows no list at all and the start goes on as before. The other side is a
plain matrix-nio client on the real Synapse.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from nio import AsyncClient, RoomCreateResponse, RoomSendResponse

from app.core.paths import DataDir
from app.core.records import RoomSummary
from app.homeserver import Account, EmbeddedHomeserver
from app.matrix import MatrixClient, sync_prefetch
from app.matrix.sync_prefetch import Prefetched
from app.services import notices
from app.services.backend import DEVICE_NAME
from app.services.first_list import LARGEST, FirstList
from app.store import CredentialStore
from tests.child_app import FIRST_PAINT, run_child, window_child
from tests.fixtures_homeserver import MakeAccount
from tests.peers import ENCRYPTED, raw_nio_client

Names = dict[str, tuple[str, bool, bool]]  # room id -> display name, encrypted, space


async def _create(raw: AsyncClient, **options: object) -> str:
    made = await raw.room_create(**options)
    assert isinstance(made, RoomCreateResponse), made
    return made.room_id


async def rooms_of_every_kind(
    homeserver: EmbeddedHomeserver, owner: Account, sam: Account, sam2: Account, tmp: Path
) -> tuple[Names, str]:
    """Rooms a plain client made for the owner, joined from the owner's plain client;
    returns how that client names and flags them, and the named room's id."""
    raw = await raw_nio_client(homeserver, sam.user_id, sam.password, tmp / "sam")
    raw2 = await raw_nio_client(homeserver, sam2.user_id, sam2.password, tmp / "sam2")
    mine = await raw_nio_client(homeserver, owner.user_id, owner.password, tmp / "owner")
    try:
        invite = [owner.user_id]
        named = await _create(raw, name="Operations", invite=invite)
        await raw.sync(timeout=0)
        sent = await raw.room_send(named, "m.room.message", {"msgtype": "m.text", "body": "before"})
        assert isinstance(sent, RoomSendResponse)  # then the others: this room is not the newest
        tag = owner.user_id[1:].split(":")[0]
        rooms = [
            named,
            await _create(raw, alias=f"alias-only-{tag}", invite=invite),
            await _create(raw, is_direct=True, invite=invite),  # "Sam"
            await _create(raw, invite=[*invite, sam2.user_id]),  # two Sams: told apart
            await _create(raw, space=True, name="Session", invite=invite),
            await _create(
                raw,
                name="Restricted",
                invite=invite,
                initial_state=[ENCRYPTED],
            ),
        ]
        await raw2.join(rooms[3])
        for room_id in rooms:
            await mine.join(room_id)
        await mine.sync(timeout=0, full_state=True)
        names = {
            room_id: (room.display_name, room.encrypted, room.room_type == "m.space")
            for room_id, room in mine.rooms.items()
        }
        assert set(names) == set(rooms)
        assert len(set(n for n, _, _ in names.values())) == len(rooms)  # each told apart
        return names, named
    finally:
        for client in (raw, raw2, mine):
            await client.close()


async def stored_login(homeserver: EmbeddedHomeserver, account: Account, data: DataDir) -> None:
    """A new device signed in and its login kept, nothing synced (as a sign-in leaves it)."""
    client = await MatrixClient.login(
        homeserver.url, account.user_id, account.password, data.crypto, DEVICE_NAME
    )
    await client.close()
    CredentialStore(data.root).save(client.creds)


# A start in a new interpreter (nothing loaded, as a user's start): the window and its
# backend as ``oor`` builds them; what each list notice said, whether nio was loaded
# then, whether the backend had confirmed the login; the rows and the timeline when the
# list was first painted; a click on the named room right then. The app quits once the
# backend's own list has come and the clicked room shows its message, or at a sign-in.
FIRST_START = window_child(
    """
import os
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

named = os.environ.get("FIRST_LIST_ROOM", "")
seen = {"lists": [], "signed_in": False, "login_needed": False, "resumed": False}

def summary(room):
    return [room.room_id, room.name, room.encrypted, room.is_space, room.last_ts]

def rows():
    model = window.workspace.rooms
    return [summary(model.room(row)) for row in range(model.rowCount())]

def texts():
    model = window.workspace.timeline
    return [model.row(i).text for i in range(model.rowCount())]

def listed(notice):
    seen["lists"].append({
        "rooms": [summary(r) for r in notice.rooms],
        "signed_in": seen["signed_in"],
    })
    check()

def signed_in(_notice):
    seen["signed_in"] = True

def resumed(_notice):
    seen["resumed"] = True

def login_needed(_notice):
    seen["login_needed"] = True
    seen["page_is_sign_in"] = window.pages.currentWidget() is window.login_page
    QTimer.singleShot(0, app.quit)

def check(_notice=None):
    backend_listed = any(entry["signed_in"] and entry["rooms"] for entry in seen["lists"])
    if backend_listed and any("before" in t for t in texts()):
        seen["rows_at_end"] = rows()
        seen["selected_at_end"] = window.workspace.room_list.currentIndex().row()
        QTimer.singleShot(0, app.quit)

def painted():
    seen["rows_at_paint"] = rows()
    seen["timeline_at_paint"] = texts()
    QTimer.singleShot(0, click)

def click():
    view, model = window.workspace.room_list, window.workspace.rooms
    rect = view.visualRect(model.index(model.row_of(named)))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    seen["clicked_before_sign_in"] = not seen["signed_in"]
    seen["selected"] = view.currentIndex().row() == model.row_of(named)
    seen["timeline_after_click"] = texts()
""",
    FIRST_PAINT,
    hooks={
        "RoomsChanged": "listed",
        "Resuming": "resumed",
        "LoggedIn": "signed_in",
        "LoginNeeded": "login_needed",
        "EventsArrived": "check",
        "RoomLoaded": "check",
    },
    limit_ms=90_000,
)


def test_a_first_start_lists_its_rooms_before_nio_and_the_backend_changes_nothing(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    owner = make_account("first-list")
    sam, sam2 = make_account("sam", name="Sam"), make_account("sam-two", name="Sam")
    names, named = asyncio.run(rooms_of_every_kind(homeserver, owner, sam, sam2, tmp_path))
    data = DataDir(tmp_path / "device")
    asyncio.run(stored_login(homeserver, owner, data))

    seen = run_child(FIRST_START, data.root, OOR_CREDENTIALS="file", FIRST_LIST_ROOM=named)
    first, *later = seen["lists"]
    assert not first["signed_in"]  # before the backend had even confirmed the login
    assert sorted(seen["rows_at_paint"]) == sorted(first["rooms"])  # in the list's own order
    assert {r[0]: (r[1], r[2], r[3]) for r in first["rooms"]} == names  # as plain nio names them
    assert seen["timeline_at_paint"] == seen["timeline_after_click"] == []  # nothing unarchived
    assert seen["clicked_before_sign_in"] and seen["selected"]
    assert any(entry["signed_in"] for entry in later)  # the backend's own list came
    assert all(entry["rooms"] == first["rooms"] for entry in later)  # never emptied or changed
    assert seen["rows_at_end"] == seen["rows_at_paint"]  # no row moved, renamed or added
    assert seen["rows_at_end"][seen["selected_at_end"]][0] == named  # the click held


def test_a_revoked_login_shows_no_list_and_asks_to_sign_in(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    account = make_account("first-list-revoked")
    data = DataDir(tmp_path / "device")

    async def revoke() -> None:
        client = await MatrixClient.login(
            homeserver.url, account.user_id, account.password, data.crypto, DEVICE_NAME
        )
        CredentialStore(data.root).save(client.creds)
        await client.logout()  # signed out from elsewhere while the app was closed
        await client.close()

    asyncio.run(revoke())
    seen = run_child(FIRST_START, data.root, OOR_CREDENTIALS="file")
    assert seen["login_needed"] and seen["page_is_sign_in"]
    assert seen["lists"] == [] and not seen["resumed"]  # no list, not even for a moment
    assert "rows_at_paint" not in seen


def _answer(body: bytes, status: int = 200, content_type: str = "application/json") -> Prefetched:
    return Prefetched("https://example.org/_matrix/client/v3/sync", status, content_type, body)


ME = "@me:example.org"
GOOD = {
    "next_batch": "s1",
    "rooms": {
        "join": {
            "!r:example.org": {
                "state": {
                    "events": [
                        {
                            "type": "m.room.name",
                            "state_key": "",
                            "event_id": "$1",
                            "sender": ME,
                            "origin_server_ts": 5,
                            "content": {"name": "Operations"},
                        }
                    ]
                },
                "timeline": {"events": []},
            }
        }
    },
}


def test_a_good_answer_is_announced_once_and_never_after_the_backend_took_over() -> None:
    said: list[notices.Notice] = []
    FirstList(ME, said.append).look(_answer(json.dumps(GOOD).encode()))
    assert said == [
        notices.Resuming(ME),
        notices.RoomsChanged((RoomSummary("!r:example.org", "Operations", last_ts=5),)),
        notices.RoomLoaded("!r:example.org", (), (), provisional=True),  # nothing archived yet
    ]
    late: list[notices.Notice] = []
    first_list = FirstList(ME, late.append)
    first_list.close()  # the backend has begun: it speaks from now on
    first_list.look(_answer(json.dumps(GOOD).encode()))
    assert late == []


def test_garbage_odd_refused_or_huge_answers_announce_nothing() -> None:
    padded = dict(GOOD, padding="x" * LARGEST)
    answers = [
        _answer(b"garbage"),
        _answer(b"[" * 100_000),  # nested past what a parser will follow
        _answer(b'{"next_batch": 5}'),
        _answer(b'{"rooms": {"join": {"!r:x": []}}, "next_batch": "s"}'),
        _answer(b"\xff\xfe not text"),
        _answer(b"null"),
        _answer(json.dumps(GOOD).encode(), status=401),
        _answer(json.dumps(GOOD).encode(), content_type="text/html"),
        _answer(json.dumps(padded).encode()),
    ]
    said: list[notices.Notice] = []
    for answer in answers:
        FirstList(ME, said.append).look(answer)
    assert said == []


async def test_a_look_that_fails_leaves_nio_its_answer(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """A notice that cannot be delivered (the window closed meanwhile) stays in the
    fetching thread: the answer still waits for nio's first sync, read once."""
    account = make_account("first-list-closed")
    mine = await raw_nio_client(homeserver, account.user_id, account.password, tmp_path / "raw")
    try:
        await _create(mine, name="Operations")  # a room: the look has a list to announce
    finally:
        await mine.close()
    data = DataDir(tmp_path / "device")
    await stored_login(homeserver, account, data)
    creds = CredentialStore(data.root).load()
    assert creds is not None
    calls: list[notices.Notice] = []

    def closed(notice: notices.Notice) -> None:
        calls.append(notice)
        raise RuntimeError("Internal C++ object already deleted")

    read: list[object] = []

    def look(answer: Prefetched) -> None:
        try:
            FirstList(creds.user_id, closed).look(answer)
        finally:
            read.append(answer.parsed())  # the tree the look read (kept until nio takes it)

    fetched = sync_prefetch.prefetch(creds.homeserver, creds.access_token, look=look)
    await asyncio.wait_for(asyncio.wrap_future(fetched), 60)
    assert len(calls) == 1  # the look tried to announce, and failed at the first notice
    answer = await sync_prefetch.take(creds.homeserver, creds.access_token)
    assert answer is not None and answer.ok
    body = await answer.json()
    assert body is read[0]  # the very tree the look parsed: not read a second time
    assert isinstance(body["next_batch"], str)
