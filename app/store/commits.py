"""How many write transactions have committed on a database in this process.

Why: a value read back from the archive (a session's roster) may be kept and handed to
several readers only while nothing has been written since; a memo keyed by this count
cannot outlive a write, whichever code wrote it, and nothing has to remember to
invalidate it (``app.services.rosters.SessionRosters``). Counted on the engine, not in
the archive's own write methods: every transaction on the database commits through it,
so a writer added later is counted without anyone thinking of it. A commit of anything
else in the same file counts too: a memo is read again once more than it had to be,
never kept once too often. (The outbox has a file of its own, ``app.store.outbox_file``.)

Counted once the commit is done (when its connection goes back to the pool), not when
it starts: a read that overlapped a commit may have seen the data before it, and its
memo must already be out of date when the next reader looks.
"""

from __future__ import annotations

import threading
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

_WROTE = "oor_committed"  # set on a pooled connection between its commit and its return


class Commits:
    """The commit count of one engine; one per engine, shared by all its readers."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()  # two threads' commits must both count

    def _committing(self, conn: Connection) -> None:
        conn.info[_WROTE] = True

    def _returned(self, _dbapi_connection: Any, record: Any) -> None:
        if record is not None and record.info.pop(_WROTE, False):
            with self._lock:
                self.count += 1


_BY_ENGINE: WeakKeyDictionary[Engine, Commits] = WeakKeyDictionary()


def commits_of(engine: Engine) -> Commits:
    """This engine's commit count, listening from the first time it is asked for."""
    found = _BY_ENGINE.get(engine)
    if found is None:
        found = _BY_ENGINE[engine] = Commits()
        event.listen(engine, "commit", found._committing)
        event.listen(engine, "checkin", found._returned)
    return found
