"""This device's standing in the account's cross-signing, read from the server.

An install from before cross-signing restores a stored login and never sees a
password, so the sign-in never made it keys: its acts do not count in rooms under the
session policy, and its devices are refused room keys there. This check, made after
the first sync of every start, tells the UI which of the three remedies applies: set up
with the password (no master key published, none behind the recovery key), verify this
device (the account has keys elsewhere), or put the keys made here behind the account's
existing recovery key.
"""

from __future__ import annotations

from app.core.trust import judge_user
from app.matrix import MatrixClient
from app.matrix.backup import SecretStorage
from app.matrix.crypto.cross_signing import SECRET_NAMES, query_keys
from app.services.trust.bootstrap import has_master
from app.services.trust.notices import OwnStanding


async def own_standing(client: MatrixClient, holds_keys: bool) -> OwnStanding:
    """Where this device stands; ``holds_keys``: it keeps the account's private keys.
    Raises SendFailed when the server cannot be asked."""
    reply = await query_keys(client, [client.user_id])
    kept_behind_recovery = await client.account_data(SECRET_NAMES["master"]) is not None
    if not has_master(reply, client.user_id):
        # keys behind the recovery key but none published: restoring brings them back
        return OwnStanding.VERIFY_NEEDED if kept_behind_recovery else OwnStanding.SET_UP_NEEDED
    me = judge_user(client.user_id, reply, our_user_id=client.user_id)
    device = me.devices.get(client.creds.device_id)
    if device is None or not device.cross_signed:
        return OwnStanding.VERIFY_NEEDED
    held_only_here = holds_keys and not kept_behind_recovery
    if held_only_here and await SecretStorage(client).default_key() is not None:
        return OwnStanding.STORE_NEEDED
    return OwnStanding.VERIFIED
