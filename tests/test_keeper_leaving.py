"""The keeper's bookkeeping of the rooms it left, on its own (no server needed): which
sync token is saved while one is pending, where a page is cut, how long a failing room
is tried. The whole keeper against Synapse is ``test_keeper_left_rooms``."""

from __future__ import annotations

from app.core.records import RoomEvent
from app.services.keeper.leaving import LeftRooms, departures, own_part

ME = "@keeper:localhost"
ROOM = "!ops:localhost"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _member(event_id: str, membership: str, before: str | None = None) -> RoomEvent:
    unsigned = {} if before is None else {"unsigned": {"prev_content": {"membership": before}}}
    return RoomEvent(
        event_id, ROOM, "@fac:localhost", "m.room.member", 1, {"membership": membership},
        state_key=ME, source={"event_id": event_id, **unsigned},
    )  # fmt: skip


def _said(event_id: str) -> RoomEvent:
    return RoomEvent(event_id, ROOM, "@fac:localhost", "m.room.message", 1, {"body": event_id})


def test_a_leave_told_on_the_first_run_saves_no_token_until_the_room_is_done() -> None:
    left = LeftRooms()
    left.told(ROOM, None, "$kick")  # no sync token before it: the first sync said so
    left.told("!later:localhost", "s2", "$kick2")
    assert left.token_to_save("s3") is None  # not s3: a restart must be told again
    left.done(ROOM)
    assert left.token_to_save("s4") == "s2"
    left.done("!later:localhost")
    assert left.token_to_save("s5") == "s5"


def test_the_record_skips_what_was_said_while_the_keeper_was_out() -> None:
    page = [
        _said("$before"),
        _member("$kick", "leave"),
        _said("$while_out"),
        _member("$invite", "invite"),
        _member("$join", "join"),
        _said("$between"),
        _member("$kick2", "leave"),
        _said("$after"),
    ]
    kept, inside = own_part(page, ME, inside=True)
    assert [e.event_id for e in kept] == ["$before", "$kick", "$join", "$between", "$kick2"]
    assert not inside
    # Out since an earlier page: a later withdrawn invitation opens nothing.
    withdrawn = [_said("$talk"), _member("$invite2", "invite"), _member("$uninvite", "leave")]
    assert own_part(withdrawn, ME, inside=False) == ([], False)
    assert own_part(page[:5], ME, inside=False) == ([page[4]], True)  # let back in
    # Before its first join the room's history is the record's: declining is no leave.
    declined = [_said("$start"), _member("$declined", "leave", before="invite"), _said("$on")]
    assert own_part(declined, ME, inside=True) == (declined, True)


def test_only_a_room_the_keeper_was_in_is_leaving() -> None:
    batch = [_member("$kick", "leave", before="join"), _said("$other")]
    rescinded = [_member("$uninvite", "leave", before="invite")]
    assert departures(batch, [ROOM], ME)[ROOM] == ("$kick", True)
    assert departures(rescinded, [ROOM], ME)[ROOM] == ("$uninvite", False)
    assert departures([], [ROOM], ME)[ROOM] == (None, False)  # the screen took it out


def test_the_leave_reported_is_the_first_after_the_keepers_last_join() -> None:
    invited_and_withdrawn = [
        _member("$kick", "leave", before="join"),
        _member("$invite", "invite", before="leave"),
        _member("$uninvite", "leave", before="invite"),
    ]
    assert departures(invited_and_withdrawn, [ROOM], ME)[ROOM] == ("$kick", True)
    earlier = [_member("$kick0", "leave", before="join"), _member("$join", "join", before="invite")]
    assert departures(earlier + invited_and_withdrawn, [ROOM], ME)[ROOM] == ("$kick", True)
    assert departures([_member("$join", "join")], [ROOM], ME)[ROOM] == (None, False)


def test_a_failing_left_room_backs_off_and_is_given_up_only_after_its_patience() -> None:
    clock = Clock()
    left = LeftRooms(patience=600, clock=clock)
    left.told(ROOM, "s1", "$kick")
    delays = []
    while (delay := left.failed(ROOM)) is not None:
        assert not left.due(ROOM)
        delays.append(delay)
        clock.now += delay
        assert left.due(ROOM)
    assert delays[:4] == [0.5, 1.0, 2.0, 4.0]
    assert max(delays) == 180.0  # a ceiling of minutes, not an ever longer wait
    assert sum(delays) >= 600  # given up after the patience, however many tries that was


def test_a_room_let_back_in_forgets_its_failures() -> None:
    clock = Clock()
    left = LeftRooms(patience=10, clock=clock)
    left.told(ROOM, "s1", "$kick")
    for _ in range(4):
        clock.now += left.failed(ROOM) or 0
    left.ours_again([ROOM])
    assert ROOM not in left
    left.told(ROOM, "s9", "$kick2")  # kicked again later: a fresh back-off and patience
    assert left.failed(ROOM) == 0.5
    clock.now += 9
    assert left.failed(ROOM) == 1.0
