"""The database's own failures (a full disk, read-only files, a lost connection), told apart from bad data.

They are nobody's fault among the sources, so they are kept off the sources' health; the last one
is kept in the meta table, written once the database takes writes again.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import exc
from sqlalchemy.orm import Session

from storage.meta import get_meta, set_meta

# OperationalError: full disk, read-only database, lock timeout, lost connection; InternalError: what the
# server itself refuses (a read-only transaction, a trigger); the others: the connection pool.
# IntegrityError, DataError and ProgrammingError stay out: bad data or a bug, not the database failing.
STORAGE_ERRORS = (exc.OperationalError, exc.InternalError, exc.InterfaceError, exc.TimeoutError, exc.DisconnectionError)
META_KEY = "storage_failure"
_MESSAGE_LENGTH = 500


@dataclass
class StorageFailure:
    """A time the database would not take writes: since when, when last seen, what it said."""

    since: datetime
    at: datetime
    message: str
    sources: int = 0  # the sources that could not be stored at `at`


def describe(error: BaseException) -> str:
    """What the database said, without the SQL and its parameters."""
    reason = " ".join(str(getattr(error, "orig", None) or error).split())
    return f"{type(error).__name__}: {reason}"[:_MESSAGE_LENGTH]


def save_failure(session: Session, failure: StorageFailure) -> None:
    """Keep this as the last storage failure."""
    record = {**asdict(failure), "since": failure.since.isoformat(), "at": failure.at.isoformat()}
    set_meta(session, META_KEY, json.dumps(record, ensure_ascii=False))


def last_failure(session: Session) -> StorageFailure | None:
    """The last storage failure recorded, if any."""
    value = get_meta(session, META_KEY)
    if value is None:
        return None
    record = json.loads(value)
    return StorageFailure(
        since=datetime.fromisoformat(record["since"]),
        at=datetime.fromisoformat(record["at"]),
        message=record["message"],
        sources=record.get("sources", 0),
    )
