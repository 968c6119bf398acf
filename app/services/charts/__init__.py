"""The charts feature: chart definitions and readings of a session, CSV import, exports."""

from app.services.charts.service import Charts, project_rooms

__all__ = [
    "Charts",
    "project_rooms",
]
