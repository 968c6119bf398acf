"""Export a session's record and prove it whole, on a real Synapse: the report a person
reads, the bundle `oor verify` checks, and the tampering it must catch."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from dataclasses import asdict
from pathlib import Path

from app.cli import main
from app.core import roles
from app.core.charts import ChartDef, Reading
from app.core.exercise import EvaluatorNote
from app.core.instructions import Draft, Stage
from app.core.records import RoomEvent
from app.core.records_export import verify_bundle
from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, Delegation, Participant
from app.core.timeline import EntryDraft
from app.homeserver import EmbeddedHomeserver
from app.services.charts import Charts
from app.services.instructions import Instructions
from app.services.notices import ExportProgress, InstructionsChanged
from app.services.records import Records
from app.services.sessions import Sessions
from app.services.timeline import Timeline
from app.store import JsonDocument
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, signed_in_peers

SUBJECT = "Hold the corridor line"
NOTE = "Line held at 14:00."
DECISION = "Corridor opens at dawn"
CONFIRMED_BY = "Confirmed by the foreign minister"
REQUEST = "May we accept a 48h pause?"
CHART_TITLE = "المواطنون الذين تم إجلاؤهم"
CHART = ChartDef("evacuated", CHART_TITLE, ("evacuated",), "timeseries", "people")
NOTE_TEXT = "The delegation acknowledged before reading the annex."
HOUR = 3_600_000


def _blueprint(official: str, delegate: str) -> Blueprint:
    return Blueprint(
        title="Corridor exercise",
        kind="escalation",
        capital_tz="Africa/Cairo",
        classification="CONFIDENTIAL",
        exercise=True,
        delegations=(Delegation("geneva", "Geneva talks", "Europe/Zurich", "Geneva"),),
        participants=(
            Participant(official, Role.OFFICIAL, title="Director, Crisis Unit"),
            Participant(delegate, Role.DELEGATE, "geneva"),
        ),
    )


def _stage(peer: Peer, space: str, ref: str) -> Stage | None:
    for notice in reversed(peer.notices):
        if isinstance(notice, InstructionsChanged) and notice.desk.space_id == space:
            rows = notice.feed.by_ref.get(ref, ())
            return rows[0].stage if rows else None
    return None


def _typed(peer: Peer, event_type: str) -> RoomEvent | None:
    return next((e for e in peer.events() if e.type == event_type), None)


def _copy(bundle: Path, to: Path) -> Path:
    shutil.copytree(bundle, to)
    return to


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


async def test_an_exported_record_verifies_and_tampering_is_named(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, capsys
) -> None:
    fac, amal, omar = await signed_in_peers(
        homeserver, make_account, tmp_path, "fac", "amal", "omar"
    )
    try:
        info = await Sessions(fac.account.client).convene(_blueprint(amal.user_id, omar.user_id))
        space = info.space_id
        for peer in (amal, omar):
            await Sessions(peer.account.client).join(space)
        for peer in (amal, omar):
            await peer.wait_for(
                lambda p=peer: (
                    (d := p.account.feature(Instructions).desk(space)) is not None and bool(d.rooms)
                ),
                "the delegation room",
            )
        draft = Draft(SUBJECT, "Do not concede the northern checkpoint.", priority="flash",
                      action=("geneva",))  # fmt: skip
        ref = await amal.account.feature(Instructions).issue(space, draft)
        await omar.wait_for(lambda: _stage(omar, space, ref) is not None, "the instruction")
        copy_id = next(
            n.feed.by_ref[ref][0].instruction.event_id
            for n in reversed(omar.notices)
            if isinstance(n, InstructionsChanged) and ref in n.feed.by_ref
        )
        await omar.account.feature(Instructions).acknowledge(copy_id, "acknowledged")
        await omar.account.feature(Instructions).acknowledge(copy_id, "done", NOTE)
        await amal.wait_for(lambda: _stage(amal, space, ref) is Stage.DONE, "done")

        # A decision on the timeline, confirmed; a request from the delegation.
        ops = info.room(RoomKind.OPERATIONS)
        assert ops is not None
        timeline = amal.account.feature(Timeline)
        await timeline.post(ops, EntryDraft("decision", DECISION, "Open the corridor at dawn."))
        await amal.wait_for(lambda: _typed(amal, roles.ENTRY) is not None, "the decision")
        entry = _typed(amal, roles.ENTRY)
        assert entry is not None
        await timeline.verify(entry.event_id, "confirmed", CONFIRMED_BY)
        await omar.account.feature(Instructions).request(space, REQUEST, "Until when?", None)
        for kind in (roles.VERIFICATION, roles.REQUEST):
            await amal.wait_for(lambda k=kind: _typed(amal, k) is not None, kind)

        # A chart the facilitator defines, with values in two regions.
        await fac.account.feature(Charts).define_chart(ops, CHART)
        charts = amal.account.feature(Charts)
        await charts.load_charts(ops)
        await amal.wait_for(lambda: "evacuated" in charts.room(ops).charts, "the chart")
        now = int(time.time() * 1000) - 3 * HOUR
        for at, value, region in ((now, 120, "North"), (now + HOUR, 175, "North"),
                                  (now, 40, "South")):  # fmt: skip
            await charts.publish(ops, Reading("evacuated", value, at, "people", region))
        await amal.wait_for(
            lambda: len(charts.room(ops).series.get("evacuated") or ()) == 3, "the values"
        )

        # The facilitator's evaluator notes, sealed on his machine as the exercise keeps them.
        notes = JsonDocument(fac.data_dir / "exercise" / "notes.json", fac.account.file_key)
        mine = EvaluatorNote(space, 754.0, int(time.time() * 1000), NOTE_TEXT)
        other = EvaluatorNote("!another:localhost", 10.0, 0, "another exercise's note")
        notes.path.parent.mkdir(parents=True, exist_ok=True)
        notes.save({"notes": [asdict(mine), asdict(other)]})

        out = tmp_path / "record"
        done = await amal.account.feature(Records).export(space, str(out))
        progress = [n for n in amal.notices if isinstance(n, ExportProgress)]
        facilitated = tmp_path / "facilitator"
        await fac.account.feature(Records).export(space, str(facilitated))
    finally:
        for peer in (fac, omar, amal):
            await peer.close()

    # What a person reads: the instruction, its whole acknowledgement history in capital
    # and local time, marked as an exercise.
    page = (out / "record.html").read_text(encoding="utf-8")
    assert SUBJECT in page and NOTE in page and "acknowledged" in page and "done" in page
    assert DECISION in page and CONFIRMED_BY in page and REQUEST in page
    assert page.index("<h2>Decisions</h2>") < page.rindex(DECISION) < page.index("<h2>Instr")
    assert "EXERCISE" in page and "Africa/Cairo" in page and "Europe/Zurich" in page
    assert omar.login_as is not None and omar.login_as.user_id in page and "delegate" in page
    assert "http://" not in page and "https://" not in page  # nothing fetched from outside
    assert "No known gaps: the archive knew of no part" in page and done.gaps == 0
    assert progress and progress[-1].done == progress[-1].total == done.events

    # The chart, drawn inline and beside the bundle; evaluator notes only for the facilitator.
    svg = (out / "charts" / "evacuated.svg").read_text(encoding="utf-8")
    assert CHART_TITLE in svg and "EXERCISE" in svg and svg.count('class="series"') == 2
    assert (
        svg.replace(' xmlns="http://www.w3.org/2000/svg"', "") in page
        and "<script" not in page
        and "plotly" not in page
    )
    assert "Evaluator notes" not in page and NOTE_TEXT not in page
    by_fac = (facilitated / "record.html").read_text(encoding="utf-8")
    assert "<h2>Evaluator notes</h2>" in by_fac and NOTE_TEXT in by_fac and "12:34" in by_fac
    assert "another exercise's note" not in by_fac
    assert verify_bundle(facilitated).ok

    # The bundle verifies, by the function and by `oor verify`.
    verdict = verify_bundle(out)
    assert verdict.ok, verdict.reason
    assert verdict.events == done.events and verdict.rooms == done.rooms
    assert verdict.gaps == ()  # stated, and none: not a record from before gaps were stated
    assert main(["verify", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["reason"] == "complete and untampered"

    # One byte of one event changed: that event is named.
    flipped = _copy(out, tmp_path / "flipped")
    lines = _lines(flipped / "events.jsonl")
    victim = next(
        i for i, line in enumerate(lines) if copy_id.encode() in line and b'"ciphertext' in line
    )
    at = lines[victim].index(b"ciphertext") + 20
    line = bytearray(lines[victim])
    line[at] = ord("B") if line[at] != ord("B") else ord("C")
    lines[victim] = bytes(line)
    (flipped / "events.jsonl").write_bytes(b"".join(lines))
    event = json.loads(lines[victim])
    assert verify_bundle(flipped).reason == (
        f"event {event['event_id']} in room {event['room_id']}: its hash does not follow the chain"
    )
    assert main(["verify", str(flipped)]) == 1
    assert event["event_id"] in capsys.readouterr().out

    # One line dropped: the gap is named after the event before it.
    dropped = _copy(out, tmp_path / "dropped")
    lines = _lines(dropped / "events.jsonl")
    before, gone = json.loads(lines[3]), json.loads(lines[4])
    assert before["room_id"] == gone["room_id"]
    (dropped / "events.jsonl").write_bytes(b"".join(lines[:4] + lines[5:]))
    assert verify_bundle(dropped).reason == (
        f"room {gone['room_id']}: the chain breaks after event {before['event_id']} "
        "(an event is missing)"
    )

    # The manifest altered: its signature no longer matches.
    forged = _copy(out, tmp_path / "forged")
    manifest = json.loads((forged / "manifest.json").read_text())
    manifest["exporter"]["user_id"] = "@someone:else"
    (forged / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    assert verify_bundle(forged).reason == "the manifest's signature does not match"

    # A chart image altered, removed, or slipped in beside the others: named.
    drawn = _copy(out, tmp_path / "drawn")
    chart = drawn / "charts" / "evacuated.svg"
    original = chart.read_text(encoding="utf-8")
    moved = original.replace('class="series" d="M', 'class="series" d="M9', 1)  # a line moved
    assert moved != original
    chart.write_text(moved, encoding="utf-8")
    assert verify_bundle(drawn).reason == (
        "charts/evacuated.svg does not match its hash in the manifest"
    )
    assert main(["verify", str(drawn)]) == 1
    assert "charts/evacuated.svg" in capsys.readouterr().out
    chart.unlink()
    assert (
        verify_bundle(drawn).reason == "charts/evacuated.svg is listed in the manifest but missing"
    )
    shutil.copy(out / "charts" / "evacuated.svg", drawn / "charts" / "evacuated.svg")
    (drawn / "charts" / "extra.svg").write_text("<svg/>", encoding="utf-8")
    assert verify_bundle(drawn).reason == "charts/extra.svg is not in the manifest"

    # Cut short, or not there at all: a sentence, never a traceback.
    cut = _copy(out, tmp_path / "cut")
    data = (cut / "events.jsonl").read_bytes()
    (cut / "events.jsonl").write_bytes(data[: len(data) - 40])
    assert "cut short" in verify_bundle(cut).reason
    (cut / "chains.json").unlink()
    assert verify_bundle(cut).reason.endswith("chains.json missing")
    assert main(["verify", str(tmp_path / "nowhere")]) == 1
    assert "not a folder" in capsys.readouterr().out

    # `oor export` from the data dir, once the app is closed.
    again = tmp_path / "again"
    argv = ["export", space, "--out", str(again), "--data-dir", str(amal.data_dir), "--json"]
    code = await asyncio.to_thread(main, argv)  # `oor` runs its own event loop
    assert code == 0, capsys.readouterr().err
    assert json.loads(capsys.readouterr().out)["events"] >= done.events
    assert verify_bundle(again).ok

    # A space id that is no session of ours: one sentence, nothing written.
    argv = ["export", "!nope:localhost", "--out", str(tmp_path / "nope"), "--data-dir",
            str(amal.data_dir)]  # fmt: skip
    assert await asyncio.to_thread(main, argv) == 2
    assert "!nope:localhost is not a session" in capsys.readouterr().err
    assert not (tmp_path / "nope").exists()


def test_export_and_keeper_export_take_the_explicit_details_pending_choice() -> None:
    """The opt-in that lets a record out when the session's details never arrived: off
    unless asked, on both the client's and the keeper's export."""
    from app.cli import build_parser

    parser = build_parser()
    for command in (["export"], ["keeper", "export"]):
        plain = parser.parse_args([*command, "!s:x", "--out", "o"])
        asked = parser.parse_args([*command, "!s:x", "--out", "o", "--details-pending"])
        assert (plain.details_pending, asked.details_pending) == (False, True)
