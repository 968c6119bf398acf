"""The machine bundle beside the report: file names, event lines and the manifest.

``events.jsonl`` holds one JSON object per archived event, in chain order per room: the
event exactly as the server sent it (``source``, the very string the archive hashed, so
the chain can be recomputed byte for byte), its place and hash in the room's chain, and
what this client read from it (decrypted type and content, status). ``chains.json`` gives
each room's count and head; ``manifest.json`` the SHA-256 of every file and who exported
it, and the known gaps in the record (``gaps``: absent in records exported before
records stated them); ``manifest.sig`` the exporting device's Ed25519 signature of
``manifest.json``.
``charts/<chart>.svg`` holds each chart as the report draws it, hashed like the rest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.records import RoomEvent
from app.core.records_export.gaps import KnownGap, gaps_field

FORMAT = "oor-record/1"
REPORT = "record.html"
EVENTS = "events.jsonl"
CHAINS = "chains.json"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
CHARTS_DIR = "charts"
HASHED_FILES = (REPORT, EVENTS, CHAINS)  # always there; chart files are listed as written


def chart_file(name: str) -> str:
    """A chart's file in the bundle, as the manifest names it (always with '/')."""
    return f"{CHARTS_DIR}/{name}.svg"


@dataclass(frozen=True, slots=True)
class Exporter:
    """Who exported the record: the device whose Ed25519 key signs the manifest."""

    user_id: str
    device_id: str
    ed25519: str  # unpadded base64, as Matrix publishes device keys


def event_line(seq: int, source: str, chain_hash: str, event: RoomEvent) -> str:
    """One line of ``events.jsonl`` (newline included)."""
    line = {
        "room_id": event.room_id,
        "event_id": event.event_id,
        "seq": seq,
        "source": source,
        "chain_hash": chain_hash,
        "type": event.type,
        "status": event.status.value,
        "content": dict(event.content),
    }
    return json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n"


def sha256_of(path: Path) -> str:
    """A file's SHA-256, read in blocks (an events file can run to hundreds of MB)."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest(
    session: Mapping[str, Any],
    rooms: Sequence[str],
    files: Mapping[str, str],
    *,
    exporter: Exporter,
    exported_at: str,
    protocol: str,
    gaps: Sequence[KnownGap] | None = None,
) -> dict[str, Any]:
    """What the signature covers: the session, its rooms, each file's hash, who and when,
    and the known gaps (None leaves them out, as records before them did)."""
    content = {
        "format": FORMAT,
        "protocol": protocol,
        "session": dict(session),
        "rooms": list(rooms),
        "files": {name: {"sha256": digest} for name, digest in files.items()},
        "exporter": {
            "user_id": exporter.user_id,
            "device_id": exporter.device_id,
            "ed25519": exporter.ed25519,
        },
        "exported_at": exported_at,
    }
    return content if gaps is None else content | {"gaps": gaps_field(gaps)}


def manifest_bytes(content: Mapping[str, Any]) -> bytes:
    """The manifest as written and signed: sorted keys, indented for a reader."""
    return (json.dumps(content, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()
