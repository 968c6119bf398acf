"""A blueprint is checked whole before anything is created, faults named by line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.roles import Role
from app.core.session import BlueprintError, parse_blueprint

DATA = Path(__file__).parent / "data"


def test_a_good_blueprint_reads_completely() -> None:
    bp = parse_blueprint((DATA / "blueprint_evacuation.yaml").read_text(encoding="utf-8"))
    assert bp.title == "Evacuation from Port Sable" and bp.exercise
    assert [d.id for d in bp.delegations] == ["geneva", "doha"]
    roles = {p.user_id: (p.role, p.delegation) for p in bp.participants}
    assert roles["@omar:localhost"] == (Role.DELEGATE, "geneva")
    assert roles["@lina:localhost"] == (Role.INFLUENCER, "")


def _problems(text: str) -> list[str]:
    with pytest.raises(BlueprintError) as caught:
        parse_blueprint(text)
    return [str(p) for p in caught.value.problems]


def test_every_fault_is_named_with_its_line() -> None:
    text = """\
title: Hostage case
kind: hostage
capital_tz: Mars/Olympus
delegations:
  - {id: geneva, name: A, tz: Europe/Zurich}
  - {id: geneva, name: B, tz: Europe/Zurich}
participants:
  - {user: "@amal:localhost", role: ambassador}
  - {user: "omar", role: expert}
  - {user: "@sara:localhost", role: delegate, delegation: paris}
"""
    assert _problems(text) == [
        "line 3: 'Mars/Olympus' is not an IANA time zone",
        "line 6: delegation 'geneva' is given twice",
        "line 8: unknown role 'ambassador' (known: facilitator, official, diplomat, delegate,"
        " expert, influencer, observer, records)",
        "line 9: 'omar' is not a Matrix user id (@name:server)",
        "line 10: no delegation with id 'paris'",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the blueprint is empty"),
        ("title: [unclosed", "line 1: not valid YAML"),
        ("- just\n- a list", "line 1: the blueprint must be a mapping"),
        ("title: X\nkind: evacuation\ncapital_tz: UTC\nexercise: maybe", "line 4: 'exercise'"),
        ("title: X\nkind: flood\ncapital_tz: UTC", "line 2: unknown crisis kind 'flood'"),
        ("title: X\nkind: other\ncapital_tz: UTC\nfoo: 1", "line 4: blueprint: unknown key 'foo'"),
    ],
)
def test_malformed_files(text: str, expected: str) -> None:
    assert any(p.startswith(expected) for p in _problems(text)), _problems(text)
