"""Chart definitions folded without a server: 1.x state and encrypted events, in order.

A room's charts are the latest applied definition of each chart id, whether it came as
1.x state or as an encrypted event; a definition the archive refused (forged, malformed)
or one naming no chart id is listed with its reason and changes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from app.core import roles
from app.core.charts import ChartDef, Rejected, RoomIndicators, chart_content, project_room
from app.core.records import EventStatus, RoomEvent

T0 = 1_800_000_000_000
OLD = ChartDef("evacuated", "Evacuated (old)", ("evacuated",), "bar")
NEW = ChartDef("evacuated", "Citizens evacuated", ("evacuated", "stranded"), "timeseries", "people")
HOSTAGES = ChartDef("hostages", "Hostages", ("hostages",), "kpi")


def _state(n: int, chart: ChartDef, sender: str = "@old:x") -> RoomEvent:
    content = {k: v for k, v in chart_content(chart).items() if k != "id"}  # 1.x form
    return RoomEvent(f"$s{n}", "!ops", sender, roles.CHART, T0 + n, content, chart.chart_id)


def _encrypted(
    n: int,
    content: dict,
    sender: str = "@fac:x",
    status: EventStatus = EventStatus.OK,
    note: str = "",
) -> RoomEvent:
    return RoomEvent(
        f"$e{n}", "!ops", sender, roles.CHART, T0 + n, content, status=status, note=note
    )


def _value(n: int, series: str) -> RoomEvent:
    content = {"body": "x", "series": series, "value": n, "at": T0}
    return RoomEvent(f"$v{n}", "!ops", "@fac:x", roles.INDICATOR, T0 + 100 + n, content)


def _who(room: RoomIndicators, members: set[str]) -> str:
    latest = room.resender(members)
    return latest.sender if latest else ""


def test_state_charts_are_read_and_later_encrypted_definitions_override_them() -> None:
    forged = "@expert:x has power level 40; org.openopsroom.chart needs 80"
    no_id = {k: v for k, v in chart_content(HOSTAGES).items() if k != "id"}
    definitions = [
        _encrypted(5, chart_content(HOSTAGES), "@expert:x", EventStatus.FORGED, forged),
        _encrypted(2, chart_content(NEW)),
        _state(1, OLD),
        _encrypted(6, no_id),
        _encrypted(7, {"title": 3}, status=EventStatus.MALFORMED, note="body is missing"),
        _encrypted(8, {}, status=EventStatus.UNDECRYPTED),  # judged once its key arrives
    ]
    room = project_room("!ops", definitions, [_value(1, "stranded"), _value(2, "hostages")])

    assert room.charts == {"evacuated": NEW}  # the encrypted one came later: it wins
    assert set(room.series) == {"stranded"}  # a forged chart's series takes no values
    assert _who(room, {"@fac:x", "@expert:x"}) == "@fac:x"  # forged ones count not
    refused = {r.event_id: r for r in room.rejected}
    assert set(refused) == {"$e5", "$e6", "$e7", "$v2"}
    assert refused["$e5"] == Rejected("$e5", "@expert:x", "", forged, T0 + 5, "Hostages")
    assert "no valid chart id" in refused["$e6"].reason
    assert refused["$e7"].reason == "body is missing" and refused["$e7"].chart == "?"
    assert "in no chart" in refused["$v2"].reason


def test_the_latest_definition_wins_whichever_form_it_came_in() -> None:
    # An older client redefines a chart as state after an encrypted definition: latest wins.
    room = project_room("!ops", [_encrypted(1, chart_content(NEW)), _state(2, OLD)], [])
    assert room.charts == {"evacuated": OLD}
    assert _who(room, {"@fac:x", "@old:x"}) == "@fac:x"  # the one who re-sends encrypted
    # A 1.x room with state only: read as before, a state key of any text included.
    odd = ChartDef("Odd Key!", "Odd", ("odd",), "bar")
    legacy = project_room("!ops", [_state(1, OLD), _state(2, odd)], [])
    assert legacy.charts == {"evacuated": OLD, "Odd Key!": odd}
    assert legacy.resender({"@old:x"}) is None  # nothing encrypted to repeat to newcomers


def test_only_a_definition_that_may_change_the_charts_makes_the_room_fold_again() -> None:
    room = project_room("!ops", [_state(1, OLD), _encrypted(2, chart_content(NEW))], [])
    assert not room.may_change(_encrypted(9, chart_content(NEW), "@amal:x"))  # a re-send
    assert room.may_change(_encrypted(9, chart_content(OLD)))  # a change
    assert room.may_change(_encrypted(9, chart_content(HOSTAGES)))  # a new chart
    forged = _encrypted(9, chart_content(HOSTAGES), "@x:x", EventStatus.FORGED, "level 0")
    assert not room.may_change(forged)  # only listed, wherever it falls in the order
    refused = room.define(forged)
    assert isinstance(refused, Rejected) and refused.chart == "Hostages"
    assert set(room.charts) == {"evacuated"} and list(room.rejected) == [refused]


def test_charts_resent_after_a_join_read_as_one_row_of_room_changes(qapp) -> None:
    from app.ui.timeline.fold import fold_notices
    from app.ui.timeline.rows import event_row

    join = RoomEvent(
        "$j", "!ops", "@late:x", "m.room.member", T0, {"membership": "join"}, "@late:x"
    )
    resent = [_encrypted(n, chart_content(c), "@amal:x") for n, c in enumerate((NEW, HOSTAGES))]
    forged = _encrypted(9, chart_content(OLD), "@x:x", EventStatus.FORGED, "power level 0")
    rows = [r for e in (join, *resent, _state(5, OLD), forged) if (r := event_row(e))]
    folded = fold_notices(rows)
    assert len(folded) == 2  # the join, the re-sent charts and the 1.x state: one row
    assert folded[0].text.startswith("4 changes to the room") and len(folded[0].folded) == 4
    assert folded[1].event is forged  # a forged definition stands alone, marked


def test_a_chart_definition_lights_no_unread_badge(qapp) -> None:
    from app.ui.rooms.activity import last_message, worth_a_badge

    resent = _encrypted(1, chart_content(NEW), "@amal:x")
    assert not worth_a_badge(resent, "@me:x") and last_message(resent) is None
    value = _value(1, "evacuated")  # a value still counts, as before
    assert worth_a_badge(value, "@me:x")


def test_the_newest_definer_still_in_the_room_repeats_the_charts() -> None:
    events = [
        _encrypted(1, chart_content(NEW), "@fac:x"),
        _encrypted(2, chart_content(HOSTAGES), "@amal:x"),
        _encrypted(3, chart_content(NEW), "@fac:x"),  # fac again: the newest
    ]
    room = project_room("!ops", events, [])
    assert _who(room, {"@fac:x", "@amal:x"}) == "@fac:x"
    assert _who(room, {"@amal:x", "@late:x"}) == "@amal:x"  # fac left the session
    assert room.resender({"@late:x"}) is None
    # Members whose level no longer allows defining are not offered: the next definer is.
    assert _who(room, {"@amal:x"}) == "@amal:x"
    # The device that sent the definer's latest definition re-sends, not the first one.
    assert room.resender({"@fac:x"}) == events[2]


def test_where_the_power_levels_name_no_chart_type_a_definition_needs_state_default() -> None:
    from app.services.authority import RoomAuthority

    # A room another client made: its power levels name none of our types.
    levels = {"users": {"@off:x": 50, "@member:x": 10}, "events_default": 0, "state_default": 50}
    state = [
        RoomEvent("$c", "!ops", "@off:x", "m.room.create", T0, {"room_version": "10"}, ""),
        RoomEvent("$p", "!ops", "@off:x", "m.room.power_levels", T0, levels, ""),
    ]
    authority = RoomAuthority(state)
    by_member = authority.check(_encrypted(1, chart_content(NEW), "@member:x"))
    assert by_member.status is EventStatus.FORGED  # as 1.x state, it needed state_default
    assert "power level 10" in by_member.note and "needs 50" in by_member.note
    assert authority.check(_encrypted(2, chart_content(NEW), "@off:x")).status is EventStatus.OK
    value = authority.check(replace(_value(1, "evacuated"), sender="@member:x"))
    assert value.status is EventStatus.OK  # a value was never state: events_default still


def test_a_resend_folds_where_the_definition_it_repeats_stands() -> None:
    first = _encrypted(1, chart_content(OLD), "@amal:x")
    redefined = _encrypted(5, chart_content(NEW), "@bas:x")
    room = project_room("!ops", [first, _encrypted(3, chart_content(HOSTAGES), "@amal:x")], [])
    [old, hostages] = sorted(room.resends(), key=lambda c: c["id"])
    assert old["resent_of"] == "$e1" and old["resent_ts"] == T0 + 1 and old["title"] == OLD.title
    assert hostages["resent_of"] == "$e3"
    # amal re-sent the old definition after bas redefined it (bas's was not decrypted at
    # amal's device yet): every client still folds bas's change in last.
    stale = _encrypted(7, old, "@amal:x")
    room = project_room("!ops", [first, redefined, stale], [])
    assert room.charts["evacuated"] == NEW
    assert room.may_change(_encrypted(8, old, "@amal:x"))  # a live stale one: fold again
    # A re-send of a re-send names the original; no re-send claims a time after its own.
    again = project_room("!ops", [_encrypted(9, old, "@late:x")], []).resends()
    assert again[0]["resent_of"] == "$e1" and again[0]["resent_ts"] == T0 + 1
    ahead = _encrypted(2, chart_content(NEW) | {"resent_ts": T0 + 99}, "@amal:x")
    assert project_room("!ops", [ahead, redefined, stale], []).charts["evacuated"] == NEW
    claimed = project_room("!ops", [stale, ahead], []).charts["evacuated"]
    assert claimed == NEW  # folded at its own time (2), after the stale re-send (at 1)


def test_only_a_real_join_of_someone_else_asks_for_the_charts_again() -> None:
    from app.services.charts.service import new_member

    def member(membership: str, before: str | None, source_key: str = "unsigned") -> RoomEvent:
        prev = {"prev_content": {"membership": before}} if before else {}
        source = {source_key: prev} if source_key == "unsigned" else prev
        content = {"membership": membership, "displayname": "Late"}
        return RoomEvent(
            "$m", "!ops", "@late:x", "m.room.member", T0, content, "@late:x", source=source
        )

    assert new_member(member("join", "invite"), "@me:x")
    assert new_member(member("join", None), "@me:x")  # a first join names no previous one
    assert new_member(member("join", "leave", "top"), "@me:x")  # prev_content at the top
    assert not new_member(member("join", "join"), "@me:x")  # a display-name change
    assert not new_member(member("join", "join", "top"), "@me:x")
    assert not new_member(member("leave", "join"), "@me:x")
    assert not new_member(member("join", "invite"), "@late:x")  # our own join


def test_one_device_of_an_official_still_allowed_answers_a_join_still_current(tmp_path) -> None:
    from app.services.charts.service import to_resend
    from app.store import Archive, open_database, sqlite_url

    def state(n: int, kind: str, key: str, content: dict, sender: str = "@fac:x") -> RoomEvent:
        source = {"event_id": f"$t{n}", "type": kind, "content": content, "state_key": key}
        return RoomEvent(f"$t{n}", "!ops", sender, kind, T0 + n, content, key, source=source)

    def levels(n: int, amal: int) -> RoomEvent:
        return state(n, "m.room.power_levels", "", {"users": {"@fac:x": 100, "@amal:x": amal}})

    def joined(n: int, who: str) -> RoomEvent:
        return state(n, "m.room.member", who, {"membership": "join"}, who)

    ours = replace(_encrypted(3, chart_content(NEW), "@amal:x"), txn_id="t-amal")
    first_join, late = joined(20, "@late:x"), joined(21, "@late:x")  # then a name change
    setup = [
        state(0, "m.room.create", "", {"room_version": "10"}),
        levels(1, 80),
        *(joined(n, who) for n, who in ((4, "@fac:x"), (5, "@amal:x"))),
        _encrypted(2, chart_content(HOSTAGES), "@fac:x"),
        ours,
        first_join,
        late,
    ]
    engine = open_database(sqlite_url(tmp_path / "archive.sqlite3"))
    try:
        archive = Archive(engine, "@amal:x")
        archive.save_sync_batch([replace(e, source=e.source or {"x": 1}) for e in setup], [], None)
        resent = to_resend(archive, "!ops", "@amal:x", [late])
        assert [(c["id"], c["resent_of"]) for c in resent] == [
            ("evacuated", "$e3"),
            ("hostages", "$e2"),
        ]
        assert to_resend(archive, "!ops", "@fac:x", [late]) == []  # amal defined last
        # An old join fetched with history, no longer the member's membership: no answer.
        assert to_resend(archive, "!ops", "@amal:x", [first_join]) == []
        # amal demoted: every receiver would refuse her re-sends; fac is the one now, from
        # the device that sent fac's definition (not this archive's).
        archive.save_sync_batch([levels(30, 40)], [], None)
        assert to_resend(archive, "!ops", "@amal:x", [late]) == []
        archive.save_sync_batch([levels(31, 80)], [], None)  # promoted again
        assert to_resend(archive, "!ops", "@amal:x", [late])
        # amal defines again from her other device: that device answers, not this one.
        archive.save_sync_batch([_encrypted(32, chart_content(OLD), "@amal:x")], [], None)
        assert to_resend(archive, "!ops", "@amal:x", [late]) == []
    finally:
        engine.dispose()
