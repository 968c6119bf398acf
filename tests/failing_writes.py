"""An archive write that fails after its batch was shown: what a crash at that point
leaves on disk (the transaction that would have archived the batch and moved the sync
token never committed), made to happen on demand; and one that fails right after its
commit (what a crash just after it leaves)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.core.records import RoomEvent
from app.store import Archive, StoreError
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

    def save(events, rooms, next_batch, announce=None, **rest):  # type: ignore[no-untyped-def]
        def announce_then_fail(fresh: list[RoomEvent]) -> None:
            if announce is not None:
                announce(fresh)
            if len(failed) < times and held() and any(carries(e) for e in fresh):
                failed.append(next_batch)
                at_failure()
                raise StoreError("Could not save the synced events: disk I/O error")

        return real_save(events, rooms, next_batch, announce_then_fail, **rest)

    archive.save_sync_batch = save  # type: ignore[method-assign]
    return failed


def stop_after_commit(
    monkeypatch: pytest.MonkeyPatch, carries: Callable[[RoomEvent], bool]
) -> list[str]:
    """From now on (until ``monkeypatch`` undoes it) every archive write of a batch with
    an event that ``carries`` passes commits, then fails: what a crash right after the
    commit leaves on disk (the batch and its sync token archived, nothing after the
    commit done), in every account, made before the app starts. Returns the tokens of
    the batches so committed."""
    real_save, committed = Archive.save_sync_batch, []

    def save(self, events, rooms, next_batch, announce=None, **rest):  # type: ignore[no-untyped-def]
        fresh = real_save(self, events, rooms, next_batch, announce, **rest)
        if any(carries(e) for e in events):
            committed.append(next_batch)
            raise StoreError("the app stopped right after the commit")
        return fresh

    monkeypatch.setattr(Archive, "save_sync_batch", save)
    return committed
