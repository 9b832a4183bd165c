"""Engine and session factory for SQLite (the default) and PostgreSQL."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000
READ_ONLY = "dozor_read_only"  # an execution option: this connection's transactions only read
POSTGRES_CONNECT_TIMEOUT_SECONDS = 10
SUPPORTED_BACKENDS = ("sqlite", "postgresql")
EXAMPLES = "sqlite:///data/dozor.sqlite3 or postgresql+psycopg://user@host/db"
# What SQLite's error codes mean for the person who runs Dozor.
SQLITE_HINTS = {
    "SQLITE_READONLY": "the database file is read-only: check its permissions",
    "SQLITE_READONLY_DIRECTORY": "the database's folder is read-only, and SQLite needs to write its -wal and -shm "
    "files there",
    "SQLITE_CANTOPEN": "check that the file's folder exists and that Dozor may write there",
}


IN_CHUNK = 500  # values per IN (...) list: far below SQLite's and PostgreSQL's parameter limits


class DatabaseUnavailable(Exception):
    """The database cannot be opened, with a reason fit for an operator."""


def in_chunks(values: list, size: int = IN_CHUNK) -> Iterator[list]:
    """The values in slices small enough for one IN (...) list each."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def is_sqlite(engine: Engine) -> bool:
    """Whether the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def check_database_url(url: str) -> None:
    """Raise ValueError, saying what is wrong, unless Dozor can open a database at this URL."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(f"not a database URL (try {EXAMPLES})") from None
    if parsed.get_backend_name() not in SUPPORTED_BACKENDS:
        raise ValueError(f"{parsed.drivername}:// databases are not supported (use {EXAMPLES})")
    try:
        dialect = parsed.get_dialect()
        dialect.import_dbapi()
    except (NoSuchModuleError, ImportError):
        raise ValueError(f"no driver for {parsed.drivername}:// is installed (use {EXAMPLES})") from None
    if dialect.is_async:
        raise ValueError(f"{parsed.drivername}:// is an asyncio driver; use {EXAMPLES}")


def failure_reason(error: Exception) -> str:
    """Why the database refused, in one line, with a hint for SQLite's common refusals."""
    reason = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    text = " ".join(str(reason).split("(Background on this error at:")[0].split())  # psycopg's span lines
    hint = SQLITE_HINTS.get(getattr(reason, "sqlite_errorname", ""))
    return f"{text} ({hint})" if hint else text


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and BEGIN IMMEDIATE writes."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        timeout = {} if "connect_timeout" in parsed.query else {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS}
        return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, connect_args=timeout)
    if parsed.database and parsed.database != ":memory:":
        _make_folder(Path(parsed.database).parent)
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _make_folder(folder: Path) -> None:
    """Create the SQLite file's own folder, not a whole path: a mistyped URL fails instead of making folders."""
    try:
        folder.mkdir(exist_ok=True)
    except FileNotFoundError:
        message = f"cannot create the SQLite database in {folder}: {folder.parent} does not exist"
        raise DatabaseUnavailable(message) from None
    except OSError as exc:
        message = f"cannot create the folder {folder} for the SQLite database: {exc.strerror}"
        raise DatabaseUnavailable(message) from None


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not pysqlite, decide when a transaction starts (see "begin" below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_on_begin(connection) -> None:
    # Take the write lock up front so concurrent writers wait on busy_timeout instead of failing mid-transaction.
    # A read-only transaction takes no lock: under WAL it reads a snapshot and never waits for a writer.
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """A sessionmaker whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


def read_only(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions on the same engine for reads only: SQLite takes no write lock, PostgreSQL refuses writes."""
    engine: Engine = sessions.kw["bind"]
    options = {READ_ONLY: True} if is_sqlite(engine) else {READ_ONLY: True, "postgresql_readonly": True}
    return sessionmaker(engine.execution_options(**options), expire_on_commit=False)
