"""Full-text search of stored items: the same parsed query gives the same pages on SQLite and PostgreSQL.

Ranked by relevance tiers (every searched word in the title, some, none), newest first within
a tier; the queries themselves are in storage.search.sql, the index in storage.search.index.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.models import Item, ItemSource, Source
from storage.search.index import key_range, lang_tag, source_tag, topic_tag
from storage.search.snippet import Snippet, make_snippet, marked_spans
from storage.search.sql import Criteria, page
from storage.search.types import ParsedQuery, QueryError
from storage.topics import topic_named, topic_titles

PAGE_SIZE = 5
TOTAL_CAP = 1000  # count matches up to here; past it the total shows as "1000+"


@dataclass(frozen=True)
class SearchHit:
    """One found item, ready to show: spans mark the searched words in the title and snippet."""

    item_id: int
    rank: int
    title: str
    url: str | None
    published_at: datetime
    sources: tuple[str, ...]
    snippet: Snippet
    title_spans: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class SearchPage:
    """A page of hits; `total` is exact unless `exact` is False (then there are more than TOTAL_CAP)."""

    total: int
    exact: bool
    offset: int
    results: list[SearchHit] = field(default_factory=list)

    @property
    def has_next(self) -> bool:
        """Whether a Next button leads somewhere."""
        return self.offset + len(self.results) < self.total or not self.exact


def search(session: Session, query: ParsedQuery, limit: int = PAGE_SIZE, offset: int = 0) -> SearchPage:
    """One page of items matching the query, most relevant and newest first."""
    ranked, total = page(session, _criteria(session, query), limit, offset, TOTAL_CAP + 1)
    return SearchPage(
        total=min(total, TOTAL_CAP),
        exact=total <= TOTAL_CAP,
        offset=offset,
        results=_hits(session, ranked, query.marked_stems()),
    )


def _criteria(session: Session, query: ParsedQuery) -> Criteria:
    """The query in index terms: its stems, its sort-key range, its filters as tag groups."""
    low, high = key_range(query.since, query.until)
    groups = []
    if query.lang:
        groups.append((lang_tag(query.lang),))
    if query.topic:
        groups.append((topic_tag(_topic_id(session, query.topic)),))
    if query.source:
        groups.append(tuple(source_tag(i) for i in _source_ids(session, query.source)))
    return Criteria(
        terms=tuple(t.stems for t in query.terms),
        excluded=tuple(t.stems for t in query.excluded),
        low=low,
        high=high,
        tag_groups=tuple(groups),
    )


def _topic_id(session: Session, wanted: str) -> str:
    titles = topic_titles(session)
    found = topic_named(titles, wanted)
    if found:
        return found
    raise QueryError("unknown_topic", wanted, known=", ".join(list(titles)[:20]) or "—")


def _source_ids(session: Session, wanted: str) -> tuple[int, ...]:
    """Sources named `wanted` (any case), else those whose name contains it."""
    sources = session.execute(select(Source.id, Source.name).order_by(Source.name)).all()
    key = wanted.casefold()
    exact = tuple(i for i, name in sources if name.casefold() == key)
    found = exact or tuple(i for i, name in sources if key in name.casefold())
    if found:
        return found
    raise QueryError("unknown_source", wanted, names=", ".join(name for _, name in sources[:10]) or "—")


def _hits(session: Session, ranked: list[tuple[int, int]], marked: frozenset[str]) -> list[SearchHit]:
    if not ranked:
        return []
    items = session.scalars(
        select(Item)
        .where(Item.id.in_([item_id for item_id, _ in ranked]))
        .options(selectinload(Item.origins).selectinload(ItemSource.source))
    )
    by_id = {item.id: item for item in items}
    return [_hit(by_id[item_id], rank, marked) for item_id, rank in ranked if item_id in by_id]


def _hit(item: Item, rank: int, marked: frozenset[str]) -> SearchHit:
    return SearchHit(
        item_id=item.id,
        rank=rank,
        title=item.title,
        url=item.url,
        published_at=item.published_at,
        sources=tuple(sorted({origin.source.name for origin in item.origins})),
        snippet=make_snippet(item.text or item.title, marked),
        title_spans=tuple(marked_spans(item.title, marked)),
    )
