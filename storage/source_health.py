"""How sources are doing: state, items per day, and a short history of their errors."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.admin_models import SourceError
from storage.models import Item, ItemSource, Source

ERRORS_KEPT = 20
HEALTH_DAYS = 7  # the period of a source's items per day, wherever it is shown


def state(source: Source) -> str:
    """'paused', 'failing' (active but its last polls failed) or 'active'."""
    if source.status != "active":
        return source.status
    return "failing" if source.error_count else "active"


def published_counts(session: Session, now: datetime, days: int = HEALTH_DAYS) -> dict[int, int]:
    """Source id -> how many of the items it carried were published in the last `days` days.

    Publication, not storing: a new feed's first fetch stores years of items at once, and they say
    nothing about how often the feed is updated.
    """
    since = now - timedelta(days=days)
    rows = session.execute(
        select(ItemSource.source_id, func.count())
        .join(Item, Item.id == ItemSource.item_id)
        .where(Item.published_at >= since, Item.published_at <= now)
        .group_by(ItemSource.source_id)
    )
    return dict(rows.all())


def items_per_day(session: Session, now: datetime, days: int = HEALTH_DAYS) -> dict[int, float]:
    """Source id -> items per day published in the last `days` days (see published_counts)."""
    return {source_id: count / days for source_id, count in published_counts(session, now, days).items()}


def newest_published(session: Session, source_id: int) -> datetime | None:
    """When the newest item this source carried was published."""
    query = select(func.max(Item.published_at)).join(ItemSource, ItemSource.item_id == Item.id)
    return session.scalar(query.where(ItemSource.source_id == source_id))


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
