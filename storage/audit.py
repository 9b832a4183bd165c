"""The audit log: every change an admin makes, with what it was before and after (only what changed)."""
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


def changed(before, after) -> tuple:
    """Of two states of one thing, only what differs: changed fields; of a list, the items removed and added.

    A list only reordered is kept whole on both sides. Anything but two dicts is returned as it is.
    """
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return before, after
    old, new = {}, {}
    for key in [*before, *(k for k in after if k not in before)]:
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        if isinstance(was, list) and isinstance(now, list):
            removed, added = [x for x in was if x not in now], [x for x in now if x not in was]
            was, now = (removed, added) if removed or added else (was, now)
        if was not in (None, []):
            old[key] = was
        if now not in (None, []):
            new[key] = now
    return old or None, new or None


def record(session: Session, actor: Actor, action: str, target: str, before=None, after=None) -> AuditEntry:
    """Write one change to the log (in the caller's transaction, so it is kept only if the change is).

    `before` and `after` may be whole states: only what changed is kept.
    """
    before, after = changed(before, after)
    entry = AuditEntry(
        actor_id=actor.user_id, actor=actor.name[:200], action=action, target=target[:300], before=before, after=after
    )
    session.add(entry)
    session.flush()
    return entry


def latest(session: Session, limit: int = 10) -> list[AuditEntry]:
    """The newest entries, newest first."""
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))
