"""The rooms this account is no member of any more, as its syncs said.

Why a record of its own: the archive's room state says who is in a room through the
member events syncs brought, and a room the sync screen took out whole
(``app.matrix.sync_holes``) brought none. Our leave (a kick while the app was down)
then arrives only with the history fill, which never touches current state (what it
brings is older), and no later sync brings a room we are no member of: the room looked
joined for ever. The sync answer says we left it all the same (``SyncBatch.left``); a
batch notes that in the transaction that moves the sync token (``note_left``, from
``Ingest``), so a restart knows it, and a sync that brings the room joined again (an
invitation back accepted) takes it away.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from app.store import schema

_L = schema.rooms_left


def note_left(conn: Connection, account: str, left: Iterable[str], joined: Iterable[str]) -> None:
    """Rooms ``left`` are left, rooms ``joined`` (a sync's join section) are not; a room
    in both, left and joined again within the batch, is joined. Only what changes is
    written: every batch brings joined rooms, and the record holds a handful; a batch
    that says nothing of rooms (keys only, an idle answer) reads nothing."""
    left, rejoined = list(left), set(joined)
    if not left and not rejoined:
        return
    noted = rooms_left(conn, account)
    back = sorted(noted & rejoined)
    gone = [room_id for room_id in dict.fromkeys(left) if room_id not in rejoined | noted]
    if back:
        conn.execute(delete(_L).where(_L.c.account == account, _L.c.room_id.in_(back)))
    if gone:
        conn.execute(insert(_L), [{"account": account, "room_id": room_id} for room_id in gone])


def rooms_left(conn: Connection, account: str) -> set[str]:
    """The rooms this account left, as noted (a handful: read whole)."""
    return set(conn.execute(select(_L.c.room_id).where(_L.c.account == account)).scalars())
