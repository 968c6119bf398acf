"""Instructions as rules: drafts, their wire content (2.0 messages, plain replies), the
board/feed fold, the desk."""

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
    saved_draft,
    thread_message,
)
from app.core.instructions.feed import (
    ENCRYPTED,
    FEED_TYPES,
    acknowledged_id,
    build_feed,
    in_feed,
    pending_instruction,
)
from app.core.instructions.plain import (
    ack_message,
    instruction_message,
    replied_to,
    reply_ack,
    request_message,
)
from app.core.instructions.records import Addressed, Doubt, Feed, Instruction
from app.core.instructions.schedule import feed_order, next_due

__all__ = [
    "ACK_WINDOW_MS",
    "ALERT_PRIORITIES",
    "ENCRYPTED",
    "FEED_TYPES",
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
    "ack_message",
    "acknowledged_id",
    "build_feed",
    "desk_of",
    "draft_problems",
    "feed_order",
    "in_feed",
    "instruction_content",
    "instruction_message",
    "new_ref",
    "next_due",
    "pending_instruction",
    "replied_to",
    "reply_ack",
    "request_content",
    "request_message",
    "saved_draft",
    "thread_message",
]
