"""What one user's keys from ``/keys/query`` are worth, checked signature by signature.

The chain is the spec's: a device is cross-signed when its device keys carry a valid
signature of its owner's self-signing key, and that key a valid signature of the owner's
master key. A person is verified by us when their master key carries a valid signature
of our user-signing key, itself signed by our master key. The server only relays these
objects, so nothing it adds or leaves out can make a device or a person trusted; what
does not check out is written down in ``problems`` for the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core.trust.signatures import signed_by


@dataclass(frozen=True, slots=True)
class DeviceTrust:
    """One device of a user: its keys, and whether its owner cross-signed it."""

    user_id: str
    device_id: str
    curve25519: str
    ed25519: str
    cross_signed: bool


@dataclass(frozen=True, slots=True)
class UserTrust:
    """A user's identity as read from their keys (empty when they have none)."""

    user_id: str
    master: str = ""  # public master key, '' if none (or a broken one)
    self_signing: str = ""  # only when signed by the master key
    user_signing: str = ""  # our own only (the server shows no one else's)
    verified: bool = False  # their master key is signed by our user-signing key
    devices: Mapping[str, DeviceTrust] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    def device_by_curve(self, curve25519: str) -> DeviceTrust | None:
        """The device whose Olm identity key this is (the key a Megolm session came from)."""
        return next((d for d in self.devices.values() if d.curve25519 == curve25519), None)

    @property
    def unverified_devices(self) -> tuple[str, ...]:
        return tuple(sorted(d for d, t in self.devices.items() if not t.cross_signed))


def cross_signing_key(value: Any, user_id: str, usage: str) -> str:
    """The public key of a cross-signing key object of ``user_id`` for ``usage``, or ''
    when the object is not one (another user's, another usage, not exactly one key)."""
    if not isinstance(value, Mapping) or value.get("user_id") != user_id:
        return ""
    usages = value.get("usage")
    keys = value.get("keys")
    if not isinstance(usages, list) or usage not in usages or not isinstance(keys, Mapping):
        return ""
    if len(keys) != 1:
        return ""
    ((key_id, public),) = keys.items()
    if not isinstance(public, str) or key_id != f"ed25519:{public}":
        return ""
    return public


def _of(reply: Mapping[str, Any], section: str, user_id: str) -> Any:
    part = reply.get(section)
    return part.get(user_id) if isinstance(part, Mapping) else None


def _device(
    user_id: str, device_id: Any, keys: Any, self_signing: str, problems: list[str]
) -> DeviceTrust | None:
    if not isinstance(device_id, str) or not isinstance(keys, Mapping):
        problems.append(f"{user_id}: a device entry is not an object")
        return None
    published = keys.get("keys")
    published = published if isinstance(published, Mapping) else {}
    ed25519 = published.get(f"ed25519:{device_id}")
    curve = published.get(f"curve25519:{device_id}")
    if (
        keys.get("user_id") != user_id
        or keys.get("device_id") != device_id
        or not isinstance(ed25519, str)
        or not isinstance(curve, str)
        or not signed_by(keys, user_id, ed25519, key_id=device_id)
    ):
        problems.append(f"{user_id}: device {device_id} does not sign its own keys")
        return None
    cross_signed = bool(self_signing) and signed_by(keys, user_id, self_signing)
    return DeviceTrust(user_id, device_id, curve, ed25519, cross_signed)


def judge_user(
    user_id: str, reply: Mapping[str, Any], our_user_signing: str = "", our_user_id: str = ""
) -> UserTrust:
    """Read ``user_id``'s identity and devices from a ``/keys/query`` reply.

    ``our_user_signing`` is our own checked user-signing key, which decides whether the
    person is verified by us. Never raises: garbage reads as "no identity"."""
    problems: list[str] = []
    master_obj = _of(reply, "master_keys", user_id)
    master = cross_signing_key(master_obj, user_id, "master")
    if master_obj is not None and not master:
        problems.append(f"{user_id}: the master key is not a valid cross-signing key")
    self_signing = _signed_key(reply, user_id, "self_signing", master, problems)
    user_signing = _signed_key(reply, user_id, "user_signing", master, problems)
    devices: dict[str, DeviceTrust] = {}
    listed = _of(reply, "device_keys", user_id)
    for device_id, keys in listed.items() if isinstance(listed, Mapping) else ():
        device = _device(user_id, device_id, keys, self_signing, problems)
        if device is not None:
            devices[device.device_id] = device
    verified = bool(master) and (
        user_id == our_user_id or signed_by(master_obj, our_user_id, our_user_signing)
    )
    return UserTrust(
        user_id, master, self_signing, user_signing, verified, devices, tuple(problems)
    )


def _signed_key(
    reply: Mapping[str, Any], user_id: str, usage: str, master: str, problems: list[str]
) -> str:
    """A self- or user-signing key, only if it is valid and signed by the master key."""
    value = _of(reply, f"{usage}_keys", user_id)
    if value is None:
        return ""
    public = cross_signing_key(value, user_id, usage)
    if public and master and signed_by(value, user_id, master):
        return public
    problems.append(f"{user_id}: the {usage.replace('_', '-')} key is not signed by the master key")
    return ""
