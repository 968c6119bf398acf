"""A session's details messages, found without reading every message of its rooms, and
the indexes the store and the start-up's plain look (``app.store.peek``) name in SQLite.

Why: a session's roster (its title, exercise flag, delegations' names) is folded from
the few messages that carry its encrypted details, among every message of its rooms.
Matching their text read every archived message of those rooms: seconds at a ministry's
scale, at each start (the roster the room list is grouped by) and whenever details
change. A partial index holds just those messages, by room and timeline order. SQLite
uses a partial index only for a query carrying the very term it was made with, so the
term is written here once, as a literal, for the store's read and the plain look;
migration 0006 spells the same index out as it created it (frozen), and
``tests/test_store_plans.py`` checks that the two agree. No SQLAlchemy here, as the look
runs before it loads.

Without statistics SQLite's planner takes whichever index names more of a query's
columns: the (room, type) index for the details (every message of the rooms), the
(room, position) one for the state before an event (the room's whole timeline walked
backwards). So these reads name their index (``INDEXED BY``); a missing index is then an
error, never a silent scan, and the plan tests fail when a name changes.
"""

from __future__ import annotations

from app.core import roles

KEY = roles.SESSION_INFO  # the content key that says a message carries a session's details
INDEX = "ix_events_session_details"
INDEX_COLUMNS = ("room_id", "origin_ts", "seq")
INDEX_WHERE = f"type = 'm.room.message' AND content LIKE '%\"{KEY}\":%'"
# The (room, type) index of migration 0005: state of a few types before an event.
BY_ROOM_AND_TYPE = "ix_events_room_id_type"
