"""Cross-signing and the trust it gives: keys made at sign-in, kept behind the recovery
key, and the two signatures a verification ends with (``CrossSigning.sign_own_device``,
``CrossSigning.sign_user``).

Import from the modules (``bootstrap``, ``cross_signing``, ``people``, ``notices``): this
package loads nothing itself, so the window can hear ``notices.StandingChanged`` without
loading nio (0.5 s of CPU a restart would pay before its window appears).
"""
