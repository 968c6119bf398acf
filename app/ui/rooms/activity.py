"""What the room list says about a room's activity, as Element and WhatsApp do: the last
message in a few words with who said it and when, an unread count, and apart from it a
mark when a message names me (``m.mentions``, or my name in the text)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QDateTime, QLocale

from app.core import roles
from app.core.records import RoomEvent
from app.ui.people import display_name
from app.ui.texts import digits, tr

PREVIEW_CHARS = 80


@dataclass(frozen=True, slots=True)
class LastMessage:
    sender: str  # the user id (the name is looked up when shown: it may come later)
    text: str  # one line, at most PREVIEW_CHARS
    ts: int


def worth_a_badge(event: RoomEvent, me: str) -> bool:
    """Something someone else said (a message or an entry, instruction, ack… readable or
    not yet), not state changes, not our own echoes, and not the session's details the
    facilitator's device re-sends as people join, nor chart definitions (state up to
    protocol 2.0, and re-sent as people join since: housekeeping, not news)."""
    return event.sender != me and _said(event)


def _said(event: RoomEvent) -> bool:
    return (
        event.state_key is None
        and event.type != roles.CHART
        and roles.SESSION_INFO not in event.content
        and (
            event.type in ("m.room.message", "m.room.encrypted") or event.type.startswith(roles.NS)
        )
    )


def last_message(event: RoomEvent) -> LastMessage | None:
    """The row's preview of a message-like event (ours included), or None."""
    if not _said(event):
        return None
    content = event.content
    if event.type == "m.room.encrypted":
        text = tr("Encrypted message")
    else:
        found = (content.get(k) for k in ("title", "subject", "body"))
        text = next((t for t in found if isinstance(t, str) and t.strip()), "")
    line = " ".join(text.split())
    if len(line) > PREVIEW_CHARS:
        line = line[: PREVIEW_CHARS - 1] + "…"
    return LastMessage(event.sender, line, event.origin_ts)


def mentions(event: RoomEvent, me: str, my_name: str) -> bool:
    """Whether someone else's message names me: listed in its ``m.mentions`` (what
    Element and Nheko send), or my display name or id in its text."""
    if not worth_a_badge(event, me):
        return False
    listed = event.content.get("m.mentions")
    if isinstance(listed, dict) and me in (listed.get("user_ids") or ()):
        return True
    body = event.content.get("body")
    if not isinstance(body, str):
        return False
    folded = body.casefold()
    names = [me, my_name] if len(my_name) >= 3 else [me]
    return any(n.casefold() in folded for n in names if n)


def preview_line(last: LastMessage, names: dict[str, str]) -> str:
    """'Karim Haddad: the convoy left' — who, in their name, and what."""
    return f"{display_name(last.sender, names)}: {last.text}"


def when(ts: int, now: datetime | None = None) -> str:
    """'14:05' today, else the day ('27 Nov', in the interface's language), in the
    interface's digits."""
    moment = datetime.fromtimestamp(ts / 1000)
    if moment.date() == (now or datetime.now()).date():
        return digits(moment.strftime("%H:%M"))
    day = QDateTime.fromMSecsSinceEpoch(ts).date()
    return digits(QLocale().toString(day, "d MMM"))
