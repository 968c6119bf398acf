"""The timeline model applies small diffs: inserts, in-place upgrades, echo replacement."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QListView

from app.core import roles
from app.core.records import EventStatus, OutboxItem, OutboxState, RoomEvent, RoomSummary
from app.services.notices import (
    EventsArrived,
    IdentitiesChanged,
    OutboxChanged,
    RoomLoaded,
    RoomsChanged,
)
from app.services.preview import OPEN_LIMIT
from app.ui.people import colour_of, initials
from app.ui.shell.timeline_feed import HELD_ROWS
from app.ui.shell.workspace_view import WorkspaceView
from app.ui.timeline.delegate import TimelineDelegate
from app.ui.timeline.model import TimelineModel
from app.ui.timeline.rows import RowKind, event_row

ME, KARIM, ROOM = "@me:ops.example", "@karim:ops.example", "!ops:ops.example"
LISTED = RoomsChanged((RoomSummary(ROOM, "Operations"),))


def _text(
    event_id: str,
    body: str,
    ts: int,
    *,
    sender: str = "@bob:ops.example",
    room_id: str = ROOM,
    txn_id: str | None = None,
) -> RoomEvent:
    content = {"msgtype": "m.text", "body": body}
    return RoomEvent(event_id, room_id, sender, "m.room.message", ts, content, txn_id=txn_id)


def _model() -> TimelineModel:
    model = TimelineModel(ME)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.load(RoomLoaded(ROOM, (), ()))
    return model


def test_pending_row_is_replaced_by_its_echo(qapp) -> None:
    model = _model()
    pending = OutboxItem(
        "oor1",
        ROOM,
        "m.room.message",
        {"body": "Hold the convoy"},
        OutboxState.PENDING,
        created_at=5.0,
    )
    model.outbox_changed(pending)
    assert [model.row(0).kind] == [RowKind.PENDING]
    model.add_events((_text("$e1", "Hold the convoy", 5_100, sender=ME, txn_id="oor1"),))
    assert model.rowCount() == 1 and model.row(0).kind is RowKind.MESSAGE
    model.add_events((_text("$e0", "earlier", 1_000), _text("$x", "elsewhere", 9, room_id="!x")))
    assert [model.row(i).text for i in range(model.rowCount())] == ["earlier", "Hold the convoy"]


def test_late_decryption_changes_the_row_in_place(qapp) -> None:
    model = _model()
    locked = RoomEvent(
        "$e1", ROOM, "@bob:ops.example", "m.room.encrypted", 1, {}, status=EventStatus.UNDECRYPTED
    )
    model.add_events((locked,))
    assert model.row(0).kind is RowKind.UNDECRYPTED
    model.add_events((_text("$e1", "الوفد وصل", 1),))
    assert model.rowCount() == 1 and model.row(0).rtl and model.row(0).kind is RowKind.MESSAGE


def test_a_long_stream_of_rows_keeps_the_interpreter_sound(qapp, disposed) -> None:
    """PySide6 6.12.0 dropped a reference to None per void call on CPython 3.11 and the
    app aborted after a few hundred messages; the pin in pyproject.toml keeps this away."""
    model = _model()
    view = disposed(QListView())
    view.setModel(model)
    view.setItemDelegate(TimelineDelegate(view))
    view.show()
    before = sys.getrefcount(None)
    for n in range(3_000):
        model.add_events((_text(f"$e{n}", f"message {n}", n),))
    assert sys.getrefcount(None) >= before


def _workspace(disposed, user_id: str = ME) -> WorkspaceView:
    """A bare workspace (no backend) signed in as ``user_id``, kept until the test ends."""
    view = disposed(WorkspaceView())
    view.set_user(user_id)
    return view


def _shown(view: WorkspaceView) -> list[str | None]:
    return [view.timeline.row(i).text for i in range(view.timeline.rowCount())]


def test_events_arriving_while_a_room_loads_are_not_lost(qapp, disposed) -> None:
    view = _workspace(disposed)
    view.apply_rooms(LISTED)  # selects it, loading
    view.apply_events(EventsArrived((_text("$new", "FLASH: hold the convoy", 2_000),)))
    view.apply_room_loaded(RoomLoaded(ROOM, (_text("$old", "earlier", 1_000),), ()))
    assert _shown(view) == ["earlier", "FLASH: hold the convoy"]


def test_a_message_between_the_starts_load_and_the_rooms_own_stays_shown(qapp, disposed) -> None:
    """A restart shows the newest room from the archive unasked (``early_list``) while
    the window's own ask for it is on its way: that load is not the ask's answer, and
    a message shown before it is archived stays under the answer read before it."""
    view = _workspace(disposed)
    view.apply_rooms(LISTED)  # selected: asked
    earlier = (_text("$old", "earlier", 1_000),)
    view.apply_room_loaded(RoomLoaded(ROOM, earlier, ()))  # the start's, unasked
    view.apply_events(EventsArrived((_text("$new", "FLASH: hold the convoy", 2_000),)))
    view.apply_room_loaded(RoomLoaded(ROOM, earlier, ()))  # the ask's, read before the write
    view.room_answered(ROOM, view.epoch)
    assert _shown(view) == ["earlier", "FLASH: hold the convoy"]


def test_what_arrived_for_the_last_account_is_not_shown_to_the_next(qapp, disposed) -> None:
    """Signed out while a room's load was on its way, its answer never in: what arrived
    for the room meanwhile is the last account's, held for no load of the next one's."""
    view = _workspace(disposed)
    view.apply_rooms(LISTED)  # selected: its load asked for, never answered
    view.apply_events(EventsArrived((_text("$a", "for the last account only", 2_000),)))
    view.set_user(KARIM)  # signed out, another signed in
    view.apply_rooms(LISTED)
    view.apply_room_loaded(RoomLoaded(ROOM, (_text("$old", "earlier", 1_000),), ()))
    assert _shown(view) == ["earlier"]


def test_a_room_whose_opening_never_answers_keeps_only_a_page_of_what_arrives(
    qapp, disposed
) -> None:
    """An ask never answered (a command dropped, a backend that did not start) held every
    message that came for the room until the sign-out, and merged them all into the
    room's next load. 201 messages in, the ask still unanswered, then an empty load of
    the room: it shows the newest 200 (a room's opening page), in order, and no more."""
    view = _workspace(disposed)
    view.apply_rooms(LISTED)  # asked; its answer never comes
    for n in range(201):
        view.apply_events(EventsArrived((_text(f"$e{n}", f"message {n}", n),)))
    view.apply_room_loaded(RoomLoaded(ROOM, (), ()))
    assert _shown(view) == [f"message {n}" for n in range(1, 201)]


def test_a_hold_keeps_as_many_arrivals_as_a_room_opens_with() -> None:
    """The window does not import the opening page's size (``preview`` would bring the
    store into its start): the two are kept equal here."""
    assert HELD_ROWS == OPEN_LIMIT


@pytest.mark.parametrize("late", [OutboxState.PENDING, OutboxState.FAILED])
def test_a_delivered_message_stays_delivered_when_the_outbox_speaks_of_it_late(
    qapp, disposed, late: OutboxState
) -> None:
    """A send that timed out (pending again) or was answered "refused" after the server
    took it: the room, opened meanwhile, shows the server's echo, and the outbox's word,
    delivered after the room (``app.services.room_opening``), leaves it delivered."""
    view = _workspace(disposed)
    view.apply_rooms(LISTED)
    echo = _text("$e1", "Hold the convoy", 5_100, sender=ME, txn_id="oor1")
    view.apply_room_loaded(RoomLoaded(ROOM, (echo,), ()))
    item = OutboxItem("oor1", ROOM, "m.room.message", {"body": "Hold the convoy"}, late, 5.0)
    view.apply_outbox(OutboxChanged(item))
    view.apply_outbox(OutboxChanged(replace(item, state=OutboxState.SENT, event_id="$e1")))
    rows = [view.timeline.row(i) for i in range(view.timeline.rowCount())]
    assert [(r.kind, r.text) for r in rows] == [(RowKind.MESSAGE, "Hold the convoy")]


def _state(event_type: str, content: dict, key: str = "") -> RoomEvent:
    return RoomEvent("$s", ROOM, "@karim:ops.example", event_type, 1, content, state_key=key)


def test_room_changes_read_as_plain_words_never_as_raw_types() -> None:
    texts = {
        "chart": event_row(_state(roles.CHART, {"title": "Evacuees"}, "evacuees")),
        "pins": event_row(_state("m.room.pinned_events", {"pinned": ["$x"]})),
        "other": event_row(_state("org.example.widget", {"a": 1}, "w")),
        "unknown": event_row(
            RoomEvent("$u", ROOM, "@karim:ops.example", "org.example.ping", 1, {"a": 1})
        ),
        "request": event_row(
            RoomEvent("$r", ROOM, "@omar:ops.example", roles.REQUEST + ".v9", 1, {"body": "?"})
        ),
    }
    plain = {k: v.text.translate({0x2068: None, 0x2069: None}) for k, v in texts.items() if v}
    assert plain["chart"] == "@karim:ops.example defined the chart 'Evacuees'"
    assert plain["pins"] == "@karim:ops.example changed the pinned messages"
    assert plain["other"] == "@karim:ops.example changed a setting of the room"
    assert all("org." not in text and "m.room" not in text for text in plain.values())
    # Convening writes one session state per room it creates: none of them is a row.
    assert event_row(_state(roles.SESSION, {"title": "T", "status": "convening"})) is None
    closed = event_row(_state(roles.SESSION, {"title": "T", "status": "closed"}))
    assert closed is not None and closed.text.endswith("closed\u2069")


def test_people_are_named_and_a_run_of_their_messages_reads_as_one(qapp) -> None:
    model = _model()
    karim = "@karim:ops.example"
    joined = RoomEvent(
        "$m",
        ROOM,
        karim,
        "m.room.member",
        1,
        {"membership": "join", "displayname": "Karim Haddad"},
        state_key=karim,
    )
    model.add_events(
        (
            joined,
            _text("$1", "Convoy left", 60_000, sender=karim),
            _text("$2", "Two buses", 90_000, sender=karim),  # 30 s later: goes on
            _text("$3", "Border open", 100_000),  # someone else
            _text("$4", "Copy", 100_000 + 6 * 60_000),  # the same person, minutes later
            _text("$5", "Also", 100_000 + 6 * 60_000 + 5_000),
        )
    )
    texts = [model.row(i).text for i in range(model.rowCount())]
    goes_on = [model.continues(i) for i in range(model.rowCount())]
    assert dict(zip(texts, goes_on, strict=True)) == {
        texts[0]: False,  # "Karim joined"
        "Convoy left": False,
        "Two buses": True,
        "Border open": False,
        "Copy": False,
        "Also": True,
    }
    assert model.name_of(karim) == "Karim Haddad"
    assert model.name_of("@bob:ops.example") == "bob"  # no display name: the id's name part
    row = texts.index("Convoy left")
    assert model.index(row).data(Qt.ItemDataRole.ToolTipRole) == karim  # the @id on hover
    assert initials("Karim Haddad") == "KH" and initials("عمر الفاروق") == "عا"
    assert colour_of(karim) == colour_of(karim)  # the same person, the same colour


def test_a_run_of_room_changes_is_one_row_that_opens_again(qapp) -> None:
    def member(n: int, membership: str) -> RoomEvent:
        user = f"@p{n}:ops.example"
        return RoomEvent(
            f"$m{n}{membership}",
            ROOM,
            user,
            "m.room.member",
            n,
            {"membership": membership},
            state_key=user,
        )

    setup = [member(n, "invite") for n in range(3)] + [member(n, "join") for n in range(3)]
    model = TimelineModel(ME)
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.load(RoomLoaded(ROOM, (*setup, _text("$t", "Convoy left", 100)), ()))
    assert model.rowCount() == 2
    fold = model.row(0).text.translate({0x2068: None, 0x2069: None})
    assert fold.startswith("6 changes to the room: 3 joined, 3 invited")
    model.add_events((setup[2],))  # seen again in a later sync: still one row
    assert model.rowCount() == 2
    model.unfold(0)
    assert model.rowCount() == 7 and model.row(6).text == "Convoy left"


def test_a_changed_identity_warns_in_shared_rooms_until_accepted_and_again_if_it_changes(
    qapp,
) -> None:
    karim, other = "@karim:ops.example", "!other:ops.example"
    model = _model()
    model.set_session_names((ROOM,), {karim: "Karim Haddad"})
    model.add_events((_text("$e1", "On my way", 1_000, sender=karim),))
    model.show_identities(IdentitiesChanged(((karim, (ROOM, other)),)))
    assert model.rowCount() == 2
    warning = model.row(1)  # the newest row: the change was learned now
    assert warning.kind is RowKind.IDENTITY_CHANGED
    assert warning.text == (
        "\u2068Karim Haddad\u2069's identity changed: "
        "verify them again before relying on what they send"
    )
    model.load(RoomLoaded("!elsewhere:ops.example", (), ()))  # a room not shared: no row
    model.show_identities(IdentitiesChanged(((karim, (ROOM, other)),)))
    assert model.rowCount() == 0
    model.load(RoomLoaded(ROOM, (), ()))
    assert [model.row(0).key] == [warning.key]  # still warned when the room opens again

    model.show_identities(IdentitiesChanged(()))  # accepted
    assert model.rowCount() == 1 and model.row(0).kind is RowKind.NOTICE
    assert "new identity was accepted" in model.row(0).text
    model.show_identities(IdentitiesChanged(((karim, (ROOM,)),)))  # changed once more
    kinds = [model.row(r).kind for r in range(model.rowCount())]
    assert kinds == [RowKind.NOTICE, RowKind.IDENTITY_CHANGED]  # the accepted one stays


def test_a_roster_repeated_with_the_same_names_redraws_nothing(qapp) -> None:
    model = _model()
    model.add_events((_text("$a", "Convoy left", 1_000, sender="@karim:ops.example"),))
    redrawn: list[int] = []
    model.dataChanged.connect(lambda top, bottom: redrawn.append(bottom.row() - top.row() + 1))
    model.set_session_names((ROOM,), {"@karim:ops.example": "Karim Haddad"})
    assert redrawn == [1] and model.name_of("@karim:ops.example") == "Karim Haddad"
    model.set_session_names((ROOM, "!other:ops.example"), {"@karim:ops.example": "Karim Haddad"})
    assert redrawn == [1]  # the same names again: no row redrawn
    model.set_session_names((ROOM,), {"@karim:ops.example": "Dr Karim Haddad"})
    assert redrawn == [1, 1] and model.name_of("@karim:ops.example") == "Dr Karim Haddad"


def test_an_event_delivered_again_unchanged_redraws_nothing(qapp) -> None:
    model = _model()
    event = _text("$a", "Convoy left", 1_000)
    model.add_events((event,))
    redrawn: list[int] = []
    model.dataChanged.connect(lambda top, _bottom: redrawn.append(top.row()))
    model.add_events((event,))
    assert model.rowCount() == 1 and redrawn == []
    late = RoomEvent("$a", ROOM, event.sender, event.type, 1_000, {"body": "Convoy left at 9"})
    model.add_events((late,))  # the same event with new content: shown in place
    assert model.rowCount() == 1 and redrawn == [0] and model.row(0).text == "Convoy left at 9"
