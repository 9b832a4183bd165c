"""What narrative shares are counted from: a topic's items with their sources' labels, and their narrative matches."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from storage.models import Item, ItemSource, Match, Source


def labeled_items(session: Session, topic: str, since: datetime, until: datetime) -> list[tuple[int, datetime, str | None]]:
    """(item id, published, source label) for the topic's items published in [since, until], one row per source."""
    query = (
        select(Item.id, Item.published_at, Source.label)
        .join(Match, Match.item_id == Item.id)
        .join(ItemSource, ItemSource.item_id == Item.id)
        .join(Source, Source.id == ItemSource.source_id)
        .where(Match.topic_id == topic, Item.published_at >= since, Item.published_at <= until)
    )
    return [(item_id, published, label) for item_id, published, label in session.execute(query)]


def narrative_matches(
    session: Session, topic: str, narratives: Sequence[str], since: datetime, until: datetime
) -> list[tuple[int, str]]:
    """(item id, narrative) for the topic's items published in [since, until] that match these narratives."""
    if not narratives:
        return []
    narrative = aliased(Match)
    query = (
        select(narrative.item_id, narrative.topic_id)
        .join(Match, Match.item_id == narrative.item_id)
        .join(Item, Item.id == narrative.item_id)
        .where(Match.topic_id == topic, narrative.topic_id.in_(list(narratives)),
               Item.published_at >= since, Item.published_at <= until)
    )
    return [(item_id, name) for item_id, name in session.execute(query)]
