"""Room keys as a MatrixClient handles them after the fact (a mixin: it uses the
client's nio instance): decrypting archived events once their key arrived, asking for
keys still missing, and handing on what the key-sharing layer noticed (keys withheld
from us, devices our keys could not reach)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from nio import MegolmEvent

from app.core.records import RoomEvent
from app.matrix.calls import NETWORK_ERRORS
from app.matrix.crypto.identities import Identities
from app.matrix.crypto.key_requests import Withheld
from app.matrix.crypto.outbound import Undeliverable
from app.matrix.decode import to_record
from app.matrix.nio_client import NioClient


class RoomKeys:
    """Late decryption, key requests, withheld and undeliverable keys."""

    _nio: NioClient
    identities: Identities

    def redecrypt(self, stored: Iterable[RoomEvent]) -> list[RoomEvent]:
        """Try again to decrypt archived events whose room key had not arrived."""
        done: list[RoomEvent] = []
        for old in stored:
            megolm = MegolmEvent.from_dict(dict(old.source))
            if not isinstance(megolm, MegolmEvent):
                continue
            megolm.room_id = old.room_id
            try:
                plain = self._nio.decrypt_event(megolm)
            except Exception:  # nio raises several types for 'still no key'
                continue
            if plain is not None and not isinstance(plain, MegolmEvent):
                done.append(to_record(plain, old.room_id, old.source))
        return done

    async def ask_for_keys(self, locked: Iterable[RoomEvent]) -> dict[str, str]:
        """Ask for the keys of every archived event still undecrypted (due requests only,
        with back-off) and cancel requests whose key came; event id -> whom we asked."""
        megolms = []
        for old in locked:
            megolm = MegolmEvent.from_dict(dict(old.source))
            if isinstance(megolm, MegolmEvent):
                megolm.room_id = old.room_id
                megolms.append(megolm)
        asked = self._nio.ask_for_keys(megolms)
        with contextlib.suppress(*NETWORK_ERRORS):  # what is not sent goes with housekeeping
            await self._nio.send_to_device_messages()
        return asked

    def take_withheld(self) -> list[Withheld]:
        """Withheld notices received since the last call."""
        found, self._nio.withheld = self._nio.withheld, []
        return found

    def key_requests_due(self) -> bool:
        return self._nio.requests_due()

    def take_undeliverable(self) -> list[Undeliverable]:
        """Devices a room key could not reach since the last call (the sender must know)."""
        found, self._nio.undeliverable = self._nio.undeliverable, []
        return found

    def keys_changed(self, users: Iterable[str]) -> None:
        """The server says these users' keys changed (a new device, a new signature):
        judge them afresh, and give each policy room they are in a new room key, so a
        device verified since gets the next messages and one excluded since does not."""
        users = set(users)
        self.identities.invalidate(users)
        for room_id in self.identities.policy_rooms:
            room = self._nio.rooms.get(room_id)
            if room is not None and users & set(room.users):
                self.rotate_room_key(room_id)

    def rotate_room_key(self, room_id: str) -> None:
        """Replace the room's outbound session before the next message (a policy now
        excludes devices the current one may already have reached)."""
        self._nio.invalidate_outbound_session(room_id)
