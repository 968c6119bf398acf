"""Opening the database: engine set-up, SQLite pragmas and schema migrations.

Every caller gets an engine whose schema is at the newest revision, whether the file
is new, from an older release, or on a PostgreSQL server. A new SQLite file is created
straight from the current schema and stamped at head, in one transaction: replaying
every migration (and importing Alembic to do it) cost a new device's first start about
a third of a second more. Older files migrate step by step as before;
``tests/test_store_schema.py`` holds both paths to the same ``sqlite_master``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3
from sqlalchemy import (
    Column,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    create_engine,
    event,
    text,
)
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.pool import QueuePool, StaticPool

from app.core.errors import disk_full
from app.store.errors import StoreError
from app.store.revision import head_revision
from app.store.schema import metadata, outbox_metadata
from app.store.search_sql import CREATE_SEARCH_INDEX
from app.store.sqlcipher import is_wrong_key, raw_key, refuse_plaintext, wrong_key

if TYPE_CHECKING:  # Alembic is imported only when a migration has to run: it is slow
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
# SQLite needs room for its journal and shared-memory files even to read: with less than
# this free, a failure to open is the disk's fault, whatever error SQLite names.
_MIN_FREE_BYTES = 1 << 20
# Alembic's own record of the revision, declared as Alembic declares it, so a stamped new
# file is the same as a migrated one, byte for byte in ``sqlite_master``.
_ALEMBIC_VERSION = Table(
    "alembic_version",
    MetaData(),
    Column("version_num", String(32), nullable=False),
    PrimaryKeyConstraint("version_num", name="alembic_version_pkc"),
)
# Where migration 0009 finds who takes an older release's outbox rows (``open_database``).
OLDER_OUTBOX = "older_outbox"
OlderOutbox = Callable[[Sequence[Mapping[str, Any]]], None]


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file (absolute, so the cwd never matters)."""
    database = str(Path(path).expanduser().resolve())
    return URL.create("sqlite", database=database).render_as_string(hide_password=False)


def alembic_config(
    connection: Connection | None = None, older_outbox: OlderOutbox | None = None
) -> Config:
    """An Alembic Config built in code, so no alembic.ini has to ship or be found.

    ``script_location`` is this package's folder, which works the same from the
    source tree and from an installed wheel.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    if older_outbox is not None:
        config.attributes[OLDER_OUTBOX] = older_outbox
    return config


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:")


def _is_sqlite_file(url: URL) -> bool:
    return (
        url.get_backend_name() == "sqlite"
        and not _is_memory(url)
        and not str(url.database).startswith("file:")
    )


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, and real transactions on every SQLite connection.

    WAL lets readers and the writer proceed together and survives crashes well;
    synchronous=NORMAL is durable enough in WAL mode and much faster. Python 3.11's
    sqlite3 does not emit BEGIN before SELECT or DDL, so we take over BEGIN ourselves:
    that makes a sync batch (read chain head, insert, save token) and a migration
    atomic, as SQLAlchemy's SQLite documentation recommends.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if _is_sqlcipher(dbapi_connection):  # its errors are ours to word, not stderr's
                cursor.execute("PRAGMA cipher_log_level = NONE")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=5000")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN")


def _create_engine(url: URL, key: bytes | None) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if _is_memory(url):
        # One shared connection, or every checkout would see its own empty database.
        kwargs["poolclass"] = StaticPool
    elif key is not None:
        # SQLCipher: the dialect sends ``PRAGMA key`` first on every connection. Its
        # default pool keeps one connection per thread; the archive is used from the store
        # thread and short-lived worker threads, so pool like plain SQLite does.
        url = url.set(drivername="sqlite+pysqlcipher", password=raw_key(key))
        kwargs["poolclass"] = QueuePool
    engine = create_engine(url, **kwargs)
    _configure_sqlite(engine)
    return engine


def _is_sqlcipher(dbapi_connection: Any) -> bool:
    return type(dbapi_connection).__module__.startswith("sqlcipher3")


def _describe(url: URL) -> str:
    if _is_sqlite_file(url):
        return str(url.database)
    return url.render_as_string(hide_password=True)


def _at_head(engine: Engine) -> bool:
    """True when the database's single recorded revision is this release's head."""
    with engine.connect() as conn:
        has_table = engine.dialect.has_table(conn, "alembic_version")
        versions = (
            conn.execute(text("SELECT version_num FROM alembic_version")) if has_table else ()
        )
        return [row[0] for row in versions] == [head_revision()]


def _check_not_newer(engine: Engine, config: Config, where: str) -> None:
    """Refuse a database written by a newer release instead of damaging it."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    with engine.connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
    unknown = [rev for rev in heads if rev not in known]
    if unknown:
        raise StoreError(
            f"The database {where} was written by a newer version of Open Operations Room "
            f"(schema {', '.join(unknown)}). Update the app to open it."
        )


def _create_if_empty(engine: Engine) -> bool:
    """Create the current schema in a SQLite database that holds nothing yet, stamped at
    head; False (and nothing written) if the database has anything in it already."""
    with engine.begin() as conn:
        if conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar():
            return False
        metadata.create_all(conn)
        for statement in CREATE_SEARCH_INDEX:
            conn.exec_driver_sql(statement)
        _ALEMBIC_VERSION.create(conn)
        conn.execute(_ALEMBIC_VERSION.insert().values(version_num=head_revision()))
    return True


def _upgrade(engine: Engine, where: str, older_outbox: OlderOutbox | None = None) -> None:
    if _at_head(engine):
        return
    if engine.dialect.name == "sqlite" and _create_if_empty(engine):
        return
    from alembic import command
    from alembic.util import CommandError

    _check_not_newer(engine, alembic_config(), where)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn, older_outbox), "head")
    except CommandError as exc:
        raise StoreError(_unusable(where, exc)) from exc


def _out_of_space(url: URL, exc: BaseException) -> bool:
    """Whether the disk holding a SQLite file (or the error itself) says it is full.

    On a full disk SQLite often reports "disk I/O error" (it cannot create its WAL or
    shared-memory file), which reads like damage; the free space tells the truth.
    """
    if disk_full(exc):
        return True
    if not _is_sqlite_file(url):
        return False
    try:
        return shutil.disk_usage(Path(str(url.database)).parent).free < _MIN_FREE_BYTES
    except OSError:
        return False


def _disk_full_error(where: str) -> StoreError:
    return StoreError(
        f"The disk is full: the archive {where} cannot be opened. Free some space and "
        "start again; nothing in the archive or the outbox is lost."
    )


def open_database(
    url: str, key: bytes | None = None, older_outbox: OlderOutbox | None = None
) -> Engine:
    """Open (creating if needed) the database at ``url`` and migrate it to the newest schema.

    With ``key``, a SQLite file is SQLCipher-encrypted with that raw 32-byte key (see
    ``app.store.at_rest``, which finds the key and converts a plaintext file first); a
    PostgreSQL URL ignores it (the records keeper's server protects its own disk).
    ``older_outbox`` takes an older release's outbox rows, oldest first, when migration
    0009 moves them out of the archive (``app.store.outbox_file``); it is called inside
    the migration's transaction, so rows it took before a crash are offered again.

    Raises StoreError with a message for a person when the URL is unusable, the file
    is not a database, the key does not open it, or the schema is newer than this app
    knows.
    """
    return _open(url, key, partial(_upgrade, older_outbox=older_outbox))


def open_outbox_database(url: str, key: bytes | None = None) -> Engine:
    """The outbox's own database (``app.store.outbox_file``), its table created when
    missing; opened, keyed and refused exactly as the archive is."""
    return _open(url, key, _create_outbox)


def _create_outbox(engine: Engine, _where: str) -> None:
    outbox_metadata.create_all(engine)  # what exists is left as it is


def _open(url: str, key: bytes | None, prepare: Callable[[Engine, str], None]) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"{url!r} is not a database address: {exc}") from exc
    where = _describe(parsed)
    if _is_sqlite_file(parsed):
        try:
            Path(str(parsed.database)).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if disk_full(exc):
                raise _disk_full_error(where) from exc
            raise StoreError(f"Cannot create the folder for the database {where}: {exc}") from exc
    try:
        engine = _create_engine(parsed, key)
    except (ArgumentError, ImportError) as exc:
        raise StoreError(f"Cannot use the database {where}: {exc}") from exc
    try:
        if key is not None and _is_sqlite_file(parsed):
            refuse_plaintext(Path(str(parsed.database)))
        prepare(engine, where)  # its first read is where a wrong key shows
    except StoreError:
        engine.dispose()
        raise
    except (SQLAlchemyError, OSError, sqlcipher3.Error) as exc:
        engine.dispose()
        raise opening_failed(url, exc, keyed=key is not None) from exc
    return engine


def opening_failed(url: str, exc: BaseException, *, keyed: bool) -> StoreError:
    """The sentence for a database that would not open, by what a person can do about
    it: another key (nothing was written), space to free, or a file to move aside."""
    parsed = make_url(url)
    where = _describe(parsed)
    if keyed and is_wrong_key(exc):
        return wrong_key(where)
    if _out_of_space(parsed, exc):
        return _disk_full_error(where)
    return StoreError(_unusable(where, getattr(exc, "orig", None) or exc))


def _unusable(where: str, detail: object) -> str:
    return (
        f"Cannot open {where} as an Open Operations Room database ({detail}). "
        "It may be another kind of file or damaged; move it aside to start a new archive."
    )
