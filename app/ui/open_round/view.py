"""The Open round page: the session's rounds, the chosen one's problem, countdown,
proposals (ticked to vote), the tally when it may be seen, and what did not count.

The page only shows what the backend folded (``RoundsChanged``) and says what the user
asked for through its signals; the countdown is the one thing it computes, from the
server's deadline and this machine's clock, for display only.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.open_round import Phase, Refused, Round
from app.core.roles import Role
from app.core.text import isolate
from app.ui.people import display_name
from app.ui.session_marking import Marked, pending_banner, show_marking
from app.ui.texts import digits, fill, tr
from app.ui.widgets import exercise_banner

EXTEND_MINUTES = 5


def phase_label(phase: Phase) -> str:
    return {
        Phase.PROPOSING: tr("Proposals open"),
        Phase.PAUSED: tr("Paused"),
        Phase.VOTING: tr("Vote open"),
        Phase.CLOSED: tr("Closed"),
    }[phase]


def reason_label(why: str) -> str:
    """A refusal's reason in the interface language (the rules word it in English)."""
    known = {
        "not among those who may propose": tr("this role may not propose"),
        "not among those who may vote": tr("this role may not vote"),
        "neither posed the round nor facilitates": tr("only the round's starter or a facilitator"),
        "not a facilitator, official or diplomat": tr("only facilitators, officials, diplomats"),
        "sent while the round was paused": tr("sent while the round was paused"),
        "sent after the vote had opened": tr("sent after the vote had opened"),
        "sent after the time box ended": tr("sent after the time box ended"),
        "sent after the vote closed": tr("sent after the vote closed"),
        "sent after the vote's time box ended": tr("sent after the vote's time ended"),
        "a second vote: the first one counts": tr("a second vote: the first one counts"),
        "the proposal has no title": tr("the proposal has no title"),
        "not among the vote's answers": tr("not among the vote's answers"),
        "spoiled: a selection is not among the vote's answers": tr(
            "spoiled: a selection is not among the vote's answers"
        ),
    }
    return known.get(why, why)


class RoundsPage(QWidget):
    startRequested = Signal()
    proposeRequested = Signal(str)  # round id
    voteRequested = Signal(str, list)  # round id, proposal ids
    stepRequested = Signal(str, str, int)  # round id, action, minutes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openRoundPage")
        self.space_id = ""
        self.rounds: tuple[Round, ...] = ()
        self.refused_rounds: tuple[Refused, ...] = ()
        self._me, self._role = "", None
        self.names: dict[str, str] = {}  # the session's names for its people
        self.banner = exercise_banner()
        self.pending = pending_banner()
        self.picker = QComboBox()
        self.picker.setObjectName("roundPicker")
        self.start_button = QPushButton(self.tr("&Start a round…"))
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("font-weight: bold; font-size: 14pt;")
        self.wanted = QLabel()
        self.wanted.setWordWrap(True)
        self.clock = QLabel()
        self.clock.setObjectName("roundClock")
        self.proposals = QTreeWidget()
        self.proposals.setHeaderLabels([self.tr("Proposal"), self.tr("By"), self.tr("Votes")])
        self.proposals.setRootIsDecorated(False)
        self.refused = QListWidget()
        self.refused.setMaximumHeight(110)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.propose_button = QPushButton(self.tr("&Propose…"))
        self.vote_button = QPushButton(self.tr("&Vote for the ticked proposals"))
        self.pause_button = QPushButton(self.tr("P&ause"))
        self.resume_button = QPushButton(self.tr("&Resume"))
        self.extend_button = QPushButton(fill(self.tr("&Extend by %1 min"), EXTEND_MINUTES))
        self.open_vote_button = QPushButton(self.tr("&Open the vote now"))
        self.close_button = QPushButton(self.tr("&Close the vote"))
        self.tally_button = QPushButton(self.tr("Show the &tally"))
        self._lay_out()
        self._wire()
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._show_clock)
        self.ticker.start()
        self.show_session("", None, "", None)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Round:")))
        top.addWidget(self.picker, 1)
        top.addWidget(self.start_button)
        act = QHBoxLayout()
        for button in (self.propose_button, self.vote_button):
            act.addWidget(button)
        act.addStretch(1)
        steer = QHBoxLayout()
        for button in self._steering():
            steer.addWidget(button)
        steer.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.pending)
        layout.addLayout(top)
        for widget in (self.problem, self.wanted, self.clock):
            layout.addWidget(widget)
        layout.addWidget(self.proposals, 1)
        layout.addLayout(act)
        layout.addLayout(steer)
        layout.addWidget(QLabel(self.tr("Not counted:")))
        layout.addWidget(self.refused)
        layout.addWidget(self.note)

    def _steering(self) -> tuple[QPushButton, ...]:
        return (
            self.pause_button,
            self.resume_button,
            self.extend_button,
            self.open_vote_button,
            self.close_button,
            self.tally_button,
        )

    def _wire(self) -> None:
        self.picker.currentIndexChanged.connect(self._show_round)
        self.start_button.clicked.connect(self.startRequested)
        self.propose_button.clicked.connect(lambda: self._ask(self.proposeRequested.emit))
        self.vote_button.clicked.connect(
            lambda: self._ask(lambda rid: self.voteRequested.emit(rid, self.ticked()))
        )
        steps = {
            self.pause_button: "pause",
            self.resume_button: "resume",
            self.open_vote_button: "open_vote",
            self.close_button: "close_vote",
            self.tally_button: "show_tally",
        }
        for button, action in steps.items():
            button.clicked.connect(
                lambda _=False, a=action: self._ask(lambda rid: self.stepRequested.emit(rid, a, 0))
            )
        self.extend_button.clicked.connect(
            lambda: self._ask(lambda rid: self.stepRequested.emit(rid, "extend", EXTEND_MINUTES))
        )

    def _ask(self, emit: Callable[[str], object]) -> None:
        chosen = self.current()
        if chosen is not None:
            emit(chosen.round_id)

    # -- what the controller tells the page ------------------------------------------------

    def show_session(
        self, space_id: str, marked: Marked | None, me: str, role: Role | None
    ) -> None:
        if space_id != self.space_id:
            self.rounds, self.refused_rounds = (), ()
        self.space_id, self._me, self._role = space_id, me, role
        show_marking(self.banner, self.pending, marked)
        self.start_button.setEnabled(
            bool(space_id) and role in (Role.FACILITATOR, Role.OFFICIAL, Role.DIPLOMAT)
        )
        self._fill_picker()

    def name_people(self, names: dict[str, str]) -> None:
        """Proposals and refusals name people; the @id is on hover."""
        self.names = names
        self._show_round()

    def show_rounds(self, rounds: tuple[Round, ...], refused: tuple[Refused, ...]) -> None:
        keep = self.current()
        fresh = keep is None or len(rounds) > len(self.rounds)
        self.rounds, self.refused_rounds = rounds, refused
        self._fill_picker(None if fresh else keep.round_id if keep else None)

    def say(self, text: str) -> None:
        self.note.setText(text)

    def current(self) -> Round | None:
        index = self.picker.currentIndex()
        return self.rounds[index] if 0 <= index < len(self.rounds) else None

    def ticked(self) -> list[str]:
        items = (self.proposals.topLevelItem(n) for n in range(self.proposals.topLevelItemCount()))
        return [
            str(i.data(0, Qt.ItemDataRole.UserRole))
            for i in items
            if i is not None and i.checkState(0) == Qt.CheckState.Checked
        ]

    # -- inside ----------------------------------------------------------------------------

    def _fill_picker(self, keep: str | None = None) -> None:
        self.picker.blockSignals(True)
        self.picker.clear()
        for r in self.rounds:
            self.picker.addItem(f"{isolate(r.terms.problem)} — {phase_label(r.phase)}", r.round_id)
        wanted = self.picker.findData(keep) if keep else len(self.rounds) - 1
        self.picker.setCurrentIndex(wanted if wanted >= 0 else len(self.rounds) - 1)
        self.picker.blockSignals(False)
        self._show_round()

    @Slot()
    def _show_round(self) -> None:
        r = self.current()
        self.problem.setText(r.terms.problem if r else self.tr("No round in this session yet."))
        self.wanted.setText(r.terms.wanted if r else "")
        self._fill_proposals(r)
        self._fill_refused(r)
        self._enable(r)
        self._show_clock()

    def _fill_proposals(self, r: Round | None) -> None:
        ticked = set(self.ticked())
        self.proposals.clear()
        if r is None:
            return
        votes = {t.proposal.event_id: t.votes for t in r.tally}
        rows = [t.proposal for t in r.tally] if r.tally_visible else list(r.proposals)
        can_vote = self._can_vote(r)
        for p in rows:
            count = digits(str(votes[p.event_id])) if r.tally_visible else "—"
            item = QTreeWidgetItem([p.title, display_name(p.sender, self.names), count])
            item.setToolTip(1, p.sender)
            item.setData(0, Qt.ItemDataRole.UserRole, p.event_id)
            item.setToolTip(0, "\n".join([p.text, *p.sources]).strip())
            mine = r.ballots.get(self._me, ())
            if can_vote or p.event_id in mine:
                chosen = p.event_id in ticked or p.event_id in mine
                item.setCheckState(0, Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
            self.proposals.addTopLevelItem(item)
        self.proposals.resizeColumnToContents(0)

    def _fill_refused(self, r: Round | None) -> None:
        self.refused.clear()
        shown = list(r.refused if r else ()) + list(self.refused_rounds)
        for x in shown:
            who = isolate(display_name(x.sender, self.names))
            item = QListWidgetItem(f"{who} — {reason_label(x.why)}")
            item.setToolTip(x.sender)
            self.refused.addItem(item)

    def _can_vote(self, r: Round) -> bool:
        return (
            r.phase is Phase.VOTING and self._role in r.terms.voters and self._me not in r.ballots
        )

    def _enable(self, r: Round | None) -> None:
        steer = r is not None and r.phase is not Phase.CLOSED and r.may_steer(self._me, self._role)
        live = r is not None and r.phase in (Phase.PROPOSING, Phase.VOTING)
        self.propose_button.setEnabled(
            r is not None and r.phase is Phase.PROPOSING and self._role in r.terms.proposers
        )
        self.vote_button.setEnabled(r is not None and self._can_vote(r))
        self.pause_button.setEnabled(steer and live)
        self.resume_button.setEnabled(steer and r is not None and r.phase is Phase.PAUSED)
        self.extend_button.setEnabled(steer)
        self.open_vote_button.setEnabled(
            steer and r is not None and not r.poll_id and bool(r.proposals)
        )
        self.close_button.setEnabled(steer and r is not None and r.phase is Phase.VOTING)
        self.tally_button.setEnabled(steer and r is not None and not r.tally_shown)

    @Slot()
    def _show_clock(self) -> None:
        r = self.current()
        if r is None:
            self.clock.clear()
            return
        left = (r.deadline - int(time.time() * 1000)) // 1000
        if r.phase is Phase.CLOSED:
            text = fill(self.tr("Closed: %1 ballots."), len(r.ballots))
        elif r.phase is Phase.PAUSED:
            text = self.tr("Paused: the clock is held.")
        elif left <= 0:
            text = fill(self.tr("%1 — time is up."), phase_label(r.phase))
        else:
            clock = digits(f"{left // 60:02d}:{left % 60:02d}")
            text = fill(self.tr("%1 — %2 left."), phase_label(r.phase), clock)
        self.clock.setText(text)
