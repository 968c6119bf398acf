"""The built-in exercise as load: what the facilitator's window handles, and its worst stall.

`oor demo`'s own path runs offscreen: a MainWindow on a fresh data dir with the embedded
homeserver, signed in as the local operator, starts the built-in scenario at ``--speed``
(50× by default: four minutes of injects in about five seconds) with its seven simulated
participants on the backend loop. While it plays, a 5 ms Qt timer on the UI thread
records how late each tick fires: the worst lateness is the longest the UI could not
paint or take input. Events handled = timeline events the window received (notices
applied on the UI thread) from the first inject until they stop, over that time.

Run: ``python -m bench.exercise [--speed 50]``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Summary, emit_json, quiet_environment

TICK_MS = 5
WAIT_SECONDS = 300.0
DRAIN_SECONDS = 3.0  # after the last inject, for the events it caused to arrive


class _Probe:
    """UI-thread lateness of a 5 ms timer, and the timeline events the window received."""

    def __init__(self) -> None:
        from PySide6.QtCore import QElapsedTimer

        self.events: list[float] = []
        self.lateness: list[float] = []
        self.measuring = False
        self._clock = QElapsedTimer()
        self._clock.start()
        self._last = 0

    def tick(self) -> None:
        now = self._clock.elapsed()
        if self.measuring:
            self.lateness.append(max(0, now - self._last - TICK_MS))
        self._last = now

    def arrived(self, notice: object) -> None:
        self.events.extend(time.perf_counter() for _ in getattr(notice, "events", ()))


def _play(speed: float) -> tuple[_Probe, float, float, int]:
    """Run the demo's window until the exercise finished and its events drained."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.exercise import ClockState, parse_scenario
    from app.core.paths import DataDir
    from app.scenarios import CORRIDOR
    from app.services.notices import EventsArrived
    from app.ui.bridge import Bridge
    from app.ui.shell.app import prepare_web_engine, start_when_signed_in
    from app.ui.shell.main_window import MainWindow

    prepare_web_engine()
    app = QApplication(sys.argv)
    scenario = parse_scenario(CORRIDOR.read_text(encoding="utf-8"))
    probe = _Probe()
    first = finished = 0.0
    with tempfile.TemporaryDirectory(prefix="oor-bench-exercise-") as tmp:
        window = MainWindow(Bridge(DataDir(Path(tmp)), embedded=True))
        window.show()
        start_when_signed_in(window.bridge, scenario, speed)
        window.bridge.on(EventsArrived, probe.arrived)
        ticker = QTimer()
        ticker.timeout.connect(probe.tick)
        ticker.start(TICK_MS)
        window.bridge.start()
        deadline = time.perf_counter() + WAIT_SECONDS
        while time.perf_counter() < deadline:
            app.processEvents()
            p = window.exercise_bar.progress
            probe.measuring = p is not None and p.done > 0
            first = first or (time.perf_counter() if probe.measuring else 0.0)
            if p is not None and p.state is ClockState.FINISHED and not finished:
                finished = time.perf_counter()
            if finished and time.perf_counter() > finished + DRAIN_SECONDS:
                break
            time.sleep(0.001)
        ticker.stop()
        window.close()  # the ordered shutdown: cast, account, homeserver
        app.processEvents()
    return probe, first, finished, len(scenario.injects)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.exercise", description=__doc__)
    parser.add_argument("--speed", type=float, default=50.0)
    args = parser.parse_args(argv)
    quiet_environment()
    probe, first, finished, injects = _play(args.speed)
    if not finished:
        print("the exercise did not finish in time", file=sys.stderr)
        return 1
    handled = [t for t in probe.events if t >= first]
    seconds = max(handled[-1] if handled else finished, finished) - first
    stalls = Summary.of(probe.lateness)
    print(f"played {injects} injects at {args.speed:g}x in {finished - first:.1f} s")
    print(f"events handled by the window   {len(handled) / seconds:8.1f} /s  (n={len(handled)})")
    print(stalls.line("UI timer lateness (stall)"))
    emit_json(
        "exercise",
        {
            "speed": args.speed,
            "play_seconds": round(finished - first, 2),
            "events": len(handled),
            "events_per_s": round(len(handled) / seconds, 1),
            "stall_ms": stalls.rounded(),
            "stalls_over_50ms": sum(1 for v in probe.lateness if v > 50),
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
