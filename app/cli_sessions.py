"""`oor convene`, `oor invite`, `oor role`, `oor remove`, `oor close`, `oor join`."""

from __future__ import annotations

import argparse
import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from app.core.identifiers import is_user_id
from app.core.paths import DataDir
from app.core.roles import Role
from app.core.session import Participant, SessionInfo, parse_blueprint
from app.matrix import MatrixClient
from app.services.headless import signed_in
from app.services.sessions import SessionError, Sessions

Action = Callable[[Sessions, argparse.Namespace], Awaitable[dict[str, Any]]]


def layout(info: SessionInfo) -> dict[str, Any]:
    """The session's ids as scripts want them."""
    rooms: dict[str, Any] = {r.kind.value: r.room_id for r in info.rooms if not r.delegation}
    rooms["delegations"] = {r.delegation: r.room_id for r in info.rooms if r.delegation}
    return {"space_id": info.space_id, "title": info.title, "status": info.status, "rooms": rooms}


async def _convene(sessions: Sessions, args: argparse.Namespace) -> dict[str, Any]:
    return layout(await sessions.convene(args.parsed_blueprint))


def _participant(args: argparse.Namespace) -> Participant:
    return Participant(
        args.user,
        Role(args.role),
        args.delegation or "",
        args.title or "",
        args.organisation or "",
        args.name or "",
    )


async def _invite(sessions: Sessions, args: argparse.Namespace) -> dict[str, Any]:
    await sessions.invite(args.space, _participant(args))
    return {"space_id": args.space, "user_id": args.user, "role": args.role}


async def _role(sessions: Sessions, args: argparse.Namespace) -> dict[str, Any]:
    await sessions.set_role(args.space, _participant(args))
    return {"space_id": args.space, "user_id": args.user, "role": args.role}


async def _remove(sessions: Sessions, args: argparse.Namespace) -> dict[str, Any]:
    await sessions.remove(args.space, args.user)
    return {"space_id": args.space, "user_id": args.user, "removed": True}


async def _close(sessions: Sessions, args: argparse.Namespace) -> dict[str, Any]:
    await sessions.close(args.space)
    return {"space_id": args.space, "status": "closed"}


async def _join(sessions: Sessions, args: argparse.Namespace) -> dict[str, Any]:
    return {"space_id": args.space, "joined": await sessions.join(args.space)}


async def _with_login(data: DataDir, action: Action, args: argparse.Namespace) -> dict[str, Any]:
    client: MatrixClient
    async with signed_in(data) as client:
        return await action(Sessions(client), args)


def run(args: argparse.Namespace, data: DataDir) -> int:
    """Validate what can be validated offline, then act with the stored login."""
    if args.command == "convene":
        args.parsed_blueprint = parse_blueprint(Path(args.blueprint).read_text(encoding="utf-8"))
    if getattr(args, "user", None) and not is_user_id(args.user):
        raise SessionError(f"'{args.user}' is not a Matrix user id (@name:server)")
    reply = asyncio.run(_with_login(data, ACTIONS[args.command], args))
    if args.json:
        print(json.dumps(reply, ensure_ascii=False), flush=True)
    else:
        print(_describe(args.command, reply), flush=True)
    return 0


def _describe(command: str, reply: dict[str, Any]) -> str:
    if command == "convene":
        rooms = reply["rooms"]
        lines = [f"Convened '{reply['title']}': space {reply['space_id']}"]
        lines += [f"  {kind}: {room}" for kind, room in rooms.items() if kind != "delegations"]
        lines += [f"  delegation {d}: {room}" for d, room in rooms["delegations"].items()]
        return "\n".join(lines)
    return " ".join(f"{k}={v}" for k, v in reply.items())


ACTIONS: dict[str, Action] = {
    "convene": _convene,
    "invite": _invite,
    "role": _role,
    "remove": _remove,
    "close": _close,
    "join": _join,
}


def add_commands(commands: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Register the session subcommands on the main parser's subparsers."""
    convene = commands.add_parser("convene", help="convene a session from a blueprint file")
    convene.add_argument("blueprint", help="YAML or JSON file (see docs/protocol.md)")
    for name, text in (
        ("invite", "add a participant with a role"),
        ("role", "change a participant's role"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("space", help="the session's space id")
        sub.add_argument("user", help="@name:server")
        sub.add_argument("--role", required=True, choices=[r.value for r in Role])
        sub.add_argument("--delegation", help="delegation id (for delegates)")
        sub.add_argument("--name", help="the name the session shows, e.g. 'Omar Khalil'")
        sub.add_argument("--title", help="title, e.g. 'Head of delegation'")
        sub.add_argument("--organisation", help="ministry, agency or company")
    remove = commands.add_parser("remove", help="take a participant out of the session")
    remove.add_argument("space")
    remove.add_argument("user")
    for name, text in (
        ("close", "close a session (read-only but for facilitators)"),
        ("join", "accept a session invitation and join its rooms"),
    ):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("space")
    for name in ACTIONS:
        common(commands.choices[name])
