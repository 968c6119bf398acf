"""The checks a verification message passes before any flow sees it, and the record of
one that failed (a to-device problem, kept with the batch that brought it)."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from app.core import verification as v
from app.core.to_device import ToDeviceFault, ToDeviceProblem
from app.matrix.crypto.screen import source_text
from app.matrix.verification.sas import SAS_V1, ProtocolError

log = logging.getLogger(__name__)
_FUTURE_MS = 5 * 60_000  # a request dated further ahead than this is ignored (spec)


def now_ms() -> int:
    return int(time.time() * 1000)


def age_ok(timestamp: object, timeout_s: float) -> bool:
    """A request counts only within the time-out before now and five minutes after."""
    if not isinstance(timestamp, int) or isinstance(timestamp, bool):
        return False
    now = now_ms()
    return now - timeout_s * 1000 < timestamp < now + _FUTURE_MS


def check_age(timestamp: object, timeout_s: float) -> None:
    if not age_ok(timestamp, timeout_s):
        raise ProtocolError(v.TIMEOUT, "the request is too old, or dated in the future")


def check_methods(content: Mapping[str, Any]) -> None:
    methods = content.get("methods")
    if not isinstance(methods, list) or SAS_V1 not in methods:
        raise ProtocolError(v.UNKNOWN_METHOD, "the request offers no emoji verification")


def skipped(
    event: Mapping[str, Any], detail: str, fault: ToDeviceFault = ToDeviceFault.MALFORMED
) -> ToDeviceProblem:
    """The record of a to-device verification message that was not used, and why."""
    sender = event.get("sender")
    problem = ToDeviceProblem(
        sender=sender if isinstance(sender, str) else "",
        event_type=str(event.get("type", ""))[:255],
        fault=fault,
        detail=detail[:300],
        source=source_text(event),
    )
    log.warning("skipped verification message from %s: %s", problem.sender, detail)
    return problem
