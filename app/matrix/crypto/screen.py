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
    undecryptable and "repair" a session that was fine.

    A restart is no different: a run stopped after nio applied an answer and before the
    archive committed its token (closed or killed while the batch was being saved)
    syncs again from the older token, and the server sends those to-device events again.
    So what nio consumed from the answers to the newest token is kept in ``path`` (in
    the crypto store) once nio has applied an answer (``consumed``), before the token
    can move, and read back at the start.
    """

    def __init__(self, sink: list[ToDeviceProblem], path: Path | None = None) -> None:
        self._sink = sink
        self._path = path
        self._since, self._seen = _load(path)
        self._kept = (self._since, frozenset(self._seen))  # what the file holds
        self._fresh: set[str] = set()  # what the last body added to _seen
        self._parsed = False  # whether nio parsed the last body (and so consumed it)
        self.thorough = False  # set when a body from this token failed to parse

    def __call__(self, body: dict[str, Any], since: str) -> None:
        if since != self._since:
            self._since, self._seen, self.thorough = since, set(), False
        self._parsed = False
        texts = screen_to_device(body, self._sink, self.thorough)
        if not texts:
            self._fresh = set()
            return
        section = body["to_device"]
        # Only what an earlier fetch of this batch had: a copy sent twice within one
        # batch is two messages (a replay, say) and goes on to be judged as such.
        digests = [hashlib.sha256(text.encode()).hexdigest() for text in texts]
        kept = [e for e, d in zip(section["events"], digests, strict=True) if d not in self._seen]
        if len(kept) < len(texts):
            log.info("held back %d to-device event(s) nio consumed", len(texts) - len(kept))
        section["events"] = kept
        self._fresh = set(digests) - self._seen
        self._seen |= self._fresh

    def parsed(self) -> None:
        """nio parsed the last body: its to-device events are consumed from here on."""
        self._parsed = True

    def consumed(self) -> None:
        """nio has applied the last answer: what it consumed from this token's answers
        is written down, if that changed. Only after an answer applied whole: an event
        written down wrongly would be held back unread in the next run (nio stopped
        half-way may not have read it), one left out is at worst judged again.
        Nothing consumed, nothing written: a record naming an older token matches no
        later sync."""
        kept = (self._since, frozenset(self._seen))
        if self._path is None or not self._seen or kept == self._kept:
            return
        if _save(self._path, self._since, self._seen):
            self._kept = kept

    def failed(self) -> None:
        """Syncing the last body failed. If nio could not even parse it, nothing of it
        was consumed: the retry gets all of it again, screened with nio's own parser."""
        if not self._parsed:
            self._seen -= self._fresh
            self.thorough = True


def _load(path: Path | None) -> tuple[str | None, set[str]]:
    """The token and digests a past run consumed; nothing if there is no usable record
    (then a batch sent again is judged afresh, as before: never held back unread)."""
    if path is None:
        return None, set()
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, set()
    except (OSError, ValueError) as exc:
        log.warning("the record of consumed to-device events is unreadable: %s", exc)
        return None, set()
    since = kept.get("since") if isinstance(kept, dict) else None
    seen = kept.get("seen") if isinstance(kept, dict) else None
    if not isinstance(since, str) or not isinstance(seen, list):
        return None, set()
    return since, {d for d in seen if isinstance(d, str)}


def _save(path: Path, since: str | None, seen: set[str]) -> bool:
    """Write beside, then rename: a crash leaves the old record or the new one."""
    spare = path.with_suffix(".tmp")
    try:
        spare.write_text(json.dumps({"since": since, "seen": sorted(seen)}), encoding="utf-8")
        os.replace(spare, path)
    except OSError as exc:  # a full disk: a restart may then count them undecryptable
        log.warning("the record of consumed to-device events was not saved: %s", exc)
        return False
    return True
