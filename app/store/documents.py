"""Small local documents of one account that are not part of the record: drafts and
what the user has already been told. A JSON file, written whole and atomically (mode
0600), so a crash leaves the old version or the new one, never half of either.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from app.core.private_files import write_private_json
from app.store.errors import StoreError


class JsonDocument:
    """One JSON object on disk; an unreadable file is reported, never silently replaced."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc}") from exc
        try:
            found = json.loads(text)
        except ValueError as exc:
            raise StoreError(f"{self.path} is not valid JSON: {exc}") from exc
        if not isinstance(found, dict):
            raise StoreError(f"{self.path} does not hold a JSON object")
        return found

    def set_aside(self) -> Path:
        """Rename an unreadable file out of the way (kept for whoever wants to look)."""
        aside = self.path.with_name(f"{self.path.name}.unreadable-{int(time.time())}")
        try:
            os.replace(self.path, aside)
        except OSError as exc:
            raise StoreError(f"cannot move {self.path} aside: {exc}") from exc
        return aside

    def save(self, document: dict[str, Any]) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_private_json(self.path, document)
        except OSError as exc:
            raise StoreError(f"cannot write {self.path}: {exc}") from exc
