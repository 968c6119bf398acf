"""Our one-time keys as the server counts them.

nio starts every run not knowing how many of our one-time keys the server holds, and a
sync that reports 0 teaches it nothing (nio only takes a count that is not 0): a device
whose keys ran out while it was away would never top them up, and other devices could
not start an Olm session with it. So the count is asked for at restore.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from nio.crypto import Olm

from app.core.errors import SendFailed

Call = Callable[[str, str, Mapping[str, Any]], Awaitable[dict[str, Any]]]


async def recount_one_time_keys(olm: Olm | None, call: Call) -> None:
    """Set nio's idea of the server's one-time key count from the server itself.

    An empty upload is the spec's way to ask. Offline, nothing changes: the first
    sync's count does the same job later.
    """
    if olm is None or not olm.account.shared:
        return  # never uploaded: the first housekeeping uploads everything
    try:
        reply = await call("POST", "/_matrix/client/v3/keys/upload", {})
    except SendFailed:
        return
    counts = reply.get("one_time_key_counts")
    count = counts.get("signed_curve25519", 0) if isinstance(counts, dict) else 0
    olm.uploaded_key_count = count if isinstance(count, int) else 0
