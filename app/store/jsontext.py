"""Canonical JSON text: the form events are hashed in and stored as."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from app.store.errors import StoreError


def _plain(value: object) -> object:
    """Let read-only mappings (e.g. MappingProxyType) serialise like dicts."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def canonical_json(value: Any, what: str = "value") -> str:
    """Serialise deterministically, so the same event always hashes the same.

    Sorted keys, no whitespace, real Unicode (not \\u escapes), no NaN/Infinity
    (which are not JSON and which other tools reading the archive would reject).
    """
    try:
        return json.dumps(
            value,
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            allow_nan=False,
            default=_plain,
        )
    except (TypeError, ValueError) as exc:
        raise StoreError(f"Could not store {what}: it is not plain JSON ({exc}).") from exc


def parse_json(text: str) -> Any:
    """Read back what canonical_json wrote."""
    return json.loads(text)
