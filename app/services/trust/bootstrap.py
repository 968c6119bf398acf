"""Cross-signing made at sign-in, while the password the user just typed is at hand.

An account without cross-signing keys on the server gets them from its first device:
master, self-signing and user-signing keys are made, kept on this device, uploaded as the
account's first keys (the server asks for the password only if the account has keys
by then, and those are never replaced), and the self-signing key signs this device.
An account that already has keys is left alone: the new device stays unverified until
it is verified with the recovery key or by emoji from a device that is. The password is
used for this one upload and never kept.

An account set up before cross-signing existed gets its keys the same way
(``make_keys``), once its user typed the password for it (``CrossSigning.set_up``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from app.core.errors import ConnectionLost, SendFailed, SendProblem
from app.matrix import MatrixClient
from app.matrix.crypto.cross_signing import (
    AuthNeeded,
    CrossSigningKeys,
    PasswordRefused,
    query_keys,
    upload_keys,
    upload_signature,
)
from app.services.notices import Notice, Problem
from app.services.trust.local_keys import keep
from app.store import JsonDocument, StoreError

log = logging.getLogger(__name__)


async def bootstrap(
    client: MatrixClient, password: str, document: JsonDocument, notify: Callable[[Notice], None]
) -> CrossSigningKeys | None:
    """Make, upload and keep the account's cross-signing keys if it has none; returns
    them, or None when the account had keys already or the server could not be reached
    (said as a Problem: the app asks for the password again to set them up)."""

    async def save(keys: CrossSigningKeys | None) -> None:
        await asyncio.to_thread(keep, document, keys, client.creds.pickle_key)

    try:
        return await make_keys(client, password, save)
    except (SendFailed, ConnectionLost, StoreError) as exc:
        log.warning("cross-signing not set up: %s", exc)
        notify(Problem("cross_signing_failed", str(exc)))
        return None


async def make_keys(
    client: MatrixClient, password: str, save: Callable[[CrossSigningKeys | None], Awaitable[None]]
) -> CrossSigningKeys | None:
    """Make and upload the account's cross-signing keys and sign this device with them,
    unless the account has a master key already (None). ``save`` keeps the keys before
    the server sees them: a failure past the upload then leaves them for the next start
    to finish (``CrossSigning``), never a published identity whose private keys are lost.
    Keys the account did not take (another identity came first, the password was
    refused) are forgotten again (``save(None)``). Raises SendFailed (PasswordRefused)
    or ConnectionLost when the server refuses or cannot be reached."""
    await client.housekeeping()  # this device's keys must be on the server to be signed
    reply = await query_keys(client, [client.user_id])
    if has_master(reply, client.user_id):
        return None
    keys = CrossSigningKeys.generate(client.user_id)
    await save(keys)
    try:
        published = await publish_first(client, keys, password)
    except PasswordRefused:
        await save(None)
        raise
    if not published:
        await save(None)
        return None
    await sign_device(client, keys, reply, client.creds.device_id)
    log.info("cross-signing keys made for %s", client.user_id)
    return keys


async def publish_first(client: MatrixClient, keys: CrossSigningKeys, password: str | None) -> bool:
    """Publish ``keys`` as the account's first identity; False if the account has a
    master key by now (another device published one since it was asked): an identity is
    never replaced from here. The server asks for the password only then, or if it
    predates MSC3967; without ``password`` it gets no answer (AuthNeeded passes on: an
    empty one would count toward its rate limit)."""
    try:
        await upload_keys(client, keys)
        return True
    except AuthNeeded as asked:
        if has_master(await query_keys(client, [client.user_id]), client.user_id):
            log.info("%s has cross-signing keys now: ours not published", client.user_id)
            return False
        if password is None:
            raise
        await upload_keys(client, keys, password, asked.session)
        return True


def has_master(reply: dict[str, object], user_id: str) -> bool:
    """Any master key at all, even one we cannot read: never replace an identity."""
    masters = reply.get("master_keys")
    return isinstance(masters, dict) and user_id in masters


async def sign_device(
    client: MatrixClient, keys: CrossSigningKeys, reply: dict[str, object], device_id: str
) -> None:
    """Sign one of our devices, as the server lists it in ``reply``, with the
    self-signing key; SendFailed if the server does not list it."""
    listed = reply.get("device_keys")
    ours = listed.get(client.user_id) if isinstance(listed, dict) else None
    device = ours.get(device_id) if isinstance(ours, dict) else None
    if not isinstance(device, dict):
        raise SendFailed(SendProblem.REFUSED, f"the server does not list device {device_id}")
    signed = keys.self_signing.sign(client.user_id, device)
    await upload_signature(client, client.user_id, device_id, signed)
