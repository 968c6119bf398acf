"""Where a sync answer leaves holes in rooms' history, and which rooms it says we left.

A room whose timeline came cut short (``limited``) has the events left out behind its
``prev_batch``; so has a room we left, since the server serves a left room's history
up to our leave (a kick while we were away). A room the sync screen took out whole, or
kept with only the events nio reads one by one (``app.matrix.sync_screen``), held
events that came nowhere else: they lie behind the answer's own ``next_batch``, from
which the gap fill pages back to the first event archived. For a room we left, that is
as true: the server starts such a page at our leave (Synapse moves the token back to
it), and no later sync brings what was said there. Before, only a joined room taken out
whole got its hole, and what was said in a left one up to our leaving was lost.

A room we left that the screen took out whole is gone from nio's answer, yet the
answer said we left it: it is listed as left all the same (``rooms_left``).
"""

from __future__ import annotations

from collections.abc import Iterable

from nio import SyncResponse

from app.core.sync_problems import SyncProblem

# The screen's section of a room taken out whole or kept bare: the part it stood in.
_WHOLE_ROOMS = ("join", "leave")
_LEFT = "leave"


def holes(resp: SyncResponse, taken: Iterable[SyncProblem]) -> dict[str, str]:
    """Room id -> the token the room's missed events are fetched back from."""
    found = {
        room_id: info.timeline.prev_batch
        for room_id, info in (*resp.rooms.join.items(), *resp.rooms.leave.items())
        if info.timeline.limited and info.timeline.prev_batch
    }
    for problem in taken:
        if problem.section in _WHOLE_ROOMS:
            found.setdefault(problem.room_id, resp.next_batch)
    return found


def rooms_left(resp: SyncResponse, taken: Iterable[SyncProblem]) -> list[str]:
    """The rooms the answer says we left (or whose invitation went away), each once.

    One taken out whole is among them: missed, this run would not know it left the room,
    and a message to it would go to the server's refusal instead of failing as ours to a
    room we are no member of (``MatrixClient.send``), nor would the archive know the room
    as left. One kept bare is in nio's answer already."""
    whole = (p.room_id for p in taken if p.section == _LEFT and p.room_id)
    return list(dict.fromkeys([*resp.rooms.leave, *whole]))
