"""How a nio call's outcome becomes our errors: network trouble is worth retrying, an
error reply is classified as transient or a definite refusal."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import aiohttp
from nio import AsyncClient, ErrorResponse, JoinedRoomsResponse

from app.core.errors import NOT_A_MEMBER, SendFailed, SendProblem

NETWORK_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, TimeoutError, OSError)
_REFUSALS = {"M_FORBIDDEN", "M_TOO_LARGE", "M_BAD_JSON", "M_NOT_JSON"}


def send_problem(resp: ErrorResponse) -> SendProblem:
    """Refused for good only on a definite 4xx refusal; a 5xx (Synapse answers unexpected
    errors with 500 M_UNKNOWN) or a rate limit is worth retrying."""
    status = getattr(resp.transport_response, "status", 0) or 0
    if status >= 500 or status == 429:
        return SendProblem.TRANSIENT
    if resp.status_code in _REFUSALS or 400 <= status < 500:
        return SendProblem.REFUSED
    return SendProblem.TRANSIENT


async def checked(request: Awaitable[Any]) -> Any:
    """Await a nio call: network trouble is TRANSIENT, an error reply is classified."""
    try:
        resp = await request
    except NETWORK_ERRORS as exc:
        raise SendFailed(SendProblem.TRANSIENT, str(exc) or type(exc).__name__) from exc
    if isinstance(resp, ErrorResponse):
        raise SendFailed(send_problem(resp), f"{resp.status_code}: {resp.message}")
    return resp


async def not_in_room(nio: AsyncClient, room_id: str) -> SendFailed:
    """Why a send to a room nio does not know, or this run saw us leave, cannot go now.

    nio refuses such a send itself (``LocalProtocolError``: "No such room"): it knows
    the rooms this run's syncs brought us in, and keeps a room we left as it was. That
    alone says nothing definite: before a run's first sync it knows no room at all, and
    a room joined (an invitation accepted) or made a moment ago reaches it with the next
    sync. Whether we are a member is the server's to say, from its list of our rooms:
    not in it (removed while the app was down, left, never joined), the row fails for
    good with ``NOT_A_MEMBER``, or it would wait on back-off, pending, for ever; in it,
    the room waits for the sync that brings it. Not knowing (offline, an error reply)
    waits too: a message is never failed on a guess."""
    try:
        resp = await nio.joined_rooms()
    except NETWORK_ERRORS as exc:
        return SendFailed(SendProblem.TRANSIENT, str(exc) or type(exc).__name__)
    if isinstance(resp, JoinedRoomsResponse) and room_id not in resp.rooms:
        return SendFailed(SendProblem.REFUSED, NOT_A_MEMBER)
    if isinstance(resp, ErrorResponse):
        return SendFailed(SendProblem.TRANSIENT, f"{resp.status_code}: {resp.message}")
    return SendFailed(SendProblem.TRANSIENT, "the room has not been synced yet")
