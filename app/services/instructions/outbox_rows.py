"""What the account's outbox holds for the instruction boards (store thread).

Apart from the feature because these run on the store thread, not the loop: the feature
hands them to ``AccountService.db``. SQL is only named for the type checker: the
bridge imports the feature, and the UI starts without the store."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from app.core import instructions as ins
from app.core import protocol, roles
from app.core.instructions import Desk
from app.core.records import OutboxState, RoomEvent

if TYPE_CHECKING:
    from app.store import Outbox


def pending_instructions(outbox: Outbox, desk: Desk, me: str) -> list[tuple[ins.Instruction, str]]:
    """Our instructions not sent yet (pending or refused), with the reason of a refusal."""
    pending = []
    for room, delegation in desk.rooms.items():
        for item in outbox.items(room):
            if protocol.recorded(item.event_type, item.content)[0] == roles.INSTRUCTION:
                pending.append((ins.pending_instruction(item, delegation, me), item.error))
    return pending


def outbox_rows(
    outbox: Outbox, desk: Desk, me: str, unsent_before: Collection[str]
) -> tuple[list[tuple[ins.Instruction, str]], list[RoomEvent]]:
    """Our unsent instructions, and those of ``unsent_before`` (pending on the last read)
    the server has accepted since, as the events their echo will be: one store call."""
    pending = pending_instructions(outbox, desk, me)
    still = {instruction.event_id for instruction, _ in pending}
    sent = []
    for txn_id in sorted(set(unsent_before) - still):
        item = outbox.get(txn_id)
        if item is not None and item.state is OutboxState.SENT and item.event_id:
            event_type, content = protocol.recorded(item.event_type, item.content)
            ts = int(item.created_at * 1000)
            sent.append(RoomEvent(item.event_id, item.room_id, me, event_type, ts, content,
                                  txn_id=txn_id))  # fmt: skip
    return pending, sent


def acked_in_outbox(outbox: Outbox, desk: Desk) -> set[str]:
    """Every instruction our outbox holds an ack for, sent or not, read when sessions are
    (re)read. A sent one's echo may not be archived yet, and a restart right after must
    not say "received" twice; later acks are remembered as they are queued."""
    recorded = (
        protocol.recorded(item.event_type, item.content)
        for room in desk.rooms
        for item in outbox.items(room, tuple(OutboxState))
    )
    return {ins.acknowledged_id(content) for kind, content in recorded if kind == roles.ACK}
