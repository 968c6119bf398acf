"""`oor keeper` given bad input: one clear sentence and exit 2, never a traceback."""

from __future__ import annotations

import pytest

from app.cli import main
from app.homeserver.config import free_loopback_port

SPACE = "!space:ministry.example"


def _refusal(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(["keeper", *argv]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


def test_no_database_is_named(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.delenv("OOR_KEEPER_DB", raising=False)
    assert "no records database" in _refusal(capsys, "mark", SPACE)


def test_a_database_that_is_down_is_called_unreachable_not_damaged(capsys) -> None:
    url = f"postgresql://keeper@127.0.0.1:{free_loopback_port()}/records"
    err = _refusal(capsys, "mark", SPACE, "--db", url)
    assert "cannot be reached" in err
    assert "damaged" not in err


def test_a_session_the_keeper_never_saw_and_a_negative_period_are_refused(
    records_db: str, capsys
) -> None:
    assert "not a session the keeper has archived" in _refusal(
        capsys, "hold", SPACE, "--reason", "inquiry", "--db", records_db
    )
    assert "number of days" in _refusal(
        capsys, "retention", SPACE, "--days", "-3", "--db", records_db
    )
