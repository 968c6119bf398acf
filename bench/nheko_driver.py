"""Nheko under Xvfb for ``bench.versus_nheko``: a signed-in profile, a start, a painted list.

Nheko 0.11 keeps its login in QSettings (``$XDG_CONFIG_HOME/nheko/nheko.conf``, keys
``auth/access_token``, ``auth/home_server``, ``auth/user_id``, ``auth/device_id``); with
``run_without_secure_secrets_service=true`` its other secrets (the cache's pickle key)
go to the same file instead of a keyring, so a profile is written, not clicked together.
A profile with a token and no cache is Nheko's "first start on a signed-in profile": it
creates its Olm account and runs its initial sync; a second start reads its LMDB cache.

"Room list painted" for Nheko: Nheko fills its room list model right after it logs
``restoring state from cache`` (warm start, ``ChatPage::loadStateFromCache``) or
``initial sync completed`` (first start). From that log line on, the Xvfb framebuffer
(``-fbdir``) is polled; the moment counted is the last change of the screen before it
has been still for ``QUIET_S``, i.e. the room list's first complete frame. That is a
close upper bound by one poll interval, and never earlier than the model was filled.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import select
import shutil
import signal
import struct
import subprocess
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.common import quiet_environment

POLL_S = 0.02
QUIET_S = 0.4
MARKERS = ("restoring state from cache", "initial sync completed")
TOOLS = ("nheko", "Xvfb", "xdotool")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def comparison_args(
    prog: str,
    description: str | None,
    argv: list[str] | None,
    *,
    rooms: int,
    messages: int,
    settle: float,
    settle_help: str,
    probes: int,
) -> argparse.Namespace:
    """The options every run beside Nheko takes; only the defaults differ by what it times."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rooms", type=int, default=rooms)
    parser.add_argument("--messages", type=int, default=messages, help="messages per room")
    parser.add_argument("--settle", type=float, default=settle, help=settle_help)
    parser.add_argument("--probes", type=int, default=probes, help="messages per warm run")
    parser.add_argument("--baseline", help="another checkout of the app, timed alongside")
    return parser.parse_args(argv)


def ready_to_compare() -> bool:
    """Check the tools and quiet the logs; False, once told what to install, if one is missing."""
    if missing := missing_tools():
        print(f"needs {', '.join(missing)}: installer/install-system-deps.sh --bench")
        return False
    quiet_environment()
    # nio logs each old message the raw receiver (a new device) has no key for, as an error
    for name in ("nio", "nio.crypto.log"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    return True


@dataclass(frozen=True)
class Display:
    name: str  # ":N"
    framebuffer: Path  # Xvfb's screen 0 as an XWD file, updated in place


@contextmanager
def xvfb(work: Path, number: int | None = None) -> Iterator[Display]:
    """A private X server whose screen can be read as a file; stopped on the way out.

    Without ``number`` the server picks a free display itself (``-displayfd``): benches
    of several checkouts run at once on a shared machine, and a fixed number made the
    second one's server fail while the first one's socket looked like its own."""
    fbdir = work / "xvfb"
    fbdir.mkdir(parents=True, exist_ok=True)
    read_end, write_end = os.pipe()
    where = [f":{number}"] if number is not None else ["-displayfd", str(write_end)]
    command = ["Xvfb", *where, "-screen", "0", "1280x800x24", "-nolisten", "tcp"]
    proc = subprocess.Popen(
        [*command, "-fbdir", str(fbdir)], stderr=subprocess.DEVNULL, pass_fds=(write_end,)
    )
    os.close(write_end)
    try:
        name = f":{number}" if number is not None else _chosen_display(read_end, proc)
        socket = Path(f"/tmp/.X11-unix/X{name[1:]}")
        deadline = time.monotonic() + 20
        while not socket.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Xvfb {name} did not start")
            time.sleep(0.05)
        yield Display(name, fbdir / "Xvfb_screen0")
    finally:
        os.close(read_end)
        proc.terminate()
        proc.wait(timeout=10)


def _chosen_display(read_end: int, proc: subprocess.Popen[bytes]) -> str:
    """The display number Xvfb writes once it listens (a line on ``-displayfd``)."""
    chosen = b""
    while not chosen.endswith(b"\n"):
        ready, _, _ = select.select([read_end], [], [], 20)
        part = os.read(read_end, 16) if ready else b""  # b"" too if Xvfb exited
        if not part:
            raise RuntimeError(f"Xvfb did not start (exit {proc.poll()})")
        chosen += part
    return f":{int(chosen)}"


# Nheko lets one instance run per profile name and user: a second one only hands its
# arguments to the first and exits. A name of our own keeps the bench's Nheko from
# meeting another Nheko on the machine (a developer's, another bench's).
PROFILE = f"oorbench{os.getpid()}"


def write_profile(
    root: Path, homeserver: str, user_id: str, device_id: str, access_token: str
) -> None:
    """A Nheko profile signed in with an existing device, nothing cached yet."""
    conf = root / "config" / "nheko" / "nheko.conf"
    conf.parent.mkdir(parents=True, exist_ok=True)
    name = PROFILE
    conf.write_text(
        "[General]\nrun_without_secure_secrets_service=true\n\n"
        f"[profile]\n{name}\\auth\\access_token={access_token}\n"
        f"{name}\\auth\\device_id={device_id}\n{name}\\auth\\home_server={homeserver}\n"
        f"{name}\\auth\\user_id={user_id}\n"
    )


def screenshot(display: Display, path: Path) -> Path:
    """The screen now as a PNG. Xvfb's ``-fbdir`` file is XWD: a big-endian header (its
    size, width, height, bytes per line, colour-map entries), the colour map, then BGRX."""
    from PIL import Image  # only the hand check takes screenshots

    data = display.framebuffer.read_bytes()
    fields = struct.unpack(">25I", data[:100])
    header, width, height, line, colours = fields[0], fields[4], fields[5], fields[12], fields[19]
    start = header + colours * 12
    pixels = data[start : start + line * height]
    Image.frombuffer("RGB", (width, height), pixels, "raw", "BGRX", line, 1).save(path)
    return path


def _screen_crc(framebuffer: Path) -> int:
    return zlib.crc32(framebuffer.read_bytes())


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class NhekoRun:
    proc: subprocess.Popen[str]
    t0: float
    marker_at: float | None = None
    painted_at: float | None = None
    cpu_s: float | None = None

    def stop(self) -> None:
        """SIGTERM (Nheko's LMDB cache survives it), SIGKILL if it lingers."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start(
    profile: Path,
    display: Display,
    timeout: float = 90.0,
    log: Path | None = None,
    level: str = "info",
) -> NhekoRun:
    """Start Nheko on ``profile`` and return once its room list is painted (see above);
    with ``log``, Nheko's own log lines are kept in that file (``bench.nheko_check``)."""
    env = dict(
        os.environ,
        DISPLAY=display.name,
        QT_QPA_PLATFORM="xcb",
        QT_QUICK_BACKEND="software",
        XDG_CONFIG_HOME=str(profile / "config"),
        XDG_DATA_HOME=str(profile / "data"),
        XDG_CACHE_HOME=str(profile / "cache"),
    )
    t0 = time.time()  # process creation counts, as for our app
    proc = subprocess.Popen(
        ["nheko", "--profile", PROFILE, "--log-type", "stderr", "--log-level", level],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    run = NhekoRun(proc, t0)
    seen = threading.Event()

    def read_log() -> None:
        assert proc.stderr is not None
        with log.open("a", encoding="utf-8") if log else contextlib.nullcontext() as kept:
            for line in proc.stderr:  # keep draining, or Nheko blocks on a full pipe
                if kept is not None:
                    kept.write(line)
                    kept.flush()
                if not seen.is_set() and any(m in line for m in MARKERS):
                    run.marker_at = time.time()
                    seen.set()

    threading.Thread(target=read_log, daemon=True).start()
    try:
        if not seen.wait(timeout):
            raise RuntimeError("Nheko never logged that its room list was filled")
        last_crc, last_change = _screen_crc(display.framebuffer), time.time()
        run.cpu_s = _cpu_seconds(proc.pid)
        while time.time() - last_change < QUIET_S:
            time.sleep(POLL_S)
            crc = _screen_crc(display.framebuffer)
            if crc != last_crc:
                last_crc, last_change = crc, time.time()
                run.cpu_s = _cpu_seconds(proc.pid)
            if time.time() - t0 > timeout:
                raise RuntimeError("Nheko's screen never settled")
        run.painted_at = last_change
    except BaseException:
        run.stop()
        raise
    return run
