"""How a nio call's outcome becomes our errors: network trouble is worth retrying, an
error reply is classified as transient or a definite refusal."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import aiohttp
from nio import ErrorResponse

from app.core.errors import SendFailed, SendProblem

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
        detail = f"{resp.status_code}: {resp.message}"
        raise SendFailed(send_problem(resp), detail, resp.status_code or "")
    return resp
