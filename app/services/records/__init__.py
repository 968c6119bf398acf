"""The records feature: a session's record exported as a report and a signed bundle."""

from app.services.records.service import Exported, Records, RecordsError

__all__ = ["Exported", "Records", "RecordsError"]
