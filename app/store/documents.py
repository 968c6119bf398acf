"""Small local documents of one account that are not part of the record: drafts and
what the user has already been told. A JSON file, written whole and atomically (mode
0600), so a crash leaves the old version or the new one, never half of either.

Given the account's file key, a document is written sealed (``app.core.at_rest``): what
it holds is someone's words and must not read as text on a lost laptop. A plaintext file
from an older release is still read, and written back sealed (``seal_in_place``).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from app.core import at_rest
from app.core.private_files import write_private_bytes
from app.store.errors import StoreError


class JsonDocument:
    """One JSON object on disk; an unreadable file is reported, never silently replaced."""

    def __init__(self, path: Path, key: bytes | None = None) -> None:
        self.path = path
        self._key = key  # the account's file key; None writes plain JSON

    def load(self) -> dict[str, Any]:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc}") from exc
        if at_rest.is_sealed(raw):
            if self._key is None:
                raise StoreError(f"{self.path} is encrypted and no key was given")
            try:
                raw = at_rest.unseal(self._key, self.path.name, raw)
            except at_rest.SealBroken as exc:
                raise StoreError(f"{self.path} cannot be opened with this key") from exc
        try:
            found = json.loads(raw.decode("utf-8"))
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
        text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
        data = text.encode("utf-8")
        if self._key is not None:
            data = at_rest.seal(self._key, self.path.name, data)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_private_bytes(self.path, data)
        except OSError as exc:
            raise StoreError(f"cannot write {self.path}: {exc}") from exc

    def seal_in_place(self) -> bool:
        """Rewrite a plaintext file sealed (an older release's); True if it was one."""
        if self._key is None:
            return False
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc}") from exc
        if at_rest.is_sealed(raw):
            return False
        self.save(self.load())
        return True
