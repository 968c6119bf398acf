"""People, not ids: a display name, initials and a colour per person, as Element, Nheko
and WhatsApp show them; the @id stays one hover away."""

from __future__ import annotations

import hashlib
import html
from functools import lru_cache

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPixmap

from app.core.identifiers import USER_ID_IN_TEXT
from app.core.session import Roster
from app.core.text import isolate
from app.ui.texts import LRI, PDI, RLI, user_text

# Readable on light and dark backgrounds with white initials.
_COLOURS = (
    "#1e6fb8",
    "#b0413e",
    "#2e7d32",
    "#8e44ad",
    "#c26a00",
    "#00838f",
    "#6d4c41",
    "#ad1457",
)


def localpart(user_id: str) -> str:
    """'@omar:ministry.example' → 'omar' (what to call someone with no display name)."""
    return user_id[1:].split(":", 1)[0] if user_id.startswith("@") else user_id


def display_name(user_id: str, names: dict[str, str]) -> str:
    return names.get(user_id) or localpart(user_id)


def roster_names(roster: Roster | None) -> dict[str, str]:
    """The session's names for its people (what the facilitator called them, else their
    own display name), by user id."""
    return {m.user_id: m.name for m in roster.members if m.name} if roster else {}


def person_html(user_id: str, names: dict[str, str]) -> str:
    """Rich text for one person: their name, the @id in its hover (QTextBrowser shows a
    span's title as the tooltip of the characters under the pointer)."""
    name = html.escape(isolate(display_name(user_id, names)))
    return f'<span title="{html.escape(user_id, quote=True)}">{name}</span>'


# Matrix ids inside a sentence from the backend (a problem's detail names people by id).


def person_text(user_id: str, names: dict[str, str]) -> str:
    """'Karim Haddad (@karim:ministry.example)' for a line with no hover (the status bar,
    a verification): where trust is at stake the id stays in sight, since a display name
    alone could be anyone's. Both isolated, for right-to-left lines, and the pair an island
    in the interface's direction: inside a sentence's own isolate (``fill``) it would
    otherwise run left to right, and an Arabic line would read the id before the name."""
    name = names.get(user_id)
    if not name:
        return user_text(user_id)
    opening = RLI if QGuiApplication.isRightToLeft() else LRI
    return f"{opening}{isolate(name)} ({user_text(user_id)}){PDI}"


def with_names(text: str, names: dict[str, str]) -> str:
    """A sentence from the backend (a problem's detail) with each id as ``person_text``."""
    return USER_ID_IN_TEXT.sub(lambda found: person_text(found.group(0), names), text)


def initials(name: str) -> str:
    """Up to two letters: the first of the first two words (Arabic names too)."""
    words = [w for w in name.replace("-", " ").replace("_", " ").split() if w[0].isalpha()]
    return "".join(w[0] for w in words[:2]).upper() or (name[:1].upper() or "?")


def colour_of(user_id: str) -> QColor:
    """The same colour for the same person on every screen and every run."""
    digest = hashlib.sha256(user_id.encode("utf-8")).digest()
    return QColor(_COLOURS[digest[0] % len(_COLOURS)])


def paint_avatar(painter: QPainter, rect: QRect, user_id: str, name: str) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour_of(user_id))
    painter.drawEllipse(rect)
    font = QFont(painter.font())
    font.setBold(True)
    font.setPixelSize(max(8, rect.height() * 2 // 5))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.restore()


@lru_cache(maxsize=512)
def avatar_pixmap(user_id: str, name: str, size: int = 22, ratio: float = 1.0) -> QPixmap:
    """The coloured initials as a picture, for item views whose default painting shows a
    decoration (lists and tables need no delegate of their own); sharp on high-DPI
    screens when given the device pixel ratio."""
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    paint_avatar(painter, QRect(0, 0, size, size), user_id, name)
    painter.end()
    return pixmap
