"""The bundle rules alone (no Synapse): a record signed as a device signs it verifies,
each kind of damage gets its own sentence, and the known gaps a record states are said
in its report and by `oor verify`."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from app.cli import main
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
    Fetching,
    KnownGap,
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


def _write(
    folder: Path,
    count: int = 5,
    extra: tuple[str, ...] = (),
    gaps: tuple[KnownGap, ...] | None = None,
) -> None:
    """A bundle of one room with ``count`` events, signed like an Olm identity key signs;
    ``extra`` names more files the manifest lists (written beside it when inside);
    ``gaps`` the known gaps it states (None: none stated, as before records did)."""
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
        gaps=gaps,
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


AT = 1_780_000_000_000  # 2026-05-28 20:26:40 UTC, 23:26:40 in Cairo
AFTER_E5 = KnownGap(ROOM, AT + 300_000, "$e5", AT)  # the keeper's: after its last event


def test_a_record_states_its_known_gaps_and_verify_tells_them(tmp_path: Path, capsys) -> None:
    _write(tmp_path / "b", gaps=(AFTER_E5,))
    verdict = verify_bundle(tmp_path / "b")
    assert verdict.ok and verdict.gaps == (AFTER_E5,)  # holes do not make it tampered
    assert main(["verify", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    assert "complete and untampered (5 events in 1 rooms); 1 known gap in its history\n" in out
    assert (
        f"  The history of room {ROOM} after event $e5 (sent 2026-05-28 20:26:40 UTC), the "
        "last of this room in the record, could not be read. Noted 2026-05-28 20:31:40 UTC "
        "by the recording machine's clock.\n"
    ) in out

    # The gap taken out of the manifest, so the record would look whole: not signed so.
    path = tmp_path / "b" / MANIFEST
    content = json.loads(path.read_text())
    content["gaps"] = []
    path.write_bytes(manifest_bytes(content))
    assert verify_bundle(tmp_path / "b").reason == "the manifest's signature does not match"
    assert main(["verify", str(tmp_path / "b")]) == 1
    assert "known gap" not in capsys.readouterr().out


def test_a_record_from_before_known_gaps_verifies_and_says_it_does_not_state_them(
    tmp_path: Path, capsys
) -> None:
    _write(tmp_path / "old")  # a manifest without the field, as every record had
    _write(tmp_path / "whole", gaps=())
    assert verify_bundle(tmp_path / "old").gaps is None
    assert verify_bundle(tmp_path / "whole").gaps == ()
    assert main(["verify", str(tmp_path / "old")]) == 0
    assert "; it does not state its known gaps (exported before records did)" in (
        capsys.readouterr().out
    )
    assert main(["verify", str(tmp_path / "whole"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["gaps"] == []


def test_the_report_states_each_known_gap_before_the_record_it_qualifies() -> None:
    session = SessionInfo(
        "!s:example.org", "Drill", "other", "active", "Africa/Cairo", "", True,
        (SessionRoom(RoomKind.OPERATIONS, ROOM), SessionRoom(RoomKind.DELEGATION, "!d:x", "gva")),
        (Delegation("gva", "جنيف", "Europe/Zurich"),), details_known=True,
    )  # fmt: skip
    gaps = (
        AFTER_E5,
        KnownGap("!d:x", AT, from_start=True),
        KnownGap("!z:x", AT + 60_000),  # a client's hole it gave up
        KnownGap("!y:x", AT, fetching=Fetching.NOT_YET),
        KnownGap("!w:x", AT, fetching=Fetching.RETRYING),
    )
    page = render_report(ReportInput(session, (), (), "@k:example.org", "now", gaps=gaps))
    box = page[page.index('<div class="gaps">') : page.index("<h2>Participants and roles</h2>")]
    assert "<h2>Known gaps in this record</h2>" in box and "knows 5 stretches of its" in box
    assert (
        f"The history of the operations room ({ROOM}) after event $e5 (sent 2026-05-28 "
        "23:26:40 (Africa/Cairo)), the last of this room in the record, could not be read. "
        "Noted 2026-05-28 23:31:40 (Africa/Cairo) by the recording machine&#x27;s clock."
    ) in box
    assert "Nothing of the history of the room of delegation “\u2068جنيف\u2069” (!d:x) could" in box
    assert (
        "Part of the history of room !z:x is not in this record: a sync at 2026-05-28 23:27:40 "
        "(Africa/Cairo) by the recording machine&#x27;s clock skipped it, and it could not be "
        "fetched: the server would not give it, and the archive gave it up as lost."
    ) in box
    said = {g: box[box.index(f"room {g} is not") :].split("</li>")[0] for g in ("!y:x", "!w:x")}
    assert said["!y:x"].endswith(", and it had not been fetched yet when the record was exported.")
    retried = "; asking the server for it had failed, and it was to be asked again."
    assert said["!w:x"].endswith(retried)
    assert '<div class="exercise">EXERCISE</div>' in page  # the marking as before
    whole = render_report(ReportInput(session, (), (), "@k:example.org", "now"))
    assert "Known gaps" not in whole and "No known gaps: the archive knew of no part" in whole
