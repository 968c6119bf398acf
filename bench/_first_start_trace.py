"""Child process of ``bench.first_start``: the startup probe, with the start path timed.

It runs ``bench/_startup_probe.py`` unchanged, after putting marks on the way: when some
modules start and finish importing (and on which thread), and when some functions of
the start path are entered and left. Each mark is (seconds since the parent's start, this
process's CPU seconds, thread name, label); they are written as JSON to the file named by
``OOR_TRACE_OUT`` when the process ends. Modules and functions a checkout does not have
are skipped, so an older checkout is timed the same way.
"""

from __future__ import annotations

import atexit
import functools
import importlib.abc
import importlib.machinery
import inspect
import json
import os
import runpy
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

IMPORTS = {
    "PySide6.QtWidgets",
    "app.ui.shell.app",
    "app.services.preview",
    "app.services.backend",
    "nio",
    "aiohttp",
    "sqlalchemy",
    "keyring",
}
CALLS = {  # module -> (class or None, function) to time
    "app.ui.shell.main_window": [("MainWindow", "__init__")],
    "app.services.preview": [(None, "show_archive")],
    "app.services.first_list": [("FirstList", "look"), ("FirstList", "_announce")],
    "app.services.backend": [("Backend", "start")],
    "app.services.at_rest": [(None, "open_account_archive")],
    "app.services.account": [("AccountService", "start")],
    "app.matrix.client": [("MatrixClient", "restore")],
    "nio.client.async_client": [("AsyncClient", "sync"), ("AsyncClient", "whoami")],
}

T0 = float(sys.argv[sys.argv.index("--t0") + 1])
marks: list[tuple[float, float, str, str]] = []


def cpu_seconds() -> float:
    fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def mark(label: str) -> None:
    now = round(time.time() - T0, 4)
    marks.append((now, cpu_seconds(), threading.current_thread().name, label))


def timed(function: Callable[..., Any], label: str) -> Callable[..., Any]:
    """The function, marking its entry and its exit (awaited, for a coroutine function)."""
    if inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def coroutine(*args: Any, **kwargs: Any) -> Any:
            mark(f"{label} >")
            try:
                return await function(*args, **kwargs)
            finally:
                mark(f"{label} <")

        return coroutine

    @functools.wraps(function)
    def plain(*args: Any, **kwargs: Any) -> Any:
        mark(f"{label} >")
        try:
            return function(*args, **kwargs)
        finally:
            mark(f"{label} <")

    return plain


def instrument(name: str, module: ModuleType) -> None:
    for owner_name, attribute in CALLS.get(name, []):
        owner = getattr(module, owner_name) if owner_name else module
        if owner is not None and hasattr(owner, attribute):
            label = f"{owner_name or name}.{attribute}"
            setattr(owner, attribute, timed(getattr(owner, attribute), label))


class Watch(importlib.abc.MetaPathFinder):
    """Finds nothing itself; wraps the real loader of the modules it watches."""

    def find_spec(
        self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if name not in IMPORTS and name not in CALLS:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is None or spec.loader is None:
            return None
        load = spec.loader.exec_module

        def exec_module(module: ModuleType) -> None:
            if name in IMPORTS:
                mark(f"import {name} >")
            try:
                load(module)
            finally:
                if name in IMPORTS:
                    mark(f"import {name} <")
            instrument(name, module)

        spec.loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec


def write() -> None:
    Path(os.environ["OOR_TRACE_OUT"]).write_text(json.dumps(marks))


if __name__ == "__main__":
    mark("trace started")
    sys.meta_path.insert(0, Watch())
    atexit.register(write)
    probe = str(Path(__file__).with_name("_startup_probe.py"))
    sys.argv = [probe, *sys.argv[1:]]
    runpy.run_path(probe, run_name="__main__")
