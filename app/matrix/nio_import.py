"""nio, loaded without the PostgreSQL driver its key store's ORM looks for, nor cffi.

Why: nio keeps its keys in SQLite through peewee, and peewee imports psycopg2 whenever
it is installed (the `keeper` extra installs it for the records database). nio never
uses it, yet it brought libpq with Kerberos, LDAP and SASL into every client start:
~3.5 MB of RSS (docs/performance.md, session 6). The drivers look absent only while nio
loads; whatever imports one afterwards (the keeper's SQLAlchemy engine) gets it as usual.

cffi likewise: pycryptodome (nio's attachment cipher) takes cffi when it can, and cffi's
in-line mode parses C declarations with pycparser at import, ~1.2 MB of memory held for
good; without cffi it binds the same C functions through ctypes, its other backend.

Imported for its effect, first thing, by the modules that load nio when the app starts
(``app.matrix.client``); if nio was loaded before, this does nothing.
"""

from __future__ import annotations

import sys

#: Database drivers peewee tries at import (nio's SQLite store needs none of them), and
#: cffi, which pycryptodome would prefer to ctypes.
HIDDEN_WHILE_NIO_LOADS = ("psycopg2", "psycopg2cffi", "psycopg", "pymysql", "MySQLdb", "cffi")


def load_nio() -> None:
    """Import nio with ``HIDDEN_WHILE_NIO_LOADS`` absent (a ``None`` entry in ``sys.modules``
    makes ``import`` raise ImportError, which peewee and pycryptodome take as "not
    installed")."""
    hidden = [name for name in HIDDEN_WHILE_NIO_LOADS if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        import nio  # noqa: F401
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


load_nio()
