"""Room key requests: asking for keys we lack, answering the requests the spec allows.

Asking: for each Megolm session of an archived event we cannot decrypt, an
``m.room_key_request`` goes to our own other devices and to the sending device, again
after a growing pause (1 min, 5 min, 30 min, then every 2 h while the app runs), and is
cancelled once the key is here.

Answering (nio answers only its own *verified* devices, which nobody has before
cross-signing, and never anyone else):
- our own other devices get every key we hold, except the keys of a room under the
  device policy, which go only to devices we have cross-signed (``m.unverified``);
- a device of another user gets a key of *our* session only if it was given that session
  when it was used (``ShareLog``), and only from the index it was given then;
- anyone else is told no with ``m.room_key.withheld`` (``m.unauthorised``, or
  ``m.unavailable`` when we do not hold the key).
Keys forwarded to us are accepted for sessions we asked for, from our own devices or from
the device that owns the session; nio alone accepts only verified own devices.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from nio import (
    MegolmEvent,
    RoomKeyRequest,
    SyncResponse,
    ToDeviceMessage,
)
from nio.crypto import Olm
from nio.crypto.key_request import OutgoingKeyRequest

from app.matrix.crypto.outbound import ReliableKeySharing

log = logging.getLogger(__name__)
_MEGOLM = "m.megolm.v1.aes-sha2"
_PAUSES = (60.0, 300.0, 1800.0, 7200.0)  # seconds before asking again for the same key
_WITHHELD = "m.room_key.withheld"
_MAX_UNKNOWN = 200  # requests kept for devices not known yet (anyone can send requests)
_UNKNOWN_TRIES = 5  # answer passes a request from an unknown device waits through
_REASONS = {
    "m.unauthorised": "You are not allowed to read this message.",
    "m.unavailable": "The key of this message is not held by this device.",
    "m.unverified": "The sender has disabled encrypting to unverified devices.",
}


@dataclass(slots=True)
class _Asked:
    """One outstanding request of ours: whom we asked and when to ask again."""

    room_id: str
    sender: str
    sender_device: str
    attempts: int
    due: float


@dataclass(frozen=True, slots=True)
class Withheld:
    """A sender's device said it will not send a session's key, and why (a spec code)."""

    sender: str
    session_id: str
    code: str


class _GossipOlm(Olm):
    """nio's Olm machine, accepting forwarded keys by the rule above."""

    def _should_accept_forward(self, sender: str, sender_key: str, event: Any) -> bool:
        asked = self.outgoing_key_requests.get(event.session_id)
        if event.algorithm != _MEGOLM or asked is None or asked.room_id != event.room_id:
            return False
        device = self.device_store.device_from_sender_key(sender, sender_key)
        if device is None or self.is_device_blacklisted(device):
            return False
        session_owner = event.source.get("content", {}).get("sender_key")
        return sender == self.user_id or device.curve25519 == session_owner


class KeyGossip(ReliableKeySharing):
    """An AsyncClient that asks for missing room keys and answers requests by our rules."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._asked: dict[str, _Asked] = {}  # session id -> our request
        # Requests from devices we have not seen yet (a new laptop asks before our key
        # query learnt of it): tried again after the next key queries, then dropped.
        self._unknown_requesters: dict[str, tuple[RoomKeyRequest, int]] = {}
        self.withheld: list[Withheld] = []  # for the account to record, then clear

    def load_store(self) -> None:
        super().load_store()
        if self.olm is not None:  # same state, our acceptance rule for forwarded keys
            self.olm.__class__ = _GossipOlm

    async def receive_response(self, response: Any) -> None:
        if isinstance(response, SyncResponse):
            for event in response.to_device_events:
                self._note_withheld(event.source)
        await super().receive_response(response)

    def _note_withheld(self, source: Any) -> None:
        if not isinstance(source, dict) or source.get("type") != _WITHHELD:
            return
        content = source.get("content")
        if not isinstance(content, dict):
            return
        session_id, code = content.get("session_id"), content.get("code")
        if isinstance(session_id, str) and isinstance(code, str):
            self.withheld.append(Withheld(str(source.get("sender", "")), session_id, code[:64]))

    # -- asking ------------------------------------------------------------------------

    def ask_for_keys(self, events: list[MegolmEvent]) -> dict[str, str]:
        """Queue requests (due ones only) for these undecryptable events; cancel those
        whose key has come. Returns event id -> whom the key was asked from."""
        assert self.olm and self.user_id and self.device_id
        now = time.monotonic()
        asked_from: dict[str, str] = {}
        locked: set[str] = set()
        for event in events:
            locked.add(event.session_id)
            asked = self._asked.get(event.session_id)
            if asked is None:
                asked = _Asked(event.room_id, event.sender, self._sending_device(event), 0, now)
                self._asked[event.session_id] = asked
            if asked.due <= now:
                self._queue_request(event, asked)
                asked.attempts += 1
                asked.due = now + _PAUSES[min(asked.attempts, len(_PAUSES)) - 1]
            asked_from[event.event_id] = f"{event.sender} ({asked.sender_device})"
        for session_id in [s for s in self._asked if s not in locked]:
            self._cancel(session_id, self._asked.pop(session_id))
        return asked_from

    def requests_due(self) -> bool:
        """Some request waits for its next attempt now."""
        now = time.monotonic()
        return any(asked.due <= now for asked in self._asked.values())

    def _sending_device(self, event: MegolmEvent) -> str:
        """The sending device's id: named in the event (older clients) or found by its
        key; '*' (all the sender's devices) when we do not know it yet."""
        assert self.olm
        if event.device_id:
            return event.device_id
        device = self.olm.device_store.device_from_sender_key(event.sender, event.sender_key)
        return device.id if device is not None else "*"

    def _queue_request(self, event: MegolmEvent, asked: _Asked) -> None:
        assert self.olm and self.user_id and self.device_id
        request = OutgoingKeyRequest(event.session_id, event.session_id, event.room_id, _MEGOLM)
        if event.session_id not in self.olm.outgoing_key_requests:
            self.olm.outgoing_key_requests[event.session_id] = request
            self.olm.store.add_outgoing_key_request(request)
        for user_id, device_id in ((self.user_id, "*"), (event.sender, asked.sender_device)):
            message = event.as_key_request(self.user_id, self.device_id, event.session_id)
            message.recipient, message.recipient_device = user_id, device_id
            self.olm.outgoing_to_device_messages.append(message)

    def _cancel(self, session_id: str, asked: _Asked) -> None:
        """The key came (forwarded or not): tell everybody asked to stop."""
        assert self.olm and self.user_id and self.device_id
        request = self.olm.outgoing_key_requests.pop(session_id, None)
        if request is not None:
            self.olm.store.remove_outgoing_key_request(request)
        content = {
            "action": "request_cancellation",
            "request_id": session_id,
            "requesting_device_id": self.device_id,
        }
        for user_id, device_id in ((self.user_id, "*"), (asked.sender, asked.sender_device)):
            self.olm.outgoing_to_device_messages.append(
                ToDeviceMessage("m.room_key_request", user_id, device_id, content)
            )

    # -- answering ---------------------------------------------------------------------

    async def _collect_key_requests(self) -> None:
        """Replaces nio's (run after each sync): answer by the rules above."""
        await self.answer_key_requests()

    async def answer_key_requests(self) -> None:
        """Answer requests received, and those that waited for a device we did not know
        or for an Olm session: called again after each key query and claim."""
        if self.olm is None:
            return
        # A cancellation arrives under its request's id and so replaces it here.
        requests = {**self._unknown_requesters}
        requests.update((k, (v, 0)) for k, v in self.olm.received_key_requests.items())
        self.olm.received_key_requests, self._unknown_requesters = {}, {}
        for request_id, (request, tries) in requests.items():
            if not isinstance(request, RoomKeyRequest) or self._answer(request):
                continue
            if tries < _UNKNOWN_TRIES and len(self._unknown_requesters) < _MAX_UNKNOWN:
                self._unknown_requesters[request_id] = (request, tries + 1)
                if tries == 0:  # ask the server about the device once, not every sync
                    self.olm.users_for_key_query.add(request.sender)

    def _answer(self, request: RoomKeyRequest) -> bool:
        """Forward, refuse or queue for an Olm session; False if the device is unknown."""
        assert self.olm
        user_id, device_id = request.sender, request.requesting_device_id
        if user_id == self.user_id and device_id == self.device_id:
            return True  # our own request, echoed to us by '*'
        devices = self.olm.device_store.active_user_devices(user_id)
        device = next((d for d in devices if d.id == device_id), None)
        if device is None:
            return False
        if self.olm.is_device_blacklisted(device):
            return True  # told nothing: a blocked device learns nothing from us
        if self._unverified_here(request.room_id, user_id, device_id):
            self._withhold(request, "m.unverified")  # the session policy, as when sharing
            return True
        inbound = self.olm.inbound_group_store.get(
            request.room_id, request.sender_key, request.session_id
        )
        own_session = request.sender_key == self.olm.account.identity_keys["curve25519"]
        if inbound is None:
            index = None
            code = "m.unavailable"
        elif user_id == self.user_id:
            index, code = inbound.first_known_index, ""
        else:
            index = (
                self.share_log.index_for(request.room_id, request.session_id, user_id, device_id)
                if own_session
                else None
            )
            code = "m.unauthorised" if index is None else ""
        if code:
            self._withhold(request, code)
            return True
        session = self.olm.session_store.get(device.curve25519)
        if session is None:  # nio claims a one-time key, then hands the request back
            self.olm.key_request_devices_no_session.append(device)
            waiting = self.olm.key_requests_waiting_for_session[(user_id, device_id)]
            waiting[request.request_id] = request
            return True
        assert inbound is not None and index is not None
        content = {
            "algorithm": _MEGOLM,
            "forwarding_curve25519_key_chain": inbound.forwarding_chain,
            "room_id": request.room_id,
            "sender_claimed_ed25519_key": inbound.ed25519,
            "sender_key": inbound.sender_key,
            "session_id": inbound.id,
            "session_key": inbound.export_session(max(index, inbound.first_known_index)),
        }
        payload = self.olm._olm_encrypt(session, device, "m.forwarded_room_key", content)
        self.olm.outgoing_to_device_messages.append(
            ToDeviceMessage("m.room.encrypted", user_id, device_id, payload)
        )
        log.info("forwarded room key %s to %s %s", inbound.id, user_id, device_id)
        return True

    def _unverified_here(self, room_id: str, user_id: str, device_id: str) -> bool:
        """A device its owner has not cross-signed, asking for a key of a policy room."""
        ids = self.identities
        return (
            ids is not None
            and room_id in ids.policy_rooms
            and not ids.cross_signed(user_id, device_id)
        )

    def _withhold(self, request: RoomKeyRequest, code: str) -> None:
        assert self.olm
        content = {
            "algorithm": _MEGOLM,
            "room_id": request.room_id,
            "session_id": request.session_id,
            "sender_key": self.olm.account.identity_keys["curve25519"],
            "code": code,
            "reason": _REASONS[code],
        }
        self.olm.outgoing_to_device_messages.append(
            ToDeviceMessage(_WITHHELD, request.sender, request.requesting_device_id, content)
        )
