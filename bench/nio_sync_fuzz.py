"""Which sync answers does matrix-nio fail on? A fuzz script, not a test.

Each run takes one realistic /sync answer (a joined room with members, power levels,
messages, receipts, typing and room account data; an invitation; a left room;
presence; global account data; device lists) and, for every value in it, replaces
that value with odd ones (missing, null, another JSON type, a huge number). Each
mutant goes through what nio does with a sync answer: ``SyncResponse.from_dict``
(a schema refusal is an ``ErrorResponse``, which stops the sync as surely as an
exception) and then ``receive_response`` on a client that already knows the room.
It prints each failing place once with the first error seen there, then a JSON line
that also says how many failing answers still fail once ``app.matrix.sync_screen``
has screened them (it should be none) and how many parts the screen took out.

    PYTHONPATH=$PWD .venv/bin/python bench/nio_sync_fuzz.py
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
from collections.abc import Iterator
from typing import Any

from nio import AsyncClient, ErrorResponse, SyncResponse

from app.core.sync_problems import SyncProblem
from app.matrix.crypto.screen import screen_to_device
from app.matrix.sync_screen import screen_answer

ME, PEER, ROOM = "@me:hs", "@peer:hs", "!room:hs"
_MISSING = object()
ODD: tuple[Any, ...] = (_MISSING, None, "x", 7, 1.5, True, [], {}, [1], {"a": 1}, 2**70)


def _event(kind: str, content: Any, n: int, state_key: str | None = None) -> dict[str, Any]:
    event = {
        "type": kind,
        "content": content,
        "sender": PEER,
        "event_id": f"$e{n}",
        "origin_server_ts": 1_700_000_000_000 + n,
        "unsigned": {"age": 5},
    }
    if state_key is not None:
        event["state_key"] = state_key
    return event


def baseline() -> dict[str, Any]:
    member = {"membership": "join", "displayname": "Peer", "avatar_url": "mxc://hs/a"}
    levels = {"users": {ME: 100, PEER: 50}, "events": {"m.room.name": 50}, "users_default": 0}
    return {
        "next_batch": "s2",
        "rooms": {
            "join": {
                ROOM: {
                    "state": {"events": [_event("m.room.member", member, 1, PEER)]},
                    "timeline": {
                        "events": [
                            _event("m.room.power_levels", levels, 2, ""),
                            _event("m.room.name", {"name": "Ops"}, 3, ""),
                            _event("m.room.message", {"msgtype": "m.text", "body": "hi"}, 4),
                            _event("m.room.member", dict(member, displayname="P2"), 5, PEER),
                        ],
                        "limited": False,
                        "prev_batch": "p1",
                    },
                    "ephemeral": {
                        "events": [
                            {"type": "m.typing", "content": {"user_ids": [PEER]}},
                            {
                                "type": "m.receipt",
                                "content": {"$e4": {"m.read": {PEER: {"ts": 1}}}},
                            },
                        ]
                    },
                    "account_data": {
                        "events": [
                            {"type": "m.fully_read", "content": {"event_id": "$e4"}},
                            {"type": "m.tag", "content": {"tags": {"u.x": {"order": 0.5}}}},
                        ]
                    },
                    "summary": {"m.joined_member_count": 2, "m.heroes": [PEER]},
                    "unread_notifications": {"notification_count": 1, "highlight_count": 0},
                }
            },
            "invite": {
                "!inv:hs": {
                    "invite_state": {
                        "events": [
                            {
                                "type": "m.room.member",
                                "state_key": ME,
                                "sender": PEER,
                                "content": {"membership": "invite"},
                            },
                            {
                                "type": "m.room.name",
                                "state_key": "",
                                "sender": PEER,
                                "content": {"name": "Inv"},
                            },
                        ]
                    }
                }
            },
            "leave": {
                "!left:hs": {
                    "state": {"events": []},
                    "timeline": {"events": [_event("m.room.message", {"body": "b"}, 9)]},
                }
            },
        },
        "presence": {
            "events": [
                {
                    "type": "m.presence",
                    "sender": PEER,
                    "content": {
                        "presence": "online",
                        "last_active_ago": 3,
                        "currently_active": True,
                        "status_msg": "s",
                    },
                }
            ]
        },
        "account_data": {"events": [{"type": "m.direct", "content": {PEER: [ROOM]}}]},
        "device_lists": {"changed": [PEER], "left": []},
        "device_one_time_keys_count": {"signed_curve25519": 50},
    }


def paths(value: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in the answer, parents before children."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, child in items:
        yield (*here, key)
        if isinstance(child, dict | list) and child:
            yield from paths(child, (*here, key))


def mutated(body: dict[str, Any], path: tuple[Any, ...], new: Any) -> dict[str, Any]:
    body = copy.deepcopy(body)
    parent = body
    for key in path[:-1]:
        parent = parent[key]
    if new is _MISSING:
        parent.pop(path[-1], None)  # type: ignore[call-arg]
    else:
        parent[path[-1]] = copy.deepcopy(new)  # nio's validator fills defaults in place
    return body


async def screened(client: AsyncClient, body: dict[str, Any]) -> tuple[str | None, int]:
    """How nio fares with the answer after the thorough screen; how many parts it took out."""
    problems: list[SyncProblem] = []
    screen_to_device(body, [], thorough=True)  # as ``SyncScreen`` runs both
    screen_answer(body, problems, copy.deepcopy(client.rooms), ME)
    return await verdict(client, body), len(problems)


async def verdict(client: AsyncClient, body: dict[str, Any]) -> str | None:
    """How nio fails on this answer ('parse:', 'refused:', 'handler:'), or None."""
    try:
        resp = SyncResponse.from_dict(body)
    except Exception as exc:
        return f"parse: {type(exc).__name__}: {str(exc)[:80]}"
    if isinstance(resp, ErrorResponse):
        return "refused: the sync schema fails (an ErrorResponse)"
    client.next_batch = None
    try:
        await client.receive_response(resp)
    except Exception as exc:
        return f"handler: {type(exc).__name__}: {str(exc)[:80]}"
    return None


# What a room member controls through a real Synapse: an event's type, state key and
# content (any JSON object). Valid contents to start from, mutated at every place.
CONTENTS: dict[str, dict[str, Any]] = {
    "m.room.member": {"membership": "join", "displayname": "P", "avatar_url": "mxc://h/a"},
    "m.room.power_levels": {
        "users": {PEER: 50},
        "events": {"m.room.name": 50},
        "notifications": {"room": 50},
        "users_default": 0,
        "ban": 50,
    },
    "m.room.name": {"name": "n"},
    "m.room.topic": {"topic": "t"},
    "m.room.avatar": {"url": "mxc://h/a", "info": {"w": 1}},
    "m.room.canonical_alias": {"alias": "#a:hs", "alt_aliases": ["#b:hs"]},
    "m.room.create": {
        "creator": PEER,
        "room_version": "10",
        "type": "m.space",
        "predecessor": {"room_id": "!o:hs", "event_id": "$o"},
    },
    "m.room.encryption": {"algorithm": "m.megolm.v1.aes-sha2", "rotation_period_ms": 1},
    "m.room.join_rules": {"join_rule": "invite"},
    "m.room.guest_access": {"guest_access": "forbidden"},
    "m.room.history_visibility": {"history_visibility": "shared"},
    "m.room.tombstone": {"replacement_room": "!n:hs", "body": "b"},
    "m.space.child": {"via": ["hs"]},
    "m.space.parent": {"via": ["hs"], "canonical": True},
    "m.room.message": {
        "msgtype": "m.text",
        "body": "b",
        "format": "org.matrix.custom.html",
        "formatted_body": "<b>b</b>",
        "url": "mxc://h/a",
        "info": {"size": 1},
        "m.relates_to": {"rel_type": "m.replace", "event_id": "$e4"},
        "m.new_content": {"msgtype": "m.text", "body": "c"},
    },
    "m.reaction": {"m.relates_to": {"rel_type": "m.annotation", "event_id": "$e4", "key": "k"}},
    "m.room.redaction": {"redacts": "$e4", "reason": "r"},
    "m.room.encrypted": {
        "algorithm": "m.megolm.v1.aes-sha2",
        "ciphertext": "AAA",
        "sender_key": "k",
        "device_id": "D",
        "session_id": "s",
    },
    "m.sticker": {"body": "s", "url": "mxc://h/a", "info": {"w": 1}},
    "m.call.invite": {"call_id": "c", "version": 0, "lifetime": 1, "offer": {"sdp": "x"}},
}


# Types that belong elsewhere (ephemeral, account data, to-device) or carry references,
# sent as room events with contents of the wrong shape.
OTHER_TYPES = (
    "m.typing", "m.receipt", "m.presence", "m.fully_read", "m.tag", "m.direct",
    "m.room_key", "m.forwarded_room_key", "m.room_key_request", "m.dummy",
    "m.key.verification.request", "m.key.verification.start", "m.key.verification.mac",
    "m.call.answer", "m.call.hangup", "m.room.server_acl", "m.room.pinned_events",
)  # fmt: skip
ODD_CONTENTS: tuple[dict[str, Any], ...] = (
    {},
    {"algorithm": "m.olm.v1.curve25519-aes-sha2", "ciphertext": {"k": {"type": 0, "body": "x"}}},
    {"redacts": 5}, {"user_ids": 5}, {"event_id": 5}, {"tags": 5}, {"transaction_id": 5},
    {"m.relates_to": 5}, {"m.relates_to": {"m.in_reply_to": {"event_id": 5}}},
    {"m.new_content": 5}, {"msgtype": 5}, {"msgtype": "m.image", "url": 5, "info": 5},
    {"msgtype": "m.file", "file": {"url": 5}}, {"msgtype": "m.text", "formatted_body": 5},
)  # fmt: skip


def with_event(event: dict[str, Any], section: str) -> dict[str, Any]:
    """The baseline answer with one more event at the end of a joined room's section."""
    body = baseline()
    body["rooms"]["join"][ROOM][section]["events"].append(event)
    return body


def member_mutants() -> Iterator[tuple[str, dict[str, Any]]]:
    """(place, answer) for each odd content a member may send, as state or message."""
    for kind, content in CONTENTS.items():
        places = [(p, v) for p in paths(content) for v in ODD]
        places += [((key,), v) for key in ("membership", "redacts", "msgtype") for v in ODD]
        for path, new in places:
            if isinstance(path[-1], int) and new is _MISSING:
                continue
            odd = mutated({"c": content}, ("c", *path), new)["c"]
            for state_key, section in ((None, "timeline"), ("", "timeline"), (PEER, "state")):
                if state_key is None and kind != "m.room.message":
                    continue
                body = with_event(_event(kind, odd, 50, state_key), section)
                shown = "missing" if new is _MISSING else json.dumps(new)
                yield f"{section} {kind} content/{'/'.join(map(str, path))} = {shown}", body
    for kind in (*OTHER_TYPES, "m.room.message", "m.room.encrypted"):
        for content in ODD_CONTENTS:
            for state_key, section in ((None, "timeline"), ("", "timeline"), (PEER, "state")):
                body = with_event(_event(kind, content, 60, state_key), section)
                yield f"{section} {kind} content = {json.dumps(content)}", body


async def main() -> None:
    logging.disable(logging.CRITICAL)
    base = baseline()
    client = AsyncClient("https://hs", ME)
    assert await verdict(client, base) is None, "the baseline must pass"
    known = copy.deepcopy(client.rooms)
    found: dict[str, str] = {}
    tried = failing = still = taken = 0
    members = list(member_mutants())
    member_failing = 0
    for place, body in [*answer_mutants(base), *members]:
        tried += 1
        client.rooms = copy.deepcopy(known)
        why = await verdict(client, copy.deepcopy(body))
        if why is None:
            continue
        failing += 1
        member_failing += any(body is b for _, b in members)
        found.setdefault(place, why)
        client.rooms = copy.deepcopy(known)
        after, parts = await screened(client, body)
        still += after is not None
        taken += parts
        if after is not None:
            print(f"STILL FAILS after the screen: {place}: {after}")
    for place, why in found.items():
        print(f"{place}: {why}")
    kinds = sorted({why.split(":")[0] for why in found.values()})
    print(
        json.dumps(
            {
                "mutants": tried,
                "member_mutants": len(members),
                "member_mutants_failing": member_failing,
                "failing": failing,
                "failing_places": len(found),
                "kinds": kinds,
                "still_failing_after_screen": still,
                "parts_taken_out_per_failing_answer": round(taken / max(failing, 1), 2),
            }
        )
    )
    await client.close()


def answer_mutants(base: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(place, answer) with one value of the answer made odd."""
    for path in paths(base):
        for new in ODD:
            if path[-1] == "next_batch" or (isinstance(path[-1], int) and new is _MISSING):
                continue
            odd = "missing" if new is _MISSING else json.dumps(new)
            yield f"{'/'.join(map(str, path))} = {odd}", mutated(base, path, new)


if __name__ == "__main__":
    asyncio.run(main())
