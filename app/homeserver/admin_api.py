"""Talk to a running Synapse over HTTP: is it up, and make accounts with the shared secret.

Shared by the embedded homeserver and a worker deployment behind nginx: both make
accounts through Synapse's shared-secret admin registration, so public registration stays
closed to everybody else.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.client
import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from app.homeserver.config import HomeserverError

# Loopback traffic must never go through an HTTP proxy configured for the internet.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass(frozen=True)
class Account:
    """An account on the homeserver, with the password needed to log in as it."""

    user_id: str
    localpart: str
    password: str


def answers(url: str, path: str = "/_matrix/client/versions", timeout: float = 2.0) -> bool:
    """True once `url + path` answers 200: the readiness check of every Synapse process."""
    request = urllib.request.Request(url + path)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            response.read()
            return response.status == 200
    except urllib.error.HTTPError as exc:
        exc.close()
        return False
    except (OSError, http.client.HTTPException):
        return False


def call(
    url: str, method: str, path: str, body: dict[str, Any] | None = None, token: str | None = None
) -> tuple[int, dict[str, Any]]:
    """One JSON request; HTTP errors are returned (status, body), not raised."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url + path, data, headers, method=method)
    try:
        with _OPENER.open(request, timeout=30) as response:
            return response.status, _json(response.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, _json(exc.read())
    except (OSError, http.client.HTTPException) as exc:
        reason = getattr(exc, "reason", exc)
        raise HomeserverError(
            f"No homeserver answers at {url} ({reason}). Start it first, e.g. with `oor serve`."
        ) from exc


@dataclass(frozen=True)
class Registrar:
    """Makes accounts on one server through Synapse's shared-secret admin registration.

    `log_hint` names the log a human should read when the server refuses."""

    url: str
    shared_secret: str
    server_name: str
    log_hint: str = ""

    def register(
        self, localpart: str, password: str | None, admin: bool, display_name: str
    ) -> Account:
        """Register an account (works while public registration is closed) with the name
        people will see instead of its id (Synapse falls back to the localpart); a
        generated password when none is given. Callers go through
        ``RunningHomeserver.create_account``, which holds the defaults."""
        if password is None:
            password = secrets.token_urlsafe(18)
        _, reply = call(self.url, "GET", "/_synapse/admin/v1/register")
        nonce = str(reply.get("nonce", ""))
        mac = hmac.new(self.shared_secret.encode(), digestmod=hashlib.sha1)
        for part in (nonce, localpart, password):
            mac.update(part.encode("utf-8"))
            mac.update(b"\x00")
        mac.update(b"admin" if admin else b"notadmin")
        body = {
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": admin,
            "mac": mac.hexdigest(),
        }
        if display_name.strip():
            body["displayname"] = display_name.strip()
        status, reply = call(self.url, "POST", "/_synapse/admin/v1/register", body)
        if status != 200 or "user_id" not in reply:
            raise HomeserverError(self._refused(localpart, status, reply))
        user_id = str(reply["user_id"])
        # Registration logs in a throwaway device; drop it so it never shows up as an
        # unknown session to people checking who can read an encrypted room.
        token = reply.get("access_token")
        if token:
            with contextlib.suppress(HomeserverError):
                call(self.url, "POST", "/_matrix/client/v3/logout", {}, token=str(token))
        return Account(user_id=user_id, localpart=user_id[1:].split(":", 1)[0], password=password)

    def _refused(self, localpart: str, status: int, reply: dict[str, Any]) -> str:
        errcode, error = reply.get("errcode", ""), reply.get("error", "")
        user_id = f"@{localpart}:{self.server_name}"
        if errcode == "M_USER_IN_USE":
            return (
                f"The account {user_id} already exists on {self.url}: choose another name, "
                "or log in with that account's password."
            )
        if errcode == "M_INVALID_USERNAME":
            return f"'{localpart}' cannot be a Matrix user name: {error}"
        refused = (
            f"The homeserver at {self.url} refused to create {user_id}: "
            f"HTTP {status} {errcode} {error}"
        ).rstrip()
        return refused + (f". See {self.log_hint}." if self.log_hint else ".")


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}
