"""What narrative shares are counted from: a topic's items per hour and source label, and those telling each narrative.

Counting happens in the database, by UTC hour (the caller folds hours into local days): an item
carried by two sources with one label counts once for it, an item of two labels once for each.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session, aliased

from storage.models import Item, ItemSource, Match, Source

HourCount = tuple[datetime, str | None, int]  # (hour, label, items)
NarrativeCount = tuple[datetime, str | None, str, int]  # (hour, label, narrative, items)


def _hour(session: Session):
    """The published hour as hours since 1970, on either backend."""
    if session.get_bind().dialect.name == "sqlite":
        return cast(func.strftime("%s", Item.published_at), Integer) // 3600
    return cast(func.floor(func.extract("epoch", Item.published_at) / 3600), Integer)


def _moment(hour: int) -> datetime:
    return datetime.fromtimestamp(int(hour) * 3600, timezone.utc)


def _topic_items(session: Session, topic: str, since: datetime, until: datetime, *columns):
    hour = _hour(session).label("hour")
    return (
        select(hour, Source.label, *columns, func.count(func.distinct(Item.id)))
        .select_from(Match)
        .join(Item, Item.id == Match.item_id)
        .join(ItemSource, ItemSource.item_id == Item.id)
        .join(Source, Source.id == ItemSource.source_id)
        .where(Match.topic_id == topic, Item.published_at >= since, Item.published_at <= until)
        .group_by(hour, Source.label, *columns)
    )


def items_per_hour(session: Session, topic: str, since: datetime, until: datetime) -> list[HourCount]:
    """(hour, label, items) for the topic's items published in [since, until]."""
    rows = session.execute(_topic_items(session, topic, since, until))
    return [(_moment(hour), label, n) for hour, label, n in rows]


def narratives_per_hour(
    session: Session, topic: str, narratives: Sequence[str], since: datetime, until: datetime
) -> list[NarrativeCount]:
    """(hour, label, narrative, items) for the topic's items in [since, until] that tell these narratives."""
    if not narratives:
        return []
    narrative = aliased(Match)
    query = _topic_items(session, topic, since, until, narrative.topic_id).join(
        narrative, narrative.item_id == Item.id
    ).where(narrative.topic_id.in_(list(narratives)))
    return [(_moment(hour), label, name, n) for hour, label, name, n in session.execute(query)]
