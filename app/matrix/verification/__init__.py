"""Emoji verification (SAS, ``m.sas.v1``) to-device and in rooms, on vodozemac."""

from app.matrix.verification.hub import REQUEST_MSGTYPE, VerificationRefused, Verifications
from app.matrix.verification.inbox import PREFIX
from app.matrix.verification.transport import ToDevice

__all__ = ["PREFIX", "REQUEST_MSGTYPE", "ToDevice", "VerificationRefused", "Verifications"]
