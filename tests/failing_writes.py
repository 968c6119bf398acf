"""An archive write that fails after its batch was shown: what a crash at that point
leaves on disk (the transaction that would have archived the batch and moved the sync
token never committed), made to happen on demand."""

from __future__ import annotations

from collections.abc import Callable

from app.core.records import RoomEvent
from app.store import StoreError
from tests.peers import Peer


def fail_after_showing(
    peer: Peer,
    carries: Callable[[RoomEvent], bool],
    times: int,
    at_failure: Callable[[], None] = lambda: None,
    held: Callable[[], bool] = lambda: True,
) -> list[str]:
    """Make the archive write of a batch with an event that ``carries`` passes fail
    ``times`` times while ``held()``, each after its events were shown; ``at_failure``
    runs just before each failure (on the store thread). Returns the sync tokens of the
    failed batches."""
    archive = peer.account.archive
    real_save, failed = archive.save_sync_batch, []

    def save(events, rooms, next_batch, announce=None):  # type: ignore[no-untyped-def]
        def announce_then_fail(fresh: list[RoomEvent]) -> None:
            if announce is not None:
                announce(fresh)
            if len(failed) < times and held() and any(carries(e) for e in fresh):
                failed.append(next_batch)
                at_failure()
                raise StoreError("Could not save the synced events: disk I/O error")

        return real_save(events, rooms, next_batch, announce_then_fail)

    archive.save_sync_batch = save  # type: ignore[method-assign]
    return failed
