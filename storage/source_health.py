"""How sources are doing: state, items per day, and a short history of their errors."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.admin_models import SourceError
from storage.models import ItemSource, Source

ERRORS_KEPT = 20


def state(source: Source) -> str:
    """'paused', 'failing' (active but its last polls failed) or 'active'."""
    if source.status != "active":
        return source.status
    return "failing" if source.error_count else "active"


def items_per_day(session: Session, now: datetime, days: int = 7) -> dict[int, float]:
    """Source id -> items it carried per day over the last `days` days."""
    since = now - timedelta(days=days)
    rows = session.execute(
        select(ItemSource.source_id, func.count()).where(ItemSource.seen_at >= since).group_by(ItemSource.source_id)
    )
    return {source_id: count / days for source_id, count in rows}


def record_error(session: Session, source_id: int, at: datetime, code: str, message: str) -> None:
    """Keep this failure, and only the latest ERRORS_KEPT of the source."""
    session.add(SourceError(source_id=source_id, at=at, code=code[:60], message=message[:2000]))
    session.flush()
    keep = (
        select(SourceError.id)
        .where(SourceError.source_id == source_id)
        .order_by(SourceError.id.desc())
        .limit(ERRORS_KEPT)
        .scalar_subquery()
    )
    old = select(SourceError.id).where(SourceError.source_id == source_id, SourceError.id.not_in(keep))
    stale = list(session.scalars(old))
    if stale:
        session.execute(delete(SourceError).where(SourceError.id.in_(stale)))


def recent_errors(session: Session, source_id: int, limit: int = 5) -> list[SourceError]:
    """The newest failures of a source, newest first."""
    query = select(SourceError).where(SourceError.source_id == source_id).order_by(SourceError.id.desc()).limit(limit)
    return list(session.scalars(query))
