"""Holes in a room's history: where a sync was cut short and the events between lie,
kept until they are archived.

Kept beside the sync token (per account) and for the same reason: what the next fetch
depends on must survive a restart. Without it a hole the fill could not fetch was
forgotten, and nothing else ever asks the server for it (scrolling back starts before
the archive's oldest event, which is older than the hole). A sync batch notes its holes
in the transaction that moves the sync token (``note_holes``, from ``Ingest``): noted
after that commit, a crash in between lost them, the token having moved past them.

The records keeper notes holes here too (a room it left that the server will not serve),
with the other kind of token: its forward cursor, the missing events lying *after* it
("" for the room's start), where a client's token is the one they are fetched *back*
from. ``KeeperArchive.save_page`` closes a keeper's hole when a page from that cursor is
archived; ``gap_left`` and ``gap_filled`` are the client's fill's.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping, Sequence
from typing import ClassVar, NamedTuple

from sqlalchemy import ColumnElement, delete, insert, select, update
from sqlalchemy.engine import Connection

from app.store import schema
from app.store.archive.base import ArchiveBase
from app.store.errors import translate_errors

_G = schema.history_gaps
#: Fills of one hole (kept across runs) at which it is given up: the row is kept, so a
#: record still states the hole (as lost), but no fill asks the server for it again.
MAX_GAP_TRIES = 10


class HistoryGap(NamedTuple):
    """One hole: its room, the token its events are fetched back from (for the records
    keeper: the forward cursor they lie after, "" the room's start), how many fills
    in a row failed without moving it on, and since when (local clock, seconds since
    the epoch)."""

    room_id: str
    token: str
    tries: int
    noted_at: float

    @property
    def given_up(self) -> bool:
        """No fill asks for it again (``gap_given_up``); kept, so records state it."""
        return self.tries >= MAX_GAP_TRIES


class Gaps(ArchiveBase):
    """Note, read, move on and close the holes of this account's rooms."""

    #: Where an open hole lies in its room's chain. A client notes one at a cut-short
    #: sync: what is missing came before that sync's events, somewhere inside the chain,
    #: and no event of it can be named. The keeper pages forward and notes one at its
    #: cursor (``app.store.keeper``): what is missing follows the room's last archived event.
    holes_follow_the_chain: ClassVar[bool] = False

    def note_gap(self, room_id: str, token: str) -> None:
        """Remember a hole before anything is fetched of it (the same one twice is one)."""
        with translate_errors("note a hole in a room's history"), self._engine.begin() as conn:
            note_holes(conn, self._account, {room_id: token})

    def history_gaps(self, room_id: str | None = None) -> list[HistoryGap]:
        """The holes still to be filled (in one room, or in all), oldest noted first:
        open and not given up."""
        mine = (_G.c.account == self._account) & (_G.c.tries < MAX_GAP_TRIES)
        return self._holes(mine if room_id is None else mine & (_G.c.room_id == room_id))

    def open_holes(self, room_ids: Sequence[str] | None = None) -> list[HistoryGap]:
        """The holes still open in these rooms (None: in all), given up or not, oldest
        noted first: what a record of them must say it lacks."""
        mine = _G.c.account == self._account
        return self._holes(mine if room_ids is None else mine & _G.c.room_id.in_(list(room_ids)))

    def _holes(self, where: ColumnElement[bool]) -> list[HistoryGap]:
        query = select(_G.c.room_id, _G.c.token, _G.c.tries, _G.c.noted_at).where(where)
        with translate_errors("read the holes in history"), self._engine.connect() as conn:
            rows = conn.execute(query.order_by(_G.c.noted_at, _G.c.room_id))
            return [HistoryGap(*row) for row in rows]

    def gap_left(self, room_id: str, token: str, rest: str | None) -> int:
        """A fill of the hole at ``token`` failed or stopped short: what is still missing
        now lies behind ``rest`` (``token`` if nothing came). Returns its tries so far:
        one more when nothing came, none when it moved on (a long hole fetched over many
        fills, or a failure after its first pages, is progress, not a try)."""
        with translate_errors("note a hole in a room's history"), self._engine.begin() as conn:
            tries = conn.execute(select(_G.c.tries).where(self._key(room_id, token))).scalar()
            if tries is None:  # closed meanwhile (another fill reached it)
                return 0
            moved = bool(rest) and rest != token
            tries = 0 if moved else tries + 1
            if moved:
                conn.execute(delete(_G).where(self._key(room_id, rest)))  # met an older note
            conn.execute(
                update(_G)
                .where(self._key(room_id, token))
                .values(**_token(rest or token), tries=tries)
            )
            return tries

    def gap_given_up(self, room_id: str, token: str) -> None:
        """The server will not give the hole at ``token`` (forbidden, or tried
        ``MAX_GAP_TRIES`` times): kept as lost, never filled again."""
        with translate_errors("give up a hole in a room's history"), self._engine.begin() as conn:
            key = self._key(room_id, token) & (_G.c.tries < MAX_GAP_TRIES)
            conn.execute(update(_G).where(key).values(tries=MAX_GAP_TRIES))

    def gap_filled(self, room_id: str, token: str) -> None:
        """Every event of the hole is archived: nothing more to fetch behind ``token``."""
        with translate_errors("close a hole in a room's history"), self._engine.begin() as conn:
            close_hole(conn, self._account, room_id, token)

    def _key(self, room_id: str, token: str) -> ColumnElement[bool]:
        return _key(self._account, room_id, token)


def note_holes(conn: Connection, account: str, holes: Mapping[str, str]) -> None:
    """Note each room's hole (room id -> token) in the caller's transaction; a hole
    noted already (the same cut-short sync fetched again) stays as it is, tries and all."""
    for room_id, token in holes.items():
        if conn.execute(select(_G.c.tries).where(_key(account, room_id, token))).first():
            continue
        values = {"room_id": room_id, "tries": 0, "noted_at": time.time()}
        conn.execute(insert(_G).values(account=account, **_token(token), **values))


def close_hole(conn: Connection, account: str | None, room_id: str, token: str) -> None:
    """Close the room's hole at ``token`` (if there is one) in the caller's transaction:
    what lay behind it is archived by then, in the same commit. ``account`` None: the
    hole whichever account noted it (the keeper's record is one, whoever reads it)."""
    conn.execute(delete(_G).where(_key(account, room_id, token)))


def _key(account: str | None, room_id: str, token: str) -> ColumnElement[bool]:
    at = (_G.c.room_id == room_id) & (_G.c.token_sha256 == _token(token)["token_sha256"])
    return at if account is None else at & (_G.c.account == account)


def _token(token: str) -> dict[str, str]:
    """The token's columns: itself, and the digest it is keyed by (``schema``)."""
    return {"token": token, "token_sha256": hashlib.sha256(token.encode()).hexdigest()}
