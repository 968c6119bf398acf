"""Local JSON documents (drafts, what the user was told): atomic, private, never silently
replaced when damaged."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from app.store import JsonDocument, StoreError


def test_a_document_round_trips_privately_and_a_damaged_one_is_kept_aside(
    tmp_path: Path,
) -> None:
    document = JsonDocument(tmp_path / "account" / "instructions.json")
    assert document.load() == {}  # nothing saved yet
    document.save({"drafts": [{"subject": "تمسكوا بخط الممر"}]})
    assert document.load() == {"drafts": [{"subject": "تمسكوا بخط الممر"}]}
    assert stat.S_IMODE(document.path.stat().st_mode) == 0o600

    document.path.write_text('{"drafts": [', encoding="utf-8")  # a crash mid-write elsewhere
    with pytest.raises(StoreError, match="not valid JSON"):
        document.load()
    kept = document.set_aside()
    assert kept.read_text(encoding="utf-8") == '{"drafts": ['  # what was there is not lost
    assert document.load() == {}
