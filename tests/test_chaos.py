"""Messages survive a homeserver and a sender that are SIGKILLed while room keys go out.

The sender is the app (its services, in a process of its own); the receiver is plain
matrix-nio, which reads the room from /messages and decrypts with what it was given.
Kills are aimed at the moment a room key is being shared, sessions rotate every five
messages and the receiver adds a device mid-run, so the window in which nio 0.26 lost
keys for good is hit many times. See bench/chaos_harness.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.chaos_harness import ChaosPlan, run_chaos

pytestmark = pytest.mark.integration  # its own Synapse, killed and restarted


@pytest.mark.timeout(400)  # a run of kills and restarts, each restart takes seconds
async def test_no_message_is_lost_doubled_reordered_or_unreadable_across_kills(
    tmp_path: Path,
) -> None:
    plan = ChaosPlan(messages=100, server_kills=5, sender_kills=2, send_deadline_s=240.0)
    figures = await run_chaos(plan, tmp_path)
    report = "\n".join(figures.lines())
    print(report)
    assert figures.server_kills >= 5 and figures.sender_kills >= 2, report
    assert figures.sender_finished, report
    assert figures.lost == 0, report
    assert figures.duplicated == 0, report
    assert figures.out_of_order == 0, report
    assert figures.undecryptable == 0, report
    assert figures.received == plan.messages, report
    assert figures.convergence_s is not None, report
