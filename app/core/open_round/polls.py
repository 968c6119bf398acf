"""Matrix polls as the open round uses them, stable (Matrix 1.7, ``m.poll.*``) and
unstable (MSC3381, ``org.matrix.msc3381.poll.*``, which Element may still send).

The round sends the stable form and reads both. A vote is a poll response; the poll's
answers are the round's proposals, each answer's id the proposal's event id.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

START, RESPONSE, END = "m.poll.start", "m.poll.response", "m.poll.end"
_MSC = "org.matrix.msc3381.poll."
OLD_START, OLD_RESPONSE, OLD_END = _MSC + "start", _MSC + "response", _MSC + "end"
STARTS, RESPONSES, ENDS = (START, OLD_START), (RESPONSE, OLD_RESPONSE), (END, OLD_END)
TYPES = STARTS + RESPONSES + ENDS
MAX_ANSWERS = 20  # the poll module: clients need not show more answers than this
_TEXT, _OLD_TEXT = "m.text", "org.matrix.msc1767.text"


def _text_block(body: str) -> list[dict[str, str]]:
    return [{"body": body}]


def poll_start(question: str, answers: Sequence[tuple[str, str]], fallback: str) -> dict[str, Any]:
    """A stable ``m.poll.start``: undisclosed (results shown at the end), one selection
    per answer allowed (a participant may back every proposal they like, once each).

    It also carries the same poll in the MSC3381 form Element and Element X still parse
    (``org.matrix.msc3381.poll.start`` with ``id`` and ``org.matrix.msc1767.text``), so
    their poll UI shows it and answers it; the answer ids are the same in both."""
    most = max(1, len(answers))
    return {
        "m.poll": {
            "question": {_TEXT: _text_block(question)},
            "kind": "m.undisclosed",
            "max_selections": most,
            "answers": [{"m.id": aid, _TEXT: _text_block(text)} for aid, text in answers],
        },
        _TEXT: _text_block(fallback),
        OLD_START: {
            "question": {_OLD_TEXT: question},
            "kind": _MSC + "undisclosed",
            "max_selections": most,
            "answers": [{"id": aid, _OLD_TEXT: text} for aid, text in answers],
        },
        _OLD_TEXT: fallback,
    }


def poll_end(poll_id: str, fallback: str) -> dict[str, Any]:
    """The close, in the stable form with the MSC3381 block Element looks for."""
    return {
        "m.relates_to": {"rel_type": "m.reference", "event_id": poll_id},
        _TEXT: _text_block(fallback),
        OLD_END: {},
        _OLD_TEXT: fallback,
    }


def poll_response(poll_id: str, selections: Sequence[str]) -> dict[str, Any]:
    return {
        "m.relates_to": {"rel_type": "m.reference", "event_id": poll_id},
        "m.selections": list(selections),
    }


def answer_ids(event_type: str, content: Mapping[str, Any]) -> tuple[str, ...]:
    """The answer ids of a poll start of either form (none when it does not parse)."""
    if event_type == START:
        poll, key = content.get("m.poll"), "m.id"
    else:
        poll, key = content.get(OLD_START), "id"
    answers = poll.get("answers") if isinstance(poll, Mapping) else None
    if not isinstance(answers, list):
        return ()
    found = (a.get(key) for a in answers if isinstance(a, Mapping))
    return tuple(dict.fromkeys(a for a in found if isinstance(a, str)))


def selections(event_type: str, content: Mapping[str, Any]) -> tuple[str, ...] | None:
    """What a poll response selects, each answer once; None when it does not parse."""
    if event_type == RESPONSE:
        chosen = content.get("m.selections")
    else:
        body = content.get(OLD_RESPONSE)
        chosen = body.get("answers") if isinstance(body, Mapping) else None
    if not isinstance(chosen, list) or not all(isinstance(c, str) for c in chosen):
        return None
    return tuple(dict.fromkeys(chosen))


def referenced(content: Mapping[str, Any]) -> str:
    """The poll a response or end refers to ('' when it refers to none)."""
    relates = content.get("m.relates_to")
    if not isinstance(relates, Mapping) or relates.get("rel_type") != "m.reference":
        return ""
    target = relates.get("event_id")
    return target if isinstance(target, str) else ""
