"""Charts as rules: chart definitions, readings and their checks, CSV import."""

from app.core.charts.csv_import import CsvImport, CsvRow, parse_csv, parse_number
from app.core.charts.room import (
    MAX_REJECTED_SHOWN,
    Change,
    RoomIndicators,
    absorb_value,
    project_room,
)
from app.core.charts.rules import (
    FUTURE_TOLERANCE_MS,
    NO_REGION,
    ChartDef,
    Point,
    Reading,
    Rejected,
    Series,
    chart_content,
    chart_id_from_title,
    chart_problem,
    indicator_content,
    read_chart,
    value_problem,
)

__all__ = [
    "FUTURE_TOLERANCE_MS",
    "MAX_REJECTED_SHOWN",
    "NO_REGION",
    "Change",
    "ChartDef",
    "CsvImport",
    "CsvRow",
    "Point",
    "Reading",
    "Rejected",
    "RoomIndicators",
    "Series",
    "absorb_value",
    "chart_content",
    "chart_id_from_title",
    "chart_problem",
    "indicator_content",
    "parse_csv",
    "parse_number",
    "project_room",
    "read_chart",
    "value_problem",
]
