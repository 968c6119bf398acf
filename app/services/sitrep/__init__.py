"""The sitrep feature: compile from the timeline, submit, approve or return, publish."""

from app.services.sitrep.notices import LatestSitrep, SitrepsChanged
from app.services.sitrep.service import SitrepError, Sitreps

__all__ = ["LatestSitrep", "SitrepError", "Sitreps", "SitrepsChanged"]
