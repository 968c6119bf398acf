"""The ministry's records keeper on a real Synapse and a real PostgreSQL: invited by
convene, archiving every room exactly as the server holds it, through its own SIGKILL
and a database outage; retention that only marks, a hold that blocks even that; the
export `oor verify` accepts; and the participants panel showing it as "Records"."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.cli import main
from app.homeserver import EmbeddedHomeserver
from app.homeserver.deployment.local.services import TempPostgres
from app.services.sessions import Sessions
from app.ui.sessions.participants_panel import ROLE, ParticipantsPanel
from tests.fixtures_homeserver import MakeAccount
from tests.keeper_harness import (
    KeptSession,
    archived_ids,
    kept_session,
    post,
    post_until,
    texts,
    until,
    wait_matches,
)


async def test_the_keeper_ends_with_exactly_the_servers_events_after_a_sigkill(
    homeserver: EmbeddedHomeserver, make_account: MakeAccount, tmp_path: Path, records_db: str
) -> None:
    async with kept_session(homeserver, make_account, tmp_path, records_db) as session:
        _fac, kept, keeper = session
        sent: list[str] = []
        quiet = asyncio.Event()
        busy = asyncio.ensure_future(post_until(kept, quiet, sent))  # busy all along
        archive = kept.archive()

        def kept_of_sender() -> int:
            return len(set(sent) & set(archived_ids(archive, kept.operations)))

        await until(lambda: kept_of_sender() >= 10, "the keeper to archive the sender's posts")
        keeper.kill()  # mid-session, mid-page perhaps: no clean-up at all
        killed_at = len(sent)
        await until(lambda: len(sent) >= killed_at + 10, "posts while the keeper is dead")
        keeper.start()
        await until(lambda: kept_of_sender() >= killed_at + 20, "the keeper to catch up")
        quiet.set()
        await busy
        await wait_matches(kept, archive)  # every room, in the server's order, once each
        ours = await asyncio.to_thread(archived_ids, archive, kept.operations)
        assert len(ours) == len(set(ours))
        assert all([archive.verify_chain(room) for room in kept.rooms])
        archive.close()
        assert texts(kept, sent) == {e: f"update {n}" for n, e in enumerate(sent)}


async def test_a_database_outage_loses_nothing(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    postgres: TempPostgres,
    records_db: str,
) -> None:
    async with kept_session(homeserver, make_account, tmp_path, records_db) as session:
        _fac, kept, keeper = session
        before = await post(kept, 5, "before")
        archive = kept.archive()
        await wait_matches(kept, archive)
        archive.close()
        await asyncio.to_thread(postgres.pause)
        try:
            during = await post(kept, 20, "during")
            await until(lambda: "database is unavailable" in keeper.output(), "the outage")
        finally:
            await asyncio.to_thread(postgres.resume)
        after = await post(kept, 5, "after")
        archive = kept.archive()
        await wait_matches(kept, archive)
        archive.close()
        sent = before + during + after
        expected = [f"before {n}" for n in range(5)] + [f"during {n}" for n in range(20)]
        expected += [f"after {n}" for n in range(5)]
        assert texts(kept, sent) == dict(zip(sent, expected, strict=True))


def test_retention_marks_a_hold_blocks_export_verifies_and_the_panel_says_records(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    *,
    records_db: str,
    disposed,
    capsys,
) -> None:
    async def scenario() -> tuple[object, int]:
        async with kept_session(homeserver, make_account, tmp_path, records_db) as session:
            fac, kept, _keeper = session
            await post(kept, 10, "sitrep")
            archive = kept.archive()
            await wait_matches(kept, archive)
            total = sum([archive.count(room) for room in kept.rooms])
            archive.close()
            roster = await Sessions(fac.account.client).roster(kept.info.space_id)
        return (kept, roster), total

    (kept, roster), total = asyncio.run(scenario())
    assert isinstance(kept, KeptSession)
    space, db = kept.info.space_id, ["--db", records_db, "--json"]

    def keeper_cli(*argv: str) -> int:
        return main(["keeper", *argv, *db])

    assert keeper_cli("hold", space, "--reason", "inquiry 2026/14") == 0
    assert keeper_cli("retention", space, "--days", "0") == 0
    capsys.readouterr()
    assert keeper_cli("mark", space) == 0
    assert '"held": true, "marked": 0' in capsys.readouterr().out  # the hold blocks marking
    assert keeper_cli("hold", space, "--release") == 0
    capsys.readouterr()
    assert keeper_cli("mark", space) == 0
    assert f'"held": false, "marked": {total}' in capsys.readouterr().out
    archive = kept.archive()
    assert sum(archive.count(room) for room in kept.rooms) == total  # nothing deleted
    archive.close()

    out = tmp_path / "record"
    argv = ["export", space, "--out", str(out), "--data-dir", str(kept.keeper_dir)]
    assert keeper_cli(*argv) == 0
    assert main(["verify", str(out)]) == 0

    panel = disposed(ParticipantsPanel())
    panel.show_roster(roster)
    roles = {
        panel.model.member(r).user_id: panel.model.index(r, ROLE).data()
        for r in range(panel.model.rowCount())
    }
    assert roles[kept.keeper_id] == "Records"  # seen by everyone, never hidden
