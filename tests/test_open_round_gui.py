"""The Open round page: an official starts a round, proposes, opens the vote, votes and
closes it through the panel; the facilitator on another client takes part; the tally
appears at the close and the decision reaches the desk."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app.core import open_round as rnd
from app.core import roles
from app.core.open_round import Phase, Round
from app.core.roles import Role
from app.core.session import Participant
from app.services.open_round import OpenRound, RoundsChanged
from app.ui.open_round.dialogs import ProposalDialog, StartRoundDialog
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS, SignIn, answer_form, open_exercise_session, press_ok
from tests.peers import ThreadedPeer


def seen_by(peer: ThreadedPeer, round_id: str) -> Round | None:
    """The round as the other client last folded it."""
    for notice in reversed(list(peer.notices)):
        if isinstance(notice, RoundsChanged):
            found = next((r for r in notice.rounds if r.round_id == round_id), None)
            if found is not None:
                return found
    return None


def test_start_propose_vote_and_close_through_the_panel(
    qtbot, window: MainWindow, *, peer, signed_in: SignIn, tmp_path: Path
) -> None:
    official, _fac = signed_in("amal", "fac")
    member = Participant(official.user_id, Role.OFFICIAL, name="Amal Nasser")
    _info, ops = open_exercise_session(qtbot, window, peer, member)
    qtbot.waitUntil(lambda: peer.has_joined(ops, official.user_id), timeout=WAIT_MS)
    page = window.open_round.page
    window.workspace.pages.setCurrentWidget(page)
    qtbot.waitUntil(page.start_button.isEnabled, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.banner.isVisibleTo(page), timeout=WAIT_MS)  # an exercise

    # The official starts a round from the form.
    def start(dialog: StartRoundDialog) -> None:
        press_ok(dialog)
        assert dialog.error.text()  # no problem given: the form says so, stays open
        dialog.problem.setText("Shelter for 300 citizens")
        dialog.wanted.setPlainText("Places, transport, partners")
        dialog.proposers.boxes[Role.INFLUENCER].setChecked(False)  # experts and up
        press_ok(dialog)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    answer_form(page.start_button.click, start)
    qtbot.waitUntil(lambda: page.current() is not None, timeout=WAIT_MS)
    round_id = page.current().round_id
    assert page.problem.text() == "Shelter for 300 citizens"
    qtbot.waitUntil(lambda: "left" in page.clock.text(), timeout=WAIT_MS)

    # Pause holds the clock; resume gives the held time back; extend adds five minutes.
    before = page.current().deadline
    page.pause_button.click()
    qtbot.waitUntil(lambda: page.current().phase is Phase.PAUSED, timeout=WAIT_MS)
    assert "Paused" in page.clock.text() and not page.propose_button.isEnabled()
    page.resume_button.click()
    qtbot.waitUntil(lambda: page.current().phase is Phase.PROPOSING, timeout=WAIT_MS)
    resumed = page.current().deadline
    assert resumed > before
    page.extend_button.click()
    qtbot.waitUntil(lambda: page.current().deadline == resumed + 5 * 60_000, timeout=WAIT_MS)

    # The official proposes through the panel; the facilitator from the other client.
    def propose(dialog: ProposalDialog) -> None:
        dialog.title.setText("School gymnasium")
        dialog.text.setPlainText("Two hundred beds")
        dialog.sources.setPlainText("https://example.org/gym")
        press_ok(dialog)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    answer_form(page.propose_button.click, propose)
    qtbot.waitUntil(lambda: seen_by(peer, round_id) is not None, timeout=WAIT_MS)
    peer.run(peer.account.feature(OpenRound).propose(round_id, "Sports hall", "Eighty beds"))
    qtbot.waitUntil(lambda: page.proposals.topLevelItemCount() == 2, timeout=WAIT_MS)
    # Who proposed is named as the session calls them; the @id is on hover.
    rows = [page.proposals.topLevelItem(n) for n in range(2)]
    gym_row = next(row for row in rows if row.text(0) == "School gymnasium")
    assert gym_row.text(1) == "Amal Nasser" and gym_row.toolTip(1) == official.user_id

    # Close the proposals early: the vote opens, the official ticks one and votes.
    page.open_vote_button.click()
    qtbot.waitUntil(lambda: page.current().phase is Phase.VOTING, timeout=WAIT_MS)
    qtbot.waitUntil(page.vote_button.isEnabled, timeout=WAIT_MS)
    gym = page.proposals.topLevelItem(0)
    assert gym.text(0) == "School gymnasium" and gym.text(2) == "—"  # tally hidden
    gym_id = gym.data(0, Qt.ItemDataRole.UserRole)
    gym.setCheckState(0, Qt.CheckState.Checked)
    page.vote_button.click()
    qtbot.waitUntil(lambda: official.user_id in page.current().ballots, timeout=WAIT_MS)
    assert not page.vote_button.isEnabled()  # one ballot per participant
    qtbot.waitUntil(
        lambda: (r := seen_by(peer, round_id)) is not None and r.phase is Phase.VOTING,
        timeout=WAIT_MS,
    )
    hall = page.proposals.topLevelItem(1).data(0, Qt.ItemDataRole.UserRole)
    peer.run(peer.account.feature(OpenRound).vote(round_id, [hall, gym_id]))
    qtbot.waitUntil(lambda: len(page.current().ballots) == 2, timeout=WAIT_MS)
    assert page.proposals.topLevelItem(0).text(2) == "—"  # still hidden to everyone
    page.tally_button.click()  # the starter shows it before the close
    qtbot.waitUntil(lambda: page.proposals.topLevelItem(0).text(2) == "2", timeout=WAIT_MS)

    # Close: the tally shows, the decision goes to the desk.
    page.close_button.click()
    qtbot.waitUntil(lambda: page.current().phase is Phase.CLOSED, timeout=WAIT_MS)
    first = page.proposals.topLevelItem(0)
    assert (first.text(0), first.text(2)) == ("School gymnasium", "2")
    qtbot.waitUntil(
        lambda: any(
            e.type == roles.ENTRY and rnd.decided_round(e.content) == round_id
            for e in peer.events()
        ),
        timeout=WAIT_MS,
    )
    window.grab().save(str(tmp_path / "open-round-en.png"))
    page.grab().save("/tmp/oor-open-round-en.png")
