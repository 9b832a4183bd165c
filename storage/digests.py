"""The matched items a digest or alert is made of, as plain data."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db import in_chunks
from storage.models import Item, ItemSource, Match, Source, shown_source_name
from storage.story_models import StoryMember

EXCERPT_CHARS = 1200  # of an item's text, read for the excerpt an alert may show


@dataclass
class MatchedItem:
    """One item matched to one topic, with its sources (as people see them), matched terms, what it holds, its story."""

    item_id: int
    topic: str
    title: str
    url: str | None
    published_at: datetime
    fetched_at: datetime
    sources: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)
    source_ids: list[int] = field(default_factory=list)  # in the order of `sources`
    excerpt: str = ""  # the start of the text, at most EXCERPT_CHARS
    text_length: int = 0
    media: list[str] = field(default_factory=list)  # a channel post's media kinds: photo, video, document, ...
    album: int = 0  # posts in the album the item stands for (0: not an album)
    channel_post: bool = False  # from a Telegram channel: the title is only the text's first line
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
    for row in session.execute(query):
        key = (row.id, row.topic_id)
        if key not in found:
            extra = row.extra or {}
            found[key] = MatchedItem(
                row.id, row.topic_id, row.title, row.url, row.published_at, row.fetched_at, terms=_terms(row.hits),
                excerpt=row.excerpt or "", text_length=row.text_length or 0, media=list(extra.get("media") or []),
                album=len(extra.get("album") or []), story_id=row.story_id,
            )
        item = found[key]
        item.channel_post = item.channel_post or row.kind == "telegram"
        if row.source_id not in item.source_ids:
            item.source_ids.append(row.source_id)
            item.sources.append(shown_source_name(row.source_name, row.source_url, row.source_title))
    return list(found.values())


def _base_query(topics: Iterable[str]):
    return (
        select(
            Item.id, Item.title, Item.url, Item.published_at, Item.fetched_at, Item.extra,
            func.substr(Item.text, 1, EXCERPT_CHARS).label("excerpt"), func.length(Item.text).label("text_length"),
            Match.topic_id, Match.hits, Source.id.label("source_id"), Source.name.label("source_name"),
            Source.url.label("source_url"), Source.title.label("source_title"), Source.kind, StoryMember.story_id,
        )
        .join(Match, Match.item_id == Item.id)
        .join(ItemSource, ItemSource.item_id == Item.id)
        .join(Source, Source.id == ItemSource.source_id)
        .outerjoin(StoryMember, StoryMember.item_id == Item.id)
        .where(Match.topic_id.in_(list(topics)), Item.backlog.is_(False))
    )


def matched_between(session: Session, topics: Iterable[str], since: datetime, until: datetime) -> list[MatchedItem]:
    """Non-backlog items of these topics fetched in (since, until]."""
    query = _base_query(topics).where(Item.fetched_at > since, Item.fetched_at <= until)
    return _collect(session, query.order_by(Item.id, ItemSource.id))


def matched_after(session: Session, topics: Iterable[str], after_id: int) -> list[MatchedItem]:
    """Non-backlog items of these topics with an id above `after_id` (for instant alerts)."""
    return _collect(session, _base_query(topics).where(Item.id > after_id).order_by(Item.id, ItemSource.id))


def matched_items(session: Session, topics: Iterable[str], item_ids: Iterable[int]) -> list[MatchedItem]:
    """These items, each once per topic of these it matched (backlog left out)."""
    found: list[MatchedItem] = []
    for chunk in in_chunks(sorted(set(item_ids))):
        found += _collect(session, _base_query(topics).where(Item.id.in_(chunk)).order_by(Item.id, ItemSource.id))
    return found


def latest_item_id(session: Session) -> int:
    """The highest item id stored so far (0 when empty)."""
    return session.scalar(select(Item.id).order_by(Item.id.desc()).limit(1)) or 0
