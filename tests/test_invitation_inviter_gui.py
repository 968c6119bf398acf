"""A pending invitation names who sent it: their display name, with their Matrix id beside
it as a left-to-right island (a name alone could be anyone's), in English and Arabic.

The inviter is a plain matrix-nio client; Synapse adds the inviter's member event to the
invite state it sends (its invite path includes the sender's membership), which is where
the name comes from before we share a room. A name is someone else's text: hostile ones
(bidi controls, line breaks, another person's id) are cleaned or dropped.
"""

from __future__ import annotations

from pathlib import Path

from nio import RoomCreateResponse
from PySide6.QtCore import Qt

from app.core.records import Invitation, RoomEvent, read_invitation
from app.core.text import NAME_MAX, isolate, plain_name
from app.services.notices import EventsArrived, InvitationsChanged
from app.ui.shell.main_window import MainWindow
from app.ui.texts import LRI, PDI, RLI, user_text
from tests.fixtures_gui import WAIT_MS, WithPlainClient
from tests.peers import ThreadedPeer

ME = "@amal:server"
INVITER = "@karim:server"
SPOOF = "@minister:ministry.example"


def test_the_invitation_shows_the_inviters_name_and_id(
    qtbot,
    language: str,  # first: the window is built in it
    window: MainWindow,
    *,
    peer: ThreadedPeer,
    with_plain_client: WithPlainClient,
    tmp_path: Path,
) -> None:
    guest, inviter, raw = with_plain_client("amal", "karim", "كريم حداد")
    made = peer.run(raw.room_create(name="Corridor", invite=[guest.user_id]))
    assert isinstance(made, RoomCreateResponse)
    # Then a hostile name: an override that would flip the id beside it, a line break,
    # and someone else's id to pass for them. The second invitation carries it.
    peer.run(raw.set_displayname(f"\u202eKarim\n\u2066Haddad {SPOOF}\u2069"))
    made = peer.run(raw.room_create(name="Corridor two", invite=[guest.user_id]))
    assert isinstance(made, RoomCreateResponse)
    invitations = window.workspace.invitations
    qtbot.waitUntil(lambda: invitations.list.count() == 2, timeout=WAIT_MS)
    texts = [invitations.list.item(n).text() for n in range(2)]
    shown = next(t for t in texts if "كريم" in t)
    spoofed = next(t for t in texts if t is not shown)
    # The spoofing name is dropped: the inviter's real id alone, no control characters.
    assert SPOOF not in spoofed and "Karim" not in spoofed
    assert user_text(inviter.user_id) in spoofed
    assert not any(c in spoofed for c in "\u202e\n")
    # The name, then the id, as one island that reads in the interface's direction.
    island = RLI if language == "ar" else LRI
    assert f"{island}{isolate('كريم حداد')} ({user_text(inviter.user_id)}){PDI}" in shown
    if language == "ar":
        assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
        assert "Room invitation" not in shown
    invitations.grab().save(str(tmp_path / f"invitation-{language}.png"))


def test_an_inviters_name_of_the_wrong_shape_is_skipped_never_raised() -> None:
    invite = {"type": "m.room.member", "state_key": ME, "sender": INVITER,
              "content": {"membership": "invite", "reason": "Officer"}}  # fmt: skip
    hostile = [
        [invite, {"type": "m.room.member", "state_key": INVITER, "content": {"displayname": 7}}],
        [invite, {"type": "m.room.member", "state_key": INVITER, "content": "not a dict"}],
        [invite, {"type": "m.room.member", "state_key": ["x"], "content": {"displayname": "X"}}],
    ]
    for state in hostile:
        found = read_invitation("!r:server", "Room", ME, state)
        assert (found.inviter, found.inviter_name, found.reason) == (INVITER, "", "Officer")
    long = {"type": "m.room.member", "state_key": INVITER, "content": {"displayname": "k" * 5000}}
    found = read_invitation("!r:server", "Room", ME, [long, invite])  # in any order
    assert found.inviter_name == "k" * NAME_MAX
    someone_else = {"type": "m.room.member", "state_key": "@x:server",
                    "content": {"displayname": "Not the inviter"}}  # fmt: skip
    assert read_invitation("!r:server", "Room", ME, [invite, someone_else]).inviter_name == ""


def test_a_display_name_is_one_clean_line_and_never_someone_elses_id() -> None:
    bidi = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # reorder beyond
    assert plain_name(f"{bidi}Karim{bidi} Haddad{bidi}") == "Karim Haddad"
    marks = "\u200e\u200f\u061c"  # LRM, RLM, ALM: a name's own direction, kept
    assert plain_name(f"{marks}Karim Haddad") == f"{marks}Karim Haddad"
    assert plain_name("\u200fهماهنگی\u200cها") == "\u200fهماهنگی\u200cها"  # ZWNJ kept
    assert plain_name("Karim\n\r\t  Haddad\u2028x\x00\x1b[31m") == "Karim Haddad x[31m"
    assert plain_name("كريم\u200b حداد") == "كريم حداد"  # a zero-width space is format too
    assert plain_name("k" * 5000) == "k" * NAME_MAX
    hidden = ("@minister\u200b:ministry.example", "@minister\u200f:ministry\u200d.example")
    for spoof in (SPOOF, f"Karim ({SPOOF})", *hidden, "x @a:b"):
        assert plain_name(spoof) == "", spoof
    assert plain_name("Karim @ home: on duty") == "Karim @ home: on duty"  # no id shape
    invite = {"type": "m.room.member", "state_key": ME, "sender": INVITER,
              "content": {"membership": "invite"}}  # fmt: skip
    named = {"type": "m.room.member", "state_key": INVITER,
             "content": {"displayname": f"\u202eKarim\nHaddad ({SPOOF})"}}  # fmt: skip
    assert read_invitation("!r:server", "Room", ME, [invite, named]).inviter_name == ""
    named["content"] = {"displayname": "\u202eKarim\n\u2066Haddad"}
    assert read_invitation("!r:server", "Room", ME, [invite, named]).inviter_name == (
        "Karim Haddad"
    )


def test_an_inviter_named_later_is_named_in_the_waiting_invitation(
    qtbot, language: str, window: MainWindow
) -> None:
    """The invitation came before anything named its sender; a member event naming them
    arrives later (through the window's own slot, as the bridge delivers it)."""
    invitation = Invitation("!r:server", "Corridor", INVITER, "Officer")
    window.on_invitations(InvitationsChanged((invitation,)))
    invitations = window.workspace.invitations
    assert "Karim" not in invitations.list.item(0).text()
    member = RoomEvent("$m", "!other:server", INVITER, "m.room.member", 1,
                       {"membership": "join", "displayname": "Karim Haddad"}, INVITER)  # fmt: skip
    window.on_events(EventsArrived((member,)))
    qtbot.waitUntil(lambda: "Karim Haddad" in invitations.list.item(0).text(), timeout=WAIT_MS)
    assert user_text(INVITER) in invitations.list.item(0).text()
