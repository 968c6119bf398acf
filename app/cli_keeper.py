"""`oor keeper`: the ministry's records keeper, and its record of each session.

`oor keeper login` signs the keeper's account in once; `oor keeper` (or `oor keeper run`)
then archives every session it is invited to into the records database until SIGTERM.
`export`, `retention`, `hold`, `mark` and `gaps` (the holes it knows in its record) work
on what it archived.

Every setting comes from its option (`--db`, `--homeserver`, `--user`, `--data-dir`), else
from the keeper's environment file named with `--env-file` (`keeper.env`, as `oor server
init` writes it), else from the environment (what systemd's ``EnvironmentFile=`` gave
the service): ``app/core/keeper_env.py`` is the one reader of all three.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import json
import signal
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from app.core import keeper_env
from app.core.keeper_env import KeeperEnv
from app.core.paths import DataDir
from app.services.records import DETAILS_PENDING_HELP, RecordsError


def _source(args: argparse.Namespace) -> str:
    """Where the database URL came from, for a message about it."""
    if getattr(args, "db", None):
        return "--db"
    return getattr(args, "env_file", None) or "the environment"


def _settings(args: argparse.Namespace) -> KeeperEnv:
    """The keeper's settings for this command: options over the file over the environment."""
    env_file = getattr(args, "env_file", None)
    found = keeper_env.keeper_env(Path(env_file).expanduser() if env_file else None)
    given = KeeperEnv(
        db=getattr(args, "db", None) or found.db,
        homeserver=getattr(args, "homeserver", None) or found.homeserver,
        user=getattr(args, "user", None) or found.user,
        data_dir=found.data_dir,
    )
    return keeper_env.checked(given, "the command line", placeholder_ok=True)


def _db_url(args: argparse.Namespace) -> str:
    url = _settings(args).db
    if not url:
        raise RecordsError(
            f"no records database: give --db postgresql://…, set {keeper_env.DB}, or name "
            "the keeper's environment file with --env-file"
        )
    return keeper_env.checked(KeeperEnv(db=url), _source(args)).db


@contextlib.contextmanager
def _archive(args: argparse.Namespace) -> Iterator[Any]:
    """The keeper's archive, opened for one command (no waiting: a person is watching)."""
    from app.store import StoreError  # SQL loads only when a command runs
    from app.store.keeper import open_keeper_archive

    try:
        archive = open_keeper_archive(_db_url(args), "")
        try:
            yield archive
        finally:
            archive.close()
    except StoreError as exc:
        raise RecordsError(str(exc)) from exc


def _print(args: argparse.Namespace, text: str, payload: dict[str, Any]) -> None:
    print(json.dumps(payload, ensure_ascii=False) if args.json else text, flush=True)


def _run(args: argparse.Namespace, data: DataDir) -> int:
    from app.services.keeper import serve

    url = _db_url(args)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await serve(data, url, stop)

    asyncio.run(main())
    return 0


def _login(args: argparse.Namespace, data: DataDir) -> int:
    from app.services.keeper import sign_in

    settings = _settings(args)
    for value, option, name in (
        (settings.homeserver, "--homeserver", keeper_env.HOMESERVER),
        (settings.user, "--user", keeper_env.USER),
    ):
        if not value:
            raise RecordsError(f"the keeper's login needs {option}, or {name} in --env-file")
    if args.password_file:
        password = Path(args.password_file).read_text(encoding="utf-8").strip()
    else:
        password = getpass.getpass(f"Password of {settings.user}: ")
    device = asyncio.run(sign_in(data, settings.homeserver, settings.user, password))
    text = f"{settings.user} signed in as the keeper (device {device})"
    _print(args, text, {"device_id": device})
    return 0


def _refuse_while_running(data: DataDir) -> None:
    """The export signs with the keeper's device, so it needs the data dir the running
    keeper holds: say that in a sentence, with what to do.

    Not a read-only export beside the service: restoring the device means a second
    client on the same Olm account and crypto store while the service writes to it, and
    two writers can publish or use up one-time keys twice and break sessions. The probe
    lets go at once; should the keeper start in between, the export's own lock refuses."""
    from app.services.instance_lock import DataDirInUse, InstanceLock

    probe = InstanceLock(data.root)
    try:
        probe.acquire()
    except DataDirInUse:
        raise RecordsError(
            f"the records keeper is running on {data.root}: the export signs with its "
            "device, which one process at a time may use. Stop it (`systemctl stop "
            "oor-keeper.service`), export, then start it again: it resumes where it "
            "stopped and back-fills what came meanwhile, nothing is lost"
        ) from None
    probe.release()


def _export(args: argparse.Namespace, data: DataDir) -> int:
    from app.services.headless import signed_in
    from app.services.keeper import KeeperDesk

    _refuse_while_running(data)
    out = Path(args.out).expanduser().resolve()

    async def export() -> Any:
        async with signed_in(data) as client:
            with _archive(args) as archive:
                desk = KeeperDesk(client, archive)
                return await desk.export(args.space, str(out), details_pending=args.details_pending)

    done = asyncio.run(export())
    _print(args, done.summary(), asdict(done))
    return 0


def _retention(args: argparse.Namespace) -> int:
    from app.services.keeper import set_retention

    with _archive(args) as archive:
        policy = set_retention(archive, args.space, None if args.forever else args.days)
    kept = "for ever" if policy.retention_days is None else f"{policy.retention_days} days"
    _print(args, f"{args.space}: kept {kept}", asdict(policy))
    return 0


def _hold(args: argparse.Namespace) -> int:
    from app.services.keeper import set_hold

    with _archive(args) as archive:
        policy = set_hold(archive, args.space, None if args.release else args.reason)
    text = f"{args.space}: legal hold {'on' if policy.legal_hold else 'lifted'}"
    _print(args, text, asdict(policy))
    return 0


def _mark(args: argparse.Namespace) -> int:
    from app.services.keeper import mark

    with _archive(args) as archive:
        marking = mark(archive, args.space)
    if marking.held:
        text = f"{args.space}: under legal hold, nothing marked ({marking.marked} marked before)"
    else:
        text = f"{args.space}: {marking.marked} events may be destroyed (none deleted)"
    _print(args, text, asdict(marking))
    return 0


def _gaps(args: argparse.Namespace) -> int:
    from app.core.records_export import gap_sentence, utc
    from app.core.text import isolate, one_line
    from app.services.keeper import open_gaps

    with _archive(args) as archive:
        found = open_gaps(archive, args.space)
    lines = []
    for g in found:
        session = f"session {g.space_id}" if g.space_id else "no archived session"
        titled = f"{session} “{isolate(one_line(g.title))}”" if g.title else session
        lines.append(f"{titled}: {gap_sentence(g.gap, g.room, utc)}")
    text = "\n".join(lines) or (f"{args.space}: " if args.space else "") + "no known gaps"
    _print(args, text, {"gaps": [asdict(g) for g in found]})
    return 0


def add_commands(commands: Any, data_dir: Callable[[str | None], DataDir]) -> None:
    """Register `keeper` and its subcommands on the main parser's subparsers."""
    keeper = commands.add_parser("keeper", help="the ministry's records keeper")

    def options(sub: argparse.ArgumentParser, db: bool = True) -> None:
        sub.add_argument(
            "--data-dir",
            default=argparse.SUPPRESS,
            help=f"the keeper's data dir (default: ${keeper_env.DATA_DIR})",
        )
        sub.add_argument(
            "--env-file",
            default=argparse.SUPPRESS,
            metavar="FILE",
            help="read the keeper's settings from this keeper.env (as the service does)",
        )
        if db:
            sub.add_argument("--db", help=f"records database URL (default: ${keeper_env.DB})")
        sub.add_argument("--json", action="store_true", help="print machine-readable output")

    def with_data(run: Callable[[argparse.Namespace, DataDir], int]) -> Callable[..., int]:
        return lambda args: run(args, data_dir(args.data_dir or _settings(args).data_dir or None))

    options(keeper)
    keeper.set_defaults(run=with_data(_run))
    subs = keeper.add_subparsers(dest="keeper_command")
    run = subs.add_parser("run", help="archive every session into the records database")
    options(run)
    run.set_defaults(run=with_data(_run))
    login = subs.add_parser("login", help="sign the keeper's account in on this data dir")
    login.add_argument(
        "--homeserver",
        help=f"the homeserver's URL (default: ${keeper_env.HOMESERVER})",
    )
    login.add_argument("--user", help=f"the keeper's user id (default: ${keeper_env.USER})")
    login.add_argument("--password-file", help="read the password from this file")
    options(login, db=False)
    login.set_defaults(run=with_data(_login))
    export = subs.add_parser("export", help="export a session's record from the keeper")
    export.add_argument("space", help="the session's space id")
    export.add_argument("--out", required=True, help="the folder to write the record into")
    export.add_argument("--details-pending", action="store_true", help=DETAILS_PENDING_HELP)
    options(export)
    export.set_defaults(run=with_data(_export))
    retention = subs.add_parser("retention", help="set how long a session's record is kept")
    retention.add_argument("space", help="the session's space id")
    period = retention.add_mutually_exclusive_group(required=True)
    period.add_argument("--days", type=int, help="days after each event")
    period.add_argument("--forever", action="store_true", help="keep it for ever")
    options(retention)
    retention.set_defaults(run=_retention)
    hold = subs.add_parser("hold", help="place or lift a legal hold on a session's record")
    hold.add_argument("space", help="the session's space id")
    why = hold.add_mutually_exclusive_group(required=True)
    why.add_argument("--reason", help="why the record is held")
    why.add_argument("--release", action="store_true", help="lift the hold")
    options(hold)
    hold.set_defaults(run=_hold)
    marking = subs.add_parser("mark", help="mark what retention lets be destroyed")
    marking.add_argument("space", help="the session's space id")
    options(marking)
    marking.set_defaults(run=_mark)
    gaps = subs.add_parser("gaps", help="list the holes the keeper knows in its record")
    gaps.add_argument("space", nargs="?", help="only this session's (default: every room's)")
    options(gaps)
    gaps.set_defaults(run=_gaps)
