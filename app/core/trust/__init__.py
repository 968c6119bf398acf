"""Trust read from signatures, never from the server's word: cross-signing keys, which
devices their owner signed, whom we verified, and whose identity changed."""

from app.core.trust.judge import DeviceTrust, UserTrust, judge_user
from app.core.trust.policy import DeviceBook, NoPolicy, device_refusal
from app.core.trust.signatures import signed_by, unpadded_b64

__all__ = [
    "DeviceBook",
    "DeviceTrust",
    "NoPolicy",
    "UserTrust",
    "device_refusal",
    "judge_user",
    "signed_by",
    "unpadded_b64",
]
