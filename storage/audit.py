"""The audit log: every change an admin makes, with the state before and after."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.admin_models import AuditEntry


@dataclass(frozen=True)
class Actor:
    """Who made a change: a Telegram user, or the command line (user_id None)."""

    user_id: int | None
    name: str

    def __str__(self) -> str:
        return self.name if self.user_id is None else f"{self.name} ({self.user_id})"


CLI = Actor(None, "command line")


def record(session: Session, actor: Actor, action: str, target: str, before=None, after=None) -> AuditEntry:
    """Write one change to the log (in the caller's transaction, so it is kept only if the change is)."""
    entry = AuditEntry(
        actor_id=actor.user_id, actor=actor.name[:200], action=action, target=target[:300], before=before, after=after
    )
    session.add(entry)
    session.flush()
    return entry


def latest(session: Session, limit: int = 10) -> list[AuditEntry]:
    """The newest entries, newest first."""
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
