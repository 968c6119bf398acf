"""A message is shown as soon as it is judged, before its archive write: still nothing
lost and nothing twice when that write fails, or the app stops before it commits.

The sender is plain matrix-nio (another client). A write that fails after the notice
went out is what a crash at that point leaves on disk (``tests.failing_writes``).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from nio import AsyncClient

from app.core.errors import ConnectionLost
from app.core.records import EventStatus, RoomEvent
from app.homeserver import EmbeddedHomeserver
from app.services.arrival import SCREEN_GRACE_SECONDS, Screen
from app.services.notices import EventsArrived, Problem
from tests.failing_writes import fail_after_showing
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, raw_join, raw_nio_client, raw_send_text


def _with_body(body: str) -> Callable[[RoomEvent], bool]:
    return lambda event: event.content.get("body") == body


def _shown(peer: Peer, event_id: str) -> int:
    """How many notices told the UI about this event."""
    return sum(
        1
        for n in peer.notices
        if isinstance(n, EventsArrived) and any(e.event_id == event_id for e in n.events)
    )


async def _room_with_other_client(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    screen: Screen | None = None,
    alice: Peer | None = None,
) -> tuple[Peer, AsyncClient, str]:
    other = make_account("other")
    alice = alice or Peer(tmp_path / "alice", make_account("alice"))
    alice.backend.screen = screen  # as the window's bridge gives it
    await alice.login(homeserver)
    raw = await raw_nio_client(homeserver, other.user_id, other.password, tmp_path / "raw")
    room = await alice.account.create_room("Crisis cell", (other.user_id,))
    await raw_join(raw, room)
    await alice.wait_for(lambda: alice.has_joined(room, other.user_id), "the other's join")
    return alice, raw, room


@asynccontextmanager
async def _room_shared(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    screen: Screen | None = None,
    alice: Peer | None = None,
) -> AsyncIterator[tuple[Peer, AsyncClient, str]]:
    """``_room_with_other_client``, the plain client and Alice closed after (a test that
    stops Alice itself midway closes its own)."""
    alice, raw, room = await _room_with_other_client(
        homeserver, make_account, tmp_path, screen, alice
    )
    try:
        yield alice, raw, room
    finally:
        await raw.close()
        await alice.close()


async def test_a_message_whose_write_failed_after_it_was_shown_is_archived_and_shown_once(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with _room_shared(homeserver, make_account, tmp_path) as (alice, raw, room):
        failed = fail_after_showing(alice, _with_body("Close the border crossing"), times=1)
        event_id = await raw_send_text(raw, room, "Close the border crossing")
        archive = alice.account.archive
        await alice.wait_for(lambda: archive.event(event_id) is not None, "the archived message")

        assert failed, "the write never failed: the test did not test anything"
        shown_at = next(
            i
            for i, n in enumerate(alice.notices)
            if isinstance(n, EventsArrived) and any(e.event_id == event_id for e in n.events)
        )
        failure_at = next(
            i
            for i, n in enumerate(alice.notices)
            if isinstance(n, Problem) and n.what == "sync_failed"
        )
        assert shown_at < failure_at  # shown before the write that failed
        assert _shown(alice, event_id) == 1  # the batch came again: not shown twice
        stored = archive.event(event_id)
        assert stored is not None and stored.status is EventStatus.OK
        assert archive.verify_chain(room)


async def test_a_message_shown_but_not_yet_archived_when_the_app_stopped_is_there_after_restart(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    alice, raw, room = await _room_with_other_client(homeserver, make_account, tmp_path)
    try:
        try:
            fail_after_showing(alice, _with_body("Evacuate the embassy"), times=1_000)
            event_id = await raw_send_text(raw, room, "Evacuate the embassy")
            await alice.wait_text(room, "Evacuate the embassy")
            await alice.wait_for(
                lambda: any(isinstance(n, Problem) for n in alice.notices), "the failed write"
            )
            assert alice.account.archive.event(event_id) is None  # shown, never archived
        finally:
            await alice.close()  # the app stops with the write never committed

        restarted = Peer(tmp_path / "alice")
        await restarted.backend.start()
        try:
            found = await restarted.wait_text(room, "Evacuate the embassy")
            assert found.event_id == event_id
            stored = await restarted.account.db(restarted.account.archive.event, event_id)
            assert stored is not None and stored.status is EventStatus.OK
        finally:
            await restarted.close()
    finally:
        await raw.close()


async def test_a_window_that_never_says_it_painted_holds_the_archive_back_once_briefly(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """The write waits for the window's paint, for a moment at most, and not again until
    the window has answered: a window that never answers (closing, stuck) holds back only
    the first batch, and every message is still archived, and shown once."""
    told: list[Callable[[EventsArrived], None]] = []  # the peer's, once it exists
    waits: list[float] = []  # each wait's grace, from the store thread
    loop = asyncio.get_running_loop()

    def silent_window(notice: EventsArrived) -> Callable[[float], bool]:
        loop.call_soon_threadsafe(told[0], notice)  # it is shown...
        never = threading.Event()  # ...but never said to be painted

        def wait(seconds: float) -> bool:
            waits.append(seconds)
            return never.wait(seconds)

        return wait

    alice = Peer(tmp_path / "alice", make_account("alice"))
    told.append(alice.notices.append)
    shared = _room_shared(homeserver, make_account, tmp_path, silent_window, alice)
    async with shared as (alice, raw, room):
        first = await raw_send_text(raw, room, "Close the border crossing")
        second = await raw_send_text(raw, room, "Open the northern road")
        archive = alice.account.archive
        for event_id in (first, second):
            await alice.wait_for(lambda e=event_id: archive.event(e) is not None, "the archive")
        assert _shown(alice, first) == _shown(alice, second) == 1
        assert [seconds for seconds in waits if seconds] == [SCREEN_GRACE_SECONDS]


async def test_a_window_that_cannot_take_a_message_still_has_it_shown_once_and_archived(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """A window being closed refuses the notice (its bridge is deleted): the message is
    shown through the event loop instead, once, and archived."""

    def closing_window(_notice: EventsArrived) -> Callable[[float], bool]:
        raise RuntimeError("Signal source has been deleted")

    shared = _room_shared(homeserver, make_account, tmp_path, closing_window)
    async with shared as (alice, raw, room):
        sent = await raw_send_text(raw, room, "Close the border crossing")
        archive = alice.account.archive
        await alice.wait_for(lambda: archive.event(sent) is not None, "the archive")
        await alice.wait_for(lambda: _shown(alice, sent) > 0, "the notice")
        assert _shown(alice, sent) == 1


async def test_a_message_a_gap_fill_archived_while_its_batch_failed_is_shown_once(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """Plain chat is shown before any store call; a message whose batch could not be
    written, then archived by a gap fill (the page of history the app fetches after a
    cut-short sync), is not shown a second time when its batch comes again."""
    async with _room_shared(homeserver, make_account, tmp_path) as (alice, raw, room):
        filled: list[str] = []
        failed = fail_after_showing(
            alice, _with_body("Close the border crossing"), times=1_000, held=lambda: not filled
        )
        event_id = await raw_send_text(raw, room, "Close the border crossing")
        # Without a window the notice goes through the loop's queue, shown before the
        # store call; the store thread may fail the write before the loop delivers it.
        await alice.wait_for(
            lambda: bool(failed) and _shown(alice, event_id) > 0, "the failed write, shown"
        )
        assert _shown(alice, event_id) == 1  # shown, once, though its write failed

        page, _token = await alice.account.client.history_after(room, None, 100)
        missing = [e for e in page if e.event_id == event_id]
        filled += [e.event_id for e in await alice.account.archive_history(missing)]
        assert filled, "the gap fill archived nothing: the test did not test anything"
        later = await raw_send_text(raw, room, "Open the northern road")
        archive = alice.account.archive
        await alice.wait_for(lambda: archive.event(later) is not None, "the batch after it")

        assert _shown(alice, event_id) == 1  # its batch came again: not shown twice
        assert _shown(alice, later) == 1
        assert archive.verify_chain(room)


async def test_a_message_shown_before_its_key_came_opens_in_place_once_the_key_comes(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """Plain chat is shown before any store call, locked while its room key has not
    come; the key, forwarded later by the reader's other device, opens that message:
    it is told again as readable (the same event, one row), and told readable once."""
    account = make_account("alice")
    laptop = Peer(tmp_path / "laptop", account)
    async with _room_shared(homeserver, make_account, tmp_path, alice=laptop) as shared:
        _laptop, raw, room = shared
        tablet = await Peer(tmp_path / "tablet", account).login(homeserver)
        try:
            await tablet.wait_for(lambda: tablet.has_joined(room, raw.user_id), "the room")
            # The plain client learns of the tablet and keeps its room key from it.
            await raw.sync(timeout=0)
            await raw.keys_query()
            raw.blacklist_device(
                raw.device_store[account.user_id][tablet.account.client.creds.device_id]
            )
            event_id = await raw_send_text(raw, room, "Close the border crossing")

            await tablet.wait_for(
                lambda: tablet.find_text(room, "Close the border crossing") is not None, "the key"
            )
            told = [e.status for e in tablet.events() if e.event_id == event_id]
            assert told[0] is EventStatus.UNDECRYPTED  # shown at once, locked
            assert told.count(EventStatus.OK) == 1  # then opened, once
            assert tablet.texts(room).count("Close the border crossing") == 1
        finally:
            await tablet.close()


async def test_a_batch_fetched_again_after_a_failure_past_its_write_is_not_shown_again(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    """The network drops after a batch was archived (in the step's last call): the loop
    asks the same token again and gets the same messages, already archived and shown;
    they are not shown a second time (an unread badge back on a room already read)."""
    async with _room_shared(homeserver, make_account, tmp_path) as (alice, raw, room):
        client = alice.account.client
        housekeeping, dropped = client.housekeeping, threading.Event()
        archive, sent = alice.account.archive, []

        async def drop_once_after_the_write() -> None:
            if sent and archive.event(sent[0]) is not None and not dropped.is_set():
                dropped.set()
                raise ConnectionLost("the network dropped after the write")
            await housekeeping()

        client.housekeeping = drop_once_after_the_write  # a network failure, injected
        event_id = await raw_send_text(raw, room, "Close the border crossing")
        sent.append(event_id)
        await alice.wait_for(dropped.is_set, "the drop after the write")
        later = await raw_send_text(raw, room, "Open the northern road")
        await alice.wait_for(lambda: _shown(alice, later) == 1, "the next message")
        assert _shown(alice, event_id) == 1
