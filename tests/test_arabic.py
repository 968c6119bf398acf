"""Arabic is first-class: every string translated, the layout mirrored."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtWidgets import QApplication

from app.core.paths import DataDir
from app.ui.bridge import Bridge
from app.ui.i18n import TRANSLATIONS, choose_digits, install_language
from app.ui.shell.main_window import MainWindow
from app.ui.texts import fill
from tests.conftest import dispose_widget

CATALOGUE = Path(__file__).resolve().parent.parent / "resources" / "i18n" / "oor_ar.ts"


def _translated(message: ET.Element) -> bool:
    """Finished, and every form filled: a count has six in Arabic (none, one, two, a
    few, many, a hundred), two in English."""
    translation = message.find("translation")
    if translation is None or translation.get("type") in {"unfinished", "obsolete", "vanished"}:
        return False
    forms = translation.findall("numerusform") if message.get("numerus") == "yes" else []
    texts = [f.text for f in forms] if forms else [translation.text]
    return all((t or "").strip() for t in texts)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_source_string_has_a_translation(language: str) -> None:
    catalogue = CATALOGUE.with_name(f"oor_{language}.ts")
    messages = list(ET.parse(catalogue).getroot().iter("message"))
    assert messages
    assert not [m.findtext("source") for m in messages if not _translated(m)]
    if language == "ar":
        numerus = [m for m in messages if m.get("numerus") == "yes"]
        assert numerus and all(len(m.findall(".//numerusform")) == 6 for m in numerus)
    compiled = TRANSLATIONS / f"oor_{language}.qm"
    assert compiled.stat().st_mtime >= catalogue.stat().st_mtime - 1, "run `make translations`"


def _tr_literals(source: Path) -> Iterator[tuple[int, str]]:
    """Every tr("literal") / self.tr("literal") call in a module, f-strings included."""
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        first = node.args[0]
        if name == "tr" and isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield node.lineno, first.value


def test_every_tr_call_in_the_interface_is_in_the_catalogue() -> None:
    """lupdate skips tr() inside f-strings; such a string would stay English in Arabic."""
    catalogue = {m.findtext("source") for m in ET.parse(CATALOGUE).getroot().iter("message")}
    ui = Path(__file__).resolve().parent.parent / "app" / "ui"
    missing = [
        f"{path.name}:{line}: {text!r}"
        for path in sorted(ui.glob("*.py"))
        for line, text in _tr_literals(path)
        if text not in catalogue
    ]
    assert not missing, "run `make translations`:\n" + "\n".join(missing)


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


def test_one_digit_style_for_qt_widgets_and_our_own_texts(qapp: QApplication) -> None:
    """Arabic-Indic by default in Arabic, or Latin everywhere when chosen: a dialog's spin
    box and the board's times never disagree."""
    try:
        kept = install_language(qapp, "ar", choose_digits(None, "ar"))
        assert QLocale().toString(1234).startswith("١")
        assert fill("%1 min", 12) == "\u2068١٢\u2069 min"
        assert fill("%1", "@omar-12:server") == "\u2068@omar-12:server\u2069"  # ids untouched
        for translator in kept:
            qapp.removeTranslator(translator)
        kept = install_language(qapp, "ar", "latin")
        assert QLocale().toString(12) == "12" and fill("%1 min", 12) == "\u206812\u2069 min"
        for translator in kept:
            qapp.removeTranslator(translator)
    finally:
        install_language(qapp, "en")
