"""A first start's early list holds no session: its rooms come named and grouped.

What the user must see: a session's space and rooms are named and placed under their
session by its roster, which the backend reads only once it has archived the session's
state. Listed from the first sync's raw answer, they would show flat under the space's
neutral label ("Session 4821") and then be renamed and moved. So the early list shows
the other rooms only; nothing in it is renamed or moved when the backend's list and the
session's roster come. The session is convened by the app's own code; the first start
runs in a new interpreter against the real Synapse.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.core.paths import DataDir
from app.core.roles import Role
from app.core.session import Blueprint, Participant
from app.homeserver import EmbeddedHomeserver
from app.services.sessions import Sessions
from tests.child_app import FIRST_PAINT, run_child, window_child
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer
from tests.test_first_list import stored_login

# The window's rows (id and label, as painted) when the list was first painted, and
# once the backend has announced the session's roster; the ids of the first list.
FIRST_START = window_child(
    """
seen = {"lists": [], "signed_in": False}

def rows():
    model = window.workspace.rooms
    return [[model.room(row).room_id, model.data(model.index(row))]
            for row in range(model.rowCount())]

def listed(notice):
    seen["lists"].append({"ids": [r.room_id for r in notice.rooms], "signed_in": seen["signed_in"]})

def signed_in(_notice):
    seen["signed_in"] = True

def roster(notice):
    def done():
        seen["rows_at_end"] = rows()
        app.quit()
    QTimer.singleShot(0, done)

def painted():
    seen["rows_at_paint"] = rows()
""",
    FIRST_PAINT,
    hooks={"RoomsChanged": "listed", "LoggedIn": "signed_in", "RosterChanged": "roster"},
    limit_ms=90_000,
)


def test_a_first_start_lists_a_session_only_when_its_roster_names_and_groups_it(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    owner, amal = make_account("first-sessions"), make_account("amal-first")

    async def convene() -> tuple[str, ...]:
        """The owner's app convenes a session and makes a plain room; returns the
        session's space and rooms."""
        facilitator = await Peer(tmp_path / "facilitator", owner).login(homeserver)
        try:
            blueprint = Blueprint(
                "Zeta crisis",
                "evacuation",
                "Africa/Cairo",
                participants=(Participant(amal.user_id, Role.OFFICIAL),),
            )
            info = await Sessions.of(facilitator.account).convene(blueprint)
            await facilitator.account.create_room("Alpha chat")
        finally:
            await facilitator.close()
        return (info.space_id, *(r.room_id for r in info.rooms))

    session = asyncio.run(convene())
    data = DataDir(tmp_path / "device")
    asyncio.run(stored_login(homeserver, owner, data))

    seen = run_child(FIRST_START, data.root, OOR_CREDENTIALS="file")
    first = seen["lists"][0]
    assert not first["signed_in"] and first["ids"]  # the early list, with the plain room
    assert not set(first["ids"]) & set(session)  # no session room in it
    assert "rows_at_end" in seen  # the backend's list and the roster came
    assert set(session) <= {room_id for room_id, _ in seen["rows_at_end"]}
    painted = seen["rows_at_paint"]
    assert [row for row in seen["rows_at_end"] if row in painted] == painted  # none changed
