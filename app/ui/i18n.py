"""Language and direction: Qt Linguist translations, right-to-left for Arabic."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

from app.ui.texts import use_arabic_digits

LANGUAGES = ("en", "ar")
DIGITS = ("latin", "arabic")
# Compiled .qm files ship inside the package; their .ts sources live in resources/i18n.
TRANSLATIONS = Path(__file__).resolve().parent / "i18n"


def choose_language(requested: str | None) -> str:
    """``--lang``, then ``$OOR_LANG``, then the system locale; English if unknown."""
    for candidate in (requested, os.environ.get("OOR_LANG"), QLocale.system().name()[:2]):
        if candidate in LANGUAGES:
            return candidate
    return "en"


def choose_digits(requested: str | None, language: str) -> str:
    """``--digits``, then ``$OOR_DIGITS``; Arabic-Indic by default in Arabic."""
    for candidate in (requested, os.environ.get("OOR_DIGITS")):
        if candidate in DIGITS:
            return candidate
    return "arabic" if language == "ar" else "latin"


def install_language(
    app: QApplication, language: str, digit_style: str = "latin"
) -> list[QTranslator]:
    """Load the app's and Qt's own translations; mirror the layout for Arabic; one digit
    style for Qt's widgets and our own texts alike. English has a catalogue too: the
    plural forms of counts ("1 role assigned", "3 roles assigned").

    Returns the translators so the caller keeps them alive as long as the app.
    """
    installed: list[QTranslator] = []
    arabic_digits = digit_style == "arabic"
    use_arabic_digits(arabic_digits)
    # Arabic as written in Tunisia uses Latin digits; Egypt's, Arabic-Indic ones.
    locale = {"ar": "ar_EG" if arabic_digits else "ar_TN"}.get(language, language)
    QLocale.setDefault(QLocale(locale))
    ours = QTranslator(app)
    if ours.load(f"oor_{language}", str(TRANSLATIONS)):
        app.installTranslator(ours)
        installed.append(ours)
    if language != "en":
        qt_own = QTranslator(app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt_own.load(f"qtbase_{language}", qt_dir):
            app.installTranslator(qt_own)
            installed.append(qt_own)
    rtl = QLocale(language).textDirection() == Qt.LayoutDirection.RightToLeft
    app.setLayoutDirection(
        Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
    )
    return installed
