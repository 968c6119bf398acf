"""Scenario files and the exercise clock: refused with every reason and its line, or run
on a clock that pauses, speeds up and jumps exactly as the facilitator asks."""

from __future__ import annotations

import pytest

from app.core.exercise import ClockState, ExerciseClock, clock_text, parse_scenario, parse_time
from app.core.session import BlueprintError
from app.scenarios import CORRIDOR

GOOD = """\
title: Drill
kind: evacuation
capital_tz: Africa/Cairo
delegations:
  - {id: geneva, name: Geneva talks, tz: Europe/Zurich}
cast:
  - {handle: amal, role: official}
  - {handle: omar, role: delegate, delegation: geneva}
  - {handle: dina, role: influencer}
charts:
  - {id: evac, title: Evacuated, series: [evacuated], kind: timeseries}
injects:
  - {at: "00:05", by: amal, do: instruction, id: hold, to: [geneva], subject: Hold}
  - {at: "00:10", by: omar, do: ack, instruction: hold, state: acknowledged}
  - {at: 30, by: amal, do: indicator, series: evacuated, value: 12}
"""


def test_the_built_in_scenario_is_valid_and_bilingual() -> None:
    scenario = parse_scenario(CORRIDOR.read_text(encoding="utf-8"))
    kinds = {i.do for i in scenario.injects}
    assert kinds == {
        "message", "entry", "indicator", "instruction", "ack", "verification", "request"
    }  # fmt: skip
    assert any("\u0600" <= ch <= "\u06ff" for ch in scenario.title)
    assert scenario.blueprint({c.handle: f"@{c.handle}:x" for c in scenario.cast}).exercise
    times = [i.at for i in scenario.injects]
    assert times == sorted(times) and scenario.duration == times[-1]


def test_a_good_scenario_reads_times_and_references() -> None:
    scenario = parse_scenario(GOOD)
    assert [i.at for i in scenario.injects] == [5, 10, 30]
    assert scenario.injects[1].fields["instruction"] == "hold"
    assert parse_time("1:02:03") == 3723 and parse_time("00:75") is None
    assert parse_time("1:75:00") is None and parse_time("75:00") == 4500


@pytest.mark.parametrize(
    ("change", "line", "reason"),
    [
        ("by: omar, do: ack", 14, "no cast member 'nobody'"),
        ("role: official}", 7, "unknown role 'minister'"),
        ("series: evacuated, value: 12", 15, "no chart shows series 'casualties'"),
        ('at: "00:10"', 14, "goes backwards"),
        ("{handle: omar, role: delegate, delegation: geneva}", 8, "no delegation with id 'doha'"),
        ("by: amal, do: indicator", 15, "a influencer may not send a 'indicator' inject"),
        ("instruction: hold", 14, "'later' is no earlier instruction inject's id"),
        ("subject: Hold}", 13, "unknown priority 'urgent'"),
        ("state: acknowledged}", 14, "an 'unable' ack needs a 'note'"),
        ("{handle: omar, role: delegate, delegation: geneva}:diplomat", 14, "only delegates ack"),
    ],
)
def test_a_faulty_scenario_is_refused_with_its_line(change: str, line: int, reason: str) -> None:
    broken = {
        "by: omar, do: ack": "by: nobody, do: ack",
        "role: official}": "role: minister}",
        "series: evacuated, value: 12": "series: casualties, value: 12",
        'at: "00:10"': 'at: "00:01"',
        "{handle: omar, role: delegate, delegation: geneva}": (
            "{handle: omar, role: delegate, delegation: doha}"
        ),
        "by: amal, do: indicator": "by: dina, do: indicator",
        "instruction: hold": "instruction: later",
        "subject: Hold}": "subject: Hold, priority: urgent}",
        "state: acknowledged}": "state: unable}",
        "{handle: omar, role: delegate, delegation: geneva}:diplomat": (
            "{handle: omar, role: diplomat, delegation: geneva}"
        ),
    }[change]
    with pytest.raises(BlueprintError) as refused:
        parse_scenario(GOOD.replace(change.removesuffix(":diplomat"), broken))
    assert refused.value.what == "scenario"
    assert any(p.line == line and reason in p.message for p in refused.value.problems), [
        str(p) for p in refused.value.problems
    ]


def test_the_exercise_clock_pauses_speeds_up_and_jumps() -> None:
    clock = ExerciseClock()
    assert clock.real_delay(10, 0) is None  # not started: nothing is due
    clock.start(100.0)
    assert clock.elapsed(104.0) == 4 and clock.real_delay(10, 104.0) == 6
    clock.set_speed(10, 104.0)
    assert clock.elapsed(105.0) == 14 and clock.real_delay(20, 105.0) == pytest.approx(0.6)
    clock.pause(105.0)
    assert clock.state is ClockState.PAUSED
    assert clock.elapsed(500.0) == 14 and clock.real_delay(20, 500.0) is None
    clock.resume(500.0)
    assert clock.elapsed(500.5) == 19
    clock.jump_to(60, 500.5)
    assert clock.elapsed(500.5) == 60 and clock.real_delay(60, 500.5) == 0
    clock.jump_to(10, 500.5)  # never backwards
    assert clock.elapsed(500.5) == 60
    with pytest.raises(ValueError):
        clock.set_speed(0, 501.0)
    assert clock_text(3723.9) == "T+1:02:03"


def test_exercise_check_reports_every_fault_with_its_line(tmp_path, capsys) -> None:
    from app.cli import main

    assert main(["exercise", "check", "--data-dir", str(tmp_path)]) == 0
    assert "the scenario is valid" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("role: official}", "role: minister}").replace('"00:10"', '"00:01"'))
    assert main(["exercise", "check", str(bad), "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "the scenario is refused" in err and "line 7" in err and "line 14" in err
