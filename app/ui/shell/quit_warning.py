"""Before the app closes with messages still in the outbox: say so, and let the person
stay until they have gone. Quitting loses nothing either way (the outbox is on disk and
sends them at the next start); what the warning prevents is someone walking out of a
meeting believing an answer went out when it did not."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.texts import counted, tr

OBJECT_NAME = "quitWarning"


def may_quit(parent: QWidget, waiting: int) -> bool:
    """True to close now; with messages waiting only if the person chose Quit."""
    if waiting <= 0:
        return True
    box = QMessageBox(parent)
    box.setObjectName(OBJECT_NAME)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(tr("Messages still waiting"))
    box.setText(
        counted(
            tr(
                "%n messages are still waiting to send. "
                "They will be sent next time you open the app.",
                "",
                waiting,
            )
        )
    )
    leave = box.addButton(tr("&Quit"), QMessageBox.ButtonRole.AcceptRole)
    stay = box.addButton(tr("&Stay"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay)
    box.setEscapeButton(stay)
    box.exec()
    return box.clickedButton() is leave
