"""`oor keeper` given bad input: one clear sentence and exit 2, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.cli import main
from app.core import keeper_env
from app.homeserver.config import free_loopback_port
from app.services.instance_lock import InstanceLock

SPACE = "!space:ministry.example"
INSTALLER = Path(__file__).resolve().parent.parent / "installer" / "systemd"


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
    assert "not a session the keeper has archived" in _refusal(
        capsys, "gaps", SPACE, "--db", records_db
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("# the keeper\nOOR_KEEPER_DB postgresql://k@db/records\n", "line 2 is not NAME=VALUE"),
        ("OOR_KEEPER_BD=postgresql://k@db/records\n", "OOR_KEEPER_BD is not a keeper setting"),
        ('OOR_KEEPER_DB="postgresql://k@db/records\n', "line 1: the quote opened"),
        ("OOR_KEEPER_DB=sqlite:///records.db\n", "must be a postgresql:// URL"),
        ("OOR_KEEPER_USER=records\n", "is not a user id"),
        ("OOR_KEEPER_HOMESERVER=matrix.example\n", "must start with https://"),
    ],
)
def test_a_broken_environment_file_is_named_with_its_line(
    tmp_path: Path, capsys, text: str, says: str
) -> None:
    env_file = tmp_path / "keeper.env"
    env_file.write_text(text, encoding="utf-8")
    err = _refusal(capsys, "mark", SPACE, "--env-file", str(env_file))
    assert str(env_file) in err
    assert says in err


def test_a_missing_environment_file_is_named(tmp_path: Path, capsys) -> None:
    missing = tmp_path / "keeper.env"
    assert f"no keeper environment file at {missing}" in _refusal(
        capsys, "run", "--env-file", str(missing)
    )


def test_login_without_an_account_says_which_setting_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    for name in keeper_env.KNOWN:
        monkeypatch.delenv(name, raising=False)
    env_file = tmp_path / "keeper.env"
    env_file.write_text("OOR_KEEPER_HOMESERVER=https://matrix.example\n", encoding="utf-8")
    err = _refusal(capsys, "login", "--env-file", str(env_file), "--data-dir", str(tmp_path))
    assert "needs --user, or OOR_KEEPER_USER" in err


def test_the_packaged_example_is_what_the_packaged_unit_reads() -> None:
    settings = keeper_env.keeper_env(INSTALLER / "keeper.env.example", environ={})
    unit = (INSTALLER / "oor-keeper.service").read_text(encoding="utf-8")
    data_dir = re.search(r"^ExecStart=\S+ --data-dir (\S+) keeper run$", unit, re.M)
    assert data_dir is not None and data_dir.group(1) == settings.data_dir
    assert "EnvironmentFile=/etc/open-operations-room/keeper.env" in unit
    assert settings.user == "@records:ministry.example"
    with pytest.raises(keeper_env.KeeperEnvError, match="still the placeholder"):
        keeper_env.checked(settings, "keeper.env.example")


def test_export_while_the_keeper_runs_says_to_stop_it_first(tmp_path: Path, capsys) -> None:
    running = InstanceLock(tmp_path)  # what the running keeper holds on its data dir
    running.acquire()
    try:
        err = _refusal(
            capsys, "export", SPACE, "--out", str(tmp_path / "out"), "--data-dir", str(tmp_path)
        )
    finally:
        running.release()
    assert f"the records keeper is running on {tmp_path}" in err
    assert "systemctl stop oor-keeper.service" in err
    assert not (tmp_path / "out").exists()
