"""Restorable login of this device: OS keyring where a usable one exists, else a private file.

The non-secret half (homeserver, user id, device id) always lives in ``session.json`` so
the app knows whom to restore; the secret half (access token, pickle key) goes to the
keyring under the user id, or to ``credentials.json`` created with mode 0600 when there
is no usable keyring (headless servers, CI, some Linux desktops) or it fails.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.private_files import write_private_json
from app.core.records import Credentials
from app.store.errors import StoreError

if TYPE_CHECKING:  # keyring loads only where one may be used (not with OOR_CREDENTIALS=file)
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SESSION_FILE = "session.json"
SECRETS_FILE = "credentials.json"
_PUBLIC_KEYS = ("homeserver", "user_id", "device_id")
_SECRET_KEYS = ("access_token", "pickle_key")


def _usable_backend(backend: KeyringBackend) -> bool:
    """A keyring that would actually keep a secret (not the fail/null/empty-chain ones)."""
    from keyring.backends import chainer, fail, null

    if isinstance(backend, fail.Keyring | null.Keyring):
        return False
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return False
    try:
        return float(backend.priority) >= 1
    except Exception:  # a backend's priority probe may raise anything; then it is unusable
        return False


def files_chosen() -> bool:
    """Whether ``OOR_CREDENTIALS=file`` says to keep secrets in private files even where
    a keyring exists (servers, tests): then no passphrase is offered for the archive."""
    return os.environ.get("OOR_CREDENTIALS", "").strip().lower() == "file"


def auto_keyring() -> KeyringBackend | None:
    """The OS keyring if one is usable and wanted; keyring (~0.1 s of CPU to import, with
    its backends' discovery) is not even loaded when ``OOR_CREDENTIALS=file``."""
    if files_chosen():
        return None
    import keyring

    try:
        backend = keyring.get_keyring()
    except Exception:  # keyring discovery can fail in odd desktop sessions; use the file
        return None
    return backend if _usable_backend(backend) else None


def _backend_name(backend: KeyringBackend) -> str:
    from keyring.backends import chainer

    if isinstance(backend, chainer.ChainerBackend):
        return ", ".join(str(b.name) for b in backend.backends) or str(backend.name)
    return str(backend.name)


def _read_json_object(path: Path, what: str) -> dict[str, Any] | None:
    """The JSON object in ``path``; None if absent; StoreError if unreadable or damaged."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"Cannot read the saved {what} in {path}: {exc}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        data = exc
    if not isinstance(data, dict):
        raise StoreError(
            f"The saved {what} in {path} is damaged (not a JSON object). "
            "Delete the file and log in again."
        )
    return data


def _strings(data: dict[str, Any], keys: tuple[str, ...], what: str) -> dict[str, str] | None:
    """The named string fields; None if any is missing or empty, StoreError if mistyped."""
    values: dict[str, str] = {}
    for key in keys:
        value = data.get(key)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise StoreError(f"The saved {what} is damaged: {key!r} is not text.")
        values[key] = value
    return values


class CredentialStore:
    """Save, restore and forget this device's Matrix login.

    Called from the backend's store thread: keyring calls may block (e.g. D-Bus prompts).
    """

    def __init__(
        self, data_dir: Path, service: str = "org.openopsroom", use_keyring: bool | None = None
    ) -> None:
        """``use_keyring=None`` picks the keyring only if a real one is available and the
        environment does not say ``OOR_CREDENTIALS=file``."""
        self._dir = Path(data_dir)
        self._service = service
        if use_keyring is None:
            self._keyring = auto_keyring()
        elif use_keyring:
            import keyring

            try:
                self._keyring = keyring.get_keyring()
            except Exception:  # no keyring at all: save() would fall back to the file anyway
                self._keyring = None
        else:
            self._keyring = None

    @property
    def location(self) -> str:
        """Where the secret is kept, in words for the UI and the README."""
        if self._keyring is not None:
            return f"system keyring ({_backend_name(self._keyring)})"
        return str(self._secrets_path)

    @property
    def _session_path(self) -> Path:
        return self._dir / SESSION_FILE

    @property
    def _secrets_path(self) -> Path:
        return self._dir / SECRETS_FILE

    def save(self, creds: Credentials) -> None:
        """Store a login; the secret first, so a crash never leaves a session without it."""
        try:
            self._dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            secret = {"access_token": creds.access_token, "pickle_key": creds.pickle_key}
            if not self._save_to_keyring(creds.user_id, secret):
                write_private_json(self._secrets_path, {"user_id": creds.user_id, **secret})
            public = {key: getattr(creds, key) for key in _PUBLIC_KEYS}
            write_private_json(self._session_path, public)
        except OSError as exc:
            raise StoreError(f"Cannot save the login in {self._dir}: {exc}") from exc

    def load(self) -> Credentials | None:
        """The saved login, or None if there is none (or a part of it is missing)."""
        session = _read_json_object(self._session_path, "session")
        if session is None:
            return None
        public = _strings(session, _PUBLIC_KEYS, f"session in {self._session_path}")
        if public is None:
            return None
        secret = self._load_secret(public["user_id"])
        if secret is None:
            return None
        return Credentials(**public, **secret)

    def clear(self) -> None:
        """Forget the login everywhere it may have been kept (keyring and files)."""
        try:
            session = _read_json_object(self._session_path, "session")
        except StoreError:
            session = None
        user_id = session.get("user_id") if session else None
        if self._keyring is not None and isinstance(user_id, str):
            with contextlib.suppress(Exception):  # nothing stored, or the keyring is gone
                self._keyring.delete_password(self._service, user_id)
        try:
            self._secrets_path.unlink(missing_ok=True)
            self._session_path.unlink(missing_ok=True)
        except OSError as exc:
            raise StoreError(f"Cannot remove the saved login in {self._dir}: {exc}") from exc

    def _save_to_keyring(self, user_id: str, secret: dict[str, str]) -> bool:
        """True if the keyring took the secret; on any keyring error use the file instead."""
        if self._keyring is None:
            return False
        try:
            self._keyring.set_password(self._service, user_id, json.dumps(secret))
        except Exception as exc:  # backends raise their own error types (D-Bus, locked, ...)
            log.warning("Keyring refused the login secret (%s); using %s", exc, SECRETS_FILE)
            self._keyring = None
            return False
        # Do not leave an older copy of the secret lying around on disk.
        self._secrets_path.unlink(missing_ok=True)
        return True

    def _load_secret(self, user_id: str) -> dict[str, str] | None:
        if self._keyring is not None:
            try:
                stored = self._keyring.get_password(self._service, user_id)
            except Exception as exc:  # an unreachable keyring: the file may still have it
                log.warning("Cannot read the keyring (%s); trying %s", exc, SECRETS_FILE)
                stored = None
            if stored is not None:
                try:
                    data = json.loads(stored)
                except json.JSONDecodeError:
                    data = None
                if not isinstance(data, dict):
                    raise StoreError(
                        f"The login saved in the system keyring for {user_id} is damaged. "
                        "Log in again."
                    )
                return _strings(data, _SECRET_KEYS, "login in the system keyring")
        data = _read_json_object(self._secrets_path, "login")
        if data is None or data.get("user_id") != user_id:
            return None
        return _strings(data, _SECRET_KEYS, f"login in {self._secrets_path}")
