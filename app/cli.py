"""Command line: `oor` opens the app; subcommands run headless and can answer in JSON.

Expected failures print one clear sentence and exit non-zero; tracebacks go to the
log file only.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from app import (
    __version__,
    cli_exercise,
    cli_instructions,
    cli_keeper,
    cli_records,
    cli_server,
    cli_sessions,
)
from app.core.errors import SendFailed
from app.core.keeper_env import KeeperEnvError
from app.core.paths import ARCHIVE_PASSPHRASE_ENV, DataDir
from app.core.session import BlueprintError
from app.homeserver import EmbeddedHomeserver, HomeserverError
from app.services.records import RecordsError
from app.services.sessions import SessionError

EXIT_FAILURE = 2


def _data_dir(arg: str | None) -> DataDir:
    return DataDir(Path(arg).expanduser()) if arg else DataDir.default()


def _print(args: argparse.Namespace, text: str, payload: dict[str, object]) -> None:
    print(json.dumps(payload, ensure_ascii=False) if args.json else text, flush=True)


def _serve(args: argparse.Namespace) -> int:
    data = _data_dir(args.data_dir)
    server = EmbeddedHomeserver(data.homeserver, port=args.port)

    def ready(url: str) -> None:
        _print(args, f"Homeserver running at {url} (Ctrl-C stops it)", {"url": url})

    return server.serve_forever(on_ready=ready)


def _account_create(args: argparse.Namespace) -> int:
    data = _data_dir(args.data_dir)
    server = EmbeddedHomeserver(data.homeserver)
    if server.running_elsewhere():  # `oor serve` or the app has it: just ask it
        account = server.create_account(args.user, args.password, args.admin, args.name)
    else:
        server.start()
        try:
            account = server.create_account(args.user, args.password, args.admin, args.name)
        finally:
            server.stop()
    _print(args, account.user_id, {"user_id": account.user_id, "password": account.password})
    return 0


def _gui(args: argparse.Namespace) -> int:
    from app.ui.shell.app import run_gui  # Qt loads only when a window is wanted

    return run_gui(
        _data_dir(args.data_dir), embedded=args.embedded, language=args.lang, digits=args.digits
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="oor", description="Open Operations Room")
    parser.add_argument("--version", action="version", version=f"oor {__version__}")
    parser.add_argument("--data-dir", help="where logins, archive and keys live")
    parser.add_argument(
        "--embedded",
        action="store_true",
        help="start the embedded homeserver and sign in as its local operator",
    )
    parser.add_argument("--lang", choices=["en", "ar"], help="language of the interface")
    parser.add_argument(
        "--digits",
        choices=["latin", "arabic"],
        help="one digit style everywhere (default: Arabic-Indic in Arabic, else Latin)",
    )
    parser.set_defaults(run=_gui)
    commands = parser.add_subparsers(dest="command")

    serve = commands.add_parser("serve", help="run the embedded homeserver in the foreground")
    serve.add_argument("--data-dir", default=argparse.SUPPRESS, help="the app's data dir")
    serve.add_argument("--port", type=int, help="loopback port (default: a free one, then reused)")
    serve.add_argument("--json", action="store_true", help="print machine-readable output")
    serve.set_defaults(run=_serve)

    account = commands.add_parser("account", help="manage accounts on the embedded homeserver")
    account_cmds = account.add_subparsers(dest="account_command", required=True)
    create = account_cmds.add_parser("create", help="create an account, print its user id")
    create.add_argument("user", help="localpart, e.g. alice")
    create.add_argument("--name", default="", help="the name people see, e.g. 'Alice Haddad'")
    create.add_argument("--password", help="default: a generated one, printed with --json")
    create.add_argument("--admin", action="store_true", help="make a server admin")
    create.add_argument("--data-dir", default=argparse.SUPPRESS, help="the app's data dir")
    create.add_argument("--json", action="store_true", help="print machine-readable output")
    create.set_defaults(run=_account_create)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--data-dir", default=argparse.SUPPRESS, help="a signed-in data dir")
        sub.add_argument("--json", action="store_true", help="print machine-readable output")
        sub.set_defaults(run=_session_command)

    cli_sessions.add_commands(commands, common)

    def instruction_command(sub: argparse.ArgumentParser) -> None:
        common(sub)
        sub.set_defaults(run=lambda args: cli_instructions.run(args, _data_dir(args.data_dir)))

    cli_instructions.add_commands(commands, instruction_command)
    cli_exercise.add_commands(commands, _data_dir)
    cli_server.add_commands(commands)
    cli_records.add_commands(commands, _data_dir)
    cli_keeper.add_commands(commands, _data_dir)
    return parser


def _session_command(args: argparse.Namespace) -> int:
    return cli_sessions.run(args, _data_dir(args.data_dir))


def _log_to_file(data: DataDir) -> logging.Handler | None:
    """Warnings to stderr; the full record (with tracebacks) to the data dir's oor.log."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        data.root.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(data.root / "oor.log", encoding="utf-8")
    except OSError:
        return None  # the command itself will report an unusable data dir
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    logging.getLogger().addHandler(handler)
    logging.getLogger("app").setLevel(logging.INFO)
    return handler


def _fail(message: str, problems: list[str], as_json: bool) -> int:
    """One clear message on stderr (a JSON object with --json), and a non-zero exit."""
    if as_json:
        print(
            json.dumps({"error": message, "problems": problems}, ensure_ascii=False),
            file=sys.stderr,
        )
    else:
        lines = "".join(f"\n  {p}" for p in problems)
        print(f"oor: {message}{':' if problems else ''}{lines}", file=sys.stderr)
    return EXIT_FAILURE


def _ask_archive_passphrase(data: DataDir) -> None:
    """An account whose archive key is a passphrase (a machine without a keyring) and no
    ``OOR_ARCHIVE_PASSPHRASE``: ask once on the terminal, for this process (the GUI
    started from a terminal too). Without a terminal the archive is refused in a sentence
    that names the variable."""
    if os.environ.get(ARCHIVE_PASSPHRASE_ENV) or not sys.stdin.isatty():
        return
    if data.passphrase_accounts():
        os.environ[ARCHIVE_PASSPHRASE_ENV] = getpass.getpass("Archive passphrase: ")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    os.umask(0o077)  # archives, keys and logs are for this user only
    _ask_archive_passphrase(_data_dir(args.data_dir))
    handler = _log_to_file(_data_dir(args.data_dir))
    as_json = bool(getattr(args, "json", False))
    try:
        return args.run(args)
    except BlueprintError as exc:
        problems = [str(p) for p in exc.problems]
        return _fail(f"the {exc.what} is refused, nothing was created", problems, as_json)
    except (HomeserverError, SessionError, SendFailed, RecordsError, KeeperEnvError) as exc:
        return _fail(str(exc), [], as_json)
    except OSError as exc:
        logging.getLogger(__name__).exception("command failed")
        return _fail(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), [], as_json)
    finally:
        if handler is not None:
            logging.getLogger().removeHandler(handler)
            handler.close()


if __name__ == "__main__":
    sys.exit(main())
