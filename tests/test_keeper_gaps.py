"""The keeper's known gaps where a records officer sees them, on a real Synapse and a
real PostgreSQL, the hole made the real way: the keeper banned from the operations room
while it was down, so the server refuses what was said meanwhile. `oor keeper gaps` lists
it ("no known gaps" before), the exported record states it in its report and its signed
manifest, `oor verify` tells it and still calls the record untampered, and the gap edited
out of the manifest fails verification."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

from nio import RoomBanResponse

from app.cli import main
from app.homeserver import EmbeddedHomeserver
from tests.fixtures_homeserver import MakeAccount
from tests.keeper_harness import archived_ids, kept_session, post, until, wait_matches


async def _oor(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))  # `oor` runs its own event loop


async def test_a_hole_made_by_a_ban_is_listed_stated_in_the_record_and_verified(
    homeserver: EmbeddedHomeserver,
    make_account: MakeAccount,
    tmp_path: Path,
    records_db: str,
    capsys,
) -> None:
    async with kept_session(homeserver, make_account, tmp_path, records_db) as session:
        _fac, kept, keeper = session
        space, ops, db = kept.info.space_id, kept.operations, ("--db", records_db)
        archive = kept.archive()
        try:
            await wait_matches(kept, archive)
            keeper.stop()
            capsys.readouterr()
            assert await _oor("keeper", "gaps", *db) == 0
            assert capsys.readouterr().out == "no known gaps\n"
            last = (await asyncio.to_thread(archived_ids, archive, ops))[-1]
            await post(kept, 3, "while down")
            resp = await kept.reader.room_ban(ops, kept.keeper_id, "records moved")
            assert isinstance(resp, RoomBanResponse), resp
            keeper.start()
            await until(archive.open_holes, "the hole to be noted")
            keeper.stop()  # the export signs with the keeper's device
        finally:
            archive.close()

        assert await _oor("keeper", "gaps", space, *db, "--json") == 0
        [listed] = json.loads(capsys.readouterr().out)["gaps"]
        assert (listed["space_id"], listed["title"]) == (space, "Evacuation")
        assert listed["gap"]["room_id"] == ops and listed["gap"]["after_event_id"] == last
        assert await _oor("keeper", "gaps", *db) == 0
        said = f"the operations room ({ops}) after event {last} (sent "  # then its time
        out = capsys.readouterr().out
        assert out.startswith(f"session {space} “\u2068Evacuation\u2069”: The history of {said}")
        assert "could not be read. Noted " in out and out.count("\n") == 1

        record = tmp_path / "record"
        argv = ["export", space, "--out", str(record), "--data-dir", str(kept.keeper_dir)]
        assert await _oor("keeper", *argv, *db) == 0
        assert capsys.readouterr().out.endswith("; the record states 1 known gap in its history\n")
        page = (record / "record.html").read_text(encoding="utf-8")
        box = page[page.index("<h2>Known gaps in this record</h2>") : page.index("Participants")]
        assert f"The history of {said}" in box and "(Africa/Cairo)" in box
        manifest = json.loads((record / "manifest.json").read_text(encoding="utf-8"))
        assert [gap["after_event_id"] for gap in manifest["gaps"]] == [last]

        assert await _oor("verify", str(record)) == 0
        out = capsys.readouterr().out
        assert "complete and untampered" in out and "; 1 known gap in its history\n" in out
        assert f"  The history of room {ops} after event {last} (sent " in out

        whole_looking = tmp_path / "edited"
        shutil.copytree(record, whole_looking)
        manifest["gaps"] = []
        text = json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
        (whole_looking / "manifest.json").write_text(text, encoding="utf-8")
        assert await _oor("verify", str(whole_looking)) == 1
        assert "the manifest's signature does not match" in capsys.readouterr().out
