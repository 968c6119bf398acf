"""The UI's cheaper answer to PySide6's per-import question gives PySide6's own answers.

Why: ``app.ui.import_check`` replaces how PySide6 learns whether a module uses it (read
the file's bytes instead of ``inspect.getsource``) to save start-up time; the answers it
gives the ``__feature__`` machinery must stay exactly what PySide6 would have found.
"""

from __future__ import annotations

import inspect
import sys
from types import ModuleType

import app.services.backend  # the whole app's modules, to compare on
import app.ui.shell.app  # noqa: F401
from app.ui import import_check


def source_mentions_pyside(module: ModuleType) -> bool:
    """PySide6's own test: the word in the module's source as ``inspect`` finds it."""
    try:
        return "PySide6" in inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False


def test_every_loaded_module_gets_the_answer_pyside_would_give() -> None:
    modules = [m for m in list(sys.modules.values()) if isinstance(m, ModuleType)]
    differ = [
        m.__name__
        for m in modules
        if import_check.uses_pyside(m, source_mentions_pyside) != source_mentions_pyside(m)
    ]
    assert len(modules) > 500
    assert differ == []
    assert import_check.uses_pyside(sys.modules["app.ui.bridge"], source_mentions_pyside)
    assert not import_check.uses_pyside(sys.modules["app.core.records"], source_mentions_pyside)


def test_the_cheaper_check_is_in_place_once_the_ui_is_imported() -> None:
    support = sys.modules["shibokensupport.feature"]
    assert getattr(support._mod_uses_pyside, "reads_bytes", False)
    assert import_check.install() is False  # a second install changes nothing
