"""nio's Olm machine, made safe to feed with anything another account sends.

Four things nio 0.26 gets wrong on the receiving side, fixed here by overriding the
few methods involved (the decision and its reasons: docs/architecture.md, "Encryption
layer"):

- A to-device message nio cannot decrypt may raise out of ``handle_to_device_event``
  (a pre-key message naming a one-time key we do not hold raises vodozemac's
  SessionCreationException; a garbled body a DecodeException), which aborts the sync
  batch for good. Here every failure is recorded as a ToDeviceProblem with its reason
  and the message is skipped.
- What a Megolm event decrypts to may make nio's parser raise (``"unsigned": 5`` is a
  TypeError), and only EncryptionError is caught on the sync path: any room member
  could stop our sync for good; a plaintext that is not JSON at all nio reports as
  EncryptionError, which means "no key yet", and the event waited for a key for ever.
  Here any such failure makes the event an ``UnreadablePlaintext``, archived as
  malformed (with its ciphertext) and the reason; "not JSON" only once the machine has
  opened the message itself and found it so (a missing key or a replay still waits).
- A broken Olm session is repaired ("unwedged": new session, ``m.dummy``) only when our
  newest session with that device is an hour old, whatever made it. Here the limit is
  what the spec asks: at most one repair per device per ``unwedge_interval``.
- One-time keys were generated in memory, uploaded, and only then pickled: a login
  stopped in between left keys on the server whose private halves were gone, and every
  device that claimed one could never reach us. Here the keys are on disk before the
  upload request leaves, and a stored set not yet confirmed is uploaded again, as is.
"""

from __future__ import annotations

import binascii
import functools
import logging
import time
from collections.abc import Callable
from typing import Any

import vodozemac
from nio import MegolmEvent, OlmEvent
from nio.crypto import InboundGroupSession, Olm
from nio.events.misc import BadEvent, UnknownBadEvent
from nio.exceptions import EncryptionError, VerificationError

from app.core.to_device import ToDeviceFault, ToDeviceProblem
from app.matrix.crypto.screen import source_text
from app.matrix.crypto.unreadable import fault_of, unreadable_payload

log = logging.getLogger(__name__)
ROOM_KEY_TYPES = ("m.room_key", "m.forwarded_room_key")


class GuardedOlm(Olm):
    """nio's Olm machine that records and skips what it cannot use (see module doc)."""

    unwedge_interval = 3600.0  # seconds between two repairs of the session with one device

    problems: list[ToDeviceProblem]
    _unwedged_at: dict[str, float]
    _fault: tuple[ToDeviceFault, str] | None
    _handled: bool
    _session_saved: bool  # the Olm session that decrypted the message being handled
    room_keys_came: bool
    on_read: Callable[[dict[str, Any]], None]

    @classmethod
    def guard(
        cls,
        olm: Olm,
        problems: list[ToDeviceProblem],
        on_read: Callable[[dict[str, Any]], None] = lambda source: None,
    ) -> GuardedOlm:
        """Turn the Olm machine nio just loaded into a guarded one, in place.

        nio builds its machine inside ``load_store``; swapping the class there avoids
        loading every session and room key from the store a second time. Another layer
        may already have swapped in its own subclass (key requests do): the guard is
        then put in front of it rather than in its place, so both sets of rules hold.
        ``on_read`` is given the source of each Olm message whose session moved past it
        and was saved (its keys are spent: a copy sent again could only fail), whatever
        became of its payload after that.
        """
        current = type(olm)
        if not issubclass(current, cls):
            olm.__class__ = cls if current is Olm else _in_front_of(cls, current)
        assert isinstance(olm, GuardedOlm)
        olm.problems = problems
        olm._unwedged_at = {}
        olm._fault = None
        olm._handled = olm._session_saved = False
        olm.room_keys_came = False
        olm.on_read = on_read
        return olm

    # -- receiving ---------------------------------------------------------------------

    def handle_to_device_event(self, event: Any) -> Any:
        """nio's handling, except that nothing raises: a failure is recorded, not fatal.

        ``on_read`` hears of every Olm message whose session nio saved past it, even if
        nio then failed on its payload (a room key the store refused, a bad signature):
        its keys are spent on disk, and a copy sent again after a restart cannot open."""
        self._fault, self._handled, self._session_saved = None, False, False
        try:
            return self._guarded_handling(event)
        finally:
            if self._session_saved:
                self.on_read(event.source)

    def _guarded_handling(self, event: Any) -> Any:
        if isinstance(event, BadEvent | UnknownBadEvent):  # failed nio's schema for its type
            self._record(event, ToDeviceFault.MALFORMED, "fields missing or of the wrong type")
            return None
        try:
            if isinstance(event, OlmEvent) and (fault := self._unreadable(event)):
                self._record(event, *fault)
                return None
            result = super().handle_to_device_event(event)
        except vodozemac.SessionCreationException as exc:
            self._record(event, ToDeviceFault.UNKNOWN_ONE_TIME_KEY, str(exc))
            self._mark_device_for_unwedging(event.sender, event.sender_key)
        except (vodozemac.DecodeException, binascii.Error) as exc:
            self._record(event, ToDeviceFault.GARBLED, str(exc))
        except vodozemac.KeyException as exc:
            self._record(event, ToDeviceFault.MALFORMED, f"sender_key: {exc}")
        except Exception as exc:  # anything else nio may raise must not stop the sync
            log.exception("handling a to-device event failed")
            self._record(event, ToDeviceFault.FAILED, f"{type(exc).__name__}: {exc}")
        else:
            if isinstance(event, OlmEvent) and result is None and not self._handled:
                fault = self._fault or (ToDeviceFault.BAD_PAYLOAD, "not a valid Olm payload")
                self._record(event, *fault)
            elif isinstance(event, OlmEvent) and isinstance(result, BadEvent | UnknownBadEvent):
                # nio drops a payload its schema refuses (a room key: lost) without a word
                kind = str(result.source.get("type"))[:100]
                why = f"its {kind} payload has fields missing or of the wrong type"
                self._record(event, ToDeviceFault.MALFORMED, why)
            return result
        return None

    def decrypt_megolm_event(self, event: MegolmEvent, room_id: str | None = None) -> Any:
        """nio's decryption, except that a payload it cannot parse is no exception.

        Every path decrypts here: nio's sync and history handling (through
        ``_decrypt_megolm_no_error``, which catches only EncryptionError), its
        ``decrypt_event`` and so our late decryption. EncryptionError still means "not
        readable yet" (no key, a replay), unless the message opens and its plaintext is
        no JSON object; anything else nio raises is the payload's fault and final. A
        payload nio's schema refuses comes back as a bad event: it is rebuilt from the
        envelope (id, sender, time), whatever the payload says of them, so the archive
        keeps it where it belongs and under its real sender (a payload with its own
        ``event_id`` and ``sender`` comes back from nio as a ``BadEvent`` holding those:
        a member would choose the row's id and sender).

        Whatever else is raised on one event (a bug of nio's or ours) makes it a
        malformed row too: the sync step decrypts many, and nothing but EncryptionError
        may leave it (the row says why, and the archive keeps the ciphertext)."""
        try:
            return self._decrypted(event, room_id)
        except EncryptionError:
            raise
        except Exception as exc:
            log.debug("decrypting Megolm event %s failed", event.event_id, exc_info=True)
            return unreadable_payload(event, room_id, f"{type(exc).__name__}: {exc}")

    def _decrypted(self, event: MegolmEvent, room_id: str | None) -> Any:
        """nio's decryption, its failures on the payload made rows (see above)."""
        try:
            plain = super().decrypt_megolm_event(event, room_id)
        except EncryptionError:
            # nio's "error parsing payload" (not JSON) is the same error as "no key yet"
            # or "a replay": only opening the message again tells them apart.
            fault = self._plaintext_fault(event, room_id)
            if fault is None:
                raise
            return unreadable_payload(event, room_id, fault)
        except Exception as exc:  # whatever nio's parser raises on the payload
            fault = self._plaintext_fault(event, room_id)
            return unreadable_payload(event, room_id, fault or f"{type(exc).__name__}: {exc}")
        if isinstance(plain, BadEvent | UnknownBadEvent):
            return unreadable_payload(event, room_id, "fields missing or of the wrong type")
        return plain

    def _plaintext_fault(self, event: MegolmEvent, room_id: str | None) -> str | None:
        """Why the plaintext is no event at all (not UTF-8, not JSON, not an object), as
        this machine finds it opening the message again itself; None if it is a JSON
        object (nio failed on a field) or does not open (no key, or one that starts
        later: a key may yet come). Opening again is harmless (a Megolm session opens
        its messages any number of times) and rare: only after nio failed on one.

        Raises nio's replay error for a message index seen under another event: nio
        decodes the text before its replay check, so a server could otherwise replay a
        non-UTF-8 message under new ids, each a row of its own."""
        session = self.inbound_group_store.get(
            room_id or event.room_id, event.sender_key, event.session_id
        )
        if session is None:
            return None
        try:
            # nio 0.26's InboundGroupSession.decrypt decodes UTF-8 strictly before it
            # gives the message index; the vodozemac session under it gives both.
            message = vodozemac.MegolmMessage.from_base64(event.ciphertext)
            opened = session._session.decrypt(message)
        except (vodozemac.MegolmDecryptionException, vodozemac.DecodeException):
            return None  # not opened (unknown index, garbled): not the plaintext's fault
        if not self.message_index_ok(opened.message_index, event):
            raise EncryptionError(f"Duplicate message index, possible replay from {event.sender}")
        if self._not_of_its_device(event, session):
            raise EncryptionError(f"Device keys mismatch in event sent by {event.sender}")
        return fault_of(opened.plaintext)

    def _not_of_its_device(self, event: MegolmEvent, session: InboundGroupSession) -> bool:
        """nio's check after the replay check, before the payload: the sender's device is
        verified, but the room key was not made by its keys. nio refuses such an event
        (EncryptionError) whatever it holds; a row made of it would pin the payload on a
        verified sender who never sent it. (nio decodes UTF-8 before this check, and its
        refusal is the same EncryptionError as "no key yet": so it is made again here.)"""
        if (
            event.sender == self.user_id
            and event.device_id == self.device_id
            and session.ed25519 == self.account.identity_keys["ed25519"]
            and event.sender_key == self.account.identity_keys["curve25519"]
        ):
            return False  # our own message
        device = self.device_store[event.sender].get(event.device_id)
        if device is None or not self.is_device_verified(device) or session.forwarding_chain:
            return False
        return device.ed25519 != session.ed25519 or device.curve25519 != event.sender_key

    def _unreadable(self, event: OlmEvent) -> tuple[ToDeviceFault, str] | None:
        """Checks nio skips silently or trips over: is there a usable ciphertext for us?"""
        ciphertext = event.ciphertext if isinstance(event.ciphertext, dict) else {}
        ours = ciphertext.get(self.account.identity_keys["curve25519"])
        if ours is None:
            return ToDeviceFault.NOT_FOR_US, "no ciphertext for this device's key"
        kind = ours.get("type") if isinstance(ours, dict) else None
        if kind not in (0, 1) or isinstance(kind, bool) or not isinstance(ours.get("body"), str):
            return ToDeviceFault.MALFORMED, "the ciphertext must be {type: 0 or 1, body: text}"
        return None

    def _record(self, event: Any, fault: ToDeviceFault, detail: str) -> None:
        source = getattr(event, "source", None)
        source = source if isinstance(source, dict) else {}
        content = source.get("content") if isinstance(source.get("content"), dict) else {}
        sender = getattr(event, "sender", None) or source.get("sender")  # bad events lack it
        sender = sender if isinstance(sender, str) else ""
        sender_key = getattr(event, "sender_key", None) or content.get("sender_key")
        sender_key = sender_key if isinstance(sender_key, str) else ""
        device = self.device_store.device_from_sender_key(sender, sender_key)
        problem = ToDeviceProblem(
            sender=sender,
            event_type=str(source.get("type", ""))[:255],
            fault=fault,
            detail=detail[:1000],
            sender_key=sender_key[:255],
            sender_device=device.device_id if device is not None else "",
            source=source_text(source),
        )
        log.warning(
            "skipped a to-device message from %s (device %s): %s: %s",
            sender,
            problem.sender_device or "unknown",
            fault.value,
            problem.detail,
        )
        self.problems.append(problem)

    def _verify_olm_payload(self, sender: str, payload: dict[Any, Any]) -> bool:
        try:
            return super()._verify_olm_payload(sender, payload)
        except VerificationError as exc:
            self._fault = ToDeviceFault.BAD_PAYLOAD, str(exc)
            raise

    def save_session(self, curve_key: str, session: Any) -> None:
        super().save_session(curve_key, session)
        self._session_saved = True  # only once written: an unsaved one opens the copy again

    def _handle_olm_event(self, sender: str, sender_key: str, payload: dict[Any, Any]) -> Any:
        self._handled = True  # decrypted and verified: what nio does with it is not a fault
        if payload.get("type") in ROOM_KEY_TYPES:
            self.room_keys_came = True
        return super()._handle_olm_event(sender, sender_key, payload)

    def take_room_keys_came(self) -> bool:
        """Whether a room key came since the last call. Told by the machine, not read off
        a sync answer: nio may read an answer's to-device events and then fail on the
        answer, and the same batch fetched again rightly no longer holds them."""
        came, self.room_keys_came = self.room_keys_came, False
        return came

    # -- repairing ---------------------------------------------------------------------

    def _mark_device_for_unwedging(self, sender: str, sender_key: str) -> None:
        """An Olm message from this device failed: start a new session with it, at most
        once per device per interval (a loop of two devices repairing each other, or a
        sender replaying old messages, would otherwise make sessions without end)."""
        self._fault = self._fault or (
            ToDeviceFault.UNDECRYPTABLE,
            "no Olm session with this device opens it (broken, replayed or never made)",
        )
        device = self.device_store.device_from_sender_key(sender, sender_key)
        if device is None:
            self.users_for_key_query.add(sender)  # learn its devices; a later failure repairs
            return
        now = time.monotonic()
        last = self._unwedged_at.get(device.curve25519)
        if last is not None and now - last < self.unwedge_interval:
            log.info("session with %s %s repaired recently", device.user_id, device.device_id)
            return
        self._unwedged_at[device.curve25519] = now
        if device not in self.wedged_devices:
            log.warning("repairing the Olm session with %s %s", device.user_id, device.id)
            self.wedged_devices.append(device)

    # -- one-time keys -----------------------------------------------------------------

    def share_keys(self) -> dict[str, Any]:
        """The body of a keys upload, with every key in it saved before it is sent.

        Keys generated earlier and not yet confirmed published may already be on the
        server (the answer was lost): they go again unchanged, which the server accepts,
        and new ones only fill up to the limit.
        """
        pending = len(self.account.one_time_keys["curve25519"])
        on_server = self.uploaded_key_count if self.account.shared else 0
        if on_server is not None:
            wanted = self.account.max_one_time_keys - on_server - pending
            if wanted > 0:
                self.account.generate_one_time_keys(wanted)
        self.save_account()
        content: dict[str, Any] = {"one_time_keys": self._signed_one_time_keys()}
        if not self.account.shared:
            content["device_keys"] = self._device_keys()
        return content

    def _signed_one_time_keys(self) -> dict[str, Any]:
        signed = {}
        for key_id, key in self.account.one_time_keys["curve25519"].items():
            signature = self.sign_json({"key": key})
            signed[f"signed_curve25519:{key_id}"] = {
                "key": key,
                "signatures": {self.user_id: {f"ed25519:{self.device_id}": signature}},
            }
        return signed

    def _device_keys(self) -> dict[str, Any]:
        identity = self.account.identity_keys
        keys: dict[str, Any] = {
            "algorithms": self._algorithms,
            "device_id": self.device_id,
            "user_id": self.user_id,
            "keys": {
                f"curve25519:{self.device_id}": identity["curve25519"],
                f"ed25519:{self.device_id}": identity["ed25519"],
            },
        }
        keys["signatures"] = {self.user_id: {f"ed25519:{self.device_id}": self.sign_json(keys)}}
        return keys


@functools.cache
def _in_front_of(guard: type[GuardedOlm], other: type[Olm]) -> type[GuardedOlm]:
    """One class with the guard's overrides first and another Olm subclass's after."""
    return type(f"{guard.__name__}Over{other.__name__}", (guard, other), {})
