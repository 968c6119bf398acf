"""Importing a series from a CSV file: every row checked with the same rules as a value
sent by hand, each refusal with its line and reason.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.core import protocol
from app.core.charts.rules import Reading, indicator_content, value_problem

MAX_CSV_ROWS = 2_000  # one event per row: a bigger import belongs in a scripted feed


@dataclass(frozen=True, slots=True)
class CsvRow:
    """A row that will be published: its line in the file and its event content."""

    line: int
    content: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class CsvRejection:
    line: int
    reason: str
    text: str  # the row as it was, shortened, so the person can find it


@dataclass(frozen=True, slots=True)
class CsvImport:
    """What a CSV file would publish, and every row refused with the reason."""

    series: str
    rows: tuple[CsvRow, ...] = ()
    rejected: tuple[CsvRejection, ...] = ()
    problem: str = ""  # the file as a whole cannot be used (no header, wrong columns)


CSV_COLUMNS = ("at", "value", "region", "unit", "source")


def parse_time(text: str) -> int | None:
    """ms since the epoch from ISO 8601 (a time without zone is UTC) or a plain ms count."""
    text = text.strip()
    if re.fullmatch(r"-?\d{1,16}", text):
        return int(text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp() * 1000)


def parse_number(text: str) -> float | None:
    """A finite number; thousands separators and spaces allowed (never a decimal comma)."""
    cleaned = text.strip().replace(",", "").replace(" ", "").replace("\u066c", "")
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def parse_csv(
    text: str, series: str, known_series: Collection[str], now_ms: int, unit: str = ""
) -> CsvImport:
    """Read a CSV of one series: header with at and value, optionally region, unit, source.

    Every row is checked with the same rules as a value typed by hand; refused rows are
    listed with their line number and reason, the others are ready to publish.
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except (StopIteration, csv.Error):
        return CsvImport(series, problem="the file is empty or not CSV")
    missing = [c for c in ("at", "value") if c not in header]
    if missing:
        return CsvImport(series, problem=f"the header has no column {', '.join(missing)}")
    index = {name: header.index(name) for name in CSV_COLUMNS if name in header}
    rows: list[CsvRow] = []
    rejected: list[CsvRejection] = []
    seen: set[tuple[str, int]] = set()
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(rows) >= MAX_CSV_ROWS:
                rejected.append(
                    CsvRejection(line, f"more than {MAX_CSV_ROWS} rows", ",".join(record)[:80])
                )
                break
            content, why = _csv_content(record, index, series, unit)
            if not why:
                why = value_problem(content, known_series, now_ms)
            key = (str(content.get("region", "")), content.get("at", 0))
            if not why and key in seen:
                why = "the same region and time as an earlier row"
            if why:
                rejected.append(CsvRejection(line, why, ",".join(record)[:80]))
            else:
                seen.add(key)
                rows.append(CsvRow(line, content))
    except csv.Error as exc:
        rejected.append(CsvRejection(reader.line_num, f"unreadable CSV: {exc}", ""))
    return CsvImport(series, tuple(rows), tuple(rejected))


def _csv_content(
    record: list[str], index: Mapping[str, int], series: str, unit: str
) -> tuple[dict[str, Any], str]:
    def cell(name: str) -> str:
        at = index.get(name)
        return record[at].strip() if at is not None and at < len(record) else ""

    at = parse_time(cell("at"))
    if at is None or not 0 <= at <= protocol.LATEST_MS:
        return {}, f"at {cell('at')[:40]!r} is not a date and time between 1970 and 9999"
    value = parse_number(cell("value"))
    if value is None:
        return {}, f"value {cell('value')[:40]!r} is not a finite number"
    reading = Reading(series, value, at, cell("unit") or unit, cell("region"), cell("source"))
    content = indicator_content(reading)
    return content, ""
