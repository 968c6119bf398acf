"""nio, loaded without the PostgreSQL driver its key store's ORM looks for.

Why: nio keeps its keys in SQLite through peewee, and peewee imports psycopg2 whenever
it is installed (the `keeper` extra installs it for the records database). nio never
uses it, yet it brought libpq with Kerberos, LDAP and SASL into every client start:
~3.5 MB of RSS (docs/performance.md, session 6). The drivers look absent only while nio
loads; whatever imports one afterwards (the keeper's SQLAlchemy engine) gets it as usual.

Imported for its effect, first thing, by the modules that load nio when the app starts
(``app.matrix.client``); if nio was loaded before, this does nothing.
"""

from __future__ import annotations

import sys

#: Database drivers peewee tries at import; nio's SQLite store needs none of them.
UNUSED_BY_NIO = ("psycopg2", "psycopg2cffi", "psycopg", "pymysql", "MySQLdb")


def load_nio() -> None:
    """Import nio with ``UNUSED_BY_NIO`` absent (a ``None`` entry in ``sys.modules``
    makes ``import`` raise ImportError, which peewee takes as "not installed")."""
    hidden = [name for name in UNUSED_BY_NIO if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import nio  # noqa: F401
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


load_nio()
