"""Chart definitions folded without a server: 1.x state and encrypted events, in order.

A room's charts are the latest applied definition of each chart id, whether it came as
1.x state or as an encrypted event; a definition the archive refused (forged, malformed)
or one naming no chart id is listed with its reason and changes nothing.
"""

from __future__ import annotations

from dataclasses import replace

from app.core import roles
from app.core.charts import ChartDef, Rejected, chart_content, project_room
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
    assert room.resender({"@fac:x", "@expert:x"}) == "@fac:x"  # forged ones count not
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
    assert room.resender({"@fac:x", "@old:x"}) == "@fac:x"  # the one who re-sends encrypted
    # A 1.x room with state only: read as before, a state key of any text included.
    odd = ChartDef("Odd Key!", "Odd", ("odd",), "bar")
    legacy = project_room("!ops", [_state(1, OLD), _state(2, odd)], [])
    assert legacy.charts == {"evacuated": OLD, "Odd Key!": odd}
    assert legacy.resender({"@old:x"}) == ""  # nothing encrypted to repeat to newcomers


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
    assert room.resender({"@fac:x", "@amal:x"}) == "@fac:x"
    assert room.resender({"@amal:x", "@late:x"}) == "@amal:x"  # fac left the session
    assert room.resender({"@late:x"}) == ""


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
