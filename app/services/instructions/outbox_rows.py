"""What the account's outbox holds for the instruction boards (store thread).

Apart from the feature because these run on the store thread, not the loop: the feature
hands them to ``AccountService.db``. SQL is only named for the type checker: the
bridge imports the feature, and the UI starts without the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core import instructions as ins
from app.core import protocol, roles
from app.core.instructions import Desk
from app.core.records import OutboxState

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
