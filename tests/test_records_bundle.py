"""The bundle rules alone (no Synapse): a record signed as a device signs it verifies,
and each kind of damage gets its own sentence."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.core import roles
from app.core.chain import chain_step
from app.core.exercise import EvaluatorNote
from app.core.records import EventStatus, RoomEvent
from app.core.records_export import (
    CHAINS,
    EVENTS,
    MANIFEST,
    REPORT,
    SIGNATURE,
    Exporter,
    ReportInput,
    event_line,
    manifest,
    manifest_bytes,
    render_report,
    sha256_of,
    verify_bundle,
)
from app.core.roles import Role, RoomKind
from app.core.seals import NOTE_DIFFERS, SEAL
from app.core.session import Delegation, Member, SessionInfo, SessionRoom

ROOM = "!ops:example.org"


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode().rstrip("=")


def _write(folder: Path, count: int = 5, extra: tuple[str, ...] = ()) -> None:
    """A bundle of one room with ``count`` events, signed like an Olm identity key signs;
    ``extra`` names more files the manifest lists (written beside it when inside)."""
    folder.mkdir()
    key = Ed25519PrivateKey.generate()
    head, lines = "", []
    for n in range(1, count + 1):
        source = json.dumps({"event_id": f"$e{n}", "content": {"body": f"message {n}"}})
        head = chain_step(head, source)
        event = RoomEvent(f"$e{n}", ROOM, "@a:example.org", "m.room.message", n, {"body": "x"})
        lines.append(event_line(n, source, head, event))
    (folder / EVENTS).write_text("".join(lines), encoding="utf-8")
    (folder / CHAINS).write_text(json.dumps({ROOM: {"count": count, "head": head}}))
    (folder / REPORT).write_text("<html></html>")
    files = {n: sha256_of(folder / n) for n in (REPORT, EVENTS, CHAINS)}
    files.update({n: "0" * 64 for n in extra})
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    content = manifest(
        {"space_id": "!s:example.org"},
        [ROOM],
        files,
        exporter=Exporter("@a:example.org", "DEVICE", _b64(public)),
        exported_at="2026-11-27T12:00:00+00:00",
        protocol="1.1",
    )
    signed = manifest_bytes(content)
    (folder / MANIFEST).write_bytes(signed)
    (folder / SIGNATURE).write_text(_b64(key.sign(signed)))


def test_a_whole_bundle_verifies(tmp_path: Path) -> None:
    _write(tmp_path / "b")
    verdict = verify_bundle(tmp_path / "b")
    assert verdict.ok and verdict.reason == "complete and untampered" and verdict.events == 5


def test_the_last_event_dropped_is_named_by_the_recorded_count(tmp_path: Path) -> None:
    _write(tmp_path / "b")
    lines = (tmp_path / "b" / EVENTS).read_text().splitlines(keepends=True)
    (tmp_path / "b" / EVENTS).write_text("".join(lines[:-1]))
    reason = verify_bundle(tmp_path / "b").reason
    assert reason.startswith(f"room {ROOM}: the chain breaks after event $e4 (an event is missing")


def test_a_rewritten_chain_is_caught_by_its_recorded_head(tmp_path: Path) -> None:
    """Whoever recomputes every hash after changing an event still meets chains.json."""
    _write(tmp_path / "b")
    path = tmp_path / "b" / EVENTS
    head, lines = "", []
    for raw in path.read_text().splitlines():
        line = json.loads(raw)
        line["source"] = line["source"].replace("message 3", "message 8")
        head = line["chain_hash"] = chain_step(head, line["source"])
        lines.append(json.dumps(line) + "\n")
    path.write_text("".join(lines))
    assert verify_bundle(tmp_path / "b").reason == (
        f"room {ROOM}: its chain head differs from the one recorded"
    )


def test_a_changed_report_or_signature_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "b")
    (tmp_path / "b" / REPORT).write_text("<html>changed</html>")
    assert verify_bundle(tmp_path / "b").reason == (
        "record.html does not match its hash in the manifest"
    )
    _write(tmp_path / "c")
    (tmp_path / "c" / SIGNATURE).write_text("not base64!")
    assert verify_bundle(tmp_path / "c").reason == "the manifest's signature does not match"


def test_a_manifest_naming_a_file_outside_the_record_is_refused(tmp_path: Path) -> None:
    """The manifest is read before its signature is checked: its names are never paths out."""
    for n, name in enumerate(("../secret.txt", "/etc/passwd", "charts/../../x", "c:\\x")):
        _write(tmp_path / f"b{n}", extra=(name,))
        assert verify_bundle(tmp_path / f"b{n}").reason == (
            f"the manifest names a file outside the record: {name!r}"
        )


def test_a_damaged_line_is_a_sentence(tmp_path: Path) -> None:
    _write(tmp_path / "b")
    path = tmp_path / "b" / EVENTS
    path.write_text('{"room_id": 3}\n' + path.read_text())
    assert verify_bundle(tmp_path / "b").reason == (
        "events.jsonl, line 1: not an event line of a record"
    )


def test_the_report_shows_hostile_text_as_text_and_marks_an_exercise() -> None:
    session = SessionInfo(
        "!s:example.org", "<b>Drill</b>", "other", "active", "Africa/Cairo", "", True,
        (SessionRoom(RoomKind.DELEGATION, ROOM, "geneva"),),
        (Delegation("geneva", "Geneva", "Europe/Zurich"),), details_known=True,
    )  # fmt: skip
    hostile = "<script>alert(1)</script>"
    instruction = RoomEvent(
        "$i", ROOM, "@a:example.org", roles.INSTRUCTION, 1_780_000_000_000,
        {"subject": hostile, "body": "<img src=x onerror=alert(1)>", "priority": "flash"},
    )  # fmt: skip
    relates = {"rel_type": "m.reference", "event_id": "$i"}
    ack = RoomEvent(
        "$a", ROOM, "@d:example.org", roles.ACK, 1_780_000_060_000,
        {"state": "done", "note": hostile, "m.relates_to": relates},
    )  # fmt: skip
    members = (Member("@d:example.org", Role.DELEGATE, "geneva", membership="join"),)
    page = render_report(ReportInput(session, members, (instruction, ack), "@a:example.org", "now"))
    assert "<script" not in page and "<img" not in page and "<b>Drill" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<div class="exercise">EXERCISE</div>' in page
    # Capital and the delegation's local time, for the instruction and its acknowledgement.
    assert "2026-05-28 23:26:40 (Africa/Cairo); 2026-05-28 22:26:40 (Europe/Zurich)" in page
    assert "23:27:40 (Africa/Cairo)" in page and "done by @d:example.org" in page
    assert "Evaluator notes" not in page  # no notes given: not a facilitator's export

    notes = (EvaluatorNote("!s:example.org", 3725.0, 1_780_000_000_000, "بطء في الرد " + hostile),)
    page = render_report(ReportInput(session, members, (), "@f:example.org", "now", notes=notes))
    assert "<h2>Evaluator notes</h2>" in page and "exercise time 62:05" in page
    assert '<div class="body" dir="rtl">بطء في الرد &lt;script&gt;' in page
    empty = render_report(ReportInput(session, members, (), "@f:example.org", "now", notes=()))
    assert "No evaluator notes." in empty


def test_the_report_lists_the_seals_with_what_was_found() -> None:
    session = SessionInfo(
        "!s:example.org", "Drill", "other", "active", "", "", False, (), (), details_known=True,
    )  # fmt: skip
    span = {"device_id": "DEV", "first_event_id": "$a", "last_event_id": "$z", "count": 7}
    differs = RoomEvent(
        "$s1", ROOM, "@b:example.org", SEAL, 1_780_000_000_000, span, note=f"{NOTE_DIFFERS}8"
    )
    forged = RoomEvent(
        "$s2", ROOM, "@c:example.org", SEAL, 1_780_000_000_000, span,
        status=EventStatus.FORGED, note="the seal's signature does not verify",
    )  # fmt: skip
    page = render_report(ReportInput(session, (), (differs, forged), "@a:example.org", "now"))
    assert "<h2>Seals of the record</h2>" in page
    assert "records differ: ours holds 8 events" in page and "$a … $z" in page
    assert "forged: the seal&#x27;s signature does not verify" in page


def test_a_line_broken_by_one_byte_or_relabelled_names_its_event(tmp_path: Path) -> None:
    _write(tmp_path / "b")
    path = tmp_path / "b" / EVENTS
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join([*lines[:2], lines[2].replace(b'"seq": 3', b'"seq" 3'), *lines[3:]]))
    assert verify_bundle(tmp_path / "b").reason == (
        "events.jsonl, line 3 (event $e3): not an event line of a record"
    )
    relabelled = lines[2].replace(b'"event_id": "$e3"', b'"event_id": "$e9"')
    path.write_bytes(b"".join([*lines[:2], relabelled, *lines[3:]]))
    assert verify_bundle(tmp_path / "b").reason == (
        f"event $e9 in room {ROOM}: its line names another event"
    )
