"""Translation helpers shared by the views.

``tr`` here is for module-level code; lupdate files its strings under the empty
context. ``fill`` puts values into a translated template with bidi isolation, since
Qt's own ``arg`` is not exposed for Python strings.
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QCoreApplication

from app.core.errors import NOT_A_MEMBER
from app.core.text import isolate

LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"


def tr(text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """With ``n``, Qt picks the plural form the catalogue has for that count ('%n' in
    the text): English two, Arabic six (none, one, two, a few, many, a hundred)."""
    return QCoreApplication.translate("", text, disambiguation, n)


_NUMBER_OR_PLACE = re.compile(r"%\d+|\d+")
_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_digits = {"arabic": False}  # one digit style for the whole interface (set at start)


def use_arabic_digits(on: bool) -> None:
    _digits["arabic"] = on


def digits(text: str) -> str:
    """Numbers and times in the interface's one digit style: Qt's own widgets follow the
    locale, so our own texts must too, or a dialog and the board disagree."""
    return text.translate(_ARABIC_INDIC) if _digits["arabic"] else text


def fill(template: str, *values: object) -> str:
    """Put values into a translated template's %1, %2 …, each isolated for bidi; numbers
    in the interface's digit style (ids and names stay as they are)."""
    for number, value in enumerate(values, start=1):
        shown = digits(str(value)) if isinstance(value, int | float) else str(value)
        template = template.replace(f"%{number}", isolate(shown))
    return template


def fill_html(template: str, *parts: str) -> str:
    """A translated template as rich text, with parts that are rich text already (a
    person's name with the @id on hover) in its %1, %2 …, which ``fill`` would escape;
    other values go in through ``html.escape(fill(…))`` first."""
    text = html.escape(template)
    for number, part in enumerate(parts, start=1):
        text = text.replace(f"%{number}", part)
    return text


def counted(plural: str, *values: object) -> str:
    """A plural form Qt chose (``tr("%n …", "", n)``, the count already in) in the
    interface's digit style, then the other values put in as ``fill`` does (the digits
    of its %1, %2 … stay as they are, or they could not be filled)."""
    shown = _NUMBER_OR_PLACE.sub(lambda m: m[0] if m[0][0] == "%" else digits(m[0]), plural)
    return fill(shown, *values)


def role_label(role: str) -> str:
    """A role's name in the interface language (unknown values shown as they are)."""
    labels = {
        "facilitator": tr("Facilitator"),
        "official": tr("Official"),
        "diplomat": tr("Diplomat"),
        "delegate": tr("Delegate"),
        "expert": tr("Expert"),
        "influencer": tr("Influencer"),
        "observer": tr("Observer"),
        "records": tr("Records"),
    }
    return labels.get(role, role)


def crisis_kind_label(kind: str) -> str:
    labels = {
        "evacuation": tr("Evacuation of citizens"),
        "hostage": tr("Hostage case"),
        "escalation": tr("Escalation"),
        "pandemic": tr("Pandemic"),
        "disaster": tr("Natural disaster"),
        "cyber": tr("Cyber incident"),
        "other": tr("Other crisis"),
    }
    return labels.get(kind, kind)


def user_text(user_id: str) -> str:
    """A Matrix id as its own left-to-right island: in a right-to-left line the '@' would
    otherwise wander to the far end ('operator:localhost@')."""
    return f"{LRI}{user_id}{PDI}" if user_id else ""


def path_text(path: str) -> str:
    """A file's path as its own left-to-right island: a path is read from its root down
    whatever its folders are named; a first-strong isolate would lay one whose first
    folder has an Arabic name out right to left, its folders in reverse order."""
    return f"{LRI}{path}{PDI}" if path else ""


def session_status_label(status: str) -> str:
    """A session's status word in the interface language."""
    labels = {
        "convening": tr("convening"),
        "convened": tr("convened"),
        "active": tr("active"),
        "closed": tr("closed"),
    }
    return labels.get(status, status)


# The same reason as an earlier build stored it on the rows it failed: worded alike.
_NOT_A_MEMBER_BEFORE = "not sent: we are no longer a member of this room"


def send_failure(error: str) -> str:
    """Why a message was not sent, as the failed row says it: the app's own reason in the
    interface language; a server's refusal ("M_FORBIDDEN: …") as the server worded it."""
    if error in (NOT_A_MEMBER, _NOT_A_MEMBER_BEFORE):
        return tr("you are not a member of this room")
    return error
