"""The ministry's records keeper: a visible participant archiving every session into
the ministry's database, with retention and legal hold (`oor keeper`)."""

from app.services.keeper.records import (
    KeeperDesk,
    mark,
    open_gaps,
    set_hold,
    set_retention,
)
from app.services.keeper.run import serve, sign_in
from app.services.keeper.service import Keeper

__all__ = [
    "Keeper",
    "KeeperDesk",
    "mark",
    "open_gaps",
    "serve",
    "set_hold",
    "set_retention",
    "sign_in",
]
