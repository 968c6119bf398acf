"""The hand check against Nheko (docs/nheko-check.md), repeatable; not part of ``make test``.

A session convened through the app's services on a throw-away Synapse; the Geneva
delegate uses **Nheko** only, under Xvfb (``bench.nheko_driver``), driven with xdotool.
Recorded, a screenshot each: (1) an instruction, an entry, a verification change and a
request as Nheko shows them; (2) emoji verification the app asks for in a room; (3) one
Nheko starts to-device with the facilitator's device; (4) Nheko verifying the delegate's
own new app device, and whether it then cross-signs it. The app runs headless; what its
verification hub received is recorded by wrapping the hub's two entry points. Button
positions are Nheko 0.11.3's at 1200×780 (dialogs placed at 500,150, 500×400), so a
moved button shows in that step's screenshot.

Run: ``python -m bench.nheko_check --out /tmp/nheko-check`` (needs nheko, Xvfb, xdotool).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
from nio import AsyncClient

from app.core import roles
from app.core.instructions import Draft
from app.core.roles import Role, RoomKind
from app.core.session import Blueprint, Delegation, Participant, SessionInfo
from app.core.timeline import EntryDraft
from app.core.verification import EMOJI, Phase, VerificationView
from app.homeserver import EmbeddedHomeserver
from app.services.instructions import Instructions
from app.services.sessions import Sessions
from app.services.timeline import Timeline
from app.services.verification.notices import VerificationChanged
from app.services.verification.service import Verification
from bench import nheko_driver
from bench.common import ServicePeer, emit_json, new_account, quiet_environment, running_homeserver
from bench.versus_nheko import nheko_profile

WINDOW = (1200, 780)
DIALOG_AT = (500, 150)
# Nheko 0.11.3's buttons, in screen coordinates once the window and dialogs are placed
SETUP_OK = (913, 561)  # "Setup Encryption" (first start, window still 1066×600)
RECOVERY_OK = (1011, 335)  # the recovery key notice after it
ACCEPT = (951, 239)  # incoming request: Accept
START = (936, 239)  # outgoing: Start verification
START_OWN = (936, 257)  # the same, under the longer text for one's own device
THEY_MATCH = (950, 489)
CLOSE = (951, 221)
PINNED_SENDER = (500, 85)  # the pinned details' sender: opens the facilitator's profile
VERIFY_FIRST_DEVICE = (369, 314)  # in that profile
PROFILE_OK = (363, 621)
SELF_BANNER = (150, 71)  # "Please verify your other devices"
FIRST_ROOM = (200, 83)


class Screen:
    """Xvfb's framebuffer as PNG files, and xdotool on that display."""

    def __init__(self, display: nheko_driver.Display, out: Path) -> None:
        self.display, self.out = display, out

    def shot(self, name: str) -> Path:
        return nheko_driver.screenshot(self.display, self.out / f"{name}.png")

    def xdo(self, *args: str) -> str:
        env = dict(os.environ, DISPLAY=self.display.name)
        done = subprocess.run(
            ["xdotool", *args], env=env, capture_output=True, text=True, check=False
        )
        return done.stdout

    async def click(self, at: tuple[int, int], settle: float = 1.0) -> None:
        self.xdo("mousemove", str(at[0]), str(at[1]), "click", "1")
        await asyncio.sleep(settle)  # Nheko paints asynchronously; the screenshot shows it

    def windows(self) -> list[str]:
        """Every window on the display, mapped or not (only Nheko opens any)."""
        return self.xdo("search", "--name", ".*").split()

    async def new_dialog(self, before: set[str], seconds: float = 90) -> str:
        """Nheko's verification dialog: a new top-level window, mapped 1 px wide without a
        window manager, so it is mapped, sized and placed here."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            fresh = [w for w in self.windows() if w not in before]
            if fresh:
                self.xdo("windowmap", fresh[-1])
                self.xdo("windowsize", fresh[-1], "500", "400")
                self.xdo("windowmove", fresh[-1], *map(str, DIALOG_AT))
                await asyncio.sleep(1.5)
                return fresh[-1]
            await asyncio.sleep(0.3)
        every = {w: self.xdo("getwindowname", w).strip() for w in self.windows()}
        raise RuntimeError(f"Nheko opened no verification dialog; windows: {every}")


class Recorder:
    """What the app's verification hub of each peer received, in order (type, sender, content)."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []

    def watch(self, name: str, peer: ServicePeer) -> None:
        hub = peer.account.client.verification
        room, to_device = hub.receive_room, hub.receive_to_device

        async def on_room(event: Any) -> None:
            self._keep(name, "room", event.type, event.sender, event.content)
            await room(event)

        async def on_to_device(events: list[dict[str, Any]]) -> None:
            for e in events:
                self._keep(name, "to-device", e.get("type"), e.get("sender"), e.get("content"))
            await to_device(events)

        hub.receive_room, hub.receive_to_device = on_room, on_to_device

    def _keep(self, peer: str, way: str, kind: Any, sender: Any, content: Any) -> None:
        self.seen.append(
            {"peer": peer, "way": way, "type": kind, "sender": sender, "content": content}
        )
        print(f"  {peer} got {way} {kind} from {sender}", flush=True)

    def types(self, since: int, peer: str) -> list[str]:
        """What one peer's hub received since ``since``: type (sender's localpart)."""
        kept = (e for e in self.seen[since:] if e["peer"] == peer)
        return [f"{e['type']} ({e['sender'].split(':')[0]})" for e in kept]


def views(peer: ServicePeer) -> list[VerificationView]:
    return [n.view for n in peer.notices if isinstance(n, VerificationChanged)]


async def until(check: Callable[[], bool], what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"gave up waiting for {what}")
        await asyncio.sleep(0.3)


def knows_device(peer: ServicePeer, user_id: str, device_id: str) -> bool:
    store = peer.account.client._nio.device_store  # read-only: would it share keys now?
    return any(d.id == device_id for d in store.active_user_devices(user_id))


async def convene(server: EmbeddedHomeserver, work: Path) -> tuple[dict, dict, SessionInfo]:
    accounts = {
        n: await asyncio.to_thread(new_account, server, n) for n in ("fac", "amal", "omar", "sara")
    }
    peers = {
        n: await ServicePeer(work / n, accounts[n]).login(server) for n in ("fac", "amal", "sara")
    }
    blueprint = Blueprint(
        title="Ceasefire corridor",
        kind="escalation",
        capital_tz="Africa/Cairo",
        classification="CONFIDENTIAL",
        exercise=True,
        delegations=(
            Delegation("geneva", "Geneva talks", "Europe/Zurich", "Geneva"),
            Delegation("doha", "Corridor talks", "Asia/Qatar", "Doha"),
        ),
        participants=(
            Participant(accounts["amal"].user_id, Role.OFFICIAL, title="Director, Crisis Unit"),
            Participant(accounts["omar"].user_id, Role.DELEGATE, "geneva"),
            Participant(accounts["sara"].user_id, Role.DELEGATE, "doha"),
        ),
    )
    info = await Sessions.of(peers["fac"].account).convene(blueprint)
    for name in ("amal", "sara"):
        await Sessions.of(peers[name].account).join(info.space_id)
    return accounts, peers, info


class Check:
    """The steps of the check, in order, on one session and one running Nheko."""

    def __init__(self, server: EmbeddedHomeserver, work: Path, screen: Screen) -> None:
        self.server, self.work, self.screen = server, work, screen
        self.record = Recorder()
        self.result: dict[str, Any] = {}

    async def run(self) -> dict[str, Any]:
        self.accounts, self.peers, self.info = await convene(self.server, self.work)
        self.omar = self.accounts["omar"].user_id
        profile = await nheko_profile(self.server, self.work / "nheko", self.accounts["omar"])
        self.device = nheko_auth(profile)["device_id"]
        log = self.screen.out / "nheko.log"
        nheko = await asyncio.to_thread(
            nheko_driver.start, profile, self.screen.display, 150, log, "debug"
        )
        try:
            await self.first_start(profile)
            await self.rendering()
            await self.room_sas()
            await self.to_device_sas()
            await self.own_device()
        finally:
            await asyncio.to_thread(nheko.stop)
            for peer in self.peers.values():
                await peer.close()
            seen = json.dumps(self.record.seen, indent=1, ensure_ascii=False)
            (self.screen.out / "received.json").write_text(seen)
        return self.result

    async def first_start(self, profile: Path) -> None:
        """Nheko's own set-up (cross-signing, key backup), then the session's invites."""
        screen = self.screen
        screen.shot("01-first-start")
        await screen.click(SETUP_OK, 5)
        await screen.click(RECOVERY_OK)
        named = screen.xdo("search", "--onlyvisible", "--name", "^nheko").split()
        main = max(named, key=lambda w: len(screen.xdo("getwindowname", w)))
        screen.xdo("windowsize", main, *map(str, WINDOW))
        await join_as_nheko(self.server, profile, self.info)
        for name in ("fac", "amal"):
            peer = self.peers[name]
            await until(lambda p=peer: knows_device(p, self.omar, self.device), "Nheko's device")
            self.record.watch(name, peer)

    async def rendering(self) -> None:
        """An instruction, an entry and a verification change, as Nheko shows them."""
        amal, space = self.peers["amal"], self.info.space_id
        geneva = self.info.room(RoomKind.DELEGATION, "geneva")
        assert geneva is not None
        deadline = int(time.time() * 1000) + 3_600_000
        body = "Do not concede the northern checkpoint."
        draft = Draft("Hold the corridor line", body, "flash", ("geneva",), deadline=deadline)
        await amal.account.feature(Instructions).issue(space, draft)
        entry = EntryDraft("analysis", "Convoy seen at the crossing", "Two trucks.")
        await amal.account.feature(Timeline).post(geneva, entry)

        def entries() -> list[str]:
            return [e.event_id for e in amal.events() if e.type == roles.ENTRY]

        await until(lambda: bool(entries()), "the entry read back")
        await amal.account.feature(Timeline).verify(entries()[0], "confirmed", "Seen twice")
        await asyncio.sleep(4)
        await self.screen.click(FIRST_ROOM, 3)  # the Geneva room: newest activity first
        self.screen.shot("02-instruction-entry-verification")

    async def room_sas(self) -> None:
        """The app (the official) asks the Nheko user in a room; Nheko's popup accepts."""
        amal = self.peers["amal"]
        since, before = len(self.record.seen), set(self.screen.windows())
        key = await amal.account.feature(Verification).request(self.omar)
        await self.screen.new_dialog(before)
        self.screen.shot("03-room-request")
        await self.screen.click(ACCEPT)
        self.result["room_sas"] = await self.compare("amal", key, "04-room", since)

    async def to_device_sas(self) -> None:
        """Nheko verifies the facilitator's device from his profile (to-device)."""
        fac = self.peers["fac"]
        since = len(self.record.seen)
        await self.screen.click(PINNED_SENDER, 2)
        before = set(self.screen.windows())
        await self.screen.click(VERIFY_FIRST_DEVICE)
        await self.screen.new_dialog(before)
        await self.screen.click(START)
        await until(lambda: bool(views(fac)), "Nheko's request at the app")
        key = views(fac)[-1].key
        await fac.account.feature(Verification).accept(key)
        self.result["to_device_sas"] = await self.compare("fac", key, "05-to-device", since)
        await self.screen.click(PROFILE_OK)

    async def own_device(self) -> None:
        """The delegate signs in with the app too: a request from it, then Nheko verifies
        this new device of its own user (to-device) and may cross-sign it."""
        mine = await ServicePeer(self.work / "omar-app", self.accounts["omar"]).login(self.server)
        self.peers["omar"] = mine
        space = self.info.space_id
        await Sessions.of(mine.account).join(space)

        def has_desk() -> bool:
            desk = mine.account.feature(Instructions).desk(space)
            return desk is not None and desk.my_role is not None

        await until(has_desk, "the delegate's desk", 60)
        await until(lambda: knows_device(mine, self.omar, self.device), "Nheko's device")
        self.record.watch("omar", mine)
        in_half_an_hour = int(time.time() * 1000) + 1_800_000
        question = "May we offer a 48-hour pause?"
        await mine.account.feature(Instructions).request(space, question, "", in_half_an_hour)
        await asyncio.sleep(6)
        self.screen.shot("06-request")
        since, before = len(self.record.seen), set(self.screen.windows())
        await self.screen.click(SELF_BANNER)
        await self.screen.new_dialog(before)
        await self.screen.click(START_OWN)
        await until(lambda: bool(views(mine)), "Nheko's request at our own device")
        key = views(mine)[-1].key
        await mine.account.feature(Verification).accept(key)
        outcome = await self.compare("omar", key, "07-own-device", since)
        outcome["nheko_signed_our_device"] = await cross_signed(self.server, mine)
        self.result["own_device_sas"] = outcome

    async def compare(self, name: str, key: str, shot: str, since: int) -> dict:
        """Emoji on both sides; "They match!" in Nheko, then in the app; the outcome."""
        peer = self.peers[name]

        def phase() -> Phase:
            return views(peer)[-1].phase

        await until(lambda: phase() in (Phase.SHOWING, Phase.CANCELLED), "the emoji")
        await asyncio.sleep(1.5)
        self.screen.shot(f"{shot}-emoji")
        shown = views(peer)[-1]
        if shown.phase is Phase.SHOWING:
            await self.screen.click(THEY_MATCH, 3)
            await peer.account.feature(Verification).confirm(key)
            await until(lambda: views(peer)[-1].finished, "the end of the verification")
            await asyncio.sleep(2)
        self.screen.shot(f"{shot}-end")
        await self.screen.click(CLOSE)
        last = views(peer)[-1]
        return {
            "app_phase": last.phase.value,
            "cancel": last.cancel_code,
            "app_emoji": [EMOJI[i][1] for i in shown.emoji],
            "app_trusts_nheko": peer.account.client.verification._wire.is_verified(
                self.omar, self.device
            ),
            "received": self.record.types(since, name),
        }


def nheko_auth(profile: Path) -> dict[str, str]:
    """The [auth] keys of the Nheko profile written by ``nheko_driver.write_profile``."""
    conf = (profile / "config" / "nheko" / "nheko.conf").read_text()
    return dict(line.split("=", 1) for line in conf.splitlines() if "=" in line)


async def cross_signed(server: EmbeddedHomeserver, peer: ServicePeer) -> bool:
    """Whether the server now holds a signature on this device by its owner's
    self-signing key (present, as /keys/query lists it; the test suite checks such
    signatures cryptographically, this only tells whether Nheko uploaded one)."""
    nio = peer.account.client._nio
    user, device = nio.user_id, nio.device_id
    url = server.url + "/_matrix/client/v3/keys/query"
    headers = {"Authorization": f"Bearer {nio.access_token}"}
    async with (
        aiohttp.ClientSession() as http,
        http.post(url, json={"device_keys": {user: [device]}}, headers=headers) as reply,
    ):
        keys = await reply.json()
    self_signing = keys.get("self_signing_keys", {}).get(user, {}).get("keys", {})
    signatures = keys["device_keys"][user][device].get("signatures", {}).get(user, {})
    return any(key_id in signatures for key_id in self_signing)


async def join_as_nheko(server: EmbeddedHomeserver, profile: Path, info: SessionInfo) -> None:
    """Accept the session's invites with Nheko's own login (its device keys exist by
    now, so the facilitator's re-sent details on join are readable in Nheko)."""
    auth = nheko_auth(profile)
    client = AsyncClient(server.url, auth["user_id"], device_id=auth["device_id"])
    client.access_token = auth["access_token"]
    try:
        invited = (await client.sync(timeout=0)).rooms.invite  # type: ignore[union-attr]
        for room_id in invited:
            await client.join(room_id)
        if info.space_id not in invited:
            raise RuntimeError("the Nheko user was not invited to the session")
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.nheko_check", description=__doc__)
    parser.add_argument("--out", default="nheko-check", help="screenshots, Nheko's log, JSON")
    args = parser.parse_args(argv)
    if missing := nheko_driver.missing_tools():
        print(f"needs {', '.join(missing)}: installer/install-system-deps.sh --bench")
        return 2
    quiet_environment()
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with (
        running_homeserver("nheko-check") as (server, work),
        nheko_driver.xvfb(work.parent, 93) as d,
    ):
        work.mkdir(parents=True, exist_ok=True)
        result = asyncio.run(Check(server, work, Screen(d, out)).run())
    emit_json("nheko_check", result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
