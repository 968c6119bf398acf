"""People, not ids, on the Instructions page: who issued an instruction, who acknowledged
it, who asked to clarify and who sent a doubtful message are shown by the session's
names for them; the @id stays one hover away."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QToolTip

from app.core import roles
from app.core.instructions import Desk, Draft, ack_content, build_feed, instruction_content
from app.core.records import EventStatus, RoomEvent
from app.core.roles import Role
from app.core.session import Delegation
from app.services.notices import InstructionsChanged
from app.ui.instructions.view import InstructionsPage

ROOM, AMAL, KARIM = "!geneva:x", "@amal:localhost", "@karim:localhost"
BIDI = {0x2066: None, 0x2068: None, 0x2069: None}


def _event(
    event_id: str, sender: str, kind: str, content: dict, ts: int, *, status=EventStatus.OK
) -> RoomEvent:
    return RoomEvent(event_id, ROOM, sender, kind, ts, content, status=status)


def _page(disposed) -> InstructionsPage:
    order = _event(
        "$order", AMAL, roles.INSTRUCTION, instruction_content(Draft("Hold", ""), "r"), 1
    )
    ack = _event("$a", KARIM, roles.ACK, ack_content("$order", "acknowledged"), 3)
    reply = {
        "msgtype": "m.text",
        "body": "done",
        "m.relates_to": {"m.in_reply_to": {"event_id": "$order"}},
    }
    forged = _event("$f", KARIM, "m.room.message", reply, 4, status=EventStatus.FORGED)
    feed = build_feed([order, ack, forged], {ROOM: "geneva"}, 10)
    geneva = Delegation("geneva", "Geneva talks", "Europe/Zurich")
    desk = Desk("!space:x", "Corridor", True, "Africa/Cairo", (geneva,), {ROOM: "geneva"},
                Role.OFFICIAL, "", details_known=True)  # fmt: skip
    page = disposed(InstructionsPage())
    page.resize(700, 500)
    page.show()
    page.apply(InstructionsChanged(desk, feed))
    page.show_space(desk.space_id)
    page.name_people(desk.space_id, {AMAL: "Amal Nasser", KARIM: "Karim Haddad"})
    page.select(0)
    return page


def _hover(page: InstructionsPage, text: str) -> str:
    """What the pointer resting on ``text`` in the detail pane shows (Qt's tooltip)."""
    found = page.detail.document().find(text)
    assert not found.isNull(), text
    cursor = QTextCursor(found)
    cursor.setPosition(found.selectionStart() + 1)
    at = page.detail.cursorRect(cursor).center()
    viewport = page.detail.viewport()
    QApplication.sendEvent(viewport, QHelpEvent(QEvent.Type.ToolTip, at, viewport.mapToGlobal(at)))
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_the_detail_names_the_issuer_and_who_acknowledged(disposed) -> None:
    page = _page(disposed)
    shown = page.detail.toPlainText().translate(BIDI)
    assert "from Amal Nasser" in shown
    assert "Acknowledged — Karim Haddad — " in shown
    assert "@karim:localhost" not in shown and "@amal:localhost" not in shown
    assert _hover(page, "Karim Haddad") == KARIM
    assert _hover(page, "Amal Nasser") == AMAL


def test_the_audit_names_the_sender_with_the_id_on_hover(disposed) -> None:
    page = _page(disposed)
    assert page.audit.count() == 1
    item = page.audit.item(0)
    assert "Karim Haddad" in item.text() and "@karim" not in item.text()
    assert KARIM in item.toolTip()


def test_someone_the_session_does_not_name_is_called_by_their_localpart(disposed) -> None:
    page = _page(disposed)
    page.name_people("!space:x", {})
    shown = page.detail.toPlainText().translate(BIDI)
    assert "Acknowledged — karim — " in shown
    assert _hover(page, "karim") == KARIM
