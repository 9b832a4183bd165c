"""One story at several addresses: found items with the same title, once normalized, within a day of
the first of them, are one result (as digests merge stories, bot.delivery.digest)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Item
from storage.search.textindex import WORD, normalize

CHUNK = 500  # ids per query
# A title that comes back days later ("Главное за день") is another story, not a copy.
SAME_STORY_WINDOW = timedelta(days=1)


@dataclass
class Similar:
    """The first item of a group in result order, its rank, and how many more share its story."""

    item_id: int
    rank: int
    published_at: datetime | None = None
    similar: int = 0


def title_key(title: str) -> str:
    """A title without case, punctuation or spacing differences ("" never groups)."""
    return " ".join(WORD.findall(normalize(title or "")))


def collapse_similar(session: Session, ranked: Sequence[tuple[int, int]]) -> list[Similar]:
    """(item id, rank) in result order, folded: each story once, where it first comes."""
    rows = _titles_and_dates(session, [item_id for item_id, _ in ranked])
    groups: list[Similar] = []
    by_key: dict[str, Similar] = {}
    for item_id, rank in ranked:
        title, published_at = rows.get(item_id, ("", None))
        key = title_key(title)
        first = by_key.get(key) if key else None
        if first and _within_a_day(first.published_at, published_at):
            first.similar += 1
            continue
        group = Similar(item_id, rank, published_at)
        groups.append(group)
        if key:
            by_key[key] = group
    return groups


def _within_a_day(first: datetime | None, other: datetime | None) -> bool:
    return first is not None and other is not None and abs(first - other) <= SAME_STORY_WINDOW


def _titles_and_dates(session: Session, ids: list[int]) -> dict[int, tuple[str, datetime]]:
    """Item id -> (title, published at)."""
    found: dict[int, tuple[str, datetime]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows = session.execute(select(Item.id, Item.title, Item.published_at).where(Item.id.in_(chunk)))
        found.update((i, (title, published)) for i, title, published in rows)
    return found
