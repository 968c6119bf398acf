"""People, not ids, in the status bar: a problem that names someone ("identity changed",
"cannot receive the key", "records differ") says who by the session's name, with the
@id beside it (a name alone could be anyone's where trust is at stake)."""

from __future__ import annotations

from app.core.roles import Role
from app.core.session import Member, Roster, SessionInfo
from app.services.notices import Problem, RecordsDiffer, RosterChanged
from app.ui.people import person_text, with_names
from app.ui.shell.main_window import MainWindow

KARIM = "@karim:localhost"
BIDI = {0x2066: None, 0x2068: None, 0x2069: None}


def test_a_problem_names_the_person_with_the_id_beside(qtbot, window: MainWindow) -> None:
    info = SessionInfo(
        "!space:x",
        "Corridor",
        "escalation",
        "convened",
        "Africa/Cairo",
        "",
        False,
        details_known=True,
    )
    roster = Roster(info, (Member(KARIM, Role.DIPLOMAT, membership="join", name="Karim Haddad"),))
    window.bridge.noticed.emit(RosterChanged(roster, ("!space:x",)))  # as the backend does
    qtbot.waitUntil(lambda: window.workspace.names().get(KARIM) == "Karim Haddad")

    window.bridge.noticed.emit(Problem("identity_changed", KARIM))
    said = window.statusBar()
    qtbot.waitUntil(lambda: "identity changed" in said.currentMessage())
    assert "Karim Haddad (@karim:localhost)" in said.currentMessage().translate(BIDI)

    detail = f"{KARIM} (DEVICE) in !ops:x: not cross-signed"
    window.bridge.noticed.emit(Problem("room_key_undeliverable", detail))
    qtbot.waitUntil(lambda: "cannot receive the key" in said.currentMessage())
    shown = said.currentMessage().translate(BIDI)
    assert "Karim Haddad (@karim:localhost) (DEVICE) in !ops:x: not cross-signed" in shown

    window.bridge.noticed.emit(RecordsDiffer("!ops:x", KARIM, "DEVICE", "$a", "$b", 4, 5))
    qtbot.waitUntil(lambda: "Records differ" in said.currentMessage())
    assert "Karim Haddad (@karim:localhost)'s record" in said.currentMessage().translate(BIDI)


def test_someone_not_known_by_name_keeps_their_id() -> None:
    assert person_text("@nobody:x", {}).translate(BIDI) == "@nobody:x"
    text = with_names("@a:x and @b:y:8448 met", {"@b:y:8448": "Bashir"}).translate(BIDI)
    assert text == "@a:x and Bashir (@b:y:8448) met"
