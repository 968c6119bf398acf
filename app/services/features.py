"""The account's features, registered in one place: one line per feature.

A feature (``account.Feature``) keeps its own projection of the archive and answers
commands. The backend builds every entry here when an account opens, and runs commands
by the feature's name (``Backend.use("instructions", ...)``), so the UI names a feature
without importing it. ``refusals`` maps what a feature raises when the rules or the
server turn a command down to the Problem code its sender hears.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from app.core.errors import SendFailed
from app.core.exercise import NOTES_FILE
from app.core.open_round import RoundError
from app.core.paths import DataDir
from app.core.timeline import AttachmentError, EntryError
from app.services.charts import Charts
from app.services.instructions import InstructionError, Instructions
from app.services.open_round import OpenRound
from app.services.records import Records, RecordsError
from app.services.recovery import KeyRecovery
from app.services.seals import Seals
from app.services.sessions.resend import DetailsResender
from app.services.sitrep import SitrepError, Sitreps
from app.services.timeline import Timeline
from app.services.trust.cross_signing import CrossSigning, TrustError, WrongPassword
from app.services.trust.people import People
from app.services.verification.service import Verification, VerificationRefused
from app.store import JsonDocument

if TYPE_CHECKING:
    from app.services.account import AccountService
from app.services.feature import Feature


@dataclass(frozen=True)
class FeatureSpec:
    name: str
    build: Callable[[AccountService, DataDir], Feature]
    refusals: Mapping[type[Exception], str] = field(default_factory=lambda: MappingProxyType({}))


FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec(
        "instructions",
        lambda account, data: Instructions(
            account,
            JsonDocument(data.account(account.user_id) / "instructions.json", account.file_key),
        ),
        {InstructionError: "instruction_failed"},
    ),
    FeatureSpec("session_details", lambda account, _data: DetailsResender(account)),
    FeatureSpec("charts", lambda account, data: Charts(account, data.root / "charts")),
    FeatureSpec(
        "recovery",
        lambda account, data: KeyRecovery(
            account, JsonDocument(data.account(account.user_id) / "backup.json", account.file_key)
        ),
    ),
    FeatureSpec(
        "trust",
        lambda account, data: CrossSigning(
            account, JsonDocument(data.account(account.user_id) / "cross_signing.json")
        ),
        {WrongPassword: "wrong_password", TrustError: "trust_failed", SendFailed: "trust_failed"},
    ),
    FeatureSpec(
        "people",
        lambda account, data: People(
            account, JsonDocument(data.account(account.user_id) / "identities.json")
        ),
    ),
    FeatureSpec(
        "timeline",
        lambda account, _data: Timeline(account),
        {
            EntryError: "timeline_refused",
            AttachmentError: "timeline_refused",
            SendFailed: "timeline_failed",
        },
    ),
    FeatureSpec(
        "records",
        lambda account, data: Records(
            account, JsonDocument(data.root / "exercise" / NOTES_FILE, account.file_key)
        ),
        {RecordsError: "export_failed"},
    ),
    FeatureSpec("verification", lambda a, _d: Verification(a), {VerificationRefused: "verify_no"}),
    FeatureSpec("open_round", lambda a, _data: OpenRound(a), {RoundError: "round_refused"}),
    FeatureSpec("sitrep", lambda account, _data: Sitreps(account), {SitrepError: "sitrep_refused"}),
    FeatureSpec("seals", lambda account, _data: Seals(account)),
)
