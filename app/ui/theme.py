"""Light and dark follow the system (Qt 6.5+ ``QStyleHints.colorScheme``).

Where the platform's style already turns dark with the system (Windows 11, macOS, a
GNOME or KDE desktop with its portal) the palette arrives dark and nothing is done here;
where it does not (Fusion on a bare X session), a dark palette is set when the system
says dark, and the style's own when it says light again.

The few colours of our own (an error's red, a confirmed entry's green, an overdue row's
pink) are picked for white paper; ``readable`` gives their counterpart on a dark one, so
delegates ask it when they paint, and a switch while the app runs repaints right.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

# Light colour -> its dark-background counterpart (contrast >= 4.5 on #1f1f1f).
_ON_DARK = {
    "#b3261e": "#f2b8b5",  # errors, refused, forged, flash
    "#1b6e20": "#81c995",  # confirmed
    "#9a5b00": "#fdd663",  # disputed
    "#8a6d00": "#e6c35c",  # not joined yet
    "#fde2e1": "#5c2b29",  # overdue row (a background: dark under light text)
}

_DARK = {
    QPalette.ColorRole.Window: "#1f1f1f",
    QPalette.ColorRole.WindowText: "#e8eaed",
    QPalette.ColorRole.Base: "#181818",
    QPalette.ColorRole.AlternateBase: "#262626",
    QPalette.ColorRole.ToolTipBase: "#2d2d2d",
    QPalette.ColorRole.ToolTipText: "#e8eaed",
    QPalette.ColorRole.PlaceholderText: "#9aa0a6",
    QPalette.ColorRole.Text: "#e8eaed",
    QPalette.ColorRole.Button: "#2d2d2d",
    QPalette.ColorRole.ButtonText: "#e8eaed",
    QPalette.ColorRole.BrightText: "#ffffff",
    QPalette.ColorRole.Highlight: "#2f5f9e",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.Link: "#8ab4f8",
    QPalette.ColorRole.LinkVisited: "#c58af9",
    QPalette.ColorRole.Light: "#3a3a3a",
    QPalette.ColorRole.Midlight: "#303030",
    QPalette.ColorRole.Mid: "#262626",
    QPalette.ColorRole.Dark: "#121212",
    QPalette.ColorRole.Shadow: "#000000",
}


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7f7f7f"))
    return palette


def is_dark(palette: QPalette | None = None) -> bool:
    shown = palette if palette is not None else QGuiApplication.palette()
    return shown.color(QPalette.ColorRole.Window).lightness() < 128


def readable(colour: str, palette: QPalette | None = None) -> QColor:
    """One of our colours as it reads on the palette's background."""
    return QColor(_ON_DARK.get(colour.lower(), colour) if is_dark(palette) else colour)


def apply_scheme(app: QApplication, scheme: Qt.ColorScheme) -> None:
    """Bring the palette in line with the scheme where the style did not."""
    if scheme == Qt.ColorScheme.Dark and not is_dark(app.palette()):
        app.setPalette(dark_palette())
    elif scheme == Qt.ColorScheme.Light and is_dark(app.palette()):
        app.setPalette(app.style().standardPalette())


def follow_system_scheme(app: QApplication) -> None:
    """Now and whenever the system switches between light and dark."""
    hints = app.styleHints()
    apply_scheme(app, hints.colorScheme())
    hints.colorSchemeChanged.connect(lambda scheme: apply_scheme(app, scheme))
