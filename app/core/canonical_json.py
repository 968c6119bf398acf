"""Matrix canonical JSON: the exact bytes that Ed25519 signatures are made over.

Cross-signing keys, device keys and signed uploads are signed over their canonical
form (keys sorted, no insignificant whitespace, UTF-8, no ``signatures`` and no
``unsigned``), so a signature made here is checked identically by Synapse, Element and
Nheko. Kept in ``core`` so the code that signs and the code that checks share one
definition.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def canonical_json(value: Any) -> bytes:
    """The canonical encoding of a JSON value (spec: appendices, canonical JSON)."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def signing_bytes(signed: Mapping[str, Any]) -> bytes:
    """What a signature on ``signed`` covers: the object without signatures and unsigned."""
    return canonical_json(
        {key: value for key, value in signed.items() if key not in ("signatures", "unsigned")}
    )
