"""Exercise scenarios: a cast, the session it convenes, charts, and a timed list of injects
(the master scenario events list, MSEL).

A scenario is checked whole before anything starts: an unknown participant, role,
series or room, an inject its sender's role does not allow, a reference to an inject
that has not happened, or a time going backwards is reported with its line. Times are
relative to the exercise start ("mm:ss", "h:mm:ss" or seconds).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.core import protocol, roles
from app.core.charts import ChartDef
from app.core.roles import Role, RoomKind
from app.core.session import (
    Blueprint,
    BlueprintError,
    Delegation,
    Participant,
    People,
    YamlReader,
    compose,
    known_keys,
    read_delegations,
    read_seated,
)

if TYPE_CHECKING:  # nodes come from ``compose``, which imports PyYAML when a file is read
    import yaml

FACILITATOR = "facilitator"  # the handle of whoever runs the exercise (the app's user)
_HANDLE = re.compile(r"^[a-z0-9._=-]{1,64}$")
_TIME = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")

#: Inject kind → (fields it requires, fields it may have, the event type whose level applies).
INJECTS: Mapping[str, tuple[frozenset[str], frozenset[str], str]] = {
    "message": (frozenset({"text"}), frozenset({"room"}), "m.room.message"),
    "entry": (
        frozenset({"entry_kind", "title"}),
        frozenset({"room", "body", "sources", "verification"}),
        roles.ENTRY,
    ),
    "rumour": (frozenset({"title"}), frozenset({"room", "body", "sources"}), roles.ENTRY),
    "verification": (frozenset({"entry", "status"}), frozenset({"reason"}), roles.VERIFICATION),
    "instruction": (
        frozenset({"to", "subject"}),
        frozenset({"info", "body", "priority", "deadline_minutes", "requires_ack", "answers"}),
        roles.INSTRUCTION,
    ),
    "ack": (frozenset({"instruction", "state"}), frozenset({"note"}), roles.ACK),
    "request": (frozenset({"subject"}), frozenset({"body", "deadline_minutes"}), roles.REQUEST),
    "indicator": (
        frozenset({"series", "value"}),
        frozenset({"unit", "region", "source"}),
        roles.INDICATOR,
    ),
}
_COMMON = frozenset({"at", "by", "do", "id"})


@dataclass(frozen=True, slots=True)
class CastMember:
    handle: str  # the account's localpart on the exercise's homeserver
    role: Role
    delegation: str = ""
    title: str = ""
    organisation: str = ""
    name: str = ""  # the account's display name, and the session's name for them


@dataclass(frozen=True, slots=True)
class Inject:
    at: float  # seconds after the exercise start
    by: str  # a cast handle, or FACILITATOR
    do: str  # an INJECTS kind
    fields: Mapping[str, Any]
    label: str = ""  # for later injects to refer to (an ack names its instruction)
    line: int = 0


@dataclass(frozen=True, slots=True)
class Scenario:
    title: str
    kind: str
    capital_tz: str
    classification: str
    delegations: tuple[Delegation, ...]
    cast: tuple[CastMember, ...]
    charts: tuple[ChartDef, ...]
    injects: tuple[Inject, ...]

    def blueprint(self, user_ids: Mapping[str, str]) -> Blueprint:
        """The session to convene: always an exercise, so it is marked everywhere."""
        return Blueprint(
            title=self.title,
            kind=self.kind,
            capital_tz=self.capital_tz,
            classification=self.classification,
            exercise=True,
            delegations=self.delegations,
            participants=tuple(
                Participant(
                    user_ids[c.handle], c.role, c.delegation, c.title, c.organisation, c.name
                )
                for c in self.cast
            ),
        )

    @property
    def duration(self) -> float:
        return self.injects[-1].at if self.injects else 0.0


def parse_time(value: Any) -> float | None:
    """Seconds from "mm:ss", "h:mm:ss" or a number; None if it is neither."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return float(value)
    match = _TIME.match(str(value).strip()) if isinstance(value, str) else None
    if match is None:
        return None
    hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    if seconds >= 60 or (match.group(1) is not None and minutes >= 60):
        return None
    return hours * 3600 + minutes * 60 + seconds


def parse_scenario(text: str) -> Scenario:
    """Read and check a scenario; raise BlueprintError listing every fault with its line."""
    reader = YamlReader()
    root = compose(text, "scenario")
    fields = reader.mapping(root, "the scenario")
    allowed = {"title", "kind", "capital_tz", "classification", "delegations", "cast", "charts"}
    known_keys(reader, fields, allowed | {"injects"}, "scenario")
    kind = reader.text(fields, "kind", root, max_len=32)
    if kind and kind not in protocol.CRISIS_KINDS:
        reader.fail(fields["kind"][0], f"unknown crisis kind '{kind}'")
    capital_tz = reader.text(fields, "capital_tz", root, max_len=64)
    if capital_tz and not protocol.is_time_zone(capital_tz):
        reader.fail(fields["capital_tz"][0], f"'{capital_tz}' is not an IANA time zone")
    delegations = read_delegations(reader, fields.get("delegations", (None, None))[0])
    cast = _cast(reader, fields.get("cast", (None, None))[0], {d.id for d in delegations})
    charts = _charts(reader, fields.get("charts", (None, None))[0])
    injects = _Injects(reader, {c.handle: c for c in cast}, charts, delegations).read(
        fields.get("injects", (None, None))[0]
    )
    scenario = Scenario(
        reader.text(fields, "title", root),
        kind,
        capital_tz,
        reader.text(fields, "classification", root, required=False, max_len=64) or "EXERCISE",
        delegations,
        cast,
        charts,
        injects,
    )
    if reader.problems:
        raise BlueprintError(sorted(reader.problems, key=lambda p: p.line), "scenario")
    return scenario


def _cast(
    reader: YamlReader, node: yaml.Node | None, delegations: set[str]
) -> tuple[CastMember, ...]:
    def problem(handle: str) -> str:
        if _HANDLE.match(handle) and handle != FACILITATOR:
            return ""
        return f"handle '{handle}': use a-z, 0-9, '.', '_', '-'"

    seated = read_seated(
        reader, node, delegations, People("cast", "cast member", "handle", 64), problem
    )
    return tuple(
        CastMember(handle, s.role, s.delegation, s.title, s.organisation, s.name)
        for handle, s in seated.items()
        if s.role is not None
    )


def _charts(reader: YamlReader, node: yaml.Node | None) -> tuple[ChartDef, ...]:
    found: dict[str, ChartDef] = {}
    for item in reader.items(node, "charts") if node is not None else ():
        fields = reader.mapping(item, "a chart")
        known_keys(reader, fields, {"id", "title", "series", "kind", "unit"}, "chart")
        ident = reader.text(fields, "id", item, max_len=64)
        kind = reader.text(fields, "kind", item, max_len=32)
        if kind and kind not in protocol.CHART_KINDS:
            reader.fail(fields["kind"][0], f"unknown chart kind '{kind}'")
        series_node, series = fields.get("series", (item, None))
        if (
            not isinstance(series, list)
            or not series
            or not all(isinstance(s, str) for s in series)
        ):
            reader.fail(series_node, "'series' must be a non-empty list of series keys")
            series = []
        if ident in found:
            reader.fail(item, f"chart '{ident}' is given twice")
        elif ident:
            title = reader.text(fields, "title", item)
            unit = reader.text(fields, "unit", item, required=False, max_len=32)
            found[ident] = ChartDef(ident, title, tuple(series), kind, unit)
    return tuple(found.values())


@dataclass
class _Injects:
    """Reads the MSEL in order, so a reference can only point back in time."""

    reader: YamlReader
    cast: Mapping[str, CastMember]
    charts: tuple[ChartDef, ...]
    delegations: tuple[Delegation, ...]

    def read(self, node: yaml.Node | None) -> tuple[Inject, ...]:
        self.labels: dict[str, Inject] = {}
        found: list[Inject] = []
        last = 0.0
        for item in self.reader.items(node, "injects") if node is not None else ():
            inject = self._one(item)
            if inject is None:
                continue
            if inject.at < last:
                self.reader.fail(item, f"time {inject.at:g} s goes backwards (after {last:g} s)")
            last = max(last, inject.at)
            if inject.label:
                if inject.label in self.labels:
                    self.reader.fail(item, f"inject id '{inject.label}' is given twice")
                self.labels[inject.label] = inject
            found.append(inject)
        return tuple(found)

    def _one(self, item: yaml.Node) -> Inject | None:
        reader = self.reader
        fields = reader.mapping(item, "an inject")
        do = reader.text(fields, "do", item, max_len=32)
        if do and do not in INJECTS:
            reader.fail(fields["do"][0], f"unknown inject '{do}' (known: {', '.join(INJECTS)})")
            return None
        required, optional, _ = INJECTS.get(do, (frozenset(), frozenset(), ""))
        known_keys(reader, fields, set(_COMMON | required | optional), f"inject '{do}'")
        for name in sorted(required - fields.keys()):
            reader.fail(item, f"inject '{do}': '{name}' is missing")
        at = parse_time(fields["at"][1]) if "at" in fields else None
        if at is None:
            reader.fail(fields.get("at", (item,))[0], "'at' must be a time like 05:30 or seconds")
        by = reader.text(fields, "by", item, max_len=64)
        if by and by != FACILITATOR and by not in self.cast:
            reader.fail(fields["by"][0], f"no cast member '{by}'")
        label = reader.text(fields, "id", item, required=False, max_len=64)
        if not do or at is None or not by:
            return None
        values = {k: v for k, (_, v) in fields.items() if k not in _COMMON}
        inject = Inject(at, by, do, values, label, item.start_mark.line + 1)
        self._check(inject, fields, item)
        return inject

    def _role(self, handle: str) -> CastMember:
        return self.cast.get(handle) or CastMember(FACILITATOR, Role.FACILITATOR)

    def _check(self, inject: Inject, fields: Mapping[str, Any], item: yaml.Node) -> None:
        """May this sender do this, there, about that?"""
        member = self._role(inject.by)
        _, _, event_type = INJECTS[inject.do]
        if roles.POWER[member.role] < roles.EVENT_LEVELS[event_type]:
            self.reader.fail(item, f"a {member.role.value} may not send a '{inject.do}' inject")

        def node(name: str) -> yaml.Node:  # where a field's fault is reported
            return fields[name][0] if name in fields else item

        values = inject.fields
        if "room" in values and not self._may_speak_in(member, str(values["room"])):
            self.reader.fail(node("room"), f"'{inject.by}' is not in room '{values['room']}'")
        delegation_ids = {d.id for d in self.delegations}
        for key in ("to", "info"):
            if key in values:
                wanted = values[key] if isinstance(values[key], list) else [values[key]]
                for d in (str(w) for w in wanted if str(w) not in delegation_ids):
                    self.reader.fail(node(key), f"no delegation with id '{d}'")
        if inject.do == "indicator":
            series = {s for chart in self.charts for s in chart.series}
            if values.get("series") not in series:
                self.reader.fail(node("series"), f"no chart shows series '{values.get('series')}'")
            value = values.get("value")
            if not isinstance(value, int | float) or isinstance(value, bool):
                self.reader.fail(node("value"), "'value' must be a number")
        if inject.do in ("ack", "verification"):
            key = "instruction" if inject.do == "ack" else "entry"
            self._check_reference(inject, member, node(key))
        answers = values.get("answers")
        if inject.do == "instruction" and answers is not None:
            target = self.labels.get(str(answers))
            if target is None or target.do != "request":
                self.reader.fail(node("answers"), f"'{answers}' is no earlier request inject's id")
        if inject.do in ("ack", "request") and member.role is not Role.DELEGATE:
            # Only delegates are in their delegation's room; an official's ack is forged.
            self.reader.fail(item, f"'{inject.by}' is no delegate: only delegates {inject.do}")
        self._check_values(inject, node)

    def _check_values(self, inject: Inject, node: Callable[[str], yaml.Node]) -> None:
        """Values the receiving clients would refuse, caught before the exercise starts."""
        values = inject.fields
        if "priority" in values and values["priority"] not in protocol.PRIORITIES:
            known = ", ".join(sorted(protocol.PRIORITIES))
            self.reader.fail(node("priority"), f"unknown priority '{values['priority']}' ({known})")
        minutes = values.get("deadline_minutes")
        if minutes is not None and (
            not isinstance(minutes, int | float) or isinstance(minutes, bool) or minutes <= 0
        ):
            self.reader.fail(
                node("deadline_minutes"), "'deadline_minutes' must be a positive number"
            )
        if "requires_ack" in values and not isinstance(values["requires_ack"], bool):
            self.reader.fail(node("requires_ack"), "'requires_ack' must be true or false")
        if inject.do == "ack" and values.get("state") == "unable" and not values.get("note"):
            self.reader.fail(node("state"), "an 'unable' ack needs a 'note' saying why")

    def _check_reference(self, inject: Inject, member: CastMember, node: yaml.Node) -> None:
        key = "instruction" if inject.do == "ack" else "entry"
        target = self.labels.get(str(inject.fields.get(key)))
        wanted = ("instruction",) if inject.do == "ack" else ("entry", "rumour")
        if target is None or target.do not in wanted:
            self.reader.fail(node, f"'{inject.fields.get(key)}' is no earlier {key} inject's id")
            return
        if inject.do == "ack":
            addressed = [
                *_as_list(target.fields.get("to")),
                *_as_list(target.fields.get("info", [])),
            ]
            if member.delegation not in addressed:
                why = f"'{inject.by}' is in no delegation that instruction addresses"
                self.reader.fail(node, why)
            if inject.fields.get("state") not in protocol.ACK_STATES:
                self.reader.fail(node, f"unknown ack state '{inject.fields.get('state')}'")

    def _may_speak_in(self, member: CastMember, room: str) -> bool:
        kind_text, _, delegation = room.partition(":")
        if kind_text not in set(RoomKind):
            return False
        return roles.entitled(member.role, RoomKind(kind_text), member.delegation, delegation)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
