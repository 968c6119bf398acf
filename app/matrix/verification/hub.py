"""All verifications of this device: routing what arrives to its flow, sending what the
flows answer, the rules around them (one at a time per person, time-outs), and the
trust they end in (the other device marked verified in nio's Olm store).

Messages arrive by two ways: to-device (taken out of the sync body before nio parses it,
so nio's own SAS never answers them) and as room events (handed over by the service
after they are archived). Anything that does not fit is recorded and skipped; no
message, however formed, raises out of here into the sync.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from typing import Any

from app.core import verification as v
from app.core.records import RoomEvent
from app.core.to_device import ToDeviceFault, ToDeviceProblem
from app.core.verification import Phase, Transport, VerificationView
from app.matrix.verification.checks import age_ok, check_age, check_methods, now_ms, skipped
from app.matrix.verification.flow import PREFIX, Flow, Out
from app.matrix.verification.sas import SAS_V1, ProtocolError
from app.matrix.verification.transport import ToDevice

log = logging.getLogger(__name__)
REQUEST_MSGTYPE = PREFIX + "request"
TIMEOUT_S = 600.0  # the spec's ten minutes

Changed = Callable[[VerificationView], None]
Verified = Callable[[str, str, "str | None"], Awaitable[None]]
RoomSender = Callable[[str, str, dict[str, Any]], Awaitable[str]]  # -> the outbox txn id


class VerificationRefused(Exception):
    """A verification we cannot begin or go on with; its text is a code the UI words:
    ``busy`` (one with this person runs), ``no_device`` (no other device of ours),
    ``no_room`` (no room shared with them), ``unknown`` (a verification long gone)."""


class Verifications:
    """The verification flows of one device."""

    def __init__(self, to_device: ToDevice, problems: list[ToDeviceProblem]) -> None:
        self._wire = to_device
        self._problems = problems  # the to-device record (same list as the Olm guard's)
        self._flows: dict[str, Flow] = {}  # our key -> flow
        self._by_id: dict[str, Flow] = {}  # transaction id / request event id -> flow
        self._by_txn: dict[str, Flow] = {}  # outbox txn of an in-room request -> flow
        self._targets: dict[str, list[str]] = {}  # key -> devices a to-device request went to
        self._timers: dict[str, asyncio.TimerHandle] = {}
        self._asked_at: dict[str, int] = {}  # key -> origin_ts of an in-room request to us
        self.timeout_s = TIMEOUT_S
        self.master_key = ""  # ours, once cross-signing has one: our MACs then cover it
        self._changed: Changed = lambda _view: None
        self._verified: Verified | None = None
        self._send_room: RoomSender | None = None

    def listen(self, changed: Changed, verified: Verified, send_room: RoomSender) -> None:
        """Who hears of changes and of trust, and how room messages are sent (the outbox)."""
        self._changed, self._verified, self._send_room = changed, verified, send_room

    def view(self, key: str) -> VerificationView:
        return self._flow(key).view()

    # -- the user's commands ------------------------------------------------------------

    async def request(self, user_id: str) -> str:
        """Ask to verify a person: our own other devices to-device, anyone else in a
        room we share. Returns the flow's key."""
        if self._active_with(user_id) is not None:
            raise VerificationRefused("busy")
        own = self._wire.own()
        key = uuid.uuid4().hex
        if user_id == own.user:
            devices = [d for d in await self._wire.devices(user_id) if d != own.device]
            if not devices:
                raise VerificationRefused("no_device")
            flow = self._new(key, Transport.TO_DEVICE, user_id, incoming=False, flow_id=key)
            self._targets[key] = devices
            content = flow.bind(
                {"from_device": own.device, "methods": [SAS_V1], "timestamp": now_ms()}
            )
            await self._wire.send_many(user_id, devices, PREFIX + "request", content)
        else:
            room_id = self._wire.shared_room(user_id)
            if room_id is None or self._send_room is None:
                raise VerificationRefused("no_room")
            flow = self._new(key, Transport.ROOM, user_id, incoming=False, room_id=room_id)
            body = f"{own.user} asks to verify {user_id} with emoji."
            request = {
                "msgtype": REQUEST_MSGTYPE,
                "body": body,
                "from_device": own.device,
                "methods": [SAS_V1],
                "to": user_id,
            }
            self._by_txn[await self._send_room(room_id, "m.room.message", request)] = flow
        self._announce(flow)
        return key

    async def accept(self, key: str) -> None:
        await self._command(key, lambda flow: flow.accept())

    async def confirm(self, key: str) -> None:
        await self._command(key, lambda flow: flow.confirm())

    async def mismatch(self, key: str) -> None:
        await self._command(key, lambda f: f.cancel(v.MISMATCHED_SAS, "The emoji did not match"))

    async def _command(self, key: str, step: Callable[[Flow], list[Out]]) -> None:
        """A user's step: a flow it ends by a protocol error (their MAC fails once we
        confirm) is cancelled and shown as such; the command itself did what it should."""
        with contextlib.suppress(ProtocolError):
            await self._step(self._flow(key), step)

    async def cancel(self, key: str) -> None:
        flow = self._flow(key)
        if flow.transport is Transport.TO_DEVICE and not flow.other_device:
            await self._cancel_targets(flow, self._targets.get(key, []), v.USER)
        await self._command(key, lambda f: f.cancel(v.USER, "Cancelled by the user"))

    # -- what arrives -------------------------------------------------------------------

    async def receive_to_device(self, events: list[Mapping[str, Any]]) -> None:
        """Verification messages taken out of a sync body, in order."""
        for event in events:
            try:
                await self._to_device(event)
            except ProtocolError as exc:
                self._problems.append(skipped(event, f"{exc.code}: {exc.reason}"))
            except Exception as exc:  # nothing a message holds may stop the sync
                log.exception("verification message failed")
                self._problems.append(
                    skipped(event, f"{type(exc).__name__}: {exc}", ToDeviceFault.FAILED)
                )

    async def _to_device(self, event: Mapping[str, Any]) -> None:
        sender, kind = str(event["sender"]), str(event["type"])[len(PREFIX) :]
        content: Mapping[str, Any] = event["content"]
        flow_id = content.get("transaction_id")
        if not isinstance(flow_id, str) or not flow_id or len(flow_id) > 255:
            raise ProtocolError(v.INVALID_MESSAGE, "no transaction id")
        flow = self._by_id.get(flow_id)
        if flow is None:
            if kind not in ("request", "start"):
                raise ProtocolError(v.UNKNOWN_TRANSACTION, f"no verification {flow_id[:64]!r}")
            await self._incoming_to_device(sender, kind, flow_id, content)
            return
        if sender != flow.other_user or flow.transport is not Transport.TO_DEVICE:
            raise ProtocolError(v.USER_MISMATCH, "a message for someone else's verification")
        if kind == "ready" and not flow.other_device:
            await self._chose_device(flow, content)
        await self._receive(flow, kind, content)

    async def _incoming_to_device(
        self, sender: str, kind: str, flow_id: str, content: Mapping[str, Any]
    ) -> None:
        device = content.get("from_device")
        if not isinstance(device, str) or not device:
            raise ProtocolError(v.INVALID_MESSAGE, "no from_device")
        if kind == "request":
            check_methods(content)
            check_age(content.get("timestamp"), self.timeout_s)
        if self._refuse_parallel(sender):
            bound = {"transaction_id": flow_id, "code": v.UNEXPECTED_MESSAGE}
            reason = "Another verification with this person is under way"
            await self._wire.send(sender, device, PREFIX + "cancel", {**bound, "reason": reason})
            raise ProtocolError(v.UNEXPECTED_MESSAGE, "refused: another one is under way")
        flow = self._new(
            uuid.uuid4().hex, Transport.TO_DEVICE, sender, incoming=True, flow_id=flow_id
        )
        flow.other_device = device
        if kind == "start":
            try:
                flow.take_bare_start(content)
            except ProtocolError as exc:
                await self._send(flow, flow.cancel(exc.code, exc.reason))
                raise
        self._announce(flow)

    async def _chose_device(self, flow: Flow, content: Mapping[str, Any]) -> None:
        """The first of our devices to answer a to-device request takes it; the others are
        told it was accepted elsewhere (spec)."""
        device = content.get("from_device")
        targets = self._targets.pop(flow.key, [])
        if isinstance(device, str) and device in targets:
            await self._cancel_targets(
                flow, [d for d in targets if d != device], v.ACCEPTED_ELSEWHERE
            )

    async def _cancel_targets(self, flow: Flow, devices: list[str], code: str) -> None:
        if devices and flow.flow_id is not None:
            content = flow.bind({"code": code, "reason": "Verified on another device"})
            await self._wire.send_many(flow.other_user, devices, PREFIX + "cancel", content)

    async def receive_room(self, event: RoomEvent) -> None:
        """A verification event of a room (the request is an m.room.message), archived."""
        try:
            await self._room(event)
        except ProtocolError as exc:  # in the archive already: the log says why it was skipped
            log.warning(
                "skipped verification event %s from %s: %s", event.event_id, event.sender, exc
            )
        except Exception:
            log.exception("verification event %s failed", event.event_id)

    async def _room(self, event: RoomEvent) -> None:
        room_id, event_id, sender, kind = event.room_id, event.event_id, event.sender, event.type
        content = event.content
        own = self._wire.own()
        if kind == "m.room.message":
            if sender == own.user:  # the echo of our own request names it
                flow = self._by_txn.pop(event.txn_id or "", None)
                if flow is not None:
                    flow.flow_id = event_id
                    self._by_id[event_id] = flow
                return
            if content.get("to") == own.user and age_ok(event.origin_ts, self.timeout_s):
                await self._incoming_room(room_id, event_id, sender, content, event.origin_ts)
            return
        relates = content.get("m.relates_to")
        target = relates.get("event_id") if isinstance(relates, Mapping) else None
        flow = self._by_id.get(target) if isinstance(target, str) else None
        if flow is None or flow.transport is not Transport.ROOM or flow.room_id != room_id:
            return  # history of verifications long gone, or of other people
        if sender == own.user:
            if content.get("from_device") not in (None, own.device) and not flow.finished:
                flow.phase, flow.cancel_code = Phase.CANCELLED, v.ACCEPTED_ELSEWHERE
                self._announce(flow)  # another of our devices took it
            return
        if sender != flow.other_user:
            raise ProtocolError(v.USER_MISMATCH, "a stranger's message in this verification")
        if flow.incoming and flow.phase is Phase.REQUESTED and kind != PREFIX + "cancel":
            # They went on past the request, so another device of ours answered it (its
            # ready may be one we cannot read: sent before this device existed). Spec: the
            # other devices dismiss the request; we are no party to it, so we send nothing.
            flow.phase, flow.cancel_code = Phase.CANCELLED, v.ACCEPTED_ELSEWHERE
            self._announce(flow)
            self._arm(flow)
            return
        await self._receive(flow, kind[len(PREFIX) :], content)

    async def _incoming_room(
        self, room_id: str, event_id: str, sender: str, content: Mapping[str, Any], origin_ts: int
    ) -> None:
        device = content.get("from_device")
        if not isinstance(device, str) or not device or event_id in self._by_id:
            raise ProtocolError(v.INVALID_MESSAGE, "a request without from_device")
        check_methods(content)
        flow = self._new(
            uuid.uuid4().hex,
            Transport.ROOM,
            sender,
            incoming=True,
            flow_id=event_id,
            room_id=room_id,
        )
        flow.other_device = device
        self._asked_at[flow.key] = origin_ts
        running = self._active_with(sender, besides=flow)
        if running is not None and origin_ts < self._asked_at.get(running.key, 0):
            # An older request read after a newer one (history, late decryption): the
            # newer one is the live one; this one was settled long ago. Nothing is sent.
            flow.phase, flow.cancel_code = Phase.CANCELLED, v.USER
            self._arm(flow)
            return
        if running is not None:
            reason = "Another verification with this person is under way"
            await self._step(flow, lambda f: f.cancel(v.UNEXPECTED_MESSAGE, reason))
            return
        self._announce(flow)

    # -- running the flows --------------------------------------------------------------

    def _new(
        self,
        key: str,
        transport: Transport,
        user: str,
        *,
        incoming: bool,
        flow_id: str | None = None,
        room_id: str | None = None,
    ) -> Flow:
        flow = Flow(
            key,
            transport,
            replace(self._wire.own(), master=self.master_key),
            user,
            incoming=incoming,
            device_key=self._wire.device_key,
            flow_id=flow_id,
            room_id=room_id,
        )
        self._flows[key] = flow
        if flow_id is not None:
            self._by_id[flow_id] = flow
        self._arm(flow)
        return flow

    def _flow(self, key: str) -> Flow:
        flow = self._flows.get(key)
        if flow is None:
            raise VerificationRefused("unknown")
        return flow

    def _active_with(self, user: str, besides: Flow | None = None) -> Flow | None:
        return next(
            (
                f
                for f in self._flows.values()
                if f.other_user == user and not f.finished and f is not besides
            ),
            None,
        )

    def _refuse_parallel(self, user: str, flow: Flow | None = None) -> bool:
        """A second verification with someone while one runs is refused (the first goes on)."""
        return self._active_with(user, besides=flow) is not None

    async def _receive(self, flow: Flow, kind: str, content: Mapping[str, Any]) -> None:
        if kind == "mac" and flow.other_device:  # its check needs their device key
            await self._wire.ensure_device(flow.other_user, flow.other_device)
        await self._step(flow, lambda f: f.receive(kind, content))

    async def _step(self, flow: Flow, step: Callable[[Flow], list[Out]]) -> None:
        """Run one step; a protocol error cancels the flow with its code. Then send what it
        answered, tell the UI, and on success mark the device verified."""
        before = (flow.phase, flow.emoji)
        try:
            out = step(flow)
        except ProtocolError as exc:
            await self._send(flow, flow.cancel(exc.code, exc.reason))
            self._announce(flow)
            raise
        await self._send(flow, out)
        if flow.phase is Phase.DONE and before[0] is not Phase.DONE:
            await self._trust(flow)
        if (flow.phase, flow.emoji) != before:
            self._announce(flow)
        self._arm(flow)

    async def _trust(self, flow: Flow) -> None:
        self._wire.mark_verified(flow.other_user, flow.other_device)
        log.info("verified device %s of %s", flow.other_device, flow.other_user)
        if self._verified is not None:
            await self._verified(flow.other_user, flow.other_device, flow.master_key)

    async def _send(self, flow: Flow, out: list[Out]) -> None:
        for kind, content in out:
            if flow.transport is Transport.TO_DEVICE:
                await self._wire.send(flow.other_user, flow.other_device, kind, content)
            elif self._send_room is not None and flow.room_id is not None:
                await self._send_room(flow.room_id, kind, content)

    def _announce(self, flow: Flow) -> None:
        try:
            self._changed(flow.view())
        except Exception:
            log.exception("verification listener failed")

    def _arm(self, flow: Flow) -> None:
        """(Re)start the flow's clock: ten quiet minutes cancel it (spec), finished or not."""
        old = self._timers.pop(flow.key, None)
        if old is not None:
            old.cancel()
        if flow.finished:
            return
        loop = asyncio.get_running_loop()
        self._timers[flow.key] = loop.call_later(
            self.timeout_s, lambda: loop.create_task(self._expire(flow))
        )

    async def _expire(self, flow: Flow) -> None:
        if not flow.finished:
            try:
                await self._step(flow, lambda f: f.cancel(v.TIMEOUT, "The verification timed out"))
            except Exception:
                log.exception("time-out of verification %s failed", flow.key)
