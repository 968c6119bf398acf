"""A session's record as files: the bundle's format, its report, and its verification.

Pure rules: what `oor export` writes (``bundle``, ``report``) and what `oor verify`
checks (``verify``), with no Matrix, Qt or SQL, so a verifier needs nothing but the files.
"""

from app.core.records_export.bundle import (
    CHAINS,
    EVENTS,
    MANIFEST,
    REPORT,
    SIGNATURE,
    Exporter,
    event_line,
    manifest,
    manifest_bytes,
    sha256_of,
)
from app.core.records_export.report import ReportInput, render_report
from app.core.records_export.verify import Verdict, verify_bundle

__all__ = [
    "CHAINS",
    "EVENTS",
    "MANIFEST",
    "REPORT",
    "SIGNATURE",
    "Exporter",
    "ReportInput",
    "Verdict",
    "event_line",
    "manifest",
    "manifest_bytes",
    "render_report",
    "sha256_of",
    "verify_bundle",
]
