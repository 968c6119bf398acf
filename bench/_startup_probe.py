"""Child process of ``bench.startup``: start the real GUI and report when things appear.

It runs the app's own ``run_gui`` (stored login restored, no embedded server) and only
watches: an application-wide event filter sees paint events, and slots on the bridge see
notices arrive. Times are ``time.time()`` minus the parent's ``time.time()`` taken just
before it started this process, so interpreter start and imports count too.

Milestones (seconds):
  interpreter_ready   this module's first line runs
  imports_done        PySide6 and the app's UI imported
  window_painted      the main window's first paint finished
  logged_in           the LoggedIn notice reached the UI thread
  room_list_painted   the room list painted with at least one room in it
  room_loaded         the RoomLoaded notice of the opened room was applied
  messages_painted    the workspace is current, the timeline holds the expected newest
                      message, and the timeline viewport finished painting after that

The result is one JSON line on stdout (``marks``, and ``cpu_marks``: this process's CPU
seconds at each milestone, which a busy machine disturbs less than wall time); the
process then quits the app, which runs the app's ordered shutdown (timed as
``shutdown_s``).

With ``--hold STOP_FILE`` (``bench.versus_nheko``) it stays open after the last milestone
until that file exists, and prints a JSON line as things happen: ``{"ready": ...}`` once
the room list is painted (with this process's CPU seconds then), ``{"logged_in": ...}``
once the backend has signed in (an early list is painted before), and ``{"shown": body,
"at": time}`` when a timeline message starting with ``--watch-prefix`` is first painted.
With ``--open-rooms FILE`` too (``bench.scale_rooms``), once the file ``--open-when``
exists it opens ``--opens`` of those rooms by clicking them in the list
(``bench._room_opens``) and prints ``{"opens": [{"room", "ms", "timed_out"}, ...]}``.
"""

from __future__ import annotations

import time

_STARTED = time.time()

import argparse  # noqa: E402 - the clock above must start first
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


class _Marks:
    """Milestone times relative to the parent's start time; the first report wins."""

    def __init__(self, t0: float) -> None:
        self.t0 = t0
        self.values: dict[str, float] = {}
        self.cpu: dict[str, float] = {}  # CPU seconds spent by then: steadier on a busy box

    def set(self, name: str, at: float | None = None) -> None:
        if name not in self.values:
            self.values[name] = round((time.time() if at is None else at) - self.t0, 4)
            self.cpu[name] = cpu_seconds()


def say(line: dict[str, Any]) -> None:
    """One JSON line for the parent, at once."""
    print(json.dumps(line), flush=True)


def cpu_seconds() -> float:
    """This process's user + system CPU time so far (all its threads), from /proc."""
    fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _sibling(name: str) -> Any:
    """A bench module loaded from beside this file (the app under test may be another
    checkout, whose ``bench`` is the one on ``sys.path``)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shown_trace(prefix: str | None) -> Callable[[str], None] | None:
    """``bench._shown_trace``'s hooks when ``OOR_PROBE_TRACE`` names a file."""
    path = os.environ.get("OOR_PROBE_TRACE")
    if not path or not prefix:
        return None
    return _sibling("_shown_trace").install(path, prefix)


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--t0", type=float, required=True, help="parent's time.time()")
    parser.add_argument("--expect-body", required=True, help="the room's newest message")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--hold", help="stay open until this file exists")
    parser.add_argument("--watch-prefix", help="report when such messages are painted")
    parser.add_argument("--open-rooms", help="JSON file: room id -> its newest message")
    parser.add_argument("--opens", type=int, default=20, help="rooms to open")
    parser.add_argument("--open-when", help="open the rooms once this file exists")
    return parser.parse_args()


def main() -> int:
    args = _options()
    sys.argv = sys.argv[:1]  # Qt must not see our options
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("OOR_CREDENTIALS", "file")

    marks = _Marks(args.t0)
    marks.set("interpreter_ready", _STARTED)

    # Qt first through app.ui, as `oor` loads it: app.ui adjusts the check PySide6 makes of
    # every module loaded after it before anything else loads. Importing PySide6 here first
    # had PySide6 read the source of every module loaded so far into linecache (~2.5 MB
    # that `oor` does not hold), and the app measured with it.
    import app.ui

    # isort: split
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QListView, QWidget

    from app.core.paths import DataDir
    from app.services import notices
    from app.ui.shell.app import run_gui
    from app.ui.shell.main_window import MainWindow
    from app.ui.timeline.rows import RowKind

    marks.set("imports_done")
    shown_trace = _shown_trace(args.watch_prefix)
    outcome: dict[str, Any] = {"timed_out": False, "message_rows": 0, "problems": []}

    class Watcher(QObject):
        """Sees every paint in the app; turns the ones we wait for into milestones."""

        def __init__(self, app: QApplication) -> None:
            super().__init__()
            self.app = app
            self.window: MainWindow | None = None
            self.queued: set[str] = set()
            self.painted: list[Callable[[], None]] = []  # milestones whose paint is under way
            self.quit_at = 0.0
            self.opens: Any = None  # bench._room_opens.RoomOpens, once asked for

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
            if event.type() != QEvent.Type.Paint:
                self.paints_over()
                return False
            if not isinstance(obj, QWidget):
                return False
            window = obj.window()
            if window is not self.window:
                return False
            if obj is window:
                self.after_paint("window_painted")
            view = obj.parent()
            if isinstance(view, QListView) and obj is view.viewport():
                if view is window.workspace.room_list and window.workspace.rooms.rowCount():
                    self.after_paint("room_list_painted")
                elif view is window.workspace.timeline_view:
                    if self.opens is not None:
                        self.opens.timeline_painting()
                    if self.messages_shown(window):
                        self.after_paint("messages_painted", done=True)
                    self.watch(window)
            return False

        def watch(self, window: MainWindow) -> None:
            """Each watched message once, at the end of the first paint that includes it.

            Newest rows first, up to a watched message already reported: the bench sends
            one at a time, each arriving at the bottom, so the rows above it were seen
            before (a scan of every row, some 0.3 ms on a 200-row page, was timed inside
            each paint as if the app spent it)."""
            if not args.watch_prefix:
                return
            model = window.workspace.timeline
            for i in reversed(range(model.rowCount())):
                text = model.row(i).text or ""
                if not text.startswith(args.watch_prefix):
                    continue
                if text in self.queued:
                    break
                self.queued.add(text)
                QTimer.singleShot(0, lambda t=text: report_shown(t))

        def after_paint(self, name: str, done: bool = False) -> None:
            """Marked when this paint is over and flushed: at the next event dispatched that
            is not itself a paint (Qt flushes a paint cycle, or a widget's ``repaint()``,
            before it returns to dispatching), or at the zero timer queued here, which
            is such an event, if nothing else comes sooner."""

            def record() -> None:
                marks.set(name)
                if name == "room_list_painted" and args.hold:
                    say({"ready": marks.values[name], "cpu_s": cpu_seconds()})
                if done and not args.hold:
                    self.finish(timed_out=False)

            self.when_painted(name, record)

        def when_painted(self, key: str, action: Callable[[], None]) -> None:
            """``action`` once, when the paint under way is over (see ``after_paint``)."""
            if key in self.queued:
                return
            self.queued.add(key)
            self.painted.append(action)
            QTimer.singleShot(0, self.paints_over)

        def open_rooms(self) -> None:
            """Click ``--opens`` rooms in the list, one after another (``_room_opens``)."""
            if self.opens is not None or self.window is None:
                return
            newest = json.loads(Path(args.open_rooms).read_text())
            opener = _sibling("_room_opens").RoomOpens
            self.opens = opener(
                self.window, newest, args.opens, report=say, when_painted=self.when_painted
            )
            self.opens.start()

        def paints_over(self) -> None:
            painted, self.painted = self.painted, []
            for record in painted:
                record()

        def messages_shown(self, window: MainWindow) -> bool:
            if window.pages.currentWidget() is not window.workspace:
                return False
            model = window.workspace.timeline
            rows = [model.row(i) for i in range(model.rowCount())]
            messages = [r for r in rows if r.kind is RowKind.MESSAGE]
            if not any(r.text == args.expect_body for r in messages):
                return False
            outcome["message_rows"] = len(messages)
            return True

        def attach(self) -> None:
            """First thing in the event loop: find run_gui's window and hear its notices.

            No notice can be missed: the backend needs a network round trip before its
            first one, and this runs before any queued signal is delivered. Our slots are
            connected after the window's, so they run once the window has applied it."""
            marks.set("event_loop_started")
            windows = [w for w in self.app.topLevelWidgets() if isinstance(w, MainWindow)]
            if not windows:
                self.finish(timed_out=True)
                return
            self.window = window = windows[0]
            bridge = window.bridge
            bridge.on(notices.LoggedIn, lambda _n: self.logged_in())
            bridge.on(
                notices.RoomsChanged, lambda n: marks.set("rooms_changed") if n.rooms else None
            )
            bridge.on(notices.RoomLoaded, lambda _n: marks.set("room_loaded"))

        def logged_in(self) -> None:
            marks.set("logged_in")
            if args.hold:
                say({"logged_in": marks.values["logged_in"]})

        def finish(self, timed_out: bool) -> None:
            if self.quit_at:
                return
            outcome["timed_out"] = timed_out
            if self.window is not None:
                outcome["problems"] = [f"{p.what}: {p.detail}" for p in self.window.problems]
            self.quit_at = time.time()
            self.app.quit()  # run_gui then shuts the bridge down, in order

    def report_shown(text: str) -> None:
        say({"shown": text, "at": time.time()})
        if shown_trace is not None:
            shown_trace(text)

    app = QApplication(sys.argv)  # run_gui reuses it
    watcher = Watcher(app)
    app.installEventFilter(watcher)  # before run_gui, so not even the first paint is missed
    QTimer.singleShot(0, watcher.attach)
    if args.hold:
        stop_file = Path(args.hold)
        holder = QTimer(app)
        holder.timeout.connect(lambda: watcher.finish(False) if stop_file.exists() else None)
        if args.open_rooms and args.open_when:
            go = Path(args.open_when)
            holder.timeout.connect(lambda: watcher.open_rooms() if go.exists() else None)
        holder.start(100)
    else:
        QTimer.singleShot(int(args.timeout * 1000), lambda: watcher.finish(timed_out=True))
    code = run_gui(DataDir(Path(args.data_dir)), embedded=False)
    ended = time.time()
    app.removeEventFilter(watcher)
    outcome.update(
        exit_code=code,
        marks=marks.values,
        cpu_marks=marks.cpu,
        shutdown_s=round(ended - watcher.quit_at, 4) if watcher.quit_at else None,
    )
    print(json.dumps(outcome), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
