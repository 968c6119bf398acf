"""Instructions and acknowledgements are judged by the room's power levels as they stand
now, also when the board shows them before they are archived (``authority_state``: the
rooms' state copied between sync steps, read again after every batch that brings state)."""

from __future__ import annotations

from app.core import roles
from app.core.instructions import Doubt, Draft, instruction_content
from app.core.records import EventStatus
from app.core.roles import RoomKind
from tests.peers import Peer
from tests.test_instructions import convene, feed, instructions, peers, row  # noqa: F401


async def test_an_official_lowered_by_another_client_can_no_longer_instruct(
    peers: list[Peer],  # noqa: F811
) -> None:
    fac, amal, omar, sara = peers
    info = await convene(fac, amal, omar, sara)
    space, geneva = info.space_id, info.room(RoomKind.DELEGATION, "geneva")
    assert geneva is not None

    # An instruction while amal may give one: on omar's board (his copy of the room's
    # state is read for it, and kept for the next).
    ref = await instructions(amal).issue(space, Draft("Hold the line", "", action=("geneva",)))
    await omar.wait_for(lambda: row(omar, space, ref, "geneva") is not None, "the instruction")

    # The facilitator lowers amal below an official's level in this room only, as any
    # Matrix client may (the server takes it: its power levels allow the facilitator); a
    # marker sent after it tells when omar has synced that far.
    client = fac.account.client
    levels = dict(await client.get_state(geneva, "m.room.power_levels") or {})
    levels["users"] = {**levels["users"], amal.user_id: roles.POWER[roles.Role.DELEGATE]}
    await client.put_state(geneva, "m.room.power_levels", levels)
    await fac.account.send(geneva, "m.room.message", {"msgtype": "m.text", "body": "lowered"})
    await omar.wait_for(lambda: omar.find_text(geneva, "lowered") is not None, "the marker")

    # Her next instruction, sent as her client would, is forged on omar's board: not
    # a row to act on, but in the audit list with the reason.
    draft = Draft("Concede the corridor", "", action=("geneva",))
    await amal.account.send(geneva, roles.INSTRUCTION, instruction_content(draft, "late"))
    await omar.wait_for(lambda: len(feed(omar, space).suspects) == 1, "the audit list")
    (suspect,) = feed(omar, space).suspects
    assert suspect.type == roles.INSTRUCTION and suspect.doubt is Doubt.FORGED, suspect
    assert "power level 50" in suspect.reason
    assert all(r.instruction.subject != draft.subject for r in feed(omar, space).rows)
    # And so it is on record: the room, as opened from omar's archive.
    opened = await omar.account.open_room(geneva)
    (archived,) = [e for e in opened.events if e.event_id == suspect.event_id]
    assert archived.status is EventStatus.FORGED, archived
