"""Which devices our own Megolm sessions were shared with, and from which index.

The spec lets a sender re-send a room key to a device that was meant to have it (it was
in the room when the session was used), but never from an earlier index than it was
given. nio keeps that only in memory, and only for the current session of a room, so it
is gone after a restart; this file in the crypto store keeps it for key requests.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)
_KEEP_SESSIONS = 5000  # older sessions' recipients are forgotten: their requests get 'no'


class ShareLog:
    """session id -> room and {"user_id device_id": first message index given}."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._sessions: dict[str, dict[str, object]] = {}
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            loaded = {}
        except (OSError, ValueError) as exc:  # unreadable: answer 'no' rather than guess
            log.warning("room key share log unreadable, starting afresh: %s", exc)
            loaded = {}
        if isinstance(loaded, dict):
            self._sessions = {k: v for k, v in loaded.items() if isinstance(v, dict)}

    def record(
        self, room_id: str, session_id: str, devices: set[tuple[str, str]], index: int
    ) -> None:
        """Remember that ``devices`` got the session at ``index`` (an earlier grant stays)."""
        if not devices:
            return
        entry = self._sessions.setdefault(session_id, {"room_id": room_id, "devices": {}})
        given = entry["devices"]
        assert isinstance(given, dict)
        for user_id, device_id in devices:
            given.setdefault(f"{user_id} {device_id}", index)
        while len(self._sessions) > _KEEP_SESSIONS:
            self._sessions.pop(next(iter(self._sessions)))
        self._save()

    def index_for(self, room_id: str, session_id: str, user_id: str, device_id: str) -> int | None:
        """The first index this device was given of our session, or None if never."""
        entry = self._sessions.get(session_id)
        if entry is None or entry.get("room_id") != room_id:
            return None
        given = entry.get("devices")
        index = given.get(f"{user_id} {device_id}") if isinstance(given, dict) else None
        return index if isinstance(index, int) else None

    def _save(self) -> None:
        """Write beside, then rename: a crash leaves the old file or the new one."""
        spare = self._path.with_suffix(".tmp")
        try:
            spare.write_text(json.dumps(self._sessions), encoding="utf-8")
            os.replace(spare, self._path)
        except OSError as exc:  # a full disk costs answers to key requests, not the send
            log.warning("room key share log not saved: %s", exc)
