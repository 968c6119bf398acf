"""What the backend reports, put into the open room's timeline, with the view following.

A room is loaded from the archive while new events and outbox rows keep coming: what
arrives for a room whose load is on its way is held and merged into that load, so
nothing newer is lost under it. Held is what arrives from the moment the load is asked
for, not only while another room is shown: a message is shown as it arrives, before it
is archived (``app.services.arrival``), so a load read meanwhile lacks it, and going
R → S → R would otherwise lose it under R's second load. The hold ends when the room's
last ask has been answered by its own command (``room_answered``), not when a load
notice comes: a restart announces the newest room's load unasked
(``app.services.early_list``), and a failed ask brings no load at all. The answer
reaches the window after its load (both are queued to the UI thread, and the load is
handed over before the store call returns). An answer is of one sign-in (``epoch``):
the window's next account (``reset``, from ``WorkspaceView.set_user``: a login, or a
restart's resumed one; signing out alone shows the login page and ends nothing) ends
every hold and starts a new epoch, and an answer to an ask made before it ends nothing
of the new account's, however fast its sign-in came after. A load that comes after the
``reset`` is the new account's, whichever sign-in asked for it: an account's store reads
what was asked of it, and hands each load to the window, before it closes (later asks
are refused), and the next account's sign-in is said only once its own archive is open,
through the same queue to the UI thread. So an ask of the last account's still
unanswered then (a command dropped, a backend that did not start) brings none of its
rows: holding the room's loads back for it would hide the new account's for good.

A hold keeps the newest ``HELD_ROWS`` arrivals of its room, as many as the rows a room
opens with. Arrivals, not rows: a post's every outbox state, its echo, an event decrypted
late each count once, so what is held may make fewer rows than that. Without a bound, an
ask never answered (a command dropped, a backend that did not start) would hold all that
arrives for the room until the next account. Not a time limit instead: an answer that is
only slow (the store busy at a start) would then lose a message under its load, which is
what the hold is for; and an arrival is shown at once whenever its room is, held or not.
Only a load read more than ``HELD_ROWS`` of that room's arrivals before it came lacks
rows the hold no longer has.

New rows are followed only when the reader was at the bottom, and a post of our own
is always brought into view.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import groupby

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QScrollBar

from app.core.records import OutboxItem, OutboxState, RoomEvent
from app.services.notices import RoomLoaded
from app.ui.timeline.model import TimelineModel
from app.ui.timeline.view import TimelineView

# Arrivals held per room: the rows a room opens with (``app.services.preview.OPEN_LIMIT``,
# not imported: it would bring the store's modules into the window's start; a test keeps
# the two equal).
HELD_ROWS = 200


class TimelineFeed(QObject):
    """Feeds one timeline model and keeps its view at the newest rows when it should be.

    A QObject owned by the workspace: the model's ``rowsInserted`` connection then ends
    when the workspace goes (a plain object's method would stay connected to a model
    being destroyed, and keep its view's wrapper alive past the widget)."""

    def __init__(
        self,
        timeline: TimelineModel,
        view: TimelineView,
        selected_room: Callable[[], str],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._timeline, self._view, self._selected_room = timeline, view, selected_room
        self._just_sent: set[str] = set()  # rooms whose next own row is scrolled into view
        self._asked: Counter[str] = Counter()  # rooms' asks for a load not answered yet
        self._held: dict[str, deque[RoomEvent | OutboxItem]] = {}  # arrived for those rooms
        self._epoch = 0  # sign-ins so far: which one the asks are of
        self._arriving = False  # applying arriving events: follow the bottom once, after
        self._follow = False  # a row came in while the view was at the bottom
        timeline.rowsInserted.connect(self._follow_bottom)

    def room_selected(self, room_id: str) -> None:
        """A room chosen: its load is asked for, and what arrives for it is held until
        every ask for it has been answered."""
        self._asked[room_id] += 1
        self._held.setdefault(room_id, deque(maxlen=HELD_ROWS))

    @property
    def epoch(self) -> int:
        """The sign-in asks are made in now; its answers bring it back (``room_answered``)."""
        return self._epoch

    def room_answered(self, room_id: str, epoch: int) -> None:
        """An ask for the room's load, made in sign-in ``epoch``, answered (loaded, failed,
        or no account to load from): once none is left, nothing is held for it. An
        answer to an ask made before a ``reset`` ends no hold of the new account's, which
        may have asked for the room since: an ask made while signed out is refused
        ("not signed in") and its answer may come after the next sign-in, and one that
        starts running once the next account is in reads that account's archive but
        carries the earlier epoch."""
        if epoch != self._epoch:
            return
        if self._asked[room_id] > 1:
            self._asked[room_id] -= 1
            return
        del self._asked[room_id]
        self._held.pop(room_id, None)

    def reset(self) -> None:
        """Another account, or none: nothing asked, held or sent for the last one counts,
        nor any answer to those asks."""
        self._epoch += 1
        self._asked.clear()
        self._held.clear()
        self._just_sent.clear()

    def sent(self, room_id: str) -> None:
        """Our own post to ``room_id``: its row is brought into view when it comes."""
        self._just_sent.add(room_id)

    def load(self, notice: RoomLoaded) -> None:
        """A room's archived rows: shown if it is the selected room, merged with what
        arrived for it since it was asked for (rows are keyed by event or transaction
        id, so nothing shows twice). What is held stays held for the room's later loads
        until its asks are answered (``room_answered``)."""
        if notice.room_id == self._selected_room():
            self._timeline.load(notice)
            _merge(self._timeline, self._held.get(notice.room_id, ()))
            self._view.scrollToBottom()

    def add_events(self, events: tuple[RoomEvent, ...]) -> None:
        """New events into the timeline; if the reader was at the bottom, scrolled to and
        painted before this returns, once for the whole batch: a posted repaint is
        low-priority, so the notices the backend sends right after (the rosters, the
        next batch) would otherwise be applied first and the message shown only after
        them. The scroll bar, whose range and handle new rows change, is painted just
        after (``_painted_after``): the row is what the reader waits for."""
        for event in events:
            if (held := self._held.get(event.room_id)) is not None:
                held.append(event)
        followed = self._view.at_bottom() and any(
            e.room_id == self._timeline.room_id for e in events
        )
        with _painted_after(self._view.verticalScrollBar(), followed):
            self._arriving, self._follow = True, False
            try:
                self._timeline.add_events(events)
            finally:
                self._arriving = False
            if self._follow:
                self._view.scrollToBottom()
                self._view.paint_now()  # the new rows only: the rest is on screen

    def outbox_changed(self, item: OutboxItem) -> None:
        """A post's row (pending, sent or failed) into the timeline."""
        if (held := self._held.get(item.room_id)) is not None:
            held.append(item)
        self._timeline.outbox_changed(item)

    def show_own_post(self, item: OutboxItem, current_room: str) -> None:
        """You see your own new post, wherever you were: at its pending row and again once
        the server has it (the echo may change the row's height); after the view has laid
        the row out, not before."""
        if item.room_id in self._just_sent and item.room_id == current_room:
            if item.state is not OutboxState.PENDING:
                self._just_sent.discard(item.room_id)
            QTimer.singleShot(0, self._view, self._view.scrollToBottom)

    def _follow_bottom(self) -> None:
        if self._view.was_at_bottom:
            if self._arriving:
                self._follow = True  # scrolled once the batch is in (``add_events``)
            else:
                self._view.scrollToBottom()


def _merge(timeline: TimelineModel, held: Sequence[RoomEvent | OutboxItem]) -> None:
    """What arrived while a load was on its way, applied over it in the order it came
    (a send's pending row before its echo, a late decryption after its locked event)."""
    for are_events, run in groupby(held, key=lambda i: isinstance(i, RoomEvent)):
        if are_events:
            timeline.add_events(tuple(e for e in run if isinstance(e, RoomEvent)))
        else:
            for item in run:
                if isinstance(item, OutboxItem):
                    timeline.outbox_changed(item)


@contextmanager
def _painted_after(bar: QScrollBar, when: bool) -> Iterator[None]:
    """Paint the scroll bar in the next paint, not in a ``paint_now`` inside: its range
    and handle change with every new row, and its full-height groove costs more to draw
    than the row (docs/performance.md, session 10). Updates enabled again repaint it
    whole, as its change would have; ``when`` False (no row can come into view) leaves
    it to repaint as it always does."""
    if not when or not bar.updatesEnabled():
        yield
        return
    bar.setUpdatesEnabled(False)
    try:
        yield
    finally:
        bar.setUpdatesEnabled(True)
