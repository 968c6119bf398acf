"""A cheaper answer to the question PySide6 asks about every module imported after it.

Why: PySide6 (its ``__feature__`` support, PYSIDE-2029) looks at each newly imported
module to learn whether it uses PySide6, by searching the module's source for the word
"PySide6" through ``inspect.getsource``. That goes through ``linecache`` and the
encoding detection for every one of the ~700 modules the app loads: some 0.1 s of CPU
before the window and the room list are on screen, and ~11 MB of source text kept in
``linecache`` for the life of the process. Reading the file's bytes answers the same
question (the name is ASCII, so it is in the bytes exactly when it is in the text).
Modules without a ``.py`` file are left to PySide6's own check.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

import PySide6.QtCore  # noqa: F401 - loads shiboken's feature support, which we adjust

_FEATURE_SUPPORT = "shibokensupport.feature"


def uses_pyside(module: ModuleType, fallback: Callable[[ModuleType], bool]) -> bool:
    """Whether the module's source file mentions PySide6 (``fallback`` when it has none)."""
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return fallback(module)
    try:
        with open(path, "rb") as source:
            return b"PySide6" in source.read()
    except OSError:
        return fallback(module)


def install() -> bool:
    """Answer PySide6's per-import question from the file's bytes; False if this PySide6
    asks no such question (a later version), and nothing is changed then."""
    support = sys.modules.get(_FEATURE_SUPPORT)
    original = getattr(support, "_mod_uses_pyside", None)
    if support is None or original is None or getattr(original, "reads_bytes", False):
        return False

    def check(module: ModuleType) -> bool:
        return uses_pyside(module, original)

    check.reads_bytes = True  # type: ignore[attr-defined]
    support._mod_uses_pyside = check  # type: ignore[attr-defined]
    return True
