"""A participant's new identity in the window: the shared room's timeline warns (a row of
this app, nothing sent) until the user accepts it, then says it was accepted. The other
side is a plain matrix-nio client whose cross-signing identity the test replaces."""

from __future__ import annotations

from nio import JoinResponse

from app.core.trust.states import TrustState
from app.ui.shell.main_window import MainWindow
from app.ui.timeline.rows import RowKind, TimelineRow
from tests.cross_signing_peer import CrossSigningPeer
from tests.fixtures_gui import WAIT_MS, WithPlainClient
from tests.peers import ThreadedPeer


def identity_rows(window: MainWindow) -> list[TimelineRow]:
    model = window.workspace.timeline
    rows = [model.row(r) for r in range(model.rowCount())]
    return [r for r in rows if r.key.startswith("identity:")]


def test_a_new_identity_warns_in_the_shared_room_until_accepted(
    qtbot,
    window: MainWindow,
    peer: ThreadedPeer,
    with_plain_client: WithPlainClient,
) -> None:
    _warned, karim, raw = with_plain_client("warned", "karim")
    peer.run(CrossSigningPeer(raw, karim.password).set_up())
    created = window.bridge.create_room("Talks", (raw.user_id,))
    rooms = window.workspace.rooms
    # The room is listed as soon as its first events sync, before the server has
    # finished inviting: join once the creation is through.
    qtbot.waitUntil(lambda: created.done and rooms.rowCount() == 1, timeout=WAIT_MS)
    joined = peer.run(raw.join(rooms.room(0).room_id))  # Karim only needs to be there
    assert isinstance(joined, JoinResponse), joined
    window.workspace.room_list.setCurrentIndex(rooms.index(0))
    trust = window.workspace.participants.model
    qtbot.waitUntil(
        lambda: trust.trust.get(raw.user_id) is TrustState.NOT_VERIFIED, timeout=WAIT_MS
    )
    assert identity_rows(window) == []

    peer.run(CrossSigningPeer(raw, karim.password).set_up())  # a new master key
    qtbot.waitUntil(lambda: len(identity_rows(window)) == 1, timeout=WAIT_MS)
    (warning,) = identity_rows(window)
    assert warning.kind is RowKind.IDENTITY_CHANGED and warning.event is None
    assert "identity changed: verify them again" in warning.text

    window.bridge.accept_identity(raw.user_id)
    qtbot.waitUntil(lambda: identity_rows(window)[0].kind is RowKind.NOTICE, timeout=WAIT_MS)
    (accepted,) = identity_rows(window)
    assert accepted.key == warning.key and "new identity was accepted" in accepted.text
