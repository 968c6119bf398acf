"""Screening of raw to-device events, before nio parses a sync response.

nio turns the whole sync body into objects in one go; a to-device event whose fields
it indexes without checking (``m.room_key_request`` without ``action``, say) raises out
of that parse, and the same batch then fails on every retry: the sync stops for good.
Events that cannot be used are therefore taken out of the body here, each recorded
with its reason, and only well-formed ones reach nio.

The checks are cheap ones (shape, size, algorithm, the fields nio indexes unchecked);
events that fail nio's own schemas reach the Olm guard as nio's "bad event" and are
recorded there. Running nio's parser here as well would double its cost (about half a
millisecond per event, most of it JSON-schema validation), so that happens only when
a sync body has already failed to parse once: the thorough pass then finds the event
no cheap check knew about.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections import Counter
from pathlib import Path
from typing import Any

from nio import ToDeviceEvent
from nio.events.misc import BadEvent, UnknownBadEvent

from app.core.to_device import MAX_TO_DEVICE_BYTES, ToDeviceFault, ToDeviceProblem
from app.matrix.deep_json import MAX_DEPTH, too_deep

log = logging.getLogger(__name__)
OLM = "m.olm.v1.curve25519-aes-sha2"
_SOURCE_CHARS = 4_000  # what the record keeps of a bad event: enough to see what it was


def _json(event: Any) -> str:
    try:
        return json.dumps(event, sort_keys=True, ensure_ascii=False, default=repr)
    except (TypeError, ValueError):
        return repr(event)


def source_text(event: Any) -> str:
    """The event as JSON for the record, cut to a bounded length."""
    return _json(event)[:_SOURCE_CHARS]


_KEY_REQUEST_ACTIONS = ("request", "request_cancellation")


def _fault(event: Any, text: str, thorough: bool) -> tuple[ToDeviceFault, str] | None:
    """Why nio must not see this raw event (``text`` is its JSON), or None if it may."""
    if not isinstance(event, dict):
        return ToDeviceFault.MALFORMED, "the event is not a JSON object"
    if not isinstance(event.get("sender"), str) or not isinstance(event.get("type"), str):
        return ToDeviceFault.MALFORMED, "sender and type must be strings"
    content = event.get("content")
    if not isinstance(content, dict):
        return ToDeviceFault.MALFORMED, "content must be a JSON object"
    if len(text.encode()) > MAX_TO_DEVICE_BYTES:
        return ToDeviceFault.OVERSIZED, f"larger than {MAX_TO_DEVICE_BYTES} bytes"
    if event["type"] == "m.room.encrypted":
        algorithm = content.get("algorithm")
        if not isinstance(algorithm, str):
            return ToDeviceFault.MALFORMED, "an encrypted event without an algorithm"
        if algorithm != OLM:
            return ToDeviceFault.UNKNOWN_ALGORITHM, f"algorithm {algorithm[:100]!r}"
    if event["type"] == "m.room_key_request" and content.get("action") not in (
        _KEY_REQUEST_ACTIONS
    ):
        return ToDeviceFault.MALFORMED, "a key request without a known action"
    return _parse_fault(event) if thorough else None


def _parse_fault(event: dict[str, Any]) -> tuple[ToDeviceFault, str] | None:
    """What nio's own parser makes of the event: an exception or a bad event is a fault."""
    try:
        parsed = ToDeviceEvent.parse_event(event)
    except Exception as exc:  # nio indexes fields it never checked: any error is possible
        return ToDeviceFault.MALFORMED, f"{type(exc).__name__}: {exc}"
    if isinstance(parsed, BadEvent | UnknownBadEvent):
        return ToDeviceFault.MALFORMED, f"fields of a {event['type'][:100]} event are wrong"
    return None


def screen_to_device(
    body: dict[str, Any], sink: list[ToDeviceProblem], thorough: bool = False
) -> list[str]:
    """Remove unusable to-device events from a raw sync body, recording each in ``sink``;
    ``thorough`` also runs nio's parser on each (see the module doc). Returns the JSON
    text of each event kept, in order."""
    section = body.get("to_device")
    if not isinstance(section, dict):
        if section is not None:
            body["to_device"] = {"events": []}
        return []
    events = section.get("events")
    if not isinstance(events, list):
        section["events"] = []
        return []
    kept, texts = [], []
    for event in events:
        if too_deep(event):  # JSON text of it, or nio's parse, would exceed the stack
            text, fault = "", (ToDeviceFault.MALFORMED, f"nested over {MAX_DEPTH} levels deep")
        else:
            text = _json(event)
            fault = _fault(event, text, thorough)
        if fault is None:
            kept.append(event)
            texts.append(text)
            continue
        sender = event.get("sender") if isinstance(event, dict) else None
        kind = event.get("type") if isinstance(event, dict) else None
        problem = ToDeviceProblem(
            sender=sender if isinstance(sender, str) else "",
            event_type=kind[:255] if isinstance(kind, str) else "",
            fault=fault[0],
            detail=fault[1],
            source=text[:_SOURCE_CHARS],
        )
        log.warning("skipped a to-device event from %s: %s", problem.sender, problem.detail)
        sink.append(problem)
    section["events"] = kept
    return texts


class ToDeviceScreen:
    """Screens every sync body, and gives nio each to-device event of a batch only once.

    When a batch could not be archived, the sync is repeated from the same token and the
    server sends its to-device events again; nio has already consumed them (an Olm
    message decrypts once: its keys are gone), so a second pass would record them as
    undecryptable and "repair" a session that was fine. Within one run every event an
    earlier fetch of the token had is held back, as many copies as that fetch had.

    A restart is no different: a run stopped after nio applied an answer and before the
    archive committed its token syncs again from the older token, and the server sends
    those events again. Across a restart only Olm messages whose session nio saved past
    them are held back (``read``, as matrix-rust-sdk keeps the hash of each Olm message
    it decrypted): their keys are spent on disk, whatever became of the payload (a room
    key the store refused was recorded as failed; it went with that run's memory).
    Everything else is judged again: plaintext events had their effect in memory only
    (a key request waiting for an answer, a verification step), and an Olm message whose
    new session was never saved (the store refused the account's write first) may open
    again. It does only if the account was not written again before the stop: the
    account in memory had dropped the one-time key, and any later write of it (a key
    upload, another new session) stores it without; the copy is then recorded as
    undecryptable, the session with its sender repaired, and the room key it carried
    must come from the sender again. The digests are kept in ``keep_in``'s file, in the
    crypto store, for this device and token.
    """

    def __init__(self, sink: list[ToDeviceProblem]) -> None:
        self._sink = sink
        self._path: Path | None = None
        self._owner = ("", "")  # user and device the record belongs to
        self._since: str | None = None
        self._seen: Counter[str] = Counter()  # copies earlier fetches of this token had
        self._read: Counter[str] = Counter()  # Olm messages of this token nio saved a session past
        self._kept: _Record | None = None  # what the file holds
        self._fresh: Counter[str] = Counter()  # what the last body added to _seen
        self._parsed = False  # whether nio parsed the last body (and so consumed it)
        self.thorough = False  # set when a body from this token failed to parse

    def keep_in(self, path: Path, user_id: str, device_id: str) -> None:
        """Keep the record of Olm messages read in ``path``, and take up what a past run
        of this device read from the token it stopped at (the crypto store is loaded)."""
        self._path, self._owner = path, (user_id, device_id)
        self._kept = _load(path, self._owner)
        if self._kept is not None:
            self._since = self._kept[0]
            self._seen, self._read = Counter(self._kept[1]), Counter(self._kept[1])

    def __call__(self, body: dict[str, Any], since: str) -> None:
        if since != self._since:
            self._since, self._seen, self._read = since, Counter(), Counter()
            self.thorough = False
        self._parsed = False
        texts = screen_to_device(body, self._sink, self.thorough)
        if not texts:
            self._fresh = Counter()
            return
        section = body["to_device"]
        digests = [_digest(text) for text in texts]
        held: Counter[str] = Counter()
        kept = []
        for event, digest in zip(section["events"], digests, strict=True):
            if held[digest] < self._seen[digest]:
                held[digest] += 1  # a copy an earlier fetch had: consumed
            else:
                kept.append(event)  # news, or one more copy than before (a replay, say)
        if held:
            log.info("held back %d to-device event(s) nio consumed", held.total())
        section["events"] = kept
        batch = Counter(digests)
        self._fresh = batch - self._seen
        self._seen |= batch

    def read(self, source: dict[str, Any]) -> None:
        """nio saved the Olm session that decrypted this message, past it: its keys are
        spent, a copy sent again could only fail (whatever became of the payload).
        (``source`` is the very dict this screen passed on, so its digest is the one
        taken here before nio parsed it.)"""
        self._read[_digest(_json(source))] += 1

    def parsed(self) -> None:
        """nio parsed the last body: its to-device events are consumed from here on."""
        self._parsed = True

    def consumed(self) -> None:
        """nio has applied an answer: the Olm messages read from this token's answers are
        written down, if that changed, before the archive can commit the token. (Those
        read from an answer nio then failed on part-way are written with the next one
        applied: the same batch fetched again.) The first sync's "no token" is a token
        like any other: a run stopped during it syncs again with none, and the server
        sends the same messages again. None read, and no record is left: one naming an
        older token would otherwise match if the archive ever synced from it again."""
        if self._path is None or self._since is None:
            return
        wanted = (self._since, dict(self._read)) if self._read else None
        if wanted != self._kept and _save(self._path, self._owner, wanted):
            self._kept = wanted

    def failed(self) -> None:
        """Syncing the last body failed. If nio could not even parse it, nothing of it
        was consumed: the retry gets all of it again, screened with nio's own parser."""
        if not self._parsed:
            self._seen -= self._fresh
            self.thorough = True


_Record = tuple[str, dict[str, int]]  # a token and the digests (with copies) read from it


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _load(path: Path, owner: tuple[str, str]) -> _Record | None:
    """The token and digests a past run of this device read; None if there is no usable
    record (then a batch sent again is judged afresh, as before: never held back unread)."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("the record of consumed to-device events is unreadable: %s", exc)
        return None
    if not isinstance(kept, dict) or (kept.get("user_id"), kept.get("device_id")) != owner:
        return None  # another login's (a data dir signed in again as a new device)
    since, read = kept.get("since"), kept.get("read")
    if not isinstance(since, str) or not isinstance(read, dict):
        return None
    return since, {d: n for d, n in read.items() if isinstance(n, int) and n > 0}


def _save(path: Path, owner: tuple[str, str], record: _Record | None) -> bool:
    """Write beside, then rename: a crash leaves the old record or the new one."""
    spare = path.with_suffix(".tmp")
    try:
        if record is None:
            path.unlink(missing_ok=True)
            return True
        user_id, device_id = owner
        kept = {"user_id": user_id, "device_id": device_id, "since": record[0], "read": record[1]}
        spare.write_text(json.dumps(kept, sort_keys=True), encoding="utf-8")
        os.replace(spare, path)
    except OSError as exc:  # a full disk: a restart may then count them undecryptable
        log.warning("the record of consumed to-device events was not saved: %s", exc)
        return False
    return True
