"""Translation helpers shared by the views.

``tr`` here is for module-level code; lupdate files its strings under the empty
context. ``fill`` puts values into a translated template with bidi isolation, since
Qt's own ``arg`` is not exposed for Python strings.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.text import isolate


def tr(text: str) -> str:
    return QCoreApplication.translate("", text)


def fill(template: str, *values: object) -> str:
    """Put values into a translated template's %1, %2 …, each isolated for bidi."""
    for number, value in enumerate(values, start=1):
        template = template.replace(f"%{number}", isolate(str(value)))
    return template
