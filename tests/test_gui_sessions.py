"""Sessions in the desktop app: the convene dialog, invitations with one-action join,
the participants panel."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from app.core.roles import Role
from app.core.session import Blueprint, Delegation, Participant
from app.services.notices import RosterChanged
from app.services.sessions import Sessions
from app.ui.sessions.convene_dialog import ConveneDialog
from app.ui.sessions.participants_panel import DELEGATION, LOCAL_TIME, ROLE, STATUS, TRUST
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS, SignIn, answer_form, press_ok, session_invitation
from tests.peers import ThreadedPeer


def _roster_rows(window: MainWindow) -> dict[str, list[str]]:
    model = window.workspace.participants.model
    return {
        model.member(r).user_id: [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    }


def test_convene_dialog_creates_a_session_a_second_client_joins(
    qtbot,
    window: MainWindow,
    peer: ThreadedPeer,
    signed_in: SignIn,
) -> None:
    _facilitator, delegate = signed_in("fac", "omar")

    def convene(dialog: ConveneDialog) -> None:
        dialog.add_participant("omar", Role.DELEGATE)  # not an id, and no delegation yet
        press_ok(dialog)
        assert dialog.isVisible() and "Not a Matrix user id" in dialog.error.text()
        qtbot.keyClicks(dialog.title, "Corridor talks")
        dialog.exercise.setChecked(True)
        dialog.add_delegation("geneva", "Geneva delegation", "Geneva", "Europe/Zurich")
        dialog.participants.removeRow(0)
        dialog.add_participant(delegate.user_id, Role.DELEGATE, "geneva", "Head of delegation")
        press_ok(dialog)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)  # convened
        assert dialog.command is not None and dialog.command.problem is None

    answer_form(window.session_menu.convene_action.trigger, convene)

    invitation = session_invitation(qtbot, peer)
    # The server keeps the reason: it names neither session, role nor delegation.
    assert invitation.reason == "Invitation to a crisis session"
    joined = peer.run(peer.backend.join_session(invitation.room_id))
    assert joined is None  # problems would have been notices

    def own_role() -> str | None:
        rosters = [n.roster for n in list(peer.notices) if isinstance(n, RosterChanged)]
        members = {m.user_id: m for m in rosters[-1].members} if rosters else {}
        return members[delegate.user_id].role.value if delegate.user_id in members else None

    qtbot.waitUntil(lambda: own_role() == "delegate", timeout=WAIT_MS)

    # The facilitator's window: the session's rooms, its panel with the delegate joined.
    qtbot.waitUntil(lambda: window.workspace.rooms.rowCount() >= 4, timeout=WAIT_MS)
    rooms = window.workspace.rooms
    # The server's names are neutral; the app names the rooms from the encrypted details.
    qtbot.waitUntil(
        lambda: any("Geneva" in rooms.data(rooms.index(r)) for r in range(rooms.rowCount())),
        timeout=WAIT_MS,
    )
    geneva_row = next(r for r in range(rooms.rowCount()) if "Geneva" in rooms.data(rooms.index(r)))
    assert "Geneva" not in rooms.room(geneva_row).name
    window.workspace.room_list.setCurrentIndex(rooms.index(geneva_row))
    panel = window.workspace.participants
    qtbot.waitUntil(
        lambda: _roster_rows(window).get(delegate.user_id, [None] * 5)[STATUS] == "joined",
        timeout=WAIT_MS,
    )
    # Each person's trust: the delegate's devices are cross-signed, the person not yet
    # verified by the facilitator.
    qtbot.waitUntil(
        lambda: _roster_rows(window)[delegate.user_id][TRUST] == "not yet verified",
        timeout=WAIT_MS,
    )
    row = _roster_rows(window)[delegate.user_id]
    assert row[ROLE] == "Delegate" and row[LOCAL_TIME]
    assert row[DELEGATION] == "\u2068Geneva delegation\u2069"  # its name, isolated
    assert panel.isVisible() and panel.exercise.isVisible()
    menu = window.session_menu  # the facilitator's menu follows the roster shown
    qtbot.waitUntil(menu.close_session_action.isEnabled, timeout=WAIT_MS)
    assert "Corridor talks" in panel.header.text()

    # The device policy: on by default; turning it off asks first, "No" changes nothing.
    policy = menu.policy_action
    assert policy.isEnabled() and policy.isChecked()
    asked: list[str] = []
    _answer_next_question(QMessageBox.StandardButton.No, asked)
    policy.trigger()
    assert len(asked) == 1 and "not cross-signed" in asked[0] and policy.isChecked()
    _answer_next_question(QMessageBox.StandardButton.Yes, asked)
    policy.trigger()
    assert len(asked) == 2

    def delegate_sees_policy() -> bool | None:
        rosters = [n.roster for n in list(peer.notices) if isinstance(n, RosterChanged)]
        return rosters[-1].session.cross_signed_only if rosters else None

    # Read back on the other client: the session's state says off, its rooms follow.
    qtbot.waitUntil(lambda: delegate_sees_policy() is False, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not peer.account.client.identities.policy_rooms, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not panel.roster.session.cross_signed_only, timeout=WAIT_MS)
    assert not policy.isChecked()
    policy.trigger()  # on again: no question, the rooms are under the policy again
    qtbot.waitUntil(lambda: delegate_sees_policy() is True, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: bool(peer.account.client.identities.policy_rooms), timeout=WAIT_MS)
    assert len(asked) == 2 and policy.isChecked()


def _answer_next_question(button: QMessageBox.StandardButton, asked: list[str]) -> None:
    """Answer the question box the next action opens, as the user would, keeping its text."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, answer)


def test_invitation_is_joined_in_one_action(
    qtbot,
    window: MainWindow,
    peer: ThreadedPeer,
    signed_in: SignIn,
) -> None:
    expert, _facilitator = signed_in("expert", "fac")
    blueprint = Blueprint(
        "Pandemic cell",
        "pandemic",
        "Asia/Riyadh",
        delegations=(Delegation("who", "WHO liaison", "Europe/Zurich"),),
        participants=(Participant(expert.user_id, Role.EXPERT, title="Epidemiologist"),),
    )
    info = peer.run(Sessions.of(peer.account).convene(blueprint))

    invitations = window.workspace.invitations

    def session_row() -> int:
        texts = [invitations.list.item(r).text() for r in range(invitations.list.count())]
        return next((r for r, t in enumerate(texts) if t.startswith("Session invitation")), -1)

    qtbot.waitUntil(lambda: invitations.isVisible() and session_row() >= 0, timeout=WAIT_MS)
    item = invitations.list.item(session_row())
    # Before joining, only what the server may know: a neutral name and reason.
    assert "Invitation to a crisis session" in item.text() and "Pandemic" not in item.text()
    invitations.list.setCurrentRow(session_row())
    invitations.join.click()
    qtbot.waitUntil(lambda: window.workspace.rooms.rowCount() == 2, timeout=WAIT_MS)
    rooms = window.workspace.rooms

    def shown() -> set[str]:
        return {rooms.data(rooms.index(r)).strip() for r in range(rooms.rowCount())}

    # Named from the encrypted details once read: not restricted, not WHO.
    qtbot.waitUntil(lambda: shown() == {"Pandemic cell", "Operations"}, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not invitations.isVisible(), timeout=WAIT_MS)
    ops = next(r for r in range(2) if "Operations" in window.workspace.rooms.room(r).name)
    window.workspace.room_list.setCurrentIndex(window.workspace.rooms.index(ops))
    qtbot.waitUntil(
        lambda: _roster_rows(window).get(expert.user_id, [None] * 5)[ROLE] == "Expert",
        timeout=WAIT_MS,
    )
    assert info.title == "Pandemic cell"
    menu = window.session_menu  # an expert may convene a session, not manage this one
    assert menu.convene_action.isEnabled() and not menu.close_session_action.isEnabled()
    assert not menu.policy_action.isEnabled() and menu.policy_action.isChecked()

    # The facilitator closes the session: the expert sees why the box is gone, at once.
    assert window.workspace.composer.isEnabled()
    peer.run(Sessions.of(peer.account).close(info.space_id))
    banner = window.workspace.closed_banner
    qtbot.waitUntil(banner.isVisible, timeout=WAIT_MS)
    assert not window.workspace.composer.isEnabled()
    assert not window.workspace.send_button.isEnabled()
    assert "closed" in banner.text()
