"""A session whose room is known before its encrypted details: never shown, pictured or
exported as an unmarked real session.

The facilitator is a plain matrix-nio client that lays out a protocol-1.2 session by hand
(its state holds only the neutral label) and sends the encrypted details only when the
test says so, so the "details pending" state is reached for certain, not by a race.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import pytest
from nio import AsyncClient, EncryptionError, MegolmEvent, RoomCreateResponse
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.core import roles
from app.core.charts import ChartDef, Reading, chart_content, indicator_content
from app.core.open_round import Terms
from app.core.records_export import CHARTS_DIR, MANIFEST, REPORT, verify_bundle
from app.core.roles import Role, RoomKind
from app.core.session import (
    Blueprint,
    Participant,
    SessionRoom,
    info_message,
    info_payload,
    role_content,
    role_key,
    session_content,
)
from app.core.sitrep import SitrepDraft
from app.services.notices import Problem
from app.ui.charts.marking import EXERCISE_STRIP, PENDING_STRIP
from app.ui.shell.main_window import MainWindow
from tests.fixtures_gui import WAIT_MS, WithPlainClient
from tests.peers import ThreadedPeer
from tests.test_charts_gui import js_until

LABEL = "Session 4821"
CHART = ChartDef("evacuated", "Citizens evacuated", ("evacuated",), "timeseries", "people")
BANNER = 'JSON.stringify(document.getElementById("banner").textContent)'
SYNC_TRIES = 120  # long polls of a second each: the join is seen long before


def _text(source: str, context: str = "") -> str:
    """A string as the window shows it in the language installed."""
    return QCoreApplication.translate(context, source)


async def _lay_out(raw: AsyncClient, guest: str) -> tuple[str, str]:
    """The session's space and encrypted operations room, as convening leaves them before
    the details go out: structure and roles only; (space, operations room)."""
    space = await raw.room_create(name=LABEL, space=True, invite=[guest])
    assert isinstance(space, RoomCreateResponse)
    parent = {"type": "m.space.parent", "state_key": space.room_id,
              "content": {"via": [raw.user_id.split(":", 1)[1]], "canonical": True}}  # fmt: skip
    encrypted = {"type": "m.room.encryption", "state_key": "",
                 "content": {"algorithm": "m.megolm.v1.aes-sha2"}}  # fmt: skip
    ops = await raw.room_create(
        name=f"{LABEL} · Operations", invite=[guest], initial_state=[parent, encrypted]
    )
    assert isinstance(ops, RoomCreateResponse)
    via = {"via": [raw.user_id.split(":", 1)[1]]}
    await raw.room_put_state(space.room_id, "m.space.child", via, ops.room_id)
    rooms = [SessionRoom(RoomKind.OPERATIONS, ops.room_id)]
    await raw.room_put_state(
        space.room_id, roles.SESSION, session_content(LABEL, "convened", rooms)
    )
    for who, role in ((raw.user_id, Role.FACILITATOR), (guest, Role.OFFICIAL)):
        content = role_content(Participant(who, role))
        for room in (space.room_id, ops.room_id):
            await raw.room_put_state(room, roles.ROLE, content, role_key(who))
    return space.room_id, ops.room_id


async def _send_when_joined(raw: AsyncClient, room_id: str, guest: str, event: tuple) -> None:
    """Send one encrypted event once the guest's device is in the room (its key with it)."""
    for _ in range(SYNC_TRIES):
        await raw.sync(timeout=1000, full_state=True)
        room = raw.rooms.get(room_id)
        if room is not None and guest in room.users:
            break
    else:
        raise AssertionError(f"{guest} never joined {room_id}")
    await raw.joined_members(room_id)
    if raw.should_query_keys:
        await raw.keys_query()
    event_type, content = event
    sent = await raw.room_send(room_id, event_type, content, ignore_unverified_devices=True)
    assert getattr(sent, "event_id", None), sent


def _join_and_open(
    qtbot, window: MainWindow, peer: ThreadedPeer, raw: AsyncClient, guest: str
) -> tuple[str, str]:
    """Lay the session out, have the guest's window join it and open its operations room,
    as a guest does on accepting; (space, operations room)."""
    space, ops = peer.run(_lay_out(raw, guest))
    window.bridge.join(space, True)
    rooms = window.workspace.rooms
    qtbot.waitUntil(lambda: rooms.row_of(ops) >= 0, timeout=WAIT_MS)
    window.workspace.room_list.setCurrentIndex(rooms.index(rooms.row_of(ops)))
    return space, ops


@pytest.mark.parametrize("exercise", [True, False], ids=["exercise", "real"])
def test_details_pending_is_marked_then_replaced_by_what_the_details_say(
    qtbot,
    language: str,  # first: the window is built in it
    window: MainWindow,
    exercise: bool,
    *,
    peer: ThreadedPeer,
    with_plain_client: WithPlainClient,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    guest, _facilitator, raw = with_plain_client("amal", "fac")
    space, ops = _join_and_open(qtbot, window, peer, raw, guest.user_id)
    chart = (roles.CHART, chart_content(CHART))
    peer.run(_send_when_joined(raw, ops, guest.user_id, chart))
    value = (
        roles.INDICATOR,
        indicator_content(Reading("evacuated", 120, int(time.time() * 1000), "people")),
    )
    peer.run(_send_when_joined(raw, ops, guest.user_id, value))

    # The room is known, the details are not: every header says so, none says real.
    pending = _text("⌛ DETAILS PENDING")
    marked = _text("EXERCISE")
    assert pending != "⌛ DETAILS PENDING" if language == "ar" else pending
    charts = window.charts.page
    panel = window.workspace.participants
    qtbot.waitUntil(lambda: charts.header.text().startswith(pending), timeout=WAIT_MS)
    assert LABEL in charts.header.text() and marked not in charts.header.text()
    assert panel.pending.isVisibleTo(panel) and not panel.exercise.isVisibleTo(panel)
    overview = window.overview
    qtbot.waitUntil(lambda: overview.pending.isVisibleTo(overview), timeout=WAIT_MS)
    assert not overview.banner.isVisibleTo(overview)
    window.workspace.pages.setCurrentWidget(overview)
    window.grab().save(str(tmp_path / f"pending-window-{language}.png"))

    # A picture or export taken now carries the pending mark, never none.
    window.workspace.pages.setCurrentWidget(charts)
    canvas = charts.ensure_canvas()
    js_until(qtbot, canvas, "oor.charts()", lambda ids: ids == ["evacuated"])
    js_until(qtbot, canvas, BANNER, lambda text: text == pending)
    qtbot.waitUntil(lambda: bool(charts.known_series()), timeout=WAIT_MS)
    window.workspace.pages.grab().save(str(tmp_path / f"pending-{language}.png"))
    for fmt in ("png", "csv"):
        window.charts.export("evacuated", fmt, str(tmp_path / f"pending.{fmt}"))
    qtbot.waitUntil((tmp_path / "pending.csv").exists, timeout=WAIT_MS)
    qtbot.waitUntil((tmp_path / "pending.png").exists, timeout=WAIT_MS)
    image = QImage(str(tmp_path / "pending.png"))
    assert image.text("Marking") == pending
    assert image.pixelColor(image.width() // 40, 2) == PENDING_STRIP
    rows = list(csv.DictReader((tmp_path / "pending.csv").read_text(encoding="utf-8").splitlines()))
    assert [(r["value"], r["marking"]) for r in rows] == [("120", pending)]

    # The record is refused by default; the window asks, and "no" says why.
    record = tmp_path / "record"
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_a: str(record))
    window.records.export()
    question = window.records.question
    assert question is not None
    assert question.text() == _text(
        "Details pending — export marked as unknown?", "RecordsController"
    )
    question.button(QMessageBox.StandardButton.No).click()
    assert window.statusBar().currentMessage() == _text(
        "This session's details (its title, whether it is an exercise) are not "
        "decrypted yet. Export its record once they are: until then it could "
        "pass for a real session.",
        "RecordsController",
    )
    # So is an export asked of the backend directly (what `oor export` does).
    refused: list[Problem] = []
    window.bridge.export_record(space, str(record)).on_failure(refused.append)
    qtbot.waitUntil(lambda: bool(refused), timeout=WAIT_MS)
    assert refused[0].what == "export_failed" and "not decrypted yet" in refused[0].detail
    assert not record.exists()
    # On an explicit yes (the details may never come), the record is written, marked
    # on every page and in its charts as not known, its signed manifest saying so.
    window.records.export()
    assert window.records.question is not None
    window.records.question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil((record / MANIFEST).exists, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.records.progress is None, timeout=WAIT_MS)
    said = json.loads((record / MANIFEST).read_text(encoding="utf-8"))["session"]
    assert said["details_known"] is False and said["title"] == LABEL
    report = (record / REPORT).read_text(encoding="utf-8")
    assert "DETAILS PENDING — not known whether this is an exercise" in report
    assert f"<title>{LABEL}</title>" in report and "EXERCISE" not in report
    drawn = next((record / CHARTS_DIR).glob("*.svg")).read_text(encoding="utf-8")
    assert "DETAILS PENDING" in drawn and "EXERCISE" not in drawn
    assert verify_bundle(record).ok

    # The details arrive: EXERCISE (or, for a real session, nothing) replaces the
    # pending mark everywhere, and the record exports without being asked.
    bp = Blueprint("Port Sable evacuation", "evacuation", "Africa/Cairo", exercise=exercise)
    details = ("m.room.message", info_message(info_payload(bp)))
    peer.run(_send_when_joined(raw, ops, guest.user_id, details))
    qtbot.waitUntil(lambda: "Port Sable evacuation" in charts.header.text(), timeout=WAIT_MS)
    assert pending not in charts.header.text()
    assert charts.header.text().startswith(marked) == exercise
    assert panel.exercise.isVisibleTo(panel) == exercise
    assert not panel.pending.isVisibleTo(panel)
    assert not overview.pending.isVisibleTo(overview)
    mark = marked if exercise else ""
    js_until(qtbot, canvas, BANNER, lambda text: text == mark)
    window.charts.export("evacuated", "png", str(tmp_path / "known.png"))
    window.charts.export("evacuated", "csv", str(tmp_path / "known.csv"))
    qtbot.waitUntil((tmp_path / "known.png").exists, timeout=WAIT_MS)
    qtbot.waitUntil((tmp_path / "known.csv").exists, timeout=WAIT_MS)
    image = QImage(str(tmp_path / "known.png"))
    assert image.text("Marking") == mark
    if exercise:
        assert image.pixelColor(image.width() // 40, 2) == EXERCISE_STRIP
    rows = list(csv.DictReader((tmp_path / "known.csv").read_text(encoding="utf-8").splitlines()))
    assert [(r["value"], r.get("marking")) for r in rows] == [("120", mark or None)]
    window.workspace.pages.grab().save(str(tmp_path / f"known-{language}.png"))
    exported: list[object] = []
    known = tmp_path / "known-record"
    window.bridge.export_record(space, str(known)).on_success(exported.append)
    qtbot.waitUntil(lambda: bool(exported), timeout=WAIT_MS)
    said = json.loads((known / MANIFEST).read_text(encoding="utf-8"))["session"]
    assert "details_known" not in said and said["exercise"] is exercise
    assert said["title"] == "Port Sable evacuation"


async def _sitrep_seen(raw: AsyncClient, room_id: str, title: str) -> dict:
    """The sitrep message as a plain matrix-nio client decrypts it (its content)."""
    waiting: list[MegolmEvent] = []
    for _ in range(SYNC_TRIES):
        reply = await raw.sync(timeout=1000)
        joined = getattr(reply, "rooms", None)
        timeline = joined.join.get(room_id) if joined else None
        events = [*waiting, *(timeline.timeline.events if timeline else ())]
        waiting = []
        for event in events:
            readable = event
            if isinstance(event, MegolmEvent):  # its key may come in a later sync
                try:
                    readable = raw.decrypt_event(event)
                except EncryptionError:
                    waiting.append(event)
                    continue
            content = readable.source.get("content", {})
            if title in str(content.get("body", "")):
                return content
    raise AssertionError(f"no sitrep {title!r} reached the plain client")


def test_nothing_goes_out_as_real_while_details_are_pending(
    qtbot,
    language: str,  # first: the window is built in it
    window: MainWindow,
    *,
    peer: ThreadedPeer,
    with_plain_client: WithPlainClient,
    tmp_path: Path,
) -> None:
    guest, _facilitator, raw = with_plain_client("amal", "fac")
    space, ops = _join_and_open(qtbot, window, peer, raw, guest.user_id)
    pending = _text(
        "This session's details (whether it is an exercise) are not decrypted yet: "
        "a sitrep sent now could go out as real. Try again once they arrive."
    )
    assert pending.startswith("This") == (language == "en")

    # Sitreps: marked pending, nothing to compile or approve, and the reason said.
    sitreps = window.sitreps.page
    window.workspace.pages.setCurrentWidget(sitreps)
    qtbot.waitUntil(sitreps.pending.isVisible, timeout=WAIT_MS)
    assert not sitreps.banner.isVisible() and not sitreps.compile_button.isEnabled()
    assert sitreps.hint.text() == pending
    window.grab().save(str(tmp_path / f"pending-sitreps-{language}.png"))
    # The backend refuses it too (another front end, a stale button).
    draft = SitrepDraft("Morning", (("needs", "Water"),), "", 0, 0)
    refused: list[Problem] = []
    window.bridge.sitrep(lambda s: s.submit(space, draft)).on_failure(refused.append)
    qtbot.waitUntil(lambda: bool(refused), timeout=WAIT_MS)
    assert (refused[0].what, refused[0].detail) == ("sitrep_refused", "details_pending")

    # Open round: marked pending, and posing one is refused with the reason.
    rounds = window.open_round.page
    window.workspace.pages.setCurrentWidget(rounds)
    qtbot.waitUntil(rounds.pending.isVisible, timeout=WAIT_MS)
    assert not rounds.banner.isVisible()
    window.open_round.start_round()  # no form opens: it would wait for an answer
    said = _text(
        "This session's details (whether it is an exercise) are not decrypted yet: "
        "a round posed now could go out as real. Try again once they arrive.",
        "RoundsController",
    )
    assert rounds.note.text() == said
    posed: list[Problem] = []
    terms = Terms("Where to shelter?", "Three sites")
    window.bridge.open_round(lambda r: r.pose(ops, terms)).on_failure(posed.append)
    qtbot.waitUntil(lambda: bool(posed), timeout=WAIT_MS)
    assert "not decrypted" in posed[0].detail

    # Instructions: marked pending, not shown as real.
    orders = window.instructions.page
    window.workspace.pages.setCurrentWidget(orders)
    qtbot.waitUntil(orders.pending.isVisible, timeout=WAIT_MS)
    assert not orders.exercise.isVisible()

    # The details arrive (an exercise): the marks turn to EXERCISE, and a sitrep now
    # goes out marked as one, in its data and in the plain body every client shows.
    bp = Blueprint("Port Sable evacuation", "evacuation", "Africa/Cairo", exercise=True)
    details = ("m.room.message", info_message(info_payload(bp)))
    peer.run(_send_when_joined(raw, ops, guest.user_id, details))
    qtbot.waitUntil(orders.exercise.isVisible, timeout=WAIT_MS)
    assert not orders.pending.isVisible()
    window.workspace.pages.setCurrentWidget(rounds)
    qtbot.waitUntil(rounds.banner.isVisible, timeout=WAIT_MS)
    assert not rounds.pending.isVisible()
    window.workspace.pages.setCurrentWidget(sitreps)
    qtbot.waitUntil(sitreps.compile_button.isEnabled, timeout=WAIT_MS)
    assert sitreps.banner.isVisible() and not sitreps.pending.isVisible()
    assert not sitreps.hint.text()
    sent: list[object] = []
    window.bridge.sitrep(lambda s: s.submit(space, draft)).on_success(sent.append)
    qtbot.waitUntil(lambda: bool(sent), timeout=WAIT_MS)
    content = peer.run(_sitrep_seen(raw, ops, "Morning"))
    assert content["body"].startswith("[EXERCISE] ")
    assert content[roles.SITREP]["exercise"] is True
