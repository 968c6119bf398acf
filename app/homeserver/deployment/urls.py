"""Parse the three addresses a ministry deployment is given: PostgreSQL, Redis, public URL.

Each parser turns a URL into the fields Synapse's config wants, or raises HomeserverError
with a sentence saying which part is wrong and what a good one looks like: these come
from an administrator's command line, and a typo must not surface as a Synapse traceback
minutes later on the first start.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass

from app.homeserver.config import HomeserverError

_POSTGRES_EXAMPLE = "postgresql://synapse:PASSWORD@127.0.0.1:5432/synapse"
_REDIS_EXAMPLE = "redis://127.0.0.1:6379/0"
_PUBLIC_EXAMPLE = "https://matrix.ministry.example"


@dataclass(frozen=True)
class PostgresAddress:
    """Where Synapse's database is; `host` may be a unix socket directory."""

    host: str
    port: int
    user: str
    password: str
    database: str


@dataclass(frozen=True)
class RedisAddress:
    """Where the replication pub/sub (and shared cache) lives."""

    host: str
    port: int
    password: str
    dbid: int


@dataclass(frozen=True)
class PublicAddress:
    """What clients type in: the base URL nginx answers on behind the ministry's TLS."""

    url: str
    host: str


def _split(kind: str, url: str, schemes: tuple[str, ...], example: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in schemes:
        raise HomeserverError(
            f"The {kind} URL '{url}' must start with {' or '.join(s + '://' for s in schemes)}, "
            f"e.g. {example}"
        )
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise HomeserverError(
            f"The {kind} URL '{url}' has a bad port ({exc}), e.g. {example}"
        ) from exc
    return parts


def parse_postgres(url: str) -> PostgresAddress:
    """`postgresql://user:password@host:port/database`; `?host=/run/postgresql` for a socket."""
    parts = _split("PostgreSQL", url, ("postgresql", "postgres"), _POSTGRES_EXAMPLE)
    query = urllib.parse.parse_qs(parts.query)
    host = query.get("host", [parts.hostname or ""])[0]
    database = urllib.parse.unquote(parts.path.lstrip("/"))
    user = urllib.parse.unquote(parts.username or "")
    missing = [
        name
        for name, value in (("host", host), ("user", user), ("database", database))
        if not value
    ]
    if missing:
        raise HomeserverError(
            f"The PostgreSQL URL '{url}' lacks the {', '.join(missing)}: give all of "
            f"user, host and database, e.g. {_POSTGRES_EXAMPLE}"
        )
    return PostgresAddress(
        host=host,
        port=parts.port or 5432,
        user=user,
        password=urllib.parse.unquote(parts.password or ""),
        database=database,
    )


def parse_redis(url: str) -> RedisAddress:
    """`redis://[:password@]host:port[/db]`."""
    parts = _split("Redis", url, ("redis",), _REDIS_EXAMPLE)
    if not parts.hostname:
        raise HomeserverError(f"The Redis URL '{url}' lacks a host, e.g. {_REDIS_EXAMPLE}")
    db = parts.path.lstrip("/") or "0"
    if not db.isdigit():
        raise HomeserverError(
            f"The Redis URL '{url}' names database '{db}': Redis databases are numbers, "
            f"e.g. {_REDIS_EXAMPLE}"
        )
    return RedisAddress(
        host=parts.hostname,
        port=parts.port or 6379,
        password=urllib.parse.unquote(parts.password or ""),
        dbid=int(db),
    )


def parse_public_url(url: str) -> PublicAddress:
    """The public base URL: http(s), a host, no query; trailing slash normalised."""
    parts = _split("public", url, ("https", "http"), _PUBLIC_EXAMPLE)
    if not parts.hostname or parts.query or parts.fragment:
        raise HomeserverError(
            f"The public URL '{url}' must be just scheme, host and optional port, "
            f"e.g. {_PUBLIC_EXAMPLE}"
        )
    base = urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    return PublicAddress(url=base + "/", host=parts.hostname)
