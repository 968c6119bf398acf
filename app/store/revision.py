"""The schema revision this release writes, known without Alembic or SQLAlchemy.

Both the store's opening (``app.store.database``) and the start-up's look into the
archive (``app.store.peek``) compare a file's recorded revision with this one.
"""

from __future__ import annotations

from pathlib import Path

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"


def head_revision() -> str:
    """The newest migration's revision, read from the file names alone (``0003_search.py``
    is revision ``0003``; ``tests/test_store.py`` holds Alembic to that).

    Why not ask Alembic: its script directory imports every migration, which costs more
    than the whole archive's opening when, as on every start but the first after an
    update, the schema is already at head."""
    return max(p.name.split("_", 1)[0] for p in VERSIONS_DIR.glob("[0-9]*_*.py"))
