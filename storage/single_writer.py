"""One writing process per SQLite database: a lock file beside it, held while the process runs.

SQLite lets one connection write at a time; two Dozor processes polling and sending on one file
would queue on its lock and could claim the same work. The lock is the kernel's (flock), so a
process that dies, even by SIGKILL, releases it; the file says who holds it, for the error message.
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

from sqlalchemy.engine import make_url


class WriterBusy(Exception):
    """Another process already writes to this SQLite database."""


class WriterLock:
    """The lock of one SQLite database; `release()` (or the process ending) frees it."""

    def __init__(self, path: Path, handle) -> None:
        self.path = path
        self._handle = handle

    def release(self) -> None:
        """Let another process write."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def lock_path(database_url: str) -> Path | None:
    """Where the lock of a SQLite file lives; None for PostgreSQL or an in-memory database."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database + ".writer.lock")


def hold(database_url: str, who: str) -> WriterLock | None:
    """Take the database's writer lock for `who` (a description); raise WriterBusy if another holds it."""
    path = lock_path(database_url)
    if path is None:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise WriterBusy(_busy_message(make_url(database_url).database, holder)) from None
    handle.seek(0)
    handle.truncate()
    handle.write(f"{who} (pid {os.getpid()})\n")
    handle.flush()
    return WriterLock(path, handle)


def _busy_message(database: str, holder: str) -> str:
    return (
        f"{holder} already runs on the SQLite database {database}. SQLite takes one writing process: run "
        "every role in one `dozor run`, or move to PostgreSQL (DOZOR_DATABASE_URL=postgresql+psycopg://...) "
        "to run several collectors, senders and bots"
    )
