"""Key-value facts about the database itself."""
from __future__ import annotations

from sqlalchemy.orm import Session

from storage.models import Meta


def get_meta(session: Session, key: str) -> str | None:
    """The stored value, or None."""
    row = session.get(Meta, key)
    return None if row is None else row.value


def set_meta(session: Session, key: str, value: str) -> None:
    """Store a value under a key."""
    session.merge(Meta(key=key, value=value))
