"""A new device's first sync, asked for with the standard library while nio still loads.

Why: on a first start (a stored login, nothing archived) the room list waits for the
first sync, and before this the request could only go out once nio, aiohttp and the
backend had been imported (well over a second of a start), after which the server still
needed a good part of a second to build the answer. The request needs none of that: the
stored login names the server and the token. So it is sent from a thread as the app
starts (``prefetch``), and nio's own first request without a token takes the answer
(``take``, called from ``NioClient.send``): nio parses, screens and processes it exactly
as if it had fetched it itself, so what is archived and shown does not change.

Only that one request is fetched: ``GET /sync`` with no token, no timeout, no filter, no
full state, as ``AsyncClient.sync(timeout=0, since=None)`` sends it (what
``app.matrix.early_sync`` asks for). The connection is made as nio's is made for this
app: no proxy, TLS verified against the system's certificates. Anything but a JSON
answer with status 200 (a refused connection, a revoked token, a server error) is
dropped, and nio asks again itself, so every failure is met and reported the usual way.

Standard library only, and nothing of ``app.matrix`` is loaded by importing it (the
package's names load on first use): it runs before nio is imported.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import logging
import ssl
import threading
import weakref
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

SYNC_PATH = "/_matrix/client/v3/sync"  # nio's path for that request, after it moved the token
REQUEST_TIMEOUT_S = 45  # nio's request timeout as this app configures it (``client_config``)
UNCLAIMED_S = 120  # an answer nio has not taken by then is let go (a sign-out, a prompt)
_JSON = "application/json"

_lock = threading.Lock()
_pending: dict[tuple[str, str], concurrent.futures.Future[Prefetched]] = {}


class Prefetched:
    """The fetched answer, in the shape nio and ``NioClient`` read a transport response:
    status, content type, URL and the body as JSON or text."""

    content_disposition = None

    def __init__(self, url: str, status: int, content_type: str, body: bytes) -> None:
        self._url, self.status, self.content_type, self._body = url, status, content_type, body
        self._parsed: tuple[Any] | None = None  # the JSON, once read (by a look, or nio)

    @property
    def ok(self) -> bool:
        """A JSON answer with status 200: the only kind nio is given."""
        return self.status == 200 and self.content_type == _JSON

    @property
    def size(self) -> int:
        return len(self._body)

    def parsed(self) -> Any:
        """The body as JSON, read once: a look at it before nio takes it (``prefetch``'s
        ``look``) spares nio the second reading. Raises as ``json.loads`` does."""
        if self._parsed is None:
            self._parsed = (json.loads(self._body),)
        return self._parsed[0]

    @property
    def url(self) -> Any:
        """The request's URL as aiohttp gives it (``yarl``, loaded with aiohttp by now)."""
        from yarl import URL

        return URL(self._url)

    async def json(self, **_options: Any) -> Any:
        """The JSON a look read, handed over once and not kept (nio holds on to this
        response while it processes the sync, and the tree is many times the body's
        size); a later call reads the body again, as aiohttp's response does (the
        invitations' raw state is read so, ``nio_client._raw_invite_state``)."""
        tree = self.parsed()
        self._parsed = None
        return tree

    async def text(self) -> str:
        return self._body.decode("utf-8")

    async def read(self) -> bytes:
        return self._body

    def release(self) -> None:
        """Nothing to give back: the connection was closed when the body was read."""


def prefetch(
    homeserver: str,
    access_token: str,
    timeout: float = REQUEST_TIMEOUT_S,
    look: Callable[[Prefetched], None] | None = None,
) -> concurrent.futures.Future[Prefetched]:
    """Send the first sync's request now, from a thread (it never blocks the caller); its
    answer waits for ``take``. The future is done once the answer (or the failure) is in;
    a second call for the same login before ``take`` returns the first one's.

    ``look`` is shown the answer on that thread before ``take`` can have it (so whatever
    it announces comes before anything nio makes of the answer); it must not change the
    answer, and what it raises is logged and goes no further."""
    key = (homeserver, access_token)
    with _lock:
        if key in _pending:
            return _pending[key]
        future: concurrent.futures.Future[Prefetched] = concurrent.futures.Future()
        _pending[key] = future

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            answer = _fetch(homeserver, access_token, timeout)
        except BaseException as exc:  # reported by ``take``, which then asks through nio
            future.set_exception(exc)
        else:
            if look is not None:
                _show(look, answer)
            future.set_result(answer)
        # Only the key and a weak reference: an answer nio took is not kept by the timer.
        expiry = threading.Timer(UNCLAIMED_S, _forget, (key, weakref.ref(future)))
        expiry.daemon = True
        expiry.start()

    threading.Thread(target=run, name="oor-first-sync", daemon=True).start()
    return future


async def take(homeserver: str, access_token: str) -> Prefetched | None:
    """The fetched first sync of this login, once, if it came back as a JSON 200 (waiting
    for it if it is still on its way); None if none was fetched or it failed, and nio
    asks again. A fetch that timed out raises ``TimeoutError`` as nio's own request
    does (nio gives up at once, ``max_timeouts=0``): a server that accepts connections
    and never answers costs one request timeout before "connection lost", not two."""
    import asyncio

    with _lock:
        future = _pending.pop((homeserver, access_token), None)
    if future is None:
        return None
    try:
        answer = await asyncio.wrap_future(future)
    except TimeoutError:
        raise  # nio's own request would have timed out too: one wait, met as nio's
    except Exception as exc:
        log.info("the first sync fetched early failed (%s); nio asks again", exc)
        return None
    if not answer.ok:
        log.info("the first sync fetched early answered %s; nio asks again", answer.status)
        return None
    return answer


def _show(look: Callable[[Prefetched], None], answer: Prefetched) -> None:
    try:
        look(answer)
    except Exception:  # a look is a bonus: the start goes on as without it
        log.exception("a look at the first sync fetched early failed")


def _forget(
    key: tuple[str, str], future: weakref.ref[concurrent.futures.Future[Prefetched]]
) -> None:
    """Let an answer nobody took go: its body and the token keying it are not kept for
    the rest of the process (the user signed out at a prompt, another login came).
    Taken later, nio simply asks again."""
    with _lock:
        if (pending := _pending.get(key)) is not None and pending is future():
            del _pending[key]


def _fetch(homeserver: str, access_token: str, timeout: float) -> Prefetched:
    """One ``GET /sync`` over a fresh connection; the whole body read."""
    url = homeserver + SYNC_PATH  # nio joins them the same way
    parts = urlsplit(url)
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        context = ssl.create_default_context()
        connection = http.client.HTTPSConnection(
            parts.hostname or "", parts.port, timeout=timeout, context=context
        )
    elif parts.scheme == "http":
        connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)
    else:
        raise ValueError(f"not an http(s) homeserver address: {homeserver}")
    try:
        connection.request("GET", parts.path, headers={"Authorization": f"Bearer {access_token}"})
        response = connection.getresponse()
        body = response.read()
        content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        return Prefetched(url, response.status, content_type, body)
    finally:
        connection.close()
