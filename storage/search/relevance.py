"""sort:relevance: a score of where the searched terms stand, how often, and how new the item is.

It is computed here from the items' own titles and texts, with the Marks that put the words in
bold, rather than by FTS5's bm25 or PostgreSQL's ts_rank, which weigh differently: so both
backends give the same order, and what ranks an item is what the user sees marked in it.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Item
from storage.search.snippet import Marks

RELEVANCE_POOL = 100  # the first matches in the usual order that sort:relevance ranks again
SCORED_CHARS = 5000  # of an item's text, where the terms are counted
TITLE_WEIGHT = 2.0  # all terms in the title outweigh any count in the text
SATURATION = 1.5  # a term found this often in the text earns half of what it can
RECENCY_DAYS = 7.0  # an item this much older than the newest one keeps half its freshness


def by_relevance(session: Session, ranked: Sequence[tuple[int, int]], marks: Marks) -> list[tuple[int, int]]:
    """(item id, rank) ordered by score, best first; equal scores keep their order."""
    if not ranked:
        return []
    rows = session.execute(
        select(Item.id, Item.title, Item.text, Item.published_at).where(Item.id.in_([i for i, _ in ranked]))
    ).all()
    newest = max(published for _, _, _, published in rows)
    scores = {item_id: _score(marks, title, text, newest, published) for item_id, title, text, published in rows}
    return sorted(ranked, key=lambda pair: -scores.get(pair[0], 0.0))


def _score(marks: Marks, title: str, text: str | None, newest: datetime, published: datetime) -> float:
    terms = max(1, len(marks.terms))
    in_title = set(marks.numbers(title or ""))
    counts = Counter(marks.numbers((text or "")[:SCORED_CHARS]))
    frequency = sum(count / (count + SATURATION) for count in counts.values()) / terms
    age_days = (newest - published).total_seconds() / 86400
    return TITLE_WEIGHT * len(in_title) / terms + frequency + 1 / (1 + age_days / RECENCY_DAYS)
