"""`oor verify`: is an exported bundle complete and untampered, and if not, where first?

Checked in the order that names the most precise culprit: each room's chain, line by
line (a changed event, a missing one), then counts and heads against ``chains.json``,
then every file against the manifest's hashes, then the manifest's signature. Anything
cut short or unreadable is a sentence, never a traceback. A record that verifies is told
with the known gaps its signed manifest states (``gaps``): untampered is not whole.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from app.core.chain import chain_step
from app.core.records_export.bundle import (
    CHAINS,
    CHARTS_DIR,
    EVENTS,
    HASHED_FILES,
    MANIFEST,
    SIGNATURE,
    sha256_of,
)
from app.core.records_export.gaps import KnownGap, read_gaps

OK_TEXT = "complete and untampered"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The answer: ``ok``, a sentence, how much was checked, and the gaps the record
    states (None: it does not say, exported before records stated them)."""

    ok: bool
    reason: str
    rooms: int = 0
    events: int = 0
    gaps: tuple[KnownGap, ...] | None = None


class _Broken(Exception):
    """The first fault found; its message is the verdict's sentence."""


@dataclass(slots=True)
class _Room:
    count: int = 0
    head: str = ""
    last_event: str = ""


def verify_bundle(folder: Path) -> Verdict:
    """Verify the bundle in ``folder``."""
    try:
        return _verify(folder)
    except _Broken as exc:
        return Verdict(False, str(exc))


def _verify(folder: Path) -> Verdict:
    if not folder.is_dir():
        raise _Broken(f"{folder} is not a folder with an exported record")
    missing = [n for n in (*HASHED_FILES, MANIFEST, SIGNATURE) if not (folder / n).is_file()]
    if missing:
        raise _Broken(f"the record in {folder} is incomplete: {', '.join(missing)} missing")
    manifest = _json_file(folder / MANIFEST)
    chains = _json_file(folder / CHAINS)
    rooms = _replay(folder / EVENTS)
    _check_chains(rooms, chains)
    _check_files(folder, manifest)
    _check_signature(folder, manifest)
    gaps = _gaps(manifest)
    return Verdict(True, OK_TEXT, len(rooms), sum(r.count for r in rooms.values()), gaps)


def _json_file(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise _Broken(f"{path.name} is not readable JSON ({exc})") from None


_TEXT_FIELDS = ("room_id", "event_id", "source", "chain_hash")
_EVENT_ID = re.compile(rb'"event_id": "([^"]{1,255})"')  # to name the event of a damaged line


def _is_event_line(line: Any) -> bool:
    return (
        isinstance(line, dict)
        and all(isinstance(line.get(name), str) for name in _TEXT_FIELDS)
        and isinstance(line.get("seq"), int)
    )


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    """The event lines in file order; a cut-short or foreign line ends the check."""
    with path.open("rb") as f:
        for number, raw in enumerate(f, 1):
            if not raw.endswith(b"\n"):
                raise _Broken(f"{path.name} is cut short at line {number}")
            try:
                line = json.loads(raw)
            except ValueError:
                line = None
            if not _is_event_line(line):
                named = _EVENT_ID.search(raw)
                which = f" (event {named.group(1).decode(errors='replace')})" if named else ""
                raise _Broken(f"{path.name}, line {number}{which}: not an event line of a record")
            yield line


def _replay(path: Path) -> dict[str, _Room]:
    """Recompute every room's chain; the first event that does not follow it is named."""
    rooms: dict[str, _Room] = {}
    for line in _lines(path):
        room_id, event_id = line["room_id"], line["event_id"]
        room = rooms.setdefault(room_id, _Room())
        if line["seq"] != room.count + 1:
            after = f"event {room.last_event}" if room.last_event else "its start"
            raise _Broken(f"room {room_id}: the chain breaks after {after} (an event is missing)")
        expected = chain_step(room.head, line["source"])
        if expected != line["chain_hash"]:
            raise _Broken(f"event {event_id} in room {room_id}: its hash does not follow the chain")
        if _source_id(line["source"]) != event_id:
            raise _Broken(f"event {event_id} in room {room_id}: its line names another event")
        room.count, room.head, room.last_event = line["seq"], expected, event_id
    return rooms


def _source_id(source: str) -> object:
    try:
        parsed = json.loads(source)
    except ValueError:
        return None
    return parsed.get("event_id") if isinstance(parsed, dict) else None


def _check_chains(rooms: dict[str, _Room], chains: Any) -> None:
    if not isinstance(chains, dict):
        raise _Broken(f"{CHAINS} does not list the rooms' chains")
    for room_id, recorded in chains.items():
        room = rooms.get(room_id, _Room())
        count = recorded.get("count") if isinstance(recorded, dict) else None
        head = recorded.get("head") if isinstance(recorded, dict) else None
        if count != room.count:
            after = f"event {room.last_event}" if room.last_event else "its start"
            raise _Broken(
                f"room {room_id}: the chain breaks after {after} (an event is missing: "
                f"{room.count} of {count} events)"
            )
        if (head or "") != room.head:
            raise _Broken(f"room {room_id}: its chain head differs from the one recorded")
    extra = sorted(set(rooms) - set(chains))
    if extra:
        raise _Broken(f"room {extra[0]} has events but no recorded chain")


def _check_files(folder: Path, manifest: Any) -> None:
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, dict):
        raise _Broken(f"{MANIFEST} lists no files")
    for name in HASHED_FILES:
        if name not in files:
            raise _Broken(f"{name} is not listed in the manifest")
    for name, entry in files.items():
        path = _inside(folder, name)
        if not path.is_file():
            raise _Broken(f"{name} is listed in the manifest but missing")
        if not isinstance(entry, dict) or entry.get("sha256") != sha256_of(path):
            raise _Broken(f"{name} does not match its hash in the manifest")
    charts = folder / CHARTS_DIR
    drawn = sorted(f"{CHARTS_DIR}/{p.name}" for p in charts.iterdir()) if charts.is_dir() else []
    unlisted = [name for name in drawn if name not in files]
    if unlisted:  # a chart slipped in beside the signed ones
        raise _Broken(f"{unlisted[0]} is not in the manifest")


def _inside(folder: Path, name: str) -> Path:
    """A file the manifest names, which must lie in the bundle (a name like ../x is a forgery)."""
    parts = name.split("/")
    if "\\" in name or ":" in name or any(p in ("", ".", "..") for p in parts):
        raise _Broken(f"the manifest names a file outside the record: {name[:100]!r}")
    return folder.joinpath(*parts)


def _check_signature(folder: Path, manifest: dict[str, Any]) -> None:
    exporter = manifest.get("exporter")
    key = exporter.get("ed25519") if isinstance(exporter, dict) else None
    try:
        public = Ed25519PublicKey.from_public_bytes(_unpadded_b64(str(key)))
        signature = _unpadded_b64((folder / SIGNATURE).read_text(encoding="ascii").strip())
        public.verify(signature, (folder / MANIFEST).read_bytes())
    except (InvalidSignature, ValueError, binascii.Error, UnicodeDecodeError):
        raise _Broken("the manifest's signature does not match") from None


def _gaps(manifest: dict[str, Any]) -> tuple[KnownGap, ...] | None:
    """The known gaps the (signed) manifest states; one it cannot read is a fault."""
    if "gaps" not in manifest:
        return None
    try:
        return read_gaps(manifest["gaps"])
    except ValueError as exc:
        raise _Broken(f"the manifest's list of known gaps is not readable ({exc})") from None


def _unpadded_b64(text: str) -> bytes:
    """Matrix keys and signatures are base64 without padding."""
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
