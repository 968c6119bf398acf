"""One emoji verification with one other device: the spec's state machine, transport-free.

Every step takes a received message (or the user's choice) and returns the messages to
send; a message the flow cannot go on with raises ``ProtocolError`` with the spec's
cancellation code, and the hub cancels the flow with it. How a message is tied to its
flow is the transport's: ``transaction_id`` to-device, an ``m.reference`` to the request
event in a room (``bind``).

Nothing is trusted until the other side's MAC over its device key checks out under the
secret only the two devices share, and only after our user said the emoji match.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import vodozemac

from app.core import verification as v
from app.core.verification import Phase, Transport, VerificationView
from app.matrix.verification import sas
from app.matrix.verification.inbox import PREFIX
from app.matrix.verification.sas import ProtocolError

Out = tuple[str, dict[str, Any]]  # (event type, content) to send to the other side

_ED25519 = re.compile(r"^[A-Za-z0-9+/]{43}$")  # an unpadded base64 Ed25519 public key
_REASON_CHARS = 200


@dataclass(frozen=True, slots=True)
class Own:
    """This device: user id, device id, Ed25519 identity key, and our master
    cross-signing key when the account has one (then our MAC covers it too, so the other
    side can trust our identity, not only this device)."""

    user: str
    device: str
    ed25519: str
    master: str = ""


class Flow:
    """The verification of one other device, from request (or start) to done or cancel."""

    def __init__(
        self,
        key: str,
        transport: Transport,
        own: Own,
        other_user: str,
        *,
        incoming: bool,
        device_key: Callable[[str, str], str | None],
        flow_id: str | None = None,
        room_id: str | None = None,
        other_device: str = "",
    ) -> None:
        self.key = key
        self.transport = transport
        self.own = own
        self.other_user = other_user
        self.other_device = other_device
        self.incoming = incoming
        self.flow_id = flow_id
        self.room_id = room_id
        self.phase = Phase.REQUESTED
        self._device_key = device_key  # (user, device) -> its Ed25519 key, None if unknown
        self._sas = vodozemac.Sas()
        self._public_key = self._sas.public_key.to_base64()
        self._start: dict[str, Any] | None = None  # the start in force, as sent or received
        self._we_started = False
        self._bare_start = False  # a start with no request before it (matrix-nio)
        self._method = ""  # the MAC method agreed
        self._their_commitment = ""
        self._key_sent = False
        self._shared: vodozemac.EstablishedSas | None = None
        self._their_mac: Mapping[str, Any] | None = None
        self._mac_sent = False
        self.emoji: tuple[int, ...] = ()
        self.decimals: tuple[int, ...] = ()
        self.master_key: str | None = None  # their master key, if their MAC covered one
        self.cancel_code = ""
        self.cancelled_by_us = False
        self.reason = ""

    # -- what the UI sees ---------------------------------------------------------------

    def view(self) -> VerificationView:
        return VerificationView(
            key=self.key,
            other_user=self.other_user,
            other_device=self.other_device,
            transport=self.transport,
            incoming=self.incoming,
            phase=self.phase,
            emoji=self.emoji,
            decimals=self.decimals,
            cancel_code=self.cancel_code,
            cancelled_by_us=self.cancelled_by_us,
            reason=self.reason,
        )

    @property
    def finished(self) -> bool:
        return self.phase in (Phase.DONE, Phase.CANCELLED)

    def bind(self, content: Mapping[str, Any]) -> dict[str, Any]:
        """The content tied to this flow, as its transport ties messages."""
        assert self.flow_id is not None
        if self.transport is Transport.TO_DEVICE:
            return {**content, "transaction_id": self.flow_id}
        return {**content, "m.relates_to": {"rel_type": "m.reference", "event_id": self.flow_id}}

    # -- the user's choices ------------------------------------------------------------

    def accept(self) -> list[Out]:
        """The user agreed to an incoming request (or bare start)."""
        if not self.incoming or self.phase is not Phase.REQUESTED:
            return []
        if self._bare_start:
            assert self._start is not None
            return self._answer_start(self._start)
        self.phase = Phase.READY
        return [(PREFIX + "ready", self.bind(_ready(self.own.device)))]

    def confirm(self) -> list[Out]:
        """The user says the emoji match. Under the legacy MAC our MAC waits for theirs,
        to answer in the encoding the other client uses (sas.py)."""
        if self.phase is not Phase.SHOWING:
            return []
        self.phase = Phase.CONFIRMED
        if self._their_mac is not None:
            return self._check_their_mac()
        if self._method == sas.MAC_LEGACY:
            return []
        return [self._our_mac(fixed=True)]

    def cancel(self, code: str, reason: str) -> list[Out]:
        if self.finished:
            return []
        self.phase = Phase.CANCELLED
        self.cancel_code, self.reason, self.cancelled_by_us = code, reason, True
        if self.flow_id is None or not self.other_device:
            return []
        return [(PREFIX + "cancel", self.bind({"code": code, "reason": reason}))]

    # -- what the other side sends -----------------------------------------------------

    def receive(self, kind: str, content: Mapping[str, Any]) -> list[Out]:
        """One message of this flow (``kind`` without the ``m.key.verification.`` prefix)."""
        if kind == "cancel":
            self._cancelled_by_them(content)
            return []
        if self.finished:
            return []  # late messages of a finished flow change nothing
        step = {
            "ready": self._on_ready,
            "start": self._on_start,
            "accept": self._on_accept,
            "key": self._on_key,
            "mac": self._on_mac,
            "done": self._on_done,
        }.get(kind)
        if step is None:
            raise ProtocolError(v.UNEXPECTED_MESSAGE, f"{kind[:64]!r} is not a verification step")
        return step(content)

    def _cancelled_by_them(self, content: Mapping[str, Any]) -> None:
        if self.finished:
            return
        code, reason = content.get("code"), content.get("reason")
        self.phase = Phase.CANCELLED
        self.cancel_code = code[:64] if isinstance(code, str) else v.USER
        self.reason = reason[:_REASON_CHARS] if isinstance(reason, str) else ""

    def _on_ready(self, content: Mapping[str, Any]) -> list[Out]:
        if self.incoming or self.phase is not Phase.REQUESTED:
            raise ProtocolError(v.UNEXPECTED_MESSAGE, "a ready we did not ask for")
        device = _text(content, "from_device")
        if sas.SAS_V1 not in _list(content, "methods"):
            raise ProtocolError(v.UNKNOWN_METHOD, "the other side cannot verify with emoji")
        self.other_device = device
        self.phase = Phase.STARTED  # we asked, so we start (spec: either may; ours is first)
        self._we_started = True
        self._start = self.bind(sas.start_offer(self.own.device))
        return [(PREFIX + "start", self._start)]

    def take_bare_start(self, content: Mapping[str, Any]) -> None:
        """An incoming flow that begins with a start and no request (matrix-nio's way);
        the user accepts it like a request."""
        self.other_device = _text(content, "from_device")
        sas.choose(content)  # an offer we cannot take is refused before anyone is asked
        self._start, self._bare_start = dict(content), True

    def _on_start(self, content: Mapping[str, Any]) -> list[Out]:
        device = _text(content, "from_device")
        if device != self.other_device:
            raise ProtocolError(v.UNEXPECTED_MESSAGE, "a start from another device")
        if self.phase is Phase.READY:
            return self._answer_start(content)
        if self.phase is Phase.STARTED and self._we_started and not self._their_commitment:
            # Both sent a start: the spec keeps the one from the lower user id (then device).
            if (self.own.user, self.own.device) < (self.other_user, device):
                return []
            return self._answer_start(content)
        raise ProtocolError(v.UNEXPECTED_MESSAGE, "a start at the wrong moment")

    def _answer_start(self, content: Mapping[str, Any]) -> list[Out]:
        choices = sas.choose(content)
        self._start, self._we_started = dict(content), False
        self._method = choices["message_authentication_code"]
        hex_form = sas.checks_hex_commitment(content)  # matrix-nio; everyone else: base64
        choices["commitment"] = sas.commitment(self._public_key, content, hex_form)
        self.phase = Phase.STARTED
        return [(PREFIX + "accept", self.bind(choices))]

    def _on_accept(self, content: Mapping[str, Any]) -> list[Out]:
        if not self._we_started or self.phase is not Phase.STARTED or self._their_commitment:
            raise ProtocolError(v.UNEXPECTED_MESSAGE, "an accept at the wrong moment")
        self._method = sas.check_choice(content)
        self._their_commitment = str(content["commitment"])
        self._key_sent = True
        return [(PREFIX + "key", self.bind({"key": self._public_key}))]

    def _on_key(self, content: Mapping[str, Any]) -> list[Out]:
        key = _text(content, "key")
        if self.phase is not Phase.STARTED or self._shared is not None:
            raise ProtocolError(v.UNEXPECTED_MESSAGE, "a key at the wrong moment")
        assert self._start is not None
        if self._we_started:
            if not self._key_sent:
                raise ProtocolError(v.UNEXPECTED_MESSAGE, "a key before the accept")
            if not sas.commitment_holds(self._their_commitment, key, self._start):
                raise ProtocolError(
                    v.MISMATCHED_COMMITMENT, "the key does not match its commitment"
                )
        if key in sas.PUBLICLY_KNOWN_KEYS:
            raise ProtocolError(v.KNOWN_KEY, "a key whose private half is publicly known")
        try:
            self._shared = self._sas.diffie_hellman(vodozemac.Curve25519PublicKey.from_base64(key))
        except Exception as exc:  # vodozemac's key errors have no common public base
            raise ProtocolError(v.INVALID_MESSAGE, "the key is not a Curve25519 key") from exc
        ours = (self.own.user, self.own.device, self._public_key)
        theirs = (self.other_user, self.other_device, key)
        starter, accepter = (ours, theirs) if self._we_started else (theirs, ours)
        assert self.flow_id is not None
        info = sas.sas_info(starter, accepter, self.flow_id)
        self.emoji, self.decimals = sas.short_strings(self._shared, info)
        self.phase = Phase.SHOWING
        if self._we_started:
            return []
        return [(PREFIX + "key", self.bind({"key": self._public_key}))]

    def _on_mac(self, content: Mapping[str, Any]) -> list[Out]:
        if self.phase not in (Phase.SHOWING, Phase.CONFIRMED) or self._their_mac is not None:
            raise ProtocolError(v.UNEXPECTED_MESSAGE, "a MAC at the wrong moment")
        macs = content.get("mac")
        if (
            not isinstance(macs, dict)
            or not macs
            or not all(isinstance(k, str) and isinstance(m, str) for k, m in macs.items())
        ):
            raise ProtocolError(v.INVALID_MESSAGE, "mac must map key ids to strings")
        _text(content, "keys")
        self._their_mac = content
        return self._check_their_mac() if self.phase is Phase.CONFIRMED else []

    def _on_done(self, _content: Mapping[str, Any]) -> list[Out]:
        return []  # their done changes nothing: trust came from their MAC, not from this

    # -- MACs ---------------------------------------------------------------------------

    def _our_mac(self, fixed: bool) -> Out:
        assert self._shared is not None and self.flow_id is not None
        keys = {f"ed25519:{self.own.device}": self.own.ed25519}
        if self.own.master:
            keys[f"ed25519:{self.own.master}"] = self.own.master
        info = sas.mac_info((self.own.user, self.own.device), self._them, self.flow_id)
        self._mac_sent = True
        return (
            PREFIX + "mac",
            self.bind(sas.make_mac(self._shared, self._method, keys, info, fixed)),
        )

    @property
    def _them(self) -> tuple[str, str]:
        return (self.other_user, self.other_device)

    def _check_their_mac(self) -> list[Out]:
        """Their MAC, once our user confirmed: every key it names must check, and it
        must name their device key. Then ours goes (if it waited), then done."""
        assert self._shared is not None and self._their_mac is not None and self.flow_id
        info = sas.mac_info(self._them, (self.own.user, self.own.device), self.flow_id)
        macs: Mapping[str, str] = self._their_mac["mac"]
        listed = ",".join(sorted(macs))
        encoding = sas.mac_holds(
            self._shared, self._method, listed, info + "KEY_IDS", str(self._their_mac["keys"])
        )
        if encoding is None:
            raise ProtocolError(v.KEY_MISMATCH, "the list of keys does not match its MAC")
        device_checked = False
        for key_id, claimed in macs.items():
            algorithm, _, name = key_id.partition(":")
            if algorithm != "ed25519":
                raise ProtocolError(v.KEY_MISMATCH, f"an unknown key type in {key_id[:80]!r}")
            if name == self.other_device:
                key = self._device_key(self.other_user, name)
                if key is None:
                    raise ProtocolError(v.KEY_MISMATCH, "their device's key is not known here")
                if sas.mac_holds(self._shared, self._method, key, info + key_id, claimed) is None:
                    raise ProtocolError(v.KEY_MISMATCH, "their device key does not match")
                device_checked = True
            elif _ED25519.match(name):  # a cross-signing key names itself: their master key
                if sas.mac_holds(self._shared, self._method, name, info + key_id, claimed) is None:
                    raise ProtocolError(v.KEY_MISMATCH, "their master key does not match")
                self.master_key = name
        if not device_checked:
            raise ProtocolError(v.KEY_MISMATCH, "their MAC does not cover their device key")
        out = [] if self._mac_sent else [self._our_mac(fixed=encoding == "fixed")]
        self.phase = Phase.DONE
        return [*out, (PREFIX + "done", self.bind({}))]


def _ready(device: str) -> dict[str, Any]:
    return {"from_device": device, "methods": [sas.SAS_V1]}


def _text(content: Mapping[str, Any], name: str) -> str:
    value = content.get(name)
    if not isinstance(value, str) or not value or len(value) > 1_000:
        raise ProtocolError(v.INVALID_MESSAGE, f"{name} must be a non-empty string")
    return value


def _list(content: Mapping[str, Any], name: str) -> list[Any]:
    value = content.get(name)
    if not isinstance(value, list):
        raise ProtocolError(v.INVALID_MESSAGE, f"{name} must be a list")
    return value
