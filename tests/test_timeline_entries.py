"""The shared crisis timeline between real clients of the app on a real Synapse: typed
entries with every field, verification with its history, malformed entries kept as such,
Arabic search in an encrypted room, catching up after being away, paging back."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import roles
from app.core.records import EventStatus, RoomEvent
from app.core.timeline import (
    KIND_ORDER,
    EntryDraft,
    EntryError,
    TimelineQuery,
    Verification,
    read_entry,
    verification_content,
)
from app.homeserver import EmbeddedHomeserver
from app.services.notices import OlderLoaded, SearchResults, VerificationsChanged
from app.services.timeline import Timeline
from tests.fixtures_homeserver import MakeAccount
from tests.peers import Peer, peers_signed_in, signed_in_peers

HOUR = 3_600_000


def _entries(peer: Peer, room_id: str) -> dict[str, RoomEvent]:
    """Valid entries this client received, by title."""
    return {
        str(e.content["title"]): e
        for e in peer.events()
        if e.room_id == room_id and e.type == roles.ENTRY and e.status is EventStatus.OK
    }


def _verification(peer: Peer, entry_id: str) -> Verification | None:
    found = [
        v
        for n in peer.notices
        if isinstance(n, VerificationsChanged)
        for v in n.verifications
        if v.entry_id == entry_id
    ]
    return found[-1] if found else None


def _timeline(peer: Peer) -> Timeline:
    return peer.account.feature(Timeline)


async def test_entries_of_every_kind_round_trip_with_all_fields(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with peers_signed_in(homeserver, make_account, tmp_path, "alice", "bob") as (alice, bob):
        room = await alice.open_room_with("Operations", bob)
        drafts = [
            EntryDraft(
                kind=kind,
                title=f"{kind}: المعبر الشمالي / northern crossing",
                body=f"First paragraph about {kind}.\nالفقرة الثانية بالعربية.",
                occurred_at=1_790_000_000_000 - n * HOUR,
                sources=("Embassy Port Sable", "مصدر محلي"),
                tags=("crossing", "evacuation"),
                location="Port Sable, north gate",
                verification="corroborated" if kind == "sitrep" else "unverified",
            )
            for n, kind in enumerate(KIND_ORDER)
        ]
        for draft in drafts:
            await _timeline(alice).post(room, draft)
        await bob.wait_for(lambda: len(_entries(bob, room)) == len(drafts), "every entry")

        received = _entries(bob, room)
        for draft in drafts:
            event = received[draft.title]
            assert event.sender == alice.user_id
            assert event.source["type"] == "m.room.encrypted"  # E2EE on the wire
            entry = read_entry(event.content)
            assert (entry.kind, entry.title, entry.body) == (draft.kind, draft.title, draft.body)
            assert entry.occurred_at == draft.occurred_at
            assert (entry.sources, entry.tags) == (draft.sources, draft.tags)
            assert (entry.location, entry.verification) == (draft.location, draft.verification)
            # Other Matrix clients show the plain body: kind and title lead it.
            assert event.content["body"].startswith(f"[{draft.kind.upper()}] {draft.title}")

        with pytest.raises(EntryError):  # no title: refused before anything is queued
            await _timeline(alice).post(room, EntryDraft("sitrep", "  ", "body"))


async def test_verification_changes_appear_with_history_on_the_other_client(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with peers_signed_in(homeserver, make_account, tmp_path, "alice", "bob") as (alice, bob):
        room = await alice.open_room_with("Operations", bob)
        await _timeline(alice).post(room, EntryDraft("rumour", "Airport closed", "Seen online"))
        await bob.wait_for(lambda: "Airport closed" in _entries(bob, room), "the rumour")
        rumour = _entries(bob, room)["Airport closed"].event_id

        await _timeline(bob).verify(rumour, "false", "The airport authority says it is open")
        await alice.wait_for(
            lambda: (v := _verification(alice, rumour)) is not None and v.status == "false",
            "bob's verdict",
        )
        with pytest.raises(EntryError):  # only the author may retract
            await _timeline(bob).verify(rumour, "retracted", "mine now")
        await _timeline(alice).verify(rumour, "retracted", "Withdrawn after the check")
        await bob.wait_for(
            lambda: (v := _verification(bob, rumour)) is not None and v.status == "retracted",
            "alice's retraction",
        )
        history = _verification(bob, rumour)
        assert history is not None
        steps = [(c.by, c.status, c.reason, c.applied) for c in history.history]
        assert steps == [
            (alice.user_id, "unverified", "", True),
            (bob.user_id, "false", "The airport authority says it is open", True),
            (alice.user_id, "retracted", "Withdrawn after the check", True),
        ]
        # A change after the retraction, sent by a client that ignores the rules, is kept
        # in the history but not applied: the rumour stays visible, marked, for good.
        content = verification_content(rumour, "confirmed", "sneaked in")
        await bob.account.send(room, roles.VERIFICATION, content)
        await alice.wait_for(
            lambda: (v := _verification(alice, rumour)) is not None and len(v.history) == 4,
            "the late change",
        )
        late = _verification(alice, rumour)
        assert late is not None and late.status == "retracted"
        assert not late.history[-1].applied and "retracted" in late.history[-1].why_not

        # Reopening the room shows the same history, rebuilt from the archive.
        await _timeline(alice).announce_room(room)
        reopened = _verification(alice, rumour)
        assert reopened == late


async def test_malformed_entries_are_recorded_and_shown_as_such(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with peers_signed_in(homeserver, make_account, tmp_path, "alice", "bob") as (alice, bob):
        room = await alice.open_room_with("Operations", bob)
        await alice.account.send_text(room, "a report")  # the server refuses relations
        target = (await bob.wait_text(room, "a report")).event_id  # to unknown events
        bad = {
            "wrong types": {"body": "x", "kind": "sitrep", "title": 7, "tags": "one"},
            "unknown kind": {"body": "x", "kind": "gossip", "title": "Unknown kind"},
            "tags not texts": {"body": "x", "kind": "sitrep", "title": "t", "tags": [1, 2]},
            "verification without reason": {
                "body": "x",
                "status": "false",
                "reason": " ",
                "m.relates_to": {"rel_type": "m.reference", "event_id": target},
            },
        }
        for name, content in bad.items():
            kind = roles.VERIFICATION if "verification" in name else roles.ENTRY
            await bob.account.send(room, kind, {**content, "body": name})
        await bob.account.send_text(room, "after the bad ones")
        await alice.wait_text(room, "after the bad ones")

        malformed = {
            e.content.get("body"): e.note
            for e in alice.events()
            if e.room_id == room and e.status is EventStatus.MALFORMED
        }
        assert set(malformed) == set(bad)
        assert "title is not text" in malformed["wrong types"]
        assert "kind is 'gossip'" in malformed["unknown kind"]
        assert "reason" in malformed["verification without reason"]
        # The archive keeps them whole, and the sync loop went on.
        for event in alice.events():
            if event.room_id == room and event.status is EventStatus.MALFORMED:
                stored = await alice.account.db(alice.account.archive.event, event.event_id)
                assert stored is not None and stored.content == event.content


async def test_search_finds_an_arabic_word_in_an_encrypted_room(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    async with peers_signed_in(homeserver, make_account, tmp_path, "alice", "bob") as (alice, bob):
        room = await alice.open_room_with("Operations", bob)
        body = "وصلَ الوفدُ المفاوضُ إلى جنيف"  # with short vowels, as some people type
        await _timeline(alice).post(room, EntryDraft("sitrep", "Geneva", body, tags=("geneva",)))
        await alice.account.send_text(room, "Convoy leaves at 14:00")
        await bob.wait_text(room, "Convoy leaves at 14:00")

        async def search(**fields) -> list[RoomEvent]:
            await _timeline(bob).search(TimelineQuery(**fields))
            found = [n for n in bob.notices if isinstance(n, SearchResults)][-1]
            return list(found.events)

        hits = await search(text="المفاوض")  # typed without the vowels
        assert [read_entry(e.content).title for e in hits] == ["Geneva"]
        assert hits[0].source["type"] == "m.room.encrypted"
        assert [e.content["body"] for e in await search(text="convoy")] == [
            "Convoy leaves at 14:00"
        ]
        assert await search(text="وفد", kinds=("chat",)) == []  # filtered by kind
        assert len(await search(tag="geneva", statuses=("unverified",))) == 1
        # The newest match is the chat message: a filter on verification still finds the
        # entry behind it (the exact checks page on past the archive's limit).
        assert len(await search(statuses=("unverified",), limit=1)) == 1
        assert await search(text="وفد", sender=alice.user_id, since=0, until=1) == []


async def test_an_offline_client_catches_up_including_the_gap_in_order(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    alice, bob = await signed_in_peers(homeserver, make_account, tmp_path, "alice", "bob")
    try:
        room = await alice.open_room_with("Operations", bob)
        await alice.account.send_text(room, "before the gap")
        await bob.wait_text(room, "before the gap")
        await bob.close()  # bob's laptop is closed; the sync token stays in his archive

        sent = [f"while away {n:02d}" for n in range(40)]  # far more than a sync's 10
        for text in sent:
            await alice.account.send_text(room, text)
        await alice.wait_for(lambda: all(alice.find_text(room, t) for t in sent), "echoes")

        bob = Peer(tmp_path / "bob")
        await bob.backend.start()
        await bob.wait_for(lambda: bob.find_text(room, sent[-1]) is not None, "the newest")
        await bob.wait_for(lambda: all(bob.find_text(room, t) for t in sent), "the whole gap")
        archived = await bob.account.db(bob.account.archive.recent_events, room, 60)
        texts = [e.content.get("body") for e in archived if e.type == "m.room.message"]
        assert texts[-41:] == ["before the gap", *sent]  # in order, nothing missing
        assert await bob.account.db(bob.account.archive.verify_chain, room)
    finally:
        await alice.close()
        await bob.close()


async def test_scrolling_back_fetches_older_history_from_the_server(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    alice = await Peer(tmp_path / "alice", make_account("alice")).login(homeserver)
    carol_account = make_account("carol")
    try:
        room = await alice.account.client.create_room("Public record", encrypted=False)
        sent = [f"history {n:03d}" for n in range(230)]
        for text in sent:
            await alice.account.send_text(room, text)
        await alice.wait_for(lambda: alice.find_text(room, sent[-1]) is not None, "echoes")
        await alice.account.client.invite(room, carol_account.user_id)

        carol = await Peer(tmp_path / "carol", carol_account).login(homeserver)
        try:
            await carol.account.client.join(room)
            await carol.wait_for(lambda: carol.has_joined(room, carol.user_id), "the join")
            loaded = await carol.account.open_room(room)
            assert len(loaded.events) < 50  # a new device holds only what the sync brought

            pages: list[OlderLoaded] = []
            before = loaded.events[0].event_id
            while not pages or not pages[-1].at_start:  # the view scrolled to its top
                await _timeline(carol).older(room, before)
                pages.append([n for n in carol.notices if isinstance(n, OlderLoaded)][-1])
                if pages[-1].events:
                    before = pages[-1].events[0].event_id
                assert len(pages) < 10
            archived = await carol.account.db(carol.account.archive.recent_events, room, 1000)
            texts = [e.content["body"] for e in archived if e.type == "m.room.message"]
            assert texts == sent  # every message once, oldest first
            assert archived[0].type == "m.room.create"
            assert await carol.account.db(carol.account.archive.verify_chain, room)
        finally:
            await carol.close()
    finally:
        await alice.close()


async def test_threads_pins_edits_and_redactions_show_on_the_other_client(
    qapp, homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    from app.services.notices import PinsChanged
    from app.ui.timeline.model import TimelineModel

    async with peers_signed_in(homeserver, make_account, tmp_path, "alice", "bob") as (alice, bob):
        room = await alice.open_room_with("Operations", bob)
        await _timeline(alice).post(
            room, EntryDraft("decision", "Bridge stays open", "Until 18:00")
        )
        await bob.wait_for(lambda: "Bridge stays open" in _entries(bob, room), "the decision")
        decision = _entries(bob, room)["Bridge stays open"].event_id

        await _timeline(bob).reply(room, decision, "Embassy confirms")
        await bob.account.send_text(room, "convoy at 1600")
        typo = (await alice.wait_text(room, "convoy at 1600")).event_id
        await bob.wait_text(room, "convoy at 1600")
        with pytest.raises(EntryError):  # nobody edits someone else's words
            await _timeline(alice).edit(typo, "convoy cancelled")
        await _timeline(bob).edit(typo, "convoy at 16:00")
        await bob.account.send_text(room, "a slip of the keyboard")
        slip = (await alice.wait_text(room, "a slip of the keyboard")).event_id
        await bob.wait_text(room, "a slip of the keyboard")  # archived before it is redacted
        await alice.account.client.redact(room, slip, "posted in the wrong room")
        await _timeline(alice).pin(room, decision)

        def pins() -> tuple[str, ...]:
            found = [n for n in bob.notices if isinstance(n, PinsChanged) and n.room_id == room]
            return found[-1].event_ids if found else ()

        await bob.wait_for(lambda: pins() == (decision,), "the pin")
        await bob.wait_for(
            lambda: any(e.type == "m.room.redaction" for e in bob.events() if e.room_id == room),
            "the redaction",
        )
        await bob.wait_for(lambda: bob.find_text(room, "* convoy at 16:00") is not None, "edit")

        model = TimelineModel(bob.user_id)
        model.load(await bob.account.open_room(room))
        model.set_pins(PinsChanged(room, pins()))
        rows = {model.row(i).key: model.row(i) for i in range(model.rowCount())}
        assert rows[decision].pinned
        answer = next(r for r in rows.values() if r.text == "Embassy confirms")
        assert answer.relation is not None and answer.relation.target == decision
        assert "Bridge stays open" in answer.context
        assert rows[typo].edited == "convoy at 16:00" and rows[typo].text == "convoy at 1600"
        assert rows[slip].removed_by == alice.user_id
        kept = await bob.account.db(bob.account.archive.event, slip)
        assert kept is not None and kept.content["body"] == "a slip of the keyboard"


def _png(width: int = 3, height: int = 2) -> bytes:
    """A real PNG, built by hand (no toolkit on the services side)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


async def test_attachments_travel_as_encrypted_media(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path
) -> None:
    from app.core.timeline import MAX_BYTES, AttachmentError, attachment_of

    async with peers_signed_in(homeserver, make_account, tmp_path, "alice", "bob") as (alice, bob):
        room = await alice.open_room_with("Operations", bob)
        image, report = tmp_path / "crossing.png", tmp_path / "تقرير الوضع.pdf"
        image.write_bytes(_png())
        report.write_bytes(b"%PDF-1.4\n% situation report\n%%EOF\n")
        await _timeline(alice).attach(room, str(image))
        await _timeline(alice).attach(room, str(report))

        def files() -> dict[str, RoomEvent]:
            return {
                e.content["body"]: e
                for e in bob.events()
                if e.room_id == room and attachment_of(e.content) is not None
            }

        await bob.wait_for(lambda: len(files()) == 2, "both files")
        shown = files()
        photo = attachment_of(shown["crossing.png"].content)
        pdf = attachment_of(shown["تقرير الوضع.pdf"].content)
        assert photo is not None and photo.is_image and photo.file is not None
        assert pdf is not None and pdf.mimetype == "application/pdf" and not pdf.is_image
        got = await _timeline(bob).fetch_attachment(shown["crossing.png"].event_id)
        assert got == image.read_bytes()
        saved = tmp_path / "saved.pdf"
        await _timeline(bob).fetch_attachment(shown["تقرير الوضع.pdf"].event_id, str(saved))
        assert saved.read_bytes() == report.read_bytes()
        # The server holds ciphertext only.
        stored = await bob.account.client.download_decrypted(photo.url, None)
        assert stored != image.read_bytes() and b"PNG" not in stored

        empty, huge = tmp_path / "empty.txt", tmp_path / "huge.bin"
        empty.write_bytes(b"")
        with huge.open("wb") as out:
            out.truncate(MAX_BYTES + 1)
        for bad in (empty, huge, tmp_path / "missing.doc"):
            with pytest.raises(AttachmentError):
                await _timeline(alice).attach(room, str(bad))
