"""The provisional room list (``app.core.rooms``) names and flags rooms as nio does.

The backend names rooms with matrix-nio's ``MatrixRoom.display_name`` after nio has
processed a sync; the first start's list is read from the same sync's raw JSON without
nio. Here the same answers go to a plain nio client (its own parser and room state,
no network) and the two must agree for every room the list shows: ordinary rooms,
clashing display names, summaries with heroes, and a few hundred odd and hostile
answers made at random (a fixed seed), where the list may say "not sure" (no list, or a
room left out) but never something else than nio.
"""

from __future__ import annotations

import asyncio
import copy
import random
from typing import Any

import pytest
from nio import AsyncClient, SyncResponse

from app.core.records import RoomSummary
from app.core.rooms.first_sync import provisional_rooms

ME = "@me:example.org"
_ids = iter(range(10**9))


def event(kind: str, content: Any, state_key: Any = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": kind,
        "event_id": f"$e{next(_ids)}",
        "sender": extra.pop("sender", "@alice:example.org"),
        "origin_server_ts": extra.pop("ts", 1_700_000_000_000 + next(_ids)),
        "content": content,
    }
    if state_key is not None:
        body["state_key"] = state_key
    return body | extra


def member(user: str, membership: str = "join", name: Any = "", **extra: Any) -> dict[str, Any]:
    content: dict[str, Any] = {"membership": membership}
    if name != "":
        content["displayname"] = name
    return event("m.room.member", content, user, **extra)


def sync(join: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"next_batch": "s1", "rooms": {"join": join}} | top


def room(state: list[dict[str, Any]], timeline: list[dict[str, Any]] = (), **extra: Any) -> dict:
    return {"state": {"events": state}, "timeline": {"events": list(timeline)}} | extra


def nio_rooms(body: dict[str, Any]) -> dict[str, RoomSummary] | None:
    """What a plain nio client makes of the answer: each joined room's summary as the
    backend builds it (``MatrixClient.summary``), or None if nio refuses the answer."""
    client = AsyncClient("https://example.org", ME)
    client.user_id = ME  # as a restored login sets it; no store, no keys, no network
    try:
        response = SyncResponse.from_dict(copy.deepcopy(body))
    except Exception:
        return None
    if not isinstance(response, SyncResponse):
        return None
    try:
        asyncio.run(client.receive_response(response))
    except Exception:
        return None
    out = {}
    for room_id, info in response.rooms.join.items():
        nio_room = client.rooms[room_id]
        times = [e.source.get("origin_server_ts") for e in (*info.state, *info.timeline.events)]
        out[room_id] = RoomSummary(
            room_id,
            nio_room.display_name,
            encrypted=nio_room.encrypted,
            is_space=nio_room.room_type == "m.space",
            last_ts=max((t for t in times if isinstance(t, int)), default=0),
        )
    return out


def agree(body: dict[str, Any]) -> tuple[RoomSummary, ...] | None:
    """The provisional list, having checked each of its joined rooms against nio."""
    listed = provisional_rooms(copy.deepcopy(body), ME)
    if listed is None:
        return None
    by_nio = nio_rooms(body)
    assert by_nio is not None, "listed an answer nio refuses"
    for summary in listed:
        if summary.room_id in by_nio:
            assert summary == by_nio[summary.room_id]
    assert list(listed) == sorted(listed, key=lambda r: (-r.last_ts, r.room_id))
    return listed


def names(body: dict[str, Any]) -> dict[str, str]:
    listed = agree(body)
    assert listed is not None
    return {r.room_id: r.name for r in listed}


def test_named_alias_and_member_rooms_are_named_as_nio_names_them() -> None:
    alice, bob, carol = "@alice:example.org", "@bob:example.org", "@carol:example.org"
    body = sync(
        {
            "!named:x": room([member(ME), event("m.room.name", {"name": "Operations"}, "")]),
            "!alias:x": room([event("m.room.canonical_alias", {"alias": "#ops:x"}, "")]),
            "!empty-name:x": room(
                [event("m.room.name", {"name": ""}, ""), event("m.room.canonical_alias", {}, "")]
            ),
            "!one:x": room([member(ME), member(alice, name="Alice")]),
            "!three:x": room([member(ME), member(alice, name="Alice"), member(bob, name="Bob")]),
            "!seven:x": room(
                [member(ME)] + [member(f"@u{n}:example.org", name=f"U{n}") for n in range(7)]
            ),
            "!clash:x": room(
                [member(ME), member(alice, name="Sam"), member(bob, name="Sam"), member(carol)]
            ),
            "!alone:x": room([member(ME), member(alice, "leave")]),
            "!renamed:x": room(
                [member(ME), member(alice, name="Alice")], [member(alice, name="Ally")]
            ),
            "!invited:x": room([member(ME), member(bob, "invite", name="Bob")]),
        }
    )
    assert names(body) == {
        "!named:x": "Operations",
        "!alias:x": "#ops:x",
        "!empty-name:x": "Empty Room",
        "!one:x": "Alice",
        "!three:x": "Alice and Bob",
        "!seven:x": "U0, U1, U2, U3, U4 and 2 others",
        "!clash:x": "@carol:example.org, Sam (@alice:example.org) and Sam (@bob:example.org)",
        "!alone:x": "Empty Room",
        "!renamed:x": "Ally",
        "!invited:x": "Bob",
    }


def test_summaries_with_heroes_name_rooms_as_nio_does() -> None:
    def summarised(joined: int, invited: int, heroes: list[str]) -> dict[str, Any]:
        state = [member(ME), member("@alice:example.org", name="Alice")]
        summary = {"m.joined_member_count": joined, "m.invited_member_count": invited}
        return room(state, summary=summary | {"m.heroes": heroes})

    body = sync(
        {
            "!a:x": summarised(2, 0, ["@alice:example.org"]),
            "!b:x": summarised(5, 1, ["@alice:example.org", "@zed:example.org"]),
            "!c:x": summarised(1, 0, ["@alice:example.org"]),
            "!d:x": summarised(1, 0, []),
            "!e:x": room([member(ME)], summary={"m.joined_member_count": 3}),  # unusable
        }
    )
    assert names(body) == {
        "!a:x": "Alice",
        "!b:x": "Alice, @zed:example.org and 3 others",
        "!c:x": "Empty Room (had Alice)",
        "!d:x": "Empty Room",
        "!e:x": "Empty Room",
    }


def test_spaces_and_encryption_are_flagged_and_refused_state_is_ignored_as_nio_does() -> None:
    create = {"room_version": "10", "creator": ME}
    body = sync(
        {
            "!space:x": room([event("m.room.create", create | {"type": "m.space"}, "")]),
            "!bad-space:x": room(
                [event("m.room.create", create | {"type": "m.space", "m.federate": "yes"}, "")]
            ),
            "!secret:x": room([member(ME), event("m.room.encryption", {"algorithm": "x"}, "")]),
            "!bad-name:x": room([member(ME), event("m.room.name", {"name": 5}, "")]),
            "!redacted:x": room(
                [event("m.room.name", {}, "", unsigned={"redacted_because": {}}), member(ME)]
            ),
        }
    )
    listed = {r.room_id: r for r in agree(body) or ()}
    assert listed["!space:x"].is_space and not listed["!bad-space:x"].is_space
    assert listed["!secret:x"].encrypted
    assert listed["!bad-name:x"].name == listed["!redacted:x"].name == "Empty Room"


def _without(value: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in value.items() if k != key}


def _presence(**odd: Any) -> dict[str, Any]:
    """A presence event as nio's schema wants it, but for the ``odd`` fields."""
    found: dict[str, Any] = {"type": "m.presence", "sender": ME, "content": {"presence": "online"}}
    content = {k: odd.pop(k) for k in ("last_active_ago",) if k in odd}
    found["content"] = found["content"] | content
    return found | odd


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"rooms": {}},
        sync({"!r:x": room([member(ME)])}, to_device=[]),
        sync({"!r:x": room([member(ME, unsigned="x")])}),
        sync({"!r:x": room([{"type": "m.room.name", "content": {"name": "x"}, "state_key": ""}])}),
        sync({"!r:x": room([member(ME, ts="yesterday")])}),
        sync({"!r:x": room([member(ME)], summary={"m.joined_member_count": None})}),
        sync({"!r:x": {"timeline": {}}}),
        sync({"!r:x": room([member(ME)], ephemeral=[])}),
        # nio's parser raises (KeyError) on a message without content
        sync({"!r:x": room([member(ME)], [{**event("m.room.message", {}), "content": None}])}),
        sync({"!r:x": room([member(ME)], [_without(event("m.room.message", {}), "content")])}),
        # presence nio's schema refuses: receive_response then fails (AttributeError)
        sync({"!r:x": room([member(ME)])}, presence={"events": [{"type": "m.presence"}]}),
        sync({"!r:x": room([member(ME)])}, presence={"events": [_presence(sender=5)]}),
        sync({"!r:x": room([member(ME)])}, presence={"events": [_presence(content=[])]}),
        sync({"!r:x": room([member(ME)])}, presence={"events": [_presence(last_active_ago="1")]}),
        # a time past what the archive (SQLite) stores
        sync({"!r:x": room([member(ME, ts=2**63)])}),
        sync({"!r:x": room([member(ME, ts=2**53)])}),
        sync({"!r:x": room([member(ME, unsigned={"prev_content": "join"})])}),
    ],
)
def test_an_answer_nio_refuses_or_chokes_on_gives_no_list(body: Any) -> None:
    assert provisional_rooms(body, ME) is None


def test_left_rooms_are_listed_by_their_id_and_a_room_that_may_decrypt_state_is_left_out() -> None:
    left = room([member(ME, "leave", ts=5)], [event("m.room.message", {"body": "x"}, ts=9)])
    encrypted = room([member(ME)], [event("m.room.encrypted", {"algorithm": "m.megolm.v1"})])
    body = sync({"!enc:x": encrypted, "!plain:x": room([member(ME, ts=7)])})
    body["rooms"]["leave"] = {"!gone:x": left}
    listed = provisional_rooms(body, ME)
    assert listed is not None
    assert [(r.room_id, r.name, r.last_ts) for r in listed[-2:]] == [
        ("!gone:x", "!gone:x", 9),
        ("!plain:x", "Empty Room", 7),
    ]
    assert [r.left for r in listed[-2:]] == [True, False]  # as the archive will list them
    assert "!enc:x" in {r.room_id for r in listed}
    body["to_device"] = {"events": [{"type": "m.room.encrypted", "content": {}}]}
    assert "!enc:x" not in {r.room_id for r in provisional_rooms(body, ME) or ()}


def _odd(rng: random.Random, value: Any, rarely: bool = False) -> Any:
    """The value, or now and then something else in its place."""
    if rarely and rng.random() < 0.9:
        return value
    return rng.choice([value, value, value, None, 5, "", [], {}, True, "@x:y", 1.5])


def _random_event(rng: random.Random, users: list[str]) -> dict[str, Any]:
    user = rng.choice(users)
    kind = rng.choice(["member", "member", "member", "name", "alias", "create", "encryption"])
    if kind == "member":
        content: Any = {"membership": _odd(rng, rng.choice(["join", "invite", "leave", "ban"]))}
        if rng.random() < 0.7:
            content["displayname"] = _odd(rng, rng.choice(["Sam", "Kim", "", user, "Kim (@a:x)"]))
        found = event("m.room.member", content, _odd(rng, user))
    elif kind == "name":
        found = event("m.room.name", {"name": _odd(rng, rng.choice(["Ops", ""]))}, "")
    elif kind == "alias":
        found = event("m.room.canonical_alias", {"alias": _odd(rng, "#a:x")}, "")
    elif kind == "create":
        content = {"type": _odd(rng, "m.space"), "m.federate": _odd(rng, True)}
        found = event("m.room.create", content, "")
    else:
        found = event("m.room.encryption", {"algorithm": _odd(rng, "m.megolm.v1")}, "")
    if rng.random() < 0.01:  # content that is no object: no list (nio may raise on it)
        found["content"] = _odd(rng, found["content"])
    if rng.random() < 0.02:
        found["unsigned"] = _odd(rng, {"redacted_because": {}})
    if rng.random() < 0.03:
        found["prev_content"] = _odd(rng, {"membership": "join"})
    if rng.random() < 0.1 and isinstance(found.get("unsigned", {}), dict):
        # nio's base event schema wants a string: otherwise a BadEvent, its state ignored
        found["unsigned"] = found.get("unsigned", {}) | {"transaction_id": _odd(rng, "t1")}
    return found


def test_hundreds_of_odd_answers_never_list_a_room_otherwise_than_nio() -> None:
    rng = random.Random(16)
    listed_rooms = 0
    for _ in range(400):
        users = [ME, *rng.sample([f"@u{n}:x" for n in range(9)], rng.randint(0, 8))]
        join = {}
        for n in range(rng.randint(1, 4)):
            state = [_random_event(rng, users) for _ in range(rng.randint(0, 12))]
            timeline = [_random_event(rng, users) for _ in range(rng.randint(0, 4))]
            extra: dict[str, Any] = {}
            if rng.random() < 0.3:
                heroes = rng.sample(users, min(len(users), rng.randint(0, 5)))
                extra["summary"] = {
                    "m.joined_member_count": _odd(rng, rng.randint(0, 9), rarely=True),
                    "m.invited_member_count": _odd(rng, rng.randint(0, 3), rarely=True),
                    "m.heroes": _odd(rng, heroes, rarely=True),
                }
            join[f"!r{n}:x"] = room(state, timeline, **extra)
        listed = agree(sync(join))
        listed_rooms += len(listed or ())
    assert listed_rooms > 300  # most answers were read, not refused wholesale
