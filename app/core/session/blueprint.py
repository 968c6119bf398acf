"""A session blueprint: everything the convene dialog asks, as a YAML or JSON file.

The whole file is checked before anything is created on the server, and every problem
is reported with the line it stands on, so a facilitator fixes the file once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.core import protocol
from app.core.identifiers import is_user_id
from app.core.roles import Role
from app.core.text import NAME_MAX

if TYPE_CHECKING:  # PyYAML is imported where a file is read, not by everything that
    # names a session: the window imports this package before it is shown
    import yaml

_DELEGATION_ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True, slots=True)
class Delegation:
    id: str
    name: str
    tz: str
    location: str = ""


@dataclass(frozen=True, slots=True)
class Participant:
    user_id: str
    role: Role
    delegation: str = ""
    title: str = ""
    organisation: str = ""
    name: str = ""  # what the session calls them (encrypted details, never state)


@dataclass(frozen=True, slots=True)
class Blueprint:
    title: str
    kind: str
    capital_tz: str
    classification: str = "UNCLASSIFIED"
    exercise: bool = False
    outreach: bool = True  # whether the session has an outreach room at all
    outreach_encrypted: bool = True  # the facilitator may deliberately open it
    delegations: tuple[Delegation, ...] = ()
    participants: tuple[Participant, ...] = ()
    keeper: str = ""  # the ministry's records keeper, invited everywhere (see keeper.py)


@dataclass(frozen=True, slots=True)
class Problem:
    line: int  # 1-based; 0 when the problem is not tied to a line
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class BlueprintError(Exception):
    """The file is refused; ``problems`` lists every reason with its line."""

    def __init__(self, problems: list[Problem], what: str = "blueprint") -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems
        self.what = what  # "blueprint" or "scenario": what the user is told was refused


@dataclass
class YamlReader:
    """Walks PyYAML's node tree so every value keeps the line it came from."""

    problems: list[Problem] = field(default_factory=list)

    def fail(self, node: yaml.Node | None, message: str) -> None:
        self.problems.append(Problem(node.start_mark.line + 1 if node else 0, message))

    def mapping(self, node: yaml.Node, what: str) -> dict[str, tuple[yaml.Node, Any]]:
        import yaml  # loaded already: ``compose`` made the node

        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} must be a mapping of keys to values")
            return {}
        out: dict[str, tuple[yaml.Node, Any]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.fail(key_node, f"{what}: keys must be plain words")
            elif key in out:
                self.fail(key_node, f"{what}: '{key}' is given twice")
            else:
                out[key] = (value_node, yaml.safe_load(yaml.serialize(value_node)))
        return out

    def items(self, node: yaml.Node, what: str) -> Iterator[yaml.Node]:
        import yaml  # loaded already: ``compose`` made the node

        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"{what} must be a list")
            return
        yield from node.value

    def text(
        self,
        fields: dict[str, tuple[yaml.Node, Any]],
        key: str,
        owner: yaml.Node,
        required: bool = True,
        max_len: int = 200,
    ) -> str:
        if key not in fields:
            if required:
                self.fail(owner, f"'{key}' is missing")
            return ""
        node, value = fields[key]
        if not isinstance(value, str) or not value.strip():
            self.fail(node, f"'{key}' must be non-empty text")
            return ""
        if len(value) > max_len:
            self.fail(node, f"'{key}' is longer than {max_len} characters")
        return value.strip()

    def flag(self, fields: dict[str, tuple[yaml.Node, Any]], key: str, default: bool) -> bool:
        if key not in fields:
            return default
        node, value = fields[key]
        if not isinstance(value, bool):
            self.fail(node, f"'{key}' must be true or false")
            return default
        return value


def known_keys(
    reader: YamlReader, fields: dict[str, tuple[yaml.Node, Any]], allowed: set[str], what: str
) -> None:
    for key, (node, _value) in fields.items():
        if key not in allowed:
            reader.fail(node, f"{what}: unknown key '{key}' (known: {', '.join(sorted(allowed))})")


def read_delegations(reader: YamlReader, node: yaml.Node | None) -> tuple[Delegation, ...]:
    found: dict[str, Delegation] = {}
    for item in reader.items(node, "delegations") if node is not None else ():
        fields = reader.mapping(item, "a delegation")
        known_keys(reader, fields, {"id", "name", "location", "tz"}, "delegation")
        ident = reader.text(fields, "id", item, max_len=64)
        if ident and not set(ident) <= _DELEGATION_ID_CHARS:
            reader.fail(fields["id"][0], f"delegation id '{ident}': use a-z, 0-9, '-' or '_'")
        tz = reader.text(fields, "tz", item, max_len=64)
        if tz and not protocol.is_time_zone(tz):
            reader.fail(fields["tz"][0], f"'{tz}' is not an IANA time zone (e.g. Europe/Geneva)")
        delegation = Delegation(
            ident,
            reader.text(fields, "name", item),
            tz,
            reader.text(fields, "location", item, required=False),
        )
        if ident in found:
            reader.fail(item, f"delegation '{ident}' is given twice")
        elif ident:
            found[ident] = delegation
    return tuple(found.values())


def _participants(
    reader: YamlReader, node: yaml.Node | None, delegations: set[str]
) -> tuple[Participant, ...]:
    def problem(user: str) -> str:
        return "" if is_user_id(user) else f"'{user}' is not a Matrix user id (@name:server)"

    seated = read_seated(
        reader, node, delegations, People("participants", "participant", "user", 255), problem
    )
    return tuple(
        Participant(user, s.role, s.delegation, s.title, s.organisation, s.name)
        for user, s in seated.items()
        if s.role is not None
    )


@dataclass(frozen=True, slots=True)
class People:
    """How a list of people is written: blueprint participants (by user id) or an
    exercise's cast (by handle)."""

    section: str  # the list's key: participants | cast
    kind: str  # one entry, in messages: participant | cast member
    id_key: str  # user | handle
    max_len: int


def read_seated(
    reader: YamlReader,
    node: yaml.Node | None,
    delegations: set[str],
    people: People,
    id_problem: Callable[[str], str],
) -> dict[str, Seat]:
    """A list of people with their seats, by id, each fault reported with its line (an id
    ``id_problem`` objects to, a repeated id, a bad seat); the first of a repeated id stays."""
    found: dict[str, Seat] = {}
    keys = {people.id_key, "name", "role", "delegation", "title", "organisation"}
    for item in reader.items(node, people.section) if node is not None else ():
        fields = reader.mapping(item, f"a {people.kind}")
        known_keys(reader, fields, keys, people.section.removesuffix("s"))
        ident = reader.text(fields, people.id_key, item, max_len=people.max_len)
        if ident and (why := id_problem(ident)):
            reader.fail(fields[people.id_key][0], why)
        seat = read_seat(reader, fields, item, delegations)
        if ident in found:
            reader.fail(item, f"{people.kind} '{ident}' is given twice")
        elif ident and seat.role:
            found[ident] = seat
    return found


@dataclass(frozen=True, slots=True)
class Seat:
    """What a participant (or an exercise's cast member) holds besides who they are."""

    role: Role | None  # None when the file names no known role (already reported)
    delegation: str
    title: str
    organisation: str
    name: str = ""


def read_seat(
    reader: YamlReader,
    fields: dict[str, tuple[yaml.Node, Any]],
    item: yaml.Node,
    delegations: set[str],
) -> Seat:
    """Role, delegation, title and organisation, each fault reported with its line."""
    role_text = reader.text(fields, "role", item, max_len=32)
    role = Role(role_text) if role_text in Role.__members__.values() else None
    if role_text and role is None:
        reader.fail(
            fields["role"][0],
            f"unknown role '{role_text}' (known: {', '.join(r.value for r in Role)})",
        )
    delegation = reader.text(fields, "delegation", item, required=False, max_len=64)
    if role is Role.DELEGATE and not delegation:
        reader.fail(item, "a delegate needs a 'delegation'")
    if delegation and delegation not in delegations:
        reader.fail(fields["delegation"][0], f"no delegation with id '{delegation}'")
    return Seat(
        role,
        delegation,
        reader.text(fields, "title", item, required=False),
        reader.text(fields, "organisation", item, required=False),
        reader.text(fields, "name", item, required=False, max_len=NAME_MAX),
    )


def compose(text: str, what: str) -> yaml.Node:
    """The YAML node tree (values keep their lines); BlueprintError if it is not YAML."""
    import yaml

    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        reason = getattr(exc, "problem", exc)
        raise BlueprintError([Problem(line, f"not valid YAML: {reason}")], what) from None
    if root is None:
        raise BlueprintError([Problem(0, f"the {what} is empty")], what)
    return root


def parse_blueprint(text: str) -> Blueprint:
    """Read a blueprint (YAML, or JSON which is YAML); raise BlueprintError listing all faults."""
    reader = YamlReader()
    root = compose(text, "blueprint")
    fields = reader.mapping(root, "the blueprint")
    allowed = {
        "title",
        "kind",
        "capital_tz",
        "classification",
        "exercise",
        "outreach",
        "outreach_encrypted",
        "delegations",
        "participants",
        "keeper",
    }
    known_keys(reader, fields, allowed, "blueprint")
    title = reader.text(fields, "title", root)
    kind = reader.text(fields, "kind", root, max_len=32)
    if kind and kind not in protocol.CRISIS_KINDS:
        reader.fail(
            fields["kind"][0],
            f"unknown crisis kind '{kind}' (known: {', '.join(sorted(protocol.CRISIS_KINDS))})",
        )
    capital_tz = reader.text(fields, "capital_tz", root, max_len=64)
    if capital_tz and not protocol.is_time_zone(capital_tz):
        reader.fail(fields["capital_tz"][0], f"'{capital_tz}' is not an IANA time zone")
    delegations = read_delegations(reader, fields.get("delegations", (None, None))[0])
    participants = _participants(
        reader, fields.get("participants", (None, None))[0], {d.id for d in delegations}
    )
    blueprint = Blueprint(
        title=title,
        kind=kind,
        capital_tz=capital_tz,
        classification=reader.text(fields, "classification", root, required=False, max_len=64)
        or "UNCLASSIFIED",
        exercise=reader.flag(fields, "exercise", False),
        outreach=reader.flag(fields, "outreach", True),
        outreach_encrypted=reader.flag(fields, "outreach_encrypted", True),
        delegations=delegations,
        participants=participants,
        keeper=reader.text(fields, "keeper", root, required=False, max_len=255),
    )
    if blueprint.keeper and not is_user_id(blueprint.keeper):
        reader.fail(fields["keeper"][0], f"the keeper '{blueprint.keeper}' is not a user id")
    if reader.problems:
        raise BlueprintError(sorted(reader.problems, key=lambda p: p.line))
    return blueprint


def blueprint_problems(bp: Blueprint) -> list[tuple[str, str]]:
    """What is wrong with a blueprint built in the convene dialog.

    Returns (code, subject) pairs rather than sentences, so the dialog can say each one
    in the user's language.
    """
    problems: list[tuple[str, str]] = []
    if not bp.title.strip():
        problems.append(("no_title", ""))
    if bp.kind not in protocol.CRISIS_KINDS:
        problems.append(("bad_kind", bp.kind))
    if not protocol.is_time_zone(bp.capital_tz):
        problems.append(("bad_tz", bp.capital_tz))
    texts = [(bp.title, 200), (bp.classification, 64)]
    texts += [(t, 200) for d in bp.delegations for t in (d.name, d.location)]
    texts += [(t, 200) for p in bp.participants for t in (p.title, p.organisation)]
    texts += [(p.name, NAME_MAX) for p in bp.participants]
    problems += [("too_long", text[:40]) for text, limit in texts if len(text) > limit]
    return problems + _delegation_problems(bp.delegations) + _participant_problems(bp)


def _delegation_problems(delegations: tuple[Delegation, ...]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    ids = [d.id for d in delegations]
    problems += [("duplicate_delegation", i) for i in sorted({i for i in ids if ids.count(i) > 1})]
    for d in delegations:
        if not d.id or not set(d.id) <= _DELEGATION_ID_CHARS:
            problems.append(("bad_delegation_id", d.id))
        if not d.name.strip():
            problems.append(("delegation_no_name", d.id))
        if not protocol.is_time_zone(d.tz):
            problems.append(("bad_tz", d.tz))
    return problems


def _participant_problems(bp: Blueprint) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    ids = {d.id for d in bp.delegations}
    seen: set[str] = set()
    for p in bp.participants:
        if not is_user_id(p.user_id):
            problems.append(("bad_user_id", p.user_id))
        elif p.user_id in seen:
            problems.append(("duplicate_participant", p.user_id))
        seen.add(p.user_id)
        if p.role is Role.DELEGATE and not p.delegation:
            problems.append(("delegate_needs_delegation", p.user_id))
        elif p.delegation and p.delegation not in ids:
            problems.append(("unknown_delegation", p.delegation))
    return problems
