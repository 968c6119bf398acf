"""Wires the Open round page into the window: the selected session's rounds, the forms,
the votes and steps, and what the backend says back."""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot

from app.core.roles import RoomKind
from app.services.notices import Problem
from app.services.open_round.notices import RoundsChanged
from app.ui.host import Host
from app.ui.open_round.dialogs import ProposalDialog, StartRoundDialog
from app.ui.open_round.view import RoundsPage
from app.ui.people import roster_names


class RoundsController(QObject):
    def __init__(self, host: Host) -> None:
        super().__init__(host.parent)
        self._host = host
        host.explain_problems({"round_refused": self.tr("The open round refused that:")})
        self.page = RoundsPage()
        host.add_page(self.page, self.tr("Open &round"))
        self._rounds: dict[str, RoundsChanged] = {}  # space -> the newest fold
        self._room = ""  # where a new round is posed: operations (or outreach)
        bridge = host.bridge
        bridge.on(RoundsChanged, self._rounds_changed)
        host.follow_selected_session(self, self._follow_session)
        self.page.startRequested.connect(self.start_round)
        self.page.proposeRequested.connect(self.propose)
        self.page.voteRequested.connect(self.vote)
        self.page.stepRequested.connect(self.step)

    # -- following the session -------------------------------------------------------------

    @Slot()
    def _follow_session(self) -> None:
        roster = self._host.roster_of_selected()
        self.page.name_people(roster_names(roster))
        if roster is None:
            self._room = ""
            self.page.show_session("", None, "", None)
            return
        me = self._host.user_id()
        role = next((m.role for m in roster.members if m.user_id == me), None)
        info = roster.session
        self._room = info.room(RoomKind.OPERATIONS) or info.room(RoomKind.OUTREACH) or ""
        self.page.show_session(info.space_id if self._room else "", info, me, role)
        if (known := self._rounds.get(info.space_id)) is not None:
            self.page.show_rounds(known.rounds, known.refused)

    @Slot(object)
    def _rounds_changed(self, notice: RoundsChanged) -> None:
        self._rounds[notice.space_id] = notice
        if notice.space_id == self.page.space_id:
            self.page.show_rounds(notice.rounds, notice.refused)

    # -- what the user asks for -----------------------------------------------------------

    @Slot()
    def start_round(self) -> None:
        roster = self._host.roster_of_selected()
        room, bridge = self._room, self._host.bridge
        if roster is None or not room:
            return
        if not roster.session.details_known:  # the round would go out marked as real
            self.page.say(
                self.tr(
                    "This session's details (whether it is an exercise) are not decrypted "
                    "yet: a round posed now could go out as real. Try again once they arrive."
                )
            )
            return
        dialog = StartRoundDialog(roster.session.exercise, self._host.parent)
        dialog.send_with(
            lambda: bridge.open_round(lambda r: r.pose(room, dialog.terms())),
            self._host.explain,
        )
        if dialog.exec():
            self.page.say(self.tr("Round started; proposals are open."))
        dialog.deleteLater()

    @Slot(str)
    def propose(self, round_id: str) -> None:
        bridge = self._host.bridge
        chosen = self.page.current()
        dialog = ProposalDialog(chosen.terms.problem if chosen else "", self._host.parent)
        dialog.send_with(
            lambda: bridge.open_round(lambda r: r.propose(round_id, *dialog.fields())),
            self._host.explain,
        )
        if dialog.exec():
            self.page.say(self.tr("Proposal sent."))
        dialog.deleteLater()

    @Slot(str, list)
    def vote(self, round_id: str, proposal_ids: list[str]) -> None:
        if not proposal_ids:
            self.page.say(self.tr("Tick the proposals you vote for."))
            return
        command = self._host.bridge.open_round(lambda r: r.vote(round_id, proposal_ids))
        command.on_success(lambda _: self.page.say(self.tr("Vote sent.")))
        command.on_failure(self._refused)

    @Slot(str, str, int)
    def step(self, round_id: str, action: str, minutes: int) -> None:
        bridge = self._host.bridge
        if action == "open_vote":
            command = bridge.open_round(lambda r: r.open_vote(round_id))
        elif action == "close_vote":
            command = bridge.open_round(lambda r: r.close_vote(round_id))
        else:
            command = bridge.open_round(lambda r: r.steer(round_id, action, minutes))
        command.on_failure(self._refused)

    def _refused(self, problem: Problem) -> None:
        self.page.say(f"{self._host.explain(problem)} {problem.detail}".strip())
