"""What narrative shares are counted from: a topic's items per hour and source label, and of them those telling each narrative.

Counting happens in the database in one pass, by UTC hour (the caller folds hours into local days):
an item carried by two sources with one label counts once for it, an item of two labels once for each.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from sqlalchemy import Integer, case, cast, func, select
from sqlalchemy.orm import Session, aliased

from storage.models import Item, ItemSource, Match, Source

HourCount = tuple[datetime, str | None, int, dict[str, int]]  # (hour, label, items, narrative -> items telling it)


def _hour(session: Session):
    """The published hour as hours since 1970, on either backend."""
    if session.get_bind().dialect.name == "sqlite":
        return cast(func.strftime("%s", Item.published_at), Integer) // 3600
    return cast(func.floor(func.extract("epoch", Item.published_at) / 3600), Integer)


def counts_per_hour(
    session: Session, topic: str, narratives: Sequence[str], since: datetime, until: datetime
) -> list[HourCount]:
    """(hour, label, items, {narrative: items}) for the topic's items published in [since, until]."""
    hour = _hour(session).label("hour")
    narrative = aliased(Match)
    told = [func.count(func.distinct(case((narrative.topic_id == name, Item.id)))) for name in narratives]
    query = (
        select(hour, Source.label, func.count(func.distinct(Item.id)), *told)
        .select_from(Match)
        .join(Item, Item.id == Match.item_id)
        .join(ItemSource, ItemSource.item_id == Item.id)
        .join(Source, Source.id == ItemSource.source_id)
        # One look per item at its narrative matches (an item telling two narratives gives two rows).
        .outerjoin(narrative, (narrative.item_id == Item.id) & narrative.topic_id.in_(list(narratives) or [""]))
        .where(Match.topic_id == topic, Item.published_at >= since, Item.published_at <= until)
        .group_by(hour, Source.label)
    )
    return [
        (datetime.fromtimestamp(int(row[0]) * 3600, timezone.utc), row[1], row[2],
         {name: n for name, n in zip(narratives, row[3:]) if n})
        for row in session.execute(query)
    ]
