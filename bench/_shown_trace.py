"""Per-step timestamps of one message's way to the screen, inside the probed app.

Loaded by ``bench._startup_probe`` (by file, so it works for a ``--baseline`` tree too)
when ``OOR_PROBE_TRACE`` names a file; ``bench.message_to_screen`` sets it and reads the
file. It wraps the receive path's steps in place (nothing in ``app`` knows of it) and
writes one JSON line per shown message: ``time.time()`` of each step, the clock the bench
uses for the send and for the raw nio receiver, and the notices the UI thread handled
between the message's notice and its "shown".

Steps, in order: ``http`` (nio has the sync response), ``parsed`` (its JSON), ``nio`` (nio
decrypted it), ``batch`` (the app's batch is decoded), ``store`` (the store call starts),
``announce`` (the events are decided: in the store call, or on the loop before it for
a batch decided without the archive, ``Arrivals.show_at_once``), ``loop`` (the notice
is on the event loop), ``emit`` (handed to Qt), ``ui`` / ``ui_end`` (the UI thread's
dispatch of it), ``apply`` / ``apply_end`` (the workspace applies it), ``paint_now`` /
``paint_now_end``, ``paint`` / ``paint_end`` (the last timeline paint before "shown"),
``shown``. A step a tree does not have is missing from its lines.
"""

from __future__ import annotations

import functools
import inspect
import json
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

_lock = threading.Lock()


def _bodies(events: Iterable[Any], prefix: str) -> list[str]:
    found = []
    for event in events:
        body = getattr(event, "content", {}).get("body")
        if isinstance(body, str) and body.startswith(prefix):
            found.append(body)
    return found


def _wrap(owner: type, name: str, before: Any = None, after: Any = None) -> None:
    """``owner.name`` calls ``before(*args)`` and ``after(result, *args)`` around itself
    (a tree without that name is left as it is)."""
    original = getattr(owner, name, None)
    if original is None:
        return
    if inspect.iscoroutinefunction(original):

        @functools.wraps(original)
        async def awrapper(*args: Any, **kwargs: Any) -> Any:
            if before:
                before(*args, **kwargs)
            result = await original(*args, **kwargs)
            if after:
                after(result, *args, **kwargs)
            return result

        setattr(owner, name, awrapper)
        return

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if before:
            before(*args, **kwargs)
        result = original(*args, **kwargs)
        if after:
            after(result, *args, **kwargs)
        return result

    setattr(owner, name, wrapper)


class _Tracer:
    """Each watched message's steps, by body; written out when it is shown."""

    def __init__(self, path: str, prefix: str) -> None:
        self.out, self.prefix = Path(path), prefix
        self.steps: dict[str, dict[str, float]] = {}  # body -> step -> time
        self.sync: dict[str, float] = {}  # the sync response now on its way
        self.paint: dict[str, float] = {}  # the last paint of the timeline
        self.notices: list[tuple[str, float, float]] = []  # UI thread: kind, start, end
        self.applying: list[Any] = []  # the events being applied, for the paint steps

    def mark(self, events: Iterable[Any], step: str, extra: dict[str, float] | None = None) -> None:
        """``step`` now (and this thread's CPU time) for each watched event."""
        now, cpu = time.time(), time.thread_time()
        with _lock:
            for body in _bodies(events, self.prefix):
                steps = self.steps.setdefault(body, {})
                for name, value in (extra or {}).items():
                    steps.setdefault(name, value)
                steps.setdefault(step, now)
                steps.setdefault(f"{step}_cpu", cpu)

    def services(self) -> None:
        from app.matrix.client import MatrixClient
        from app.matrix.nio_client import NioClient
        from app.services import arrival
        from app.services.account import AccountService
        from app.store.archive.ingest import Ingest

        def http_done(_r: Any, _self: Any, method: str, path: str, *_a: Any, **_k: Any) -> None:
            if method == "GET" and "/sync" in path:
                self.sync.clear()
                self.sync["http"] = time.time()

        def parsed(_r: Any, _self: Any, response: Any) -> None:
            if response.url.path.endswith("/sync"):
                self.sync["parsed"] = time.time()

        def nio_done(_r: Any, _self: Any, response: Any) -> None:
            if type(response).__name__ == "SyncResponse":
                self.sync["nio"] = time.time()

        _wrap(NioClient, "send", after=http_done)
        _wrap(NioClient, "parse_body", after=parsed)
        _wrap(NioClient, "receive_response", after=nio_done)
        batch = lambda b, *_a, **_k: self.mark(b.events, "batch", self.sync)  # noqa: E731
        _wrap(MatrixClient, "sync", after=batch)
        store = lambda _s, _loop, b, *_a: self.mark(b.events, "store")  # noqa: E731
        _wrap(arrival.Arrivals, "archive_batch", before=store)

        def at_once(shown: Any, *_a: Any) -> None:
            if shown is not None:  # decided on the loop, before the store call
                self.mark(shown.notice.events, "announce")

        _wrap(arrival.Arrivals, "show_at_once", after=at_once)
        original_save = Ingest.save_sync_batch

        def save(
            archive: Any, events: Any, rooms: Any, token: Any, announce: Any = None, **kw: Any
        ) -> Any:
            def traced(fresh: list[Any]) -> None:
                self.mark(fresh, "announce")
                announce(fresh)

            return original_save(archive, events, rooms, token, traced if announce else None, **kw)

        Ingest.save_sync_batch = save  # type: ignore[method-assign]
        loop = lambda _s, n, *_a: self.mark(n.events, "loop")  # noqa: E731
        _wrap(AccountService, "_show_early", before=loop)

    def window(self) -> None:
        from app.services.notices import EventsArrived
        from app.ui.bridge import Bridge
        from app.ui.shell.workspace_view import WorkspaceView
        from app.ui.timeline.view import TimelineView

        def emitted(_self: Any, notice: Any) -> None:
            if isinstance(notice, EventsArrived):
                self.mark(notice.events, "emit")

        _wrap(Bridge, "_emit", before=emitted)
        _wrap(Bridge, "_show_early", before=emitted)  # from the store thread, where it exists
        original_dispatch = Bridge._dispatch

        def dispatch(bridge: Any, notice: Any) -> None:
            start = time.time()
            arrived = isinstance(notice, EventsArrived)
            if arrived:
                self.mark(notice.events, "ui")
            original_dispatch(bridge, notice)
            self.notices.append((type(notice).__name__, start, time.time()))
            if arrived:
                self.mark(notice.events, "ui_end")

        Bridge._dispatch = dispatch  # type: ignore[method-assign]

        def applying(_s: Any, notice: Any) -> None:
            self.applying[:] = list(notice.events)
            self.mark(notice.events, "apply")

        applied = lambda _r, _s, n: self.mark(n.events, "apply_end")  # noqa: E731
        _wrap(WorkspaceView, "apply_events", before=applying, after=applied)
        paint_now = lambda _s: self.mark(self.applying, "paint_now")  # noqa: E731
        painted_now = lambda _r, _s: self.mark(self.applying, "paint_now_end")  # noqa: E731
        _wrap(TimelineView, "paint_now", before=paint_now, after=painted_now)
        paint = lambda *_a: self.paint.__setitem__("paint", time.time())  # noqa: E731
        painted = lambda *_a: self.paint.__setitem__("paint_end", time.time())  # noqa: E731
        _wrap(TimelineView, "paintEvent", before=paint, after=painted)

    def shown(self, body: str) -> None:
        """The probe saw ``body`` painted: its line, with the notices handled since its own."""
        now = time.time()
        with _lock:
            steps = dict(self.steps.pop(body, {}))
        steps.update(self.paint)
        steps["shown"], steps["shown_cpu"] = now, time.thread_time()
        since = steps.get("ui", now)
        between = [(k, round((e - s) * 1000, 2)) for k, s, e in self.notices if s >= since]
        self.notices[:] = [n for n in self.notices if n[1] >= now - 5]
        with self.out.open("a") as handle:
            handle.write(json.dumps({"body": body, "steps": steps, "notices": between}) + "\n")


def install(path: str, prefix: str) -> Callable[[str], None]:
    """Wrap the steps; returns what the probe calls when a body is shown."""
    tracer = _Tracer(path, prefix)
    tracer.services()
    tracer.window()
    return tracer.shown
