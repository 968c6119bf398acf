"""The bridge's commands to the signed-in account's features, one method per command.

Why apart from ``bridge.py``: the bridge's own job is crossing threads (commands in,
notices out, answers back); this is the catalogue of what the feature pages may ask,
each turned into ``Backend.use(name, ...)`` with the feature named as in
``app.services.features``, so the UI never imports a feature's module (the charts' loads
plotly, on the backend thread).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from app.core.charts import ChartDef, CsvRow, Reading
from app.core.instructions import Draft
from app.core.timeline import EntryDraft, TimelineQuery
from app.ui.commands import Command

if TYPE_CHECKING:
    from app.services.backend import Backend
    from app.services.charts import Charts
    from app.services.instructions import Instructions
    from app.services.open_round import OpenRound
    from app.services.timeline import Timeline


class FeatureCommands:
    """Mixed into ``Bridge``, whose ``_call`` runs a command on the backend thread."""

    def _call(self, action: Callable[[Backend], Awaitable[Any]]) -> Command:
        raise NotImplementedError

    def _use(self, feature: str, action: Callable[[Any], Awaitable[Any]]) -> Command:
        """A command of one feature of the signed-in account, named as in
        ``app.services.features``; what it refuses comes back to the sender."""
        return self._call(lambda backend: backend.use(feature, action))

    # -- verification and open rounds ------------------------------------------------------

    def verification(self, action: Callable[[Any], Awaitable[Any]]) -> Command:
        """A command of emoji verification (request, accept, confirm, mismatch, cancel)."""
        return self._use("verification", action)

    def open_round(self, action: Callable[[OpenRound], Awaitable[Any]]) -> Command:
        """An open-round command; a refusal (wrong role, round closed) comes back."""
        return self._use("open_round", action)

    # -- instructions ----------------------------------------------------------------------

    def _instructions(self, action: Callable[[Instructions], Awaitable[Any]]) -> Command:
        """An instruction command; a refusal (not an official, no reason given) is shown."""
        return self._use("instructions", action)

    def issue_instruction(self, space_id: str, draft: Draft) -> Command:
        return self._instructions(lambda s: s.issue(space_id, draft))

    def acknowledge(self, instruction_id: str, state: str, note: str = "") -> Command:
        return self._instructions(lambda s: s.acknowledge(instruction_id, state, note))

    def request_instructions(
        self, space_id: str, subject: str, body: str, deadline: int | None
    ) -> Command:
        return self._instructions(lambda s: s.request(space_id, subject, body, deadline))

    def clarify(self, instruction_id: str, text: str) -> Command:
        return self._instructions(lambda s: s.clarify(instruction_id, text))

    def save_draft(self, draft: Draft) -> Command:
        return self._instructions(lambda s: s.save_draft(draft))

    def delete_draft(self, draft_id: str) -> Command:
        return self._instructions(lambda s: s.delete_draft(draft_id))

    # -- key recovery ----------------------------------------------------------------------

    def set_up_recovery(self, passphrase: str) -> Command:
        """Make the account's recovery key; it comes back once, in a RecoveryChanged."""
        return self._use("recovery", lambda r: r.set_up(passphrase))

    def accept_identity(self, user_id: str) -> Command:
        """The user accepts a participant's new identity: held messages to them go."""
        return self._use("people", lambda p: p.acknowledge_identity(user_id))

    def set_session_policy(self, space_id: str, cross_signed_only: bool) -> Command:
        """The facilitator's setting: room keys only to cross-signed devices, or to all."""
        return self._use("trust", lambda t: t.set_session_policy(space_id, cross_signed_only))

    def set_up_cross_signing(self, password: str) -> Command:
        """Make the account's cross-signing keys with its password (used once, not kept)."""
        return self._use("trust", lambda t: t.set_up(password))

    def restore_history(self, typed: str) -> Command:
        """Open the key backup with a recovery key or passphrase (a failure is a notice)."""
        return self._use("recovery", lambda r: r.restore(typed))

    # -- situation charts ------------------------------------------------------------------

    def _charts(self, action: Callable[[Charts], Awaitable[Any]]) -> Command:
        return self._use("charts", action)

    def load_charts(self, room_id: str) -> Command:
        return self._charts(lambda s: s.load_charts(room_id))

    def publish_value(self, room_id: str, reading: Reading) -> Command:
        return self._charts(lambda s: s.publish(room_id, reading))

    def define_chart(self, room_id: str, chart: ChartDef) -> Command:
        return self._charts(lambda s: s.define_chart(room_id, chart))

    def preview_csv(self, room_id: str, series: str, path: str, unit: str) -> Command:
        return self._charts(lambda s: s.preview_csv(room_id, series, path, unit))

    def import_rows(self, room_id: str, rows: tuple[CsvRow, ...]) -> Command:
        return self._charts(lambda s: s.import_rows(room_id, rows))

    def export_chart(
        self, room_id: str, chart_id: str, fmt: str, path: str, banner: str
    ) -> Command:
        """fmt: html (self-contained page) or csv (the values behind the chart)."""
        return self._charts(lambda s: s.export(room_id, chart_id, fmt, path, banner))

    # -- the record -------------------------------------------------------------------------

    def export_record(self, space_id: str, folder: str, details_pending: bool = False) -> Command:
        """Write the session's record (report and signed bundle) into ``folder``; with
        ``details_pending``, also while its details are not decrypted (marked so)."""
        return self._use(
            "records", lambda r: r.export(space_id, folder, details_pending=details_pending)
        )

    def seal_record(self, room_ids: tuple[str, ...]) -> Command:
        """Publish a signed seal of our record of each of these rooms now; the seals sent."""
        return self._use("seals", lambda seals: seals.seal_all(room_ids))

    # -- the shared timeline ---------------------------------------------------------------

    def _timeline(self, action: Callable[[Timeline], Awaitable[Any]]) -> Command:
        """A timeline command; a refusal (no title, a status the rules forbid), or an upload
        or download the server did not take, is shown."""
        return self._use("timeline", action)

    def post_entry(self, room_id: str, draft: EntryDraft) -> Command:
        return self._timeline(lambda t: t.post(room_id, draft))

    def verify_entry(self, entry_id: str, status: str, reason: str) -> Command:
        return self._timeline(lambda t: t.verify(entry_id, status, reason))

    def timeline_shown(self, room_id: str) -> Command:
        """Verification and pins of a room just shown."""
        return self._timeline(lambda t: t.announce_room(room_id))

    def pin(self, room_id: str, event_id: str, pinned: bool) -> Command:
        return self._timeline(lambda t: t.pin(room_id, event_id, pinned))

    def reply(self, room_id: str, event_id: str, body: str) -> Command:
        return self._timeline(lambda t: t.reply(room_id, event_id, body))

    def edit(self, event_id: str, body: str) -> Command:
        return self._timeline(lambda t: t.edit(event_id, body))

    def attach(self, room_id: str, path: str) -> Command:
        return self._timeline(lambda t: t.attach(room_id, path))

    def fetch_attachment(self, event_id: str, save_to: str = "") -> Command:
        return self._timeline(lambda t: t.fetch_attachment(event_id, save_to))

    def load_older(self, room_id: str, before: str) -> Command:
        return self._timeline(lambda t: t.older(room_id, before))

    def search(self, query: TimelineQuery) -> Command:
        return self._timeline(lambda t: t.search(query))

    # -- sitreps ---------------------------------------------------------------------------

    def sitrep(self, action: Callable[[Any], Awaitable[Any]]) -> Command:
        """A sitrep command (compile answers with a SitrepDraft); what the rules refuse
        comes back as Problem("sitrep_refused", <core.sitrep.Why code>)."""
        return self._use("sitrep", action)
