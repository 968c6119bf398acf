"""A session's record as files: the bundle's format, its report, and its verification.

Pure rules: what `oor export` writes (``bundle``, ``report``) and what `oor verify`
checks (``verify``), with no Matrix, Qt or SQL, so a verifier needs nothing but the files.
"""

from app.core.records_export.bundle import (
    CHAINS,
    CHARTS_DIR,
    EVENTS,
    MANIFEST,
    REPORT,
    SIGNATURE,
    Exporter,
    chart_file,
    event_line,
    manifest,
    manifest_bytes,
    sha256_of,
)
from app.core.records_export.charts import DrawnChart, chart_svg, session_charts
from app.core.records_export.gaps import (
    Fetching,
    KnownGap,
    gap_sentence,
    gaps_said,
    room_label,
    utc,
)
from app.core.records_export.marking import RecordMark
from app.core.records_export.report import ReportInput, render_report
from app.core.records_export.verify import Verdict, verify_bundle

__all__ = [
    "CHAINS",
    "CHARTS_DIR",
    "EVENTS",
    "MANIFEST",
    "REPORT",
    "SIGNATURE",
    "DrawnChart",
    "Exporter",
    "Fetching",
    "KnownGap",
    "RecordMark",
    "ReportInput",
    "Verdict",
    "chart_file",
    "chart_svg",
    "event_line",
    "gap_sentence",
    "gaps_said",
    "manifest",
    "manifest_bytes",
    "render_report",
    "room_label",
    "session_charts",
    "sha256_of",
    "utc",
    "verify_bundle",
]
