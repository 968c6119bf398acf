"""The records keeper's environment file (`keeper.env`): one format for whoever writes it
(`oor server init`, or an administrator from `installer/systemd/keeper.env.example`) and
whoever reads it (systemd's ``EnvironmentFile=``, and `oor keeper --env-file FILE`).

The file is the subset of systemd's environment-file syntax both readers agree on:
``KEY=VALUE`` lines, optionally quoted, with ``#``/``;`` comment lines. It is checked
before the keeper starts: a typo or a database URL still at its placeholder would
otherwise only show as a keeper retrying an unreachable database for ever.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import astuple, dataclass
from pathlib import Path

from app.core.identifiers import is_user_id

DB = "OOR_KEEPER_DB"
HOMESERVER = "OOR_KEEPER_HOMESERVER"
USER = "OOR_KEEPER_USER"
DATA_DIR = "OOR_KEEPER_DATA_DIR"
KNOWN = (DB, HOMESERVER, USER, DATA_DIR)
#: What a generated file says until the records office gives the real database.
DB_PLACEHOLDER = "postgresql://oor_keeper:CHANGE-ME@127.0.0.1:5432/records"
_PLACEHOLDER_MARK = "CHANGE-ME"
_POSTGRES_URL = re.compile(r"^postgresql(\+\w+)?://")
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class KeeperEnvError(ValueError):
    """The keeper's settings are unusable; the message says which line or value, and why."""


@dataclass(frozen=True)
class KeeperEnv:
    """The keeper's settings: its records database, its account and where it keeps its
    login. Empty strings are settings not given (a command-line option may supply them)."""

    db: str = ""
    homeserver: str = ""
    user: str = ""
    data_dir: str = ""

    def render(self) -> str:
        """The environment file's text; values are written unquoted, so none may hold
        a line break (the checks in `checked` refuse those)."""
        checked(self, "the keeper's settings", placeholder_ok=True)
        return (
            "# The records keeper's settings (read by oor-keeper.service, and by\n"
            "# `oor keeper --env-file THIS-FILE`). Keep it mode 0600: the URL holds a password.\n"
            "# The ministry's records database (PostgreSQL); the keeper makes its tables.\n"
            f"{DB}={self.db}\n"
            "# The keeper's own account, and the homeserver it signs in to\n"
            "# (`oor keeper login --env-file THIS-FILE` once, before enabling the unit).\n"
            f"{HOMESERVER}={self.homeserver}\n"
            f"{USER}={self.user}\n"
            "# Where the keeper keeps its login and device keys.\n"
            f"{DATA_DIR}={self.data_dir}\n"
        )


def _value(raw: str, where: str) -> str:
    value = raw.strip()
    if value[:1] in {'"', "'"}:
        if len(value) < 2 or value[-1] != value[0]:
            raise KeeperEnvError(f"{where}: the quote opened before the value is never closed")
        return value[1:-1]
    return value


def parse(text: str, source: str) -> dict[str, str]:
    """The settings of an environment file's text; ``source`` names it in messages."""
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        where = f"{source} line {number}"
        key, sep, raw = stripped.partition("=")
        key = key.strip()
        if not sep or not _KEY.match(key):
            raise KeeperEnvError(f"{where} is not NAME=VALUE: {stripped[:60]!r}")
        if key.startswith("OOR_KEEPER_") and key not in KNOWN:
            raise KeeperEnvError(f"{where}: {key} is not a keeper setting ({', '.join(KNOWN)})")
        values[key] = _value(raw, where)
    return values


def load(path: Path) -> dict[str, str]:
    """The settings in the environment file at ``path``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeeperEnvError(f"there is no keeper environment file at {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeeperEnvError(f"the keeper environment file {path} cannot be read: {exc}") from exc
    return parse(text, str(path))


def checked(env: KeeperEnv, source: str, *, placeholder_ok: bool = False) -> KeeperEnv:
    """``env`` if every setting it gives is well formed; else a KeeperEnvError naming it.
    A file may be written with the placeholder database URL, never used with it."""
    if any("\n" in value or "\r" in value for value in astuple(env)):
        raise KeeperEnvError(f"a setting in {source} holds a line break")
    if env.db and not _POSTGRES_URL.match(env.db):
        raise KeeperEnvError(f"{DB} in {source} must be a postgresql:// URL, e.g. {DB_PLACEHOLDER}")
    if _PLACEHOLDER_MARK in env.db and not placeholder_ok:
        raise KeeperEnvError(
            f"{DB} in {source} is still the placeholder: put the records database's URL "
            "(with the keeper's PostgreSQL password) there"
        )
    if env.homeserver and not env.homeserver.startswith(("https://", "http://")):
        raise KeeperEnvError(f"{HOMESERVER} in {source} must start with https:// or http://")
    if env.user and not is_user_id(env.user):
        raise KeeperEnvError(f"{USER} in {source} is not a user id like @records:ministry.example")
    return env


def keeper_env(env_file: Path | None, environ: Mapping[str, str] = os.environ) -> KeeperEnv:
    """The keeper's settings: the environment (what systemd's ``EnvironmentFile=`` gave
    the service), overridden by ``env_file`` when one is named; checked, but for a
    placeholder database URL (signing in needs no database: `checked` it before use)."""
    values = dict(environ)
    source = "the environment"
    if env_file is not None:
        values.update(load(env_file))
        source = str(env_file)
    env = KeeperEnv(
        db=values.get(DB, "").strip(),
        homeserver=values.get(HOMESERVER, "").strip(),
        user=values.get(USER, "").strip(),
        data_dir=values.get(DATA_DIR, "").strip(),
    )
    return checked(env, source, placeholder_ok=True)
