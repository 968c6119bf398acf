"""JSON nested deeper than Python's default parse: read with headroom, found too deep.

Why: a to-device message ~930 levels deep, accepted by Synapse, made every fetch of our
sync answer raise RecursionError (``tests/test_hostile_to_device.py`` shows it end to
end). The headroom is a process-wide setting: it must be given back after the parse.
"""

from __future__ import annotations

import json
import sys

import pytest

from app.matrix.deep_json import MAX_DEPTH, loads_with_headroom, too_deep


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_an_answer_too_deep_for_the_default_parse_is_read_and_the_limit_given_back() -> None:
    limit = sys.getrecursionlimit()
    with pytest.raises(RecursionError):
        json.loads(_nested(1500))
    value = loads_with_headroom(_nested(1500).encode())
    assert too_deep(value) and sys.getrecursionlimit() == limit
    with pytest.raises(RecursionError):  # a server's nonsense beyond the headroom
        loads_with_headroom(_nested(50_000))
    assert sys.getrecursionlimit() == limit


def test_too_deep_counts_levels_of_lists_and_objects() -> None:
    at_limit = json.loads('{"a": ' * (MAX_DEPTH - 1) + _nested(1) + "}" * (MAX_DEPTH - 1))
    assert not too_deep(at_limit)
    assert too_deep([at_limit])
    assert not too_deep({"body": "[" * 5000})  # brackets in a string are text
