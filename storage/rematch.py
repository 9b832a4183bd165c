"""Reading stored items for re-matching one topic, and writing that topic's new matches."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from storage.models import Item, Match
from storage.search.index import item_body


@dataclass(frozen=True)
class StoredText:
    """What matching needs of a stored item, and what an example line shows."""

    id: int
    title: str
    text: str  # the feed's text and the article's own, as the collector matched them (item_body)
    url: str | None
    published_at: datetime


def count_items(session: Session, since: datetime) -> int:
    """How many items were published since `since` (a rule is tried on a period of news, not of fetching)."""
    return session.scalar(select(func.count()).select_from(Item).where(Item.published_at >= since)) or 0


def items_after(session: Session, since: datetime, after_id: int, limit: int) -> list[StoredText]:
    """The next `limit` items published since `since` with an id above `after_id`, in id order."""
    rows = session.execute(
        select(Item.id, Item.title, Item.text, Item.full_text, Item.url, Item.published_at)
        .where(Item.published_at >= since, Item.id > after_id)
        .order_by(Item.id)
        .limit(limit)
    )
    return [StoredText(i, title, item_body(text, full), url, at) for i, title, text, full, url, at in rows]


def matched_ids(session: Session, topic_id: str, item_ids: list[int]) -> set[int]:
    """Which of these items are stored as matching the topic."""
    if not item_ids:
        return set()
    query = select(Match.item_id).where(Match.topic_id == topic_id, Match.item_id.in_(item_ids))
    return set(session.scalars(query))


def set_topic_matches(
    session: Session, topic_id: str, item_ids: list[int], hits: dict[int, list[dict]]
) -> tuple[int, int]:
    """Make the topic match exactly the items in `hits` among `item_ids`; return (added, removed)."""
    current = matched_ids(session, topic_id, item_ids)
    added = [i for i in item_ids if i in hits and i not in current]
    removed = [i for i in item_ids if i in current and i not in hits]
    if removed:
        session.execute(delete(Match).where(Match.topic_id == topic_id, Match.item_id.in_(removed)))
    if added:
        session.execute(insert(Match), [{"item_id": i, "topic_id": topic_id, "hits": hits[i]} for i in added])
    return len(added), len(removed)
