"""Reading the archive for volunteers: the newest matched items, one item in full, match times for trends."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from storage.db import in_chunks
from storage.models import Item, ItemSource, Match


def _with_details(query):
    return query.options(
        selectinload(Item.origins).selectinload(ItemSource.source), selectinload(Item.matches), selectinload(Item.versions)
    )


def latest_matched(session: Session, topic: str | None, limit: int) -> list[Item]:
    """The newest items matched to `topic` (to any topic if None), with sources and matches loaded."""
    matched = exists().where(Match.item_id == Item.id)
    if topic:
        matched = exists().where(Match.item_id == Item.id, Match.topic_id == topic)
    query = select(Item).where(matched).order_by(Item.published_at.desc(), Item.id.desc()).limit(limit)
    return list(session.scalars(_with_details(query)))


def item_in_full(session: Session, item_id: int) -> Item | None:
    """One item with its sources, matches and older versions loaded."""
    return session.scalar(_with_details(select(Item).where(Item.id == item_id)))


def topic_match_times(
    session: Session, topics: Sequence[str], since: datetime, until: datetime
) -> list[tuple[int, datetime, str]]:
    """(item id, published, topic) of every match of these topics published in [since, until]."""
    query = (
        select(Item.id, Item.published_at, Match.topic_id)
        .join(Match, Match.item_id == Item.id)
        .where(Match.topic_id.in_(list(topics)), Item.published_at >= since, Item.published_at <= until)
    )
    return [(item_id, published, topic) for item_id, published, topic in session.execute(query)]


def topics_of_items(session: Session, item_ids: Iterable[int]) -> dict[int, list[str]]:
    """Item id -> the topics it matched."""
    ids = sorted(set(item_ids))
    found: dict[int, list[str]] = {}
    for chunk in in_chunks(ids):
        query = select(Match.item_id, Match.topic_id).where(Match.item_id.in_(chunk))
        for item_id, topic in session.execute(query):
            found.setdefault(item_id, []).append(topic)
    return found
