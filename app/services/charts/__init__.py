"""The charts feature: chart definitions and readings of a session, CSV import, exports."""

from app.services.charts.service import Indicators, project_rooms

__all__ = [
    "Indicators",
    "project_rooms",
]
