"""The records feature: a session's record exported as a report and a signed bundle."""

from app.services.records.service import (
    DETAILS_PENDING_HELP,
    Exported,
    Records,
    RecordsError,
    archived_session,
)

__all__ = ["DETAILS_PENDING_HELP", "Exported", "Records", "RecordsError", "archived_session"]
