"""Cross-signing and the trust it gives: keys made at sign-in, kept behind the recovery
key, and the two signatures a verification ends with (``CrossSigning.sign_own_device``,
``CrossSigning.sign_user``)."""

from app.services.trust.bootstrap import bootstrap
from app.services.trust.cross_signing import CrossSigning, TrustError, WrongPassword
from app.services.trust.people import People

__all__ = ["CrossSigning", "People", "TrustError", "WrongPassword", "bootstrap"]
