"""Plain client-server calls of a MatrixClient (a mixin: it uses the client's nio
instance and login): room state, invitations, membership, profiles and account data,
including the calls nio does not wrap."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from nio import AsyncClient

from app.core.errors import SendFailed, SendProblem
from app.core.records import Credentials
from app.matrix.calls import NETWORK_ERRORS, checked
from app.matrix.membership import Membership


class ServerCalls:
    """Room state, membership, profiles and account data over the client-server API."""

    _nio: AsyncClient
    creds: Credentials
    user_id: str  # the MatrixClient's property
    membership: Membership  # the MatrixClient's: a room joined waits for its sync

    async def invite(self, room_id: str, user_id: str, reason: str = "") -> None:
        """Invite with a reason (other clients show it: the role the invitee will hold)."""
        path = f"/_matrix/client/v3/rooms/{quote(room_id, safe='')}/invite"
        body: dict[str, str] = {"user_id": user_id}
        if reason:
            body["reason"] = reason
        await self._call("POST", path, body)

    async def put_state(
        self, room_id: str, event_type: str, content: Mapping[str, Any], state_key: str = ""
    ) -> str:
        """Send a state event (never encrypted: only what the server may know)."""
        resp = await self._checked(
            self._nio.room_put_state(room_id, event_type, dict(content), state_key)
        )
        return resp.event_id

    async def get_state(
        self, room_id: str, event_type: str, state_key: str = ""
    ) -> dict[str, Any] | None:
        """One current state event's content from the server, or None if there is none."""
        try:
            resp = await self._checked(
                self._nio.room_get_state_event(room_id, event_type, state_key)
            )
        except SendFailed as exc:
            if exc.detail.startswith("M_NOT_FOUND"):
                return None
            raise
        return dict(resp.content)

    async def all_state(self, room_id: str) -> list[dict[str, Any]]:
        """Every current state event of a room, as the server holds it."""
        resp = await self._checked(self._nio.room_get_state(room_id))
        return [dict(e) for e in resp.events if isinstance(e, Mapping)]

    async def redact(self, room_id: str, event_id: str, reason: str = "") -> str:
        """Ask the server to remove an event's content (the archive keeps what it had)."""
        resp = await self._checked(self._nio.room_redact(room_id, event_id, reason or None))
        return resp.event_id

    async def kick(self, room_id: str, user_id: str, reason: str = "") -> None:
        await self._checked(self._nio.room_kick(room_id, user_id, reason or None))

    _checked = staticmethod(checked)

    async def _call(self, method: str, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """A plain client-server API call for what nio does not wrap (e.g. invite reasons)."""
        status, reply = await self.exchange(method, path, body)
        if status >= 400:
            code = reply.get("errcode", status)
            problem = SendProblem.TRANSIENT if status >= 500 else SendProblem.REFUSED
            raise SendFailed(problem, f"{code}: {reply.get('error', '')}")
        return reply

    async def exchange(
        self, method: str, path: str, body: Mapping[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """The HTTP status and JSON reply of a call, error replies included (the 401 of
        user-interactive auth carries what the next attempt must send)."""
        headers = {"Authorization": f"Bearer {self.creds.access_token}"}
        try:
            resp = await self._nio.send(method, path, json.dumps(body), headers)
            reply = await resp.json(content_type=None)
        except (*NETWORK_ERRORS, ValueError) as exc:
            raise SendFailed(SendProblem.TRANSIENT, str(exc) or type(exc).__name__) from exc
        return resp.status, reply if isinstance(reply, dict) else {}

    async def api(
        self, method: str, path: str, body: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """A client-server API call nio does not wrap (key backup); errors as ``_call``."""
        return await self._call(method, path, body or {})

    async def account_data(self, event_type: str) -> dict[str, Any] | None:
        """One of our account-data events from the server, or None if it was never set."""
        try:
            return await self._call("GET", self._account_data_path(event_type), {})
        except SendFailed as exc:
            if exc.detail.startswith("M_NOT_FOUND"):
                return None
            raise

    async def set_account_data(self, event_type: str, content: Mapping[str, Any]) -> None:
        await self._call("PUT", self._account_data_path(event_type), content)

    def _account_data_path(self, event_type: str) -> str:
        user = quote(self.user_id, safe="")
        return f"/_matrix/client/v3/user/{user}/account_data/{quote(event_type, safe='')}"

    async def time_zone(self, user_id: str) -> str:
        """A user's ``m.tz`` profile field (an IANA zone they chose), or '' if unset."""
        path = f"/_matrix/client/v3/profile/{quote(user_id, safe='')}/m.tz"
        try:
            reply = await self._call("GET", path, {})
        except SendFailed as exc:
            if exc.problem is SendProblem.REFUSED:  # M_NOT_FOUND: never set
                return ""
            raise
        zone = reply.get("m.tz")
        return zone if isinstance(zone, str) else ""

    async def user_exists(self, user_id: str) -> bool:
        """Whether the server knows this account: an invitation to a name nobody holds
        succeeds on Synapse, so a typo would otherwise look like an invitee who never came."""
        path = f"/_matrix/client/v3/profile/{quote(user_id, safe='')}"
        try:
            await self._call("GET", path, {})
        except SendFailed as exc:
            if exc.problem is SendProblem.TRANSIENT:
                raise
            # Synapse answers 404 (M_NOT_FOUND, or M_UNKNOWN "No row found"); a server that
            # keeps profiles private (M_FORBIDDEN) cannot tell us, so the invitation decides.
            return exc.detail.startswith("M_FORBIDDEN")
        return True

    async def join(self, room_id: str) -> None:
        """Join (accept an invitation); what is written there meanwhile waits for it."""
        with self.membership.joining(room_id):
            await self._checked(self._nio.join(room_id))

    async def leave(self, room_id: str) -> None:
        await self._checked(self._nio.room_leave(room_id))
