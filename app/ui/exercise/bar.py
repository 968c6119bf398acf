"""The facilitator's exercise controls: the exercise clock beside the real one, start/pause,
speed, jump to the next inject, and evaluator notes (kept on this machine only).

Hidden until an exercise runs. The clock runs on between the backend's progress notices
from the figures of the last one, so it never waits on the backend to tick.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDateTime, QElapsedTimer, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.core.exercise import ClockState, clock_text
from app.core.session import BlueprintError
from app.services import notices
from app.services.notices import EvaluatorNotes, ExerciseProgress
from app.ui.host import Host
from app.ui.texts import counted, digits, fill
from app.ui.widgets import exercise_banner

SPEEDS = (1.0, 2.0, 5.0, 10.0, 50.0)


class NotesDialog(QDialog):
    """Observations so far, and a new one stamped with the exercise clock when added."""

    noteAdded = Signal(str)

    def __init__(self, notes: EvaluatorNotes | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Evaluator notes"))
        self.list = QListWidget()
        for note in notes.notes if notes else ():
            self.list.addItem(f"{digits(clock_text(note.exercise_seconds))}  {note.text}")
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(self.tr("What did you observe? Only facilitators see this."))
        self.add_button = QPushButton(self.tr("&Add note"))
        self.add_button.clicked.connect(self._add)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.text)
        layout.addWidget(self.add_button)
        self.resize(480, 360)

    def _add(self) -> None:
        text = self.text.toPlainText().strip()
        if text:
            self.noteAdded.emit(text)
        self.accept()


class ExerciseBar(QToolBar):
    def __init__(self, host: Host) -> None:
        super().__init__(host.parent)
        self.setObjectName("exerciseBar")
        self.setWindowTitle(self.tr("Exercise"))
        self.setMovable(False)
        self._parent = host.parent
        self._bridge = host.bridge
        host.explain_problems(
            {
                "exercise_failed": self.tr("The exercise could not start."),
            }
        )
        self.progress: ExerciseProgress | None = None
        self.notes: EvaluatorNotes | None = None
        self._since = QElapsedTimer()

        banner = exercise_banner()
        self.clock = QLabel()
        self.clock.setObjectName("exerciseClock")
        self.real_clock = QLabel()
        self.counts = QLabel()
        self.pause_button = QPushButton(self.tr("&Pause"))
        self.pause_button.clicked.connect(self._pause_or_resume)
        self.speed = QComboBox()
        for speed in SPEEDS:
            self.speed.addItem(fill(self.tr("%1×"), f"{speed:g}"), speed)
        self.speed.activated.connect(self._speed_chosen)
        self.next_button = QPushButton(self.tr("Ne&xt inject"))
        self.next_button.clicked.connect(lambda: self._bridge.exercise_control("next"))
        self.notes_button = QPushButton(self.tr("Evaluator &notes…"))
        self.notes_button.clicked.connect(self._take_note)
        for widget in (banner, self.clock, self.real_clock, self.counts):
            self.addWidget(widget)
            self.addSeparator()
        for widget in (self.pause_button, self.speed, self.next_button, self.notes_button):
            self.addWidget(widget)

        self._ticker = QTimer(self)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start(500)
        self._bridge.on(notices.ExerciseProgress, self.apply)
        self._bridge.on(notices.EvaluatorNotes, self._keep_notes)
        self.hide()

    @Slot(object)
    def apply(self, progress: ExerciseProgress) -> None:
        self.progress = progress
        self._since.restart()
        self.show()
        labels = {
            ClockState.READY: self.tr("&Start"),
            ClockState.RUNNING: self.tr("&Pause"),
            ClockState.PAUSED: self.tr("&Resume"),
            ClockState.FINISHED: self.tr("Finished"),
        }
        self.pause_button.setText(labels[progress.state])
        self.pause_button.setEnabled(progress.state is not ClockState.FINISHED)
        self.next_button.setEnabled(progress.next_at is not None)
        if self.speed.findData(progress.speed) < 0:  # e.g. `oor demo --speed 8`
            self.speed.addItem(fill(self.tr("%1×"), f"{progress.speed:g}"), progress.speed)
        self.speed.setCurrentIndex(self.speed.findData(progress.speed))
        counts = counted(self.tr("%1 of %n injects", "", progress.total), progress.done)
        if progress.failures:
            counts += " · " + counted(self.tr("%n failed", "", len(progress.failures)))
        self.counts.setText(counts)
        failed = "\n".join(progress.failures)  # the record's words: line, inject, error
        self.counts.setToolTip(fill(self.tr("Failed injects:\n%1"), failed) if failed else "")
        self._tick()

    def exercise_seconds(self) -> float:
        """The exercise clock now: the last notice's figure, run on at its speed."""
        p = self.progress
        if p is None:
            return 0.0
        if p.state is not ClockState.RUNNING:
            return p.elapsed
        return p.elapsed + self._since.elapsed() / 1000 * p.speed

    def _tick(self) -> None:
        if self.progress is None:
            return
        state = {
            ClockState.READY: self.tr("ready"),
            ClockState.RUNNING: self.tr("running"),
            ClockState.PAUSED: self.tr("paused"),
            ClockState.FINISHED: self.tr("finished"),
        }[self.progress.state]
        self.clock.setText(
            fill(
                self.tr("Exercise clock %1 (%2)"),
                digits(clock_text(self.exercise_seconds())),
                state,
            )
        )
        now = QDateTime.currentDateTime().toString("HH:mm:ss")
        self.real_clock.setText(fill(self.tr("Real time %1"), now))

    def _pause_or_resume(self) -> None:
        if self.progress is not None:
            action = {
                ClockState.READY: "start",
                ClockState.RUNNING: "pause",
                ClockState.PAUSED: "resume",
            }.get(self.progress.state)
            if action:
                self._bridge.exercise_control(action)

    def choose_scenario(self) -> None:
        """Session → Run exercise…: a scenario file, checked here, convened and held at T+0
        until the facilitator presses Start."""
        path, _ = QFileDialog.getOpenFileName(
            self._parent, self.tr("Run exercise"), "", self.tr("Scenarios (*.yaml *.yml)")
        )
        if not path:
            return
        from app.core.exercise import parse_scenario  # the format loads with the first use

        try:
            scenario = parse_scenario(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            QMessageBox.warning(self._parent, self.tr("Run exercise"), str(exc))
            return
        except BlueprintError as exc:
            problems = "\n".join(str(p) for p in exc.problems)
            text = fill(self.tr("The scenario is refused:\n%1"), problems)
            QMessageBox.warning(self._parent, self.tr("Run exercise"), text)
            return
        self._bridge.start_exercise(scenario, 1.0, autostart=False)

    def _speed_chosen(self, index: int) -> None:
        self._bridge.exercise_control("speed", float(self.speed.itemData(index)))

    @Slot(object)
    def _keep_notes(self, notes: EvaluatorNotes) -> None:
        self.notes = notes
        self.notes_button.setToolTip(counted(self.tr("%n notes so far", "", len(notes.notes))))

    def _take_note(self) -> None:
        """Open the notes window without a nested event loop; the note is read when Add is
        pressed, before the dialog goes (reading it after a delete-on-close lost it)."""
        dialog = NotesDialog(self.notes, self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.noteAdded.connect(self._bridge.add_exercise_note)
        dialog.open()
