"""Arabic is first-class: every string translated, the layout mirrored."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from app.core.paths import DataDir
from app.ui.bridge import Bridge
from app.ui.i18n import TRANSLATIONS, install_language
from app.ui.main_window import MainWindow
from tests.conftest import dispose_widget

CATALOGUE = Path(__file__).resolve().parent.parent / "resources" / "i18n" / "oor_ar.ts"


def test_every_source_string_has_an_arabic_translation() -> None:
    messages = list(ET.parse(CATALOGUE).getroot().iter("message"))
    assert messages
    untranslated = [
        m.findtext("source")
        for m in messages
        if not (m.findtext("translation") or "").strip()
        or m.find("translation").get("type") in {"unfinished", "obsolete", "vanished"}
    ]
    assert not untranslated
    compiled = TRANSLATIONS / "oor_ar.qm"
    assert compiled.stat().st_mtime >= CATALOGUE.stat().st_mtime - 1, "run `make translations`"


@pytest.fixture
def arabic(qapp: QApplication) -> Iterator[None]:
    translators = install_language(qapp, "ar")
    yield
    for translator in translators:
        qapp.removeTranslator(translator)
    install_language(qapp, "en")


def test_main_window_in_arabic_is_mirrored_and_translated(arabic, tmp_path: Path) -> None:
    window = MainWindow(Bridge(DataDir(tmp_path)))
    try:
        assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
        assert window.windowTitle() == "غرفة العمليات المفتوحة"
        assert window.workspace.send_button.text() == "&إرسال"
        assert QCoreApplication.translate("", "%1 joined") == "انضم %1"
        # Latin-script fields stay left-to-right inside the mirrored form.
        assert window.login.homeserver.layoutDirection() == Qt.LayoutDirection.LeftToRight
    finally:
        dispose_widget(window)
