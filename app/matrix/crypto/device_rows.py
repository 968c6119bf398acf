"""nio's crypto store and a device list it holds only in memory.

Why: nio keeps the device lists it fetched in memory and writes them to its SQLite store;
when that write fails (a full disk), the devices stay in memory without rows, and every
later act that records a device's trust there (marking it ignored when a room key is
shared, marking it verified) fails nio's own assertion until a restart — a stuck outbox,
a verification that cannot finish. Writing the rows again (present ones are left as they
are) mends it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from nio.crypto import Olm

log = logging.getLogger(__name__)
T = TypeVar("T")


def with_device_rows(olm: Olm, users: Iterable[str], act: Callable[[], T]) -> T:
    """``act()``; if nio's store lacked rows for devices of ``users``, once more after
    writing them again. A disk still full fails that write, as any full disk is met."""
    try:
        return act()
    except AssertionError:
        wanted = set(users)
        log.warning("devices of %d user(s) not in the crypto store; saving again", len(wanted))
        olm.store.save_device_keys({u: d for u, d in olm.device_store.items() if u in wanted})
        return act()
