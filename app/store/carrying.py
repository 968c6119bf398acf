"""A session's details messages, found without reading every message of its rooms.

Why: a session's roster (its title, exercise flag, delegations' names) is folded from
the few messages that carry its encrypted details, among every message of its rooms.
Matching their text read every archived message of those rooms: seconds at a ministry's
scale, at each start (the roster the room list is grouped by) and whenever details
change. A partial index holds just those messages. SQLite uses a partial index only for
a query carrying the very term it was made with, so the term is written here once, as a
literal, for the index, the store's read and the start-up's plain look
(``app.store.peek``); no SQLAlchemy here, as the look runs before it loads.
"""

from __future__ import annotations

from app.core import roles

KEY = roles.SESSION_INFO  # the content key that says a message carries a session's details
INDEX = "ix_events_session_details"
INDEX_COLUMNS = ("room_id", "type", "origin_ts", "seq")
INDEX_WHERE = f"type = 'm.room.message' AND content LIKE '%\"{KEY}\":%'"
# SQLite is asked for the rooms as ``+room_id``: without statistics its planner took
# either this index or the (room, type) one, which reads every message of the rooms;
# the unary plus leaves it only this small index to scan (PostgreSQL plans by its own).
SQLITE_ROOM = "+room_id"
