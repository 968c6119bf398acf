"""Instructions as rules: drafts, their wire content, the board/feed fold, the desk."""

from app.core.instructions.desk import Desk, desk_of
from app.core.instructions.drafts import (
    ACK_WINDOW_MS,
    ALERT_PRIORITIES,
    PRIORITY_ORDER,
    SETTLED,
    Draft,
    Stage,
    ack_content,
    draft_problems,
    instruction_content,
    new_ref,
    request_content,
    thread_message,
)
from app.core.instructions.feed import acknowledged_id, build_feed, pending_instruction
from app.core.instructions.records import Addressed, Doubt, Feed, Instruction
from app.core.instructions.schedule import feed_order, next_due

__all__ = [
    "ACK_WINDOW_MS",
    "ALERT_PRIORITIES",
    "PRIORITY_ORDER",
    "SETTLED",
    "Addressed",
    "Desk",
    "Doubt",
    "Draft",
    "Feed",
    "Instruction",
    "Stage",
    "ack_content",
    "acknowledged_id",
    "build_feed",
    "desk_of",
    "draft_problems",
    "feed_order",
    "instruction_content",
    "new_ref",
    "next_due",
    "pending_instruction",
    "request_content",
    "thread_message",
]
