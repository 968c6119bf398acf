"""A command sent to the backend that answers the code that sent it.

Notices broadcast what changed; a command's own outcome goes back to its sender, like
Anki's ``CollectionOp`` (success and failure callbacks) or Mirage's ``CoroutineDone``
keyed by a uuid: the bridge gives every command an id, the backend thread reports the
id with the result or the Problem, and the UI thread resolves the matching ``Command``.
A form can then stay open until its command is through and say why it was not.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from app.core.text import isolate
from app.services.notices import Problem


class Command:
    """The pending outcome of one command; callbacks run on the UI thread."""

    def __init__(self) -> None:
        self.done = False
        self.result: Any = None
        self.problem: Problem | None = None
        self._successes: list[Callable[[Any], None]] = []
        self._failures: list[Callable[[Problem], None]] = []

    @property
    def handles_failure(self) -> bool:
        """Whether the sender will say what went wrong (otherwise the status bar does)."""
        return bool(self._failures)

    def on_success(self, callback: Callable[[Any], None]) -> Command:
        if not self.done:
            self._successes.append(callback)
        elif self.problem is None:
            callback(self.result)
        return self

    def on_failure(self, callback: Callable[[Problem], None]) -> Command:
        if not self.done:
            self._failures.append(callback)
        elif self.problem is not None:
            callback(self.problem)
        return self

    def resolve(self, result: Any, problem: Problem | None) -> None:
        """Called once by the bridge, on the UI thread."""
        self.done, self.result, self.problem = True, result, problem
        if problem is None:
            for success in self._successes:
                if _owner_alive(success):
                    success(result)
        else:
            for failure in self._failures:
                if _owner_alive(failure):
                    failure(problem)
        self._successes.clear()
        self._failures.clear()


def _owner_alive(callback: Callable[..., None]) -> bool:
    """False for a callback whose Qt object is destroyed (the ``self`` of a bound method,
    or one a lambda holds): a window closed while its command was on the way no longer
    hears the answer, as a Qt connection would not."""
    held = [getattr(callback, "__self__", None), *_closed_over(callback)]
    return all(shiboken6.isValid(o) for o in held if isinstance(o, QObject))


def _closed_over(callback: Callable[..., None]) -> list[object]:
    found = []
    for cell in getattr(callback, "__closure__", None) or ():
        with contextlib.suppress(ValueError):  # a cell not yet filled
            found.append(cell.cell_contents)
    return found


class CommandDialog(QDialog):
    """A form whose OK sends a command and stays open until the backend answers: it
    closes once the command went through, and otherwise says why in its ``error`` label,
    keeping what the user typed. Without ``send_with`` it is a plain dialog."""

    error: QLabel  # every such form has one for its own checks already

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._send: Callable[[], Command] | None = None
        self._explain: Callable[[Problem], str] = lambda problem: problem.what
        self.command: Command | None = None  # the last one sent (tests wait on it)

    def send_with(self, send: Callable[[], Command], explain: Callable[[Problem], str]) -> None:
        """``send`` issues the command from the form's values once its checks pass;
        ``explain`` words a refusal (the feature's own texts, ``Host.explain``)."""
        self._send, self._explain = send, explain

    def accept(self) -> None:
        """Reached once the form's own checks pass: send, and close only on success."""
        if self._send is None:
            super().accept()
            return
        if self.command is not None and not self.command.done:
            return  # one at a time: a second click while waiting does nothing
        self._waiting(True)
        self.error.setText(self.tr("Sending…"))
        self.command = self._send()
        self.command.on_success(self._sent).on_failure(self._refused)

    def _sent(self, _result: Any) -> None:
        if shiboken6.isValid(self):  # the form may have been cancelled and deleted meanwhile
            self._waiting(False)
            self.error.clear()
            super().accept()

    def _refused(self, problem: Problem) -> None:
        if shiboken6.isValid(self):
            self._waiting(False)
            detail = isolate(problem.detail) if problem.detail else ""
            self.error.setText(f"{self._explain(problem)} {detail}".strip())

    def _waiting(self, busy: bool) -> None:
        for box in self.findChildren(QDialogButtonBox):
            if (ok := box.button(QDialogButtonBox.StandardButton.Ok)) is not None:
                ok.setEnabled(not busy)
