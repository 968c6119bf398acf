"""`oor demo`, `oor exercise check`, `oor exercise run`: exercises from scenario files.

`demo` opens the app on the embedded homeserver as the facilitator of the built-in
scenario; `exercise run` plays a scenario headless and reports what each inject did.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.exercise import ClockState
from app.core.paths import DataDir
from app.scenarios import CORRIDOR
from app.services.headless import print_opening, start_signed_in
from app.services.notices import OUTBOX_SET_ASIDE, ExerciseProgress, Notice, Problem
from app.services.sessions import SessionError

if TYPE_CHECKING:
    from app.core.exercise import Scenario

DataDirOf = Callable[[str | None], DataDir]


def _speed(text: str) -> float:
    """--speed: a positive factor (2 = twice as fast)."""
    try:
        speed = float(text)
    except ValueError:
        speed = 0.0
    if not speed > 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive number")
    return speed


def _scenario(path: str | None) -> Scenario:
    """The scenario file (the built-in one by default), checked; the format loads here, so
    the other commands, and the window, never load it."""
    from app.core.exercise import parse_scenario

    return parse_scenario(Path(path or CORRIDOR).read_text(encoding="utf-8"))


def _check(args: argparse.Namespace, _data: DataDir) -> int:
    scenario = _scenario(args.scenario)
    summary = {
        "title": scenario.title,
        "cast": len(scenario.cast),
        "charts": len(scenario.charts),
        "injects": len(scenario.injects),
        "duration_seconds": scenario.duration,
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(" ".join(f"{k}={v}" for k, v in summary.items()) + " — the scenario is valid")
    return 0


def _run(args: argparse.Namespace, data: DataDir) -> int:
    scenario = _scenario(args.scenario)
    progress = asyncio.run(_play(data, scenario, args.speed, not args.remote, args.json))
    reply = {
        "space_id": progress.space_id,
        "played": progress.done,
        "injects": progress.total,
        "failures": list(progress.failures),
    }
    print(json.dumps(reply, ensure_ascii=False) if args.json else _describe(reply), flush=True)
    return 0 if not progress.failures and progress.done == progress.total else 1


def _describe(reply: dict[str, Any]) -> str:
    lines = [f"played {reply['played']} of {reply['injects']} injects in {reply['space_id']}"]
    return "\n".join(lines + [f"  failed: {f}" for f in reply["failures"]])


async def _play(
    data: DataDir, scenario: Scenario, speed: float, embedded: bool, quiet: bool
) -> ExerciseProgress:
    from app.services.backend import Backend  # nio and SQL load only when a command runs

    heard: list[Notice] = []

    def notify(notice: Notice) -> None:
        heard.append(notice)
        print_opening(notice)
        if isinstance(notice, ExerciseProgress) and notice.last and not quiet:
            print(
                f"T+{notice.elapsed:7.1f}s  {notice.done}/{notice.total}  {notice.last}", flush=True
            )

    backend = Backend(data, notify, embedded=embedded)
    try:
        await start_signed_in(backend, heard)
        runner = await backend.start_exercise(scenario, speed)
        if runner is None or backend.exercise is None:
            problems = [n.detail for n in heard if _why_not_started(n)]
            raise SessionError(f"the exercise did not start: {'; '.join(problems)}")
        await backend.exercise.finished()
        last = [n for n in heard if isinstance(n, ExerciseProgress)][-1]
        assert last.state is ClockState.FINISHED
        return last
    finally:
        await backend.shutdown()


def _why_not_started(notice: Notice) -> bool:
    """A problem that may have kept the exercise from starting: not an outbox set aside
    at the opening (told on its own line, and no reason for anything to fail)."""
    return isinstance(notice, Problem) and notice.what != OUTBOX_SET_ASIDE


def _demo(args: argparse.Namespace, data: DataDir) -> int:
    from app.ui.shell.app import run_gui  # Qt loads only when a window is wanted

    return run_gui(
        data,
        embedded=True,
        language=args.lang,
        digits=args.digits,
        demo=_scenario(None),
        speed=args.speed,
    )


def add_commands(commands: Any, data_dir: DataDirOf) -> None:
    """Register `demo` and `exercise check|run` on the main parser's subparsers."""

    def runs(sub: argparse.ArgumentParser, action: Callable[..., int]) -> None:
        sub.add_argument("--data-dir", default=argparse.SUPPRESS, help="the app's data dir")
        sub.set_defaults(run=lambda args: action(args, data_dir(args.data_dir)))

    demo = commands.add_parser(
        "demo", help="the app on the embedded homeserver, with a live exercise"
    )
    demo.add_argument("--speed", type=_speed, default=1.0, help="exercise speed (1 = real time)")
    demo.add_argument("--lang", choices=["en", "ar"], help="language of the interface")
    demo.add_argument("--digits", choices=["latin", "arabic"], help="digit style")
    runs(demo, _demo)
    exercise = commands.add_parser("exercise", help="check or play an exercise scenario")
    verbs = exercise.add_subparsers(dest="exercise_command", required=True)
    check = verbs.add_parser("check", help="validate a scenario; every error with its line")
    run = verbs.add_parser("run", help="play a scenario (the embedded homeserver by default)")
    for sub, action in ((check, _check), (run, _run)):
        sub.add_argument("scenario", nargs="?", help="scenario YAML (default: the built-in one)")
        sub.add_argument("--json", action="store_true", help="print machine-readable output")
        runs(sub, action)
    run.add_argument("--speed", type=_speed, default=1.0, help="exercise speed (1 = real time)")
    run.add_argument(
        "--remote",
        action="store_true",
        help="use the data dir's stored login and the cast logins in <data-dir>/exercise/"
        "cast.json instead of the embedded homeserver",
    )
