"""The timeline's rules without a server: verification, direction per paragraph, the
archive's search and paging, the paged model, malformed rows with their raw content."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from alembic import command
from PySide6.QtTest import QAbstractItemModelTester
from sqlalchemy import text

from app.core import protocol, roles
from app.core.records import EventStatus, RoomEvent
from app.core.timeline import (
    EntryDraft,
    EntryError,
    TimelineQuery,
    entry_content,
    next_statuses,
    paragraphs,
    verification_content,
    verification_of,
)
from app.services.notices import OlderLoaded, RoomLoaded, VerificationsChanged
from app.store import Archive, open_database, sqlite_url
from app.store.database import alembic_config
from app.ui.timeline.model import TimelineModel
from app.ui.timeline.raw_event_dialog import raw_text
from app.ui.timeline.rows import RowKind, event_row

ROOM = "!ops:ops.example"
AUTHOR, CHECKER = "@amal:ops.example", "@lina:ops.example"


def _event(event_id: str, ts: int, event_type: str, content: dict, sender: str = AUTHOR):
    status, note = protocol.validate(event_type, content)
    source = {"event_id": event_id, "type": event_type}
    return RoomEvent(
        event_id, ROOM, sender, event_type, ts, content, None, None, status, note, source
    )


def _text(event_id: str, ts: int, body: str) -> RoomEvent:
    return _event(event_id, ts, "m.room.message", {"msgtype": "m.text", "body": body})


def _entry(event_id: str = "$entry", ts: int = 1_000, **fields) -> RoomEvent:
    draft = EntryDraft(
        **{"kind": "rumour", "title": "Airport closed", "body": "Seen online", **fields}
    )
    return _event(event_id, ts, roles.ENTRY, entry_content(draft))


def _change(event_id: str, ts: int, status: str, sender: str = CHECKER) -> RoomEvent:
    content = verification_content("$entry", status, f"why {status}")
    return _event(event_id, ts, roles.VERIFICATION, content, sender)


# -- verification rules ----------------------------------------------------------------


def test_history_is_folded_in_time_order_and_refused_steps_are_kept() -> None:
    changes = [
        _change("$c3", 3_000, "confirmed"),  # after 'false': not allowed, kept
        _change("$c1", 2_000, "false"),  # arrives out of order
        _change("$c4", 4_000, "retracted"),  # only the author may retract
        _change("$c5", 5_000, "retracted", sender=AUTHOR),
        _change("$c6", 6_000, "disputed", sender=AUTHOR),  # nothing after a retraction
    ]
    folded = verification_of(_entry(), changes)
    assert folded.status == "retracted"
    assert [(c.status, c.applied) for c in folded.history] == [
        ("unverified", True),
        ("false", True),
        ("confirmed", False),
        ("retracted", False),
        ("retracted", True),
        ("disputed", False),
    ]
    assert "only the author" in folded.history[3].why_not
    assert next_statuses("retracted") == ()
    assert "confirmed" not in next_statuses("false")


def test_drafts_and_changes_that_break_the_rules_are_refused() -> None:
    with pytest.raises(EntryError):
        entry_content(EntryDraft("gossip", "t", "b"))
    with pytest.raises(EntryError):
        entry_content(EntryDraft("sitrep", "x" * 301, "b"))
    with pytest.raises(EntryError):
        verification_content("$entry", "false", "   ")
    content = entry_content(EntryDraft("sitrep", "t", "b", tags=("a", " a ", ""), location=" "))
    assert content["tags"] == ["a"] and "location" not in content


def test_huge_and_mistyped_fields_are_malformed_with_a_reason() -> None:
    huge = {"body": "x" * 1_048_576, "kind": "sitrep", "title": "big"}
    assert "more than 65536" in protocol.validate(roles.ENTRY, huge)[1]
    assert (
        "location is not text"
        in protocol.validate(
            roles.ENTRY, {"body": "b", "kind": "sitrep", "title": "t", "location": {"x": 1}}
        )[1]
    )
    bad = _event("$big", 1, roles.ENTRY, huge)
    row = event_row(bad)
    assert row is not None and row.kind is RowKind.MALFORMED and row.event is bad
    shown = raw_text(bad)  # one click away, cut for display only
    assert len(shown) < 50_000 and '"title": "big"' in shown
    assert "[1048576 characters in the archive]" in shown


def test_mixed_text_takes_its_direction_per_paragraph() -> None:
    text = "The delegation arrived.\nوصل الوفد إلى جنيف\n\n14:00 CET — الجلسة الأولى"
    assert paragraphs(text) == [
        ("The delegation arrived.", False),
        ("وصل الوفد إلى جنيف", True),
        ("14:00 CET — الجلسة الأولى", False),  # the first strong letter is Latin
    ]


# -- archive: search and paging --------------------------------------------------------


@pytest.fixture
def archive(tmp_path: Path):
    engine = open_database(sqlite_url(tmp_path / "archive.db"))
    yield Archive(engine, AUTHOR)
    engine.dispose()


def test_search_finds_arabic_and_english_alike_and_filters(archive: Archive) -> None:
    events = [
        _text("$m1", 1_000, "وصلَ الوفدُ إلى المطار"),
        _text("$m2", 2_000, "Convoy leaves at 14:00"),
        _entry("$entry", 3_000, tags=("airport",), body="المطار مغلق؟"),
        _text("$m3", 4_000, "ok"),
    ]
    archive.save_sync_batch(events, [], None)

    def ids(**fields) -> list[str]:
        return [e.event_id for e in archive.search(TimelineQuery(**fields))]

    assert ids(text="وفد") == ["$m1"]  # inside الوفدُ, vowel marks ignored
    assert ids(text="المطار") == ["$entry", "$m1"]  # newest first
    assert ids(text="CONVOY") == ["$m2"]
    assert ids(text="ok") == ["$m3"]  # two letters: the LIKE fallback
    assert ids(kinds=("rumour",)) == ["$entry"]
    assert ids(kinds=("chat",), since=2_000) == ["$m3", "$m2"]
    assert ids(tag="airport") == ["$entry"]
    assert ids(text="المطار", until=2_000) == ["$m1"]


def test_late_decryption_is_indexed_and_older_databases_are_indexed_on_upgrade(
    archive: Archive, tmp_path: Path
) -> None:
    locked = RoomEvent(
        "$late",
        ROOM,
        CHECKER,
        "m.room.encrypted",
        5,
        {"ciphertext": "x"},
        status=EventStatus.UNDECRYPTED,
        source={"event_id": "$late", "type": "m.room.encrypted", "content": {"ciphertext": "x"}},
    )
    archive.save_sync_batch([locked], [], None)
    assert archive.search(TimelineQuery(text="معبر")) == []
    opened = replace(_text("$late", 5, "فتح المعبر الشمالي"), source=locked.source)  # as decoded
    archive.update_decrypted([opened])
    assert [e.event_id for e in archive.search(TimelineQuery(text="معبر"))] == ["$late"]

    url = sqlite_url(tmp_path / "old.db")
    engine = open_database(url)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0002")  # an archive from before search
    Archive(engine, AUTHOR).save_sync_batch([_text("$old", 1, "قافلة الإجلاء")], [], None)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
        assert conn.execute(text("SELECT count(*) FROM events_fts")).scalar() == 1
    for written in ("الإجلاء", "الاجلاء"):  # with or without the hamza
        found = Archive(engine, AUTHOR).search(TimelineQuery(text=written))
        assert [e.event_id for e in found] == ["$old"]
    engine.dispose()


def test_pages_come_before_an_event_oldest_first(archive: Archive) -> None:
    archive.save_sync_batch([_text(f"$m{n}", 1_000 + n // 2, f"m{n}") for n in range(10)], [], None)
    page = archive.events_before(ROOM, "$m7", 4)
    assert [e.event_id for e in page] == ["$m3", "$m4", "$m5", "$m6"]  # same ts: by arrival
    assert archive.events_before(ROOM, "$m0", 4) == []
    assert archive.oldest_event_id(ROOM) == "$m0"


# -- the paged model -------------------------------------------------------------------


def test_model_pages_older_rows_in_above_and_keeps_verification(qapp) -> None:
    model = TimelineModel("@me:ops.example")
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.load(RoomLoaded(ROOM, (_text("$m5", 5_000, "newest"),), ()))
    assert model.can_fetch_older() and model.oldest_key() == "$m5"

    model.add_events((_text("$m1", 1_000, "old, not loaded yet"),))  # e.g. a late decryption
    assert model.rowCount() == 1  # it comes with its page, in place, not as a stray row

    entry = _entry("$entry", 2_000)
    folded = verification_of(entry, [_change("$c1", 2_500, "false")])
    model.apply_verifications(VerificationsChanged(ROOM, (folded,)))
    model.fetching = True
    older = (_text("$m1", 1_000, "old"), entry, _text("$m5", 5_000, "newest"))
    model.add_older(OlderLoaded(ROOM, "$m5", older, at_start=True))
    rows = [model.row(i) for i in range(model.rowCount())]
    assert [r.key for r in rows] == ["$m1", "$entry", "$m5"]
    assert rows[1].kind is RowKind.ENTRY and rows[1].status == "false"
    assert not model.can_fetch_older()  # the room's beginning is shown


def test_file_messages_that_do_not_fit_are_plain_messages(qapp) -> None:
    from app.core.timeline import attachment_of
    from app.services.notices import AttachmentFetched

    good = {
        "msgtype": "m.image",
        "body": "crossing.png",
        "info": {"mimetype": "image/png", "size": 70},
        "file": {
            "url": "mxc://ops.example/abc",
            "key": {"k": "secret"},
            "iv": "iv",
            "hashes": {"sha256": "h"},
        },
    }
    assert attachment_of(good) is not None
    for broken in (
        {**good, "file": {"url": "mxc://ops.example/abc"}},  # no key: cannot be opened
        {**good, "file": {**good["file"], "url": "https://elsewhere.example/x"}},
        {**good, "file": "mxc://ops.example/abc"},
        {**good, "info": "big", "file": None},
    ):
        assert attachment_of(broken) is None
        row = event_row(_event("$f", 1, "m.room.message", broken))
        assert row is not None and row.kind is RowKind.MESSAGE and row.attachment is None

    model = TimelineModel("@me:ops.example")
    model.load(RoomLoaded(ROOM, (_event("$img", 1, "m.room.message", good),), ()))
    model.set_preview(AttachmentFetched("$img", b"not an image"))
    assert model.row(0).attachment is not None and model.row(0).preview is None


def test_other_clients_events_show_sensibly_with_their_raw_content() -> None:
    poll = _event("$poll", 1, "org.example.poll", {"question": "Evacuate now?"})
    notice = event_row(poll)
    assert notice is not None and notice.kind is RowKind.NOTICE
    assert "does not show" in notice.text and "org.example" not in notice.text  # words, not ids
    assert notice.event is poll and '"question": "Evacuate now?"' in raw_text(poll)
    emote = event_row(_event("$me", 2, "m.room.message", {"msgtype": "m.emote", "body": "waves"}))
    assert emote is not None and emote.kind is RowKind.MESSAGE and emote.text == "waves"
    # Another client's entry: its body is shown whole, its fields read as they are.
    theirs = {"body": "Road to the port is flooded", "kind": "sitrep", "title": "Flooding"}
    row = event_row(_event("$x", 3, roles.ENTRY, theirs))
    assert row is not None and row.entry is not None
    assert row.entry.body == "Road to the port is flooded" and row.status == "unverified"


def test_only_the_author_edits_and_only_the_server_removes(qapp) -> None:
    """An edit by someone else, or a "redaction" hidden in an encrypted event (which the
    server's power-level check never saw), must not change what a row shows."""
    model = TimelineModel("@me:ops.example")
    model.load(RoomLoaded(ROOM, (_text("$m1", 1_000, "Convoy left at 14:05"),), ()))

    def edit(event_id: str, ts: int, sender: str, text: str) -> RoomEvent:
        content = {
            "msgtype": "m.text",
            "body": f"* {text}",
            "m.new_content": {"msgtype": "m.text", "body": text},
            "m.relates_to": {"rel_type": "m.replace", "event_id": "$m1"},
        }
        return _event(event_id, ts, "m.room.message", content, sender)

    hidden = RoomEvent(
        "$r1", ROOM, CHECKER, "m.room.redaction", 1_500, {"redacts": "$m1"},
        source={"event_id": "$r1", "type": "m.room.encrypted"},
    )  # fmt: skip
    model.add_events((edit("$e1", 1_100, CHECKER, "Convoy cancelled"), hidden))
    row = model.row(0)
    assert row.edited is None and row.removed_by == ""
    model.add_events((edit("$e3", 1_300, AUTHOR, "Convoy left at 14:10"),))
    model.add_events((edit("$e2", 1_200, AUTHOR, "an older correction, paged in late"),))
    assert model.row(0).edited == "Convoy left at 14:10"
