"""What the instructions feature keeps in the account's sealed file: drafts, and the
overdue rows the issuer was already told of (so a restart does not tell them again).

Apart from the feature because it is the feature's only file on disk, with its own
rule: a damaged file is set aside (kept, never overwritten) and said so, and the
boards come up regardless."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from app.core import instructions as ins
from app.services.notices import DraftsChanged, Problem

if TYPE_CHECKING:  # the bridge imports the feature: keep SQL and nio out of the UI's start
    from app.services.account import AccountService
    from app.store import JsonDocument

log = logging.getLogger(__name__)


class Kept:
    """Drafts by id and the told-overdue keys, read at start and saved on each change;
    the caller holds the feature's lock around changes."""

    def __init__(self, account: AccountService, document: JsonDocument) -> None:
        self._account = account
        self._document = document
        self.drafts: dict[str, ins.Draft] = {}
        self.told_overdue: set[str] = set()

    async def load(self) -> None:
        try:
            saved = await self._account.db(self._document.load)
            drafts = {d["draft_id"]: ins.saved_draft(d) for d in saved.get("drafts", [])}
            told = {str(key) for key in saved.get("told_overdue", [])}
        except Exception as exc:  # unreadable JSON, or a draft that no longer fits
            log.exception("instructions document unreadable")
            kept = await self._account.db(self._document.set_aside)
            detail = f"{exc}; the file is kept as {kept}"
            self._account.notify(Problem("instructions_document_unreadable", detail))
            drafts, told = {}, set()
        self.drafts, self.told_overdue = drafts, told
        self._account.notify(DraftsChanged(tuple(self.drafts.values())))

    async def save(self) -> None:
        document: dict[str, Any] = {
            "drafts": [asdict(d) for d in self.drafts.values()],
            "told_overdue": sorted(self.told_overdue),
        }
        await self._account.db(self._document.save, document)
        self._account.notify(DraftsChanged(tuple(self.drafts.values())))
