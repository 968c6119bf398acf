"""Chaos benchmark: N encrypted messages while Synapse and the sender are SIGKILLed.

``python -m bench.chaos [--messages 500] [--server-kills 10] [--sender-kills 5]``.
Prints sent / received / lost / duplicated / out of order / undecryptable and the
seconds from the last kill until a plain matrix-nio receiver could read everything,
then one JSON line. Target: 0 / 0 / 0 / 0, readable within 30 s of the last kill.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bench.chaos_harness import ChaosPlan, run_chaos
from bench.common import emit_json, quiet_environment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--server-kills", type=int, default=10)
    parser.add_argument("--sender-kills", type=int, default=5)
    parser.add_argument("--rotation-msgs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    quiet_environment()
    plan = ChaosPlan(
        args.messages,
        args.server_kills,
        args.sender_kills,
        rotation_msgs=args.rotation_msgs,
        send_deadline_s=1200.0,
        settle_deadline_s=120.0,
        seed=args.seed,
    )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="oor-bench-chaos-") as tmp:
        figures = asyncio.run(run_chaos(plan, Path(tmp)))
    for line in figures.lines():
        print(line, flush=True)
    print(f"whole run {time.perf_counter() - started:.0f} s", flush=True)
    emit_json("chaos", figures.as_dict())


if __name__ == "__main__":
    main()
