"""Generate, reuse and update the embedded Synapse's configuration in a data dir.

The config is written once and then reused as-is, because it carries things that must not
change under a running deployment: the signing key, the shared registration secret, the
database and the port people have been given. Only the port may be changed afterwards.

Nothing here imports Synapse: the signing key is written in Synapse's own file format with
the standard library, so preparing a data dir costs milliseconds instead of a Synapse start.
"""

from __future__ import annotations

import base64
import secrets
import socket
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core import private_files

CONFIG_NAME = "homeserver.yaml"
LOG_CONFIG_NAME = "homeserver.log.config"
LOG_NAME = "homeserver.log"
STDERR_LOG_NAME = "homeserver.stderr.log"
SIGNING_KEY_NAME = "homeserver.signing.key"
DATABASE_NAME = "homeserver.db"
PID_NAME = "homeserver.pid"
MEDIA_DIR_NAME = "media_store"
LOOPBACK = "127.0.0.1"


class HomeserverError(Exception):
    """Message is meant for a human: says what failed and what to do.

    Defined here, the lowest module of the package, so config and process control raise
    the same type and callers catch one thing."""


# A crisis room is a closed group of known people: a facilitator convening a session
# invites and joins dozens of people in seconds, delegations post in bursts, and the test
# suite does all of that in a loop. Synapse's defaults are spam defences for open servers.
_GENEROUS = {"per_second": 1000, "burst_count": 1000}
RATE_LIMITS: dict[str, Any] = {
    "rc_message": _GENEROUS,
    "rc_joins": {"local": _GENEROUS, "remote": _GENEROUS},
    "rc_joins_per_room": _GENEROUS,
    "rc_invites": {"per_room": _GENEROUS, "per_user": _GENEROUS, "per_issuer": _GENEROUS},
    "rc_room_creation": _GENEROUS,
    "rc_registration": _GENEROUS,
    "rc_key_requests": _GENEROUS,
    "rc_login": {
        "address": _GENEROUS,
        "account": _GENEROUS,
        # Still slows down password guessing, but a facilitator mistyping a few times
        # during an exercise is not locked out.
        "failed_attempts": {"per_second": 1, "burst_count": 20},
    },
}


@dataclass(frozen=True)
class HomeserverFiles:
    """Where everything of one embedded homeserver lives, all inside its data dir."""

    data_dir: Path

    @property
    def config(self) -> Path:
        return self.data_dir / CONFIG_NAME

    @property
    def log_config(self) -> Path:
        return self.data_dir / LOG_CONFIG_NAME

    @property
    def log(self) -> Path:
        return self.data_dir / LOG_NAME

    @property
    def stderr_log(self) -> Path:
        return self.data_dir / STDERR_LOG_NAME

    @property
    def signing_key(self) -> Path:
        return self.data_dir / SIGNING_KEY_NAME

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_NAME

    @property
    def pid(self) -> Path:
        return self.data_dir / PID_NAME

    @property
    def media_store(self) -> Path:
        return self.data_dir / MEDIA_DIR_NAME


@dataclass(frozen=True)
class HomeserverSettings:
    """The few values the process controller needs from the stored config."""

    server_name: str
    port: int
    registration_shared_secret: str


def free_loopback_port() -> int:
    """Ask the OS for a port nobody uses on loopback right now (there is a small race
    until Synapse binds it; a lost race shows up as a clear "address in use" error)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


def ensure_config(files: HomeserverFiles, server_name: str, port: int | None) -> HomeserverSettings:
    """Create the data dir's config on first use, otherwise reuse it (updating the port
    if one is given). Raises HomeserverError for a config that cannot be used."""
    try:
        files.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise HomeserverError(
            f"Cannot create the homeserver data directory {files.data_dir}: {exc}. "
            "Choose a directory you can write to."
        ) from exc
    if not files.config.exists():
        config = _new_config(files, server_name, port or free_loopback_port())
        write_private_yaml(files.config, config)
    else:
        config = load_config(files.config)
        stored = _settings(files.config, config)
        if stored.server_name != server_name:
            raise HomeserverError(
                f"The homeserver in {files.data_dir} was created for server name "
                f"'{stored.server_name}', not '{server_name}'. A server name cannot change once "
                "accounts exist: use that name, or a new data directory."
            )
        if port is not None and port != stored.port:
            _set_port(config, port)
            write_private_yaml(files.config, config)
    if not files.log_config.exists():
        write_private_yaml(files.log_config, _log_config(files))
    if not files.signing_key.exists():
        write_private_text(files.signing_key, new_signing_key())
    files.media_store.mkdir(exist_ok=True, mode=0o700)
    return _settings(files.config, config)


def load_config(path: Path) -> dict[str, Any]:
    """Read the stored config, turning YAML damage into an error a human can act on."""
    import yaml  # only where a server is embedded: a client's start never loads PyYAML

    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise HomeserverError(
            f"The homeserver config {path} cannot be read:\n{exc}\nFix the file, or move the "
            "data directory away to start a fresh homeserver (accounts in it will be lost)."
        ) from exc
    if not isinstance(loaded, dict):
        raise HomeserverError(
            f"The homeserver config {path} is not a YAML mapping. Fix the file, or move the "
            "data directory away to start a fresh homeserver (accounts in it will be lost)."
        )
    return loaded


def _settings(path: Path, config: dict[str, Any]) -> HomeserverSettings:
    try:
        listener = config["listeners"][0]
        return HomeserverSettings(
            server_name=str(config["server_name"]),
            port=int(listener["port"]),
            registration_shared_secret=str(config["registration_shared_secret"]),
        )
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise HomeserverError(
            f"The homeserver config {path} lacks server_name, a listener port or "
            f"registration_shared_secret ({exc!r}). It was not generated by this app or has "
            "been edited: restore those keys or use a new data directory."
        ) from exc


def _set_port(config: dict[str, Any], port: int) -> None:
    config["listeners"][0]["port"] = port
    config["public_baseurl"] = f"http://{LOOPBACK}:{port}/"


def _new_config(files: HomeserverFiles, server_name: str, port: int) -> dict[str, Any]:
    config: dict[str, Any] = {
        "server_name": server_name,
        # Synapse only writes this when daemonizing; the controller writes it itself so a
        # second app on the same data dir can see the server is already running.
        "pid_file": str(files.pid),
        "public_baseurl": f"http://{LOOPBACK}:{port}/",
        # Loopback only and client API only: no federation listener, so the laptop running
        # an exercise is not a server on the café network.
        "listeners": [
            {
                "port": port,
                "bind_addresses": [LOOPBACK],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(files.database)}},
        "log_config": str(files.log_config),
        "media_store_path": str(files.media_store),
        "max_upload_size": "50M",
        "signing_key_path": str(files.signing_key),
        "registration_shared_secret": secrets.token_urlsafe(32),
        "macaroon_secret_key": secrets.token_urlsafe(32),
        "form_secret": secrets.token_urlsafe(32),
        # Accounts are made by the facilitator through the admin API, never by strangers.
        "enable_registration": False,
        "report_stats": False,
        # No outbound traffic: no key servers, no federation, no previews, no stats.
        "trusted_key_servers": [],
        "suppress_key_server_warning": True,
        "federation_domain_whitelist": [],
        "allow_public_rooms_over_federation": False,
        "url_preview_enabled": False,
        "enable_metrics": False,
        "presence": {"enabled": False},
    }
    config.update(RATE_LIMITS)
    return config


def _log_config(files: HomeserverFiles) -> dict[str, Any]:
    """Warnings and errors only, in a small rotating file: enough to explain a failure
    without filling a laptop's disk during a week-long exercise."""
    return {
        "version": 1,
        "formatters": {
            "precise": {
                "format": "%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - "
                "%(request)s - %(message)s"
            }
        },
        "handlers": {
            "file": {
                "class": "logging.handlers.RotatingFileHandler",
                "formatter": "precise",
                "filename": str(files.log),
                "maxBytes": 1_000_000,
                "backupCount": 3,
                "encoding": "utf8",
            }
        },
        "root": {"level": "WARNING", "handlers": ["file"]},
        "disable_existing_loggers": False,
    }


def new_signing_key() -> str:
    """An ed25519 key line as Synapse writes it: "ed25519 <version> <unpadded b64 seed>"."""
    version = "a_" + "".join(secrets.choice(string.ascii_letters) for _ in range(4))
    seed = base64.b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")
    return f"ed25519 {version} {seed}\n"


def write_private_yaml(path: Path, data: dict[str, Any]) -> None:
    import yaml

    write_private_text(path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def write_private_text(path: Path, text: str) -> None:
    """Write atomically with mode 0600: the files hold secrets that let anyone with read
    access register accounts (shared secret) or impersonate the server (signing key)."""
    try:
        private_files.write_private_text(path, text)
    except OSError as exc:
        raise HomeserverError(f"Cannot write {path}: {exc}. Check the data directory.") from exc
