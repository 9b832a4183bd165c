"""The matched items a digest or alert is made of, as plain data."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Item, ItemSource, Match, Source
from storage.story_models import StoryMember


@dataclass
class MatchedItem:
    """One item matched to one topic, with its sources, matched terms and story."""

    item_id: int
    topic: str
    title: str
    url: str | None
    published_at: datetime
    fetched_at: datetime
    sources: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    story_id: int | None = None  # None until the item is placed into a story


def _terms(hits: list[dict]) -> list[str]:
    seen: dict[str, None] = {}
    for hit in hits or []:
        term = hit.get("term")
        if term:
            seen.setdefault(term, None)
    return list(seen)


def _collect(session: Session, query) -> list[MatchedItem]:
    found: dict[tuple[int, str], MatchedItem] = {}
    for item, topic, hits, source, story_id in session.execute(query):
        key = (item.id, topic)
        if key not in found:
            found[key] = MatchedItem(
                item.id, topic, item.title, item.url, item.published_at, item.fetched_at, terms=_terms(hits),
                story_id=story_id,
            )
        if source not in found[key].sources:
            found[key].sources.append(source)
    return list(found.values())


def _base_query(topics: Iterable[str]):
    return (
        select(Item, Match.topic_id, Match.hits, Source.name, StoryMember.story_id)
        .join(Match, Match.item_id == Item.id)
        .join(ItemSource, ItemSource.item_id == Item.id)
        .join(Source, Source.id == ItemSource.source_id)
        .outerjoin(StoryMember, StoryMember.item_id == Item.id)
        .where(Match.topic_id.in_(list(topics)), Item.backlog.is_(False))
    )


def matched_between(session: Session, topics: Iterable[str], since: datetime, until: datetime) -> list[MatchedItem]:
    """Non-backlog items of these topics fetched in (since, until]."""
    query = _base_query(topics).where(Item.fetched_at > since, Item.fetched_at <= until).order_by(Item.id)
    return _collect(session, query)


def matched_after(session: Session, topics: Iterable[str], after_id: int) -> list[MatchedItem]:
    """Non-backlog items of these topics with an id above `after_id` (for instant alerts)."""
    return _collect(session, _base_query(topics).where(Item.id > after_id).order_by(Item.id))


def latest_item_id(session: Session) -> int:
    """The highest item id stored so far (0 when empty)."""
    return session.scalar(select(Item.id).order_by(Item.id.desc()).limit(1)) or 0


def stories_alerted(session: Session, story_ids: Iterable[int], topics: Iterable[str], through: int) -> set[int]:
    """Which of these stories already had an item alerted to a chat that follows `topics` and is alerted through
    item id `through` (an earlier non-backlog item of the story matched one of the topics)."""
    ids = sorted(set(story_ids))
    if not ids:
        return set()
    query = (
        select(StoryMember.story_id)
        .join(Match, Match.item_id == StoryMember.item_id)
        .join(Item, Item.id == StoryMember.item_id)
        .where(StoryMember.story_id.in_(ids), StoryMember.item_id <= through, Match.topic_id.in_(list(topics)),
               Item.backlog.is_(False))
        .distinct()
    )
    return set(session.scalars(query))
