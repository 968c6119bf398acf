"""The shared timeline feature: entries, verification, files, history, search."""

from app.services.timeline.service import Timeline

__all__ = [
    "Timeline",
]
