"""Full-text search of stored items: the same parsed query gives the same pages on SQLite and PostgreSQL.

Ranked by relevance tiers (the whole query in the title, some of it, none), newest first within
a tier; with sort:relevance the best RELEVANCE_POOL of that order are ranked again by a score
(storage.search.relevance). Copies of one story (the same title within a day) are one result
("and N similar", storage.search.similar). The queries themselves are in storage.search.sql, the index in storage.search.index.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.models import Item, ItemSource, Source
from storage.search.index import flag_tag, item_body, key_range, lang_tag, source_tag, topic_tag
from storage.search.relevance import RELEVANCE_POOL, by_relevance
from storage.search.similar import collapse_similar
from storage.search.snippet import Marks, Snippet, make_snippet
from storage.search.sql import Criteria, page
from storage.search.types import ParsedQuery, QueryError
from storage.sites import on_site, site_of_text
from storage.topics import topic_named, topic_titles

PAGE_SIZE = 5
TOTAL_CAP = 1000  # count matches up to here; past it the total shows as "1000+"
READ_AHEAD = 2  # read this many times the items a page needs, to fold similar ones into it


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
    similar: int = 0  # items with the same title folded into this one


@dataclass(frozen=True)
class SearchPage:
    """A page of hits; `total` counts items, exactly unless `exact` is False (then more than TOTAL_CAP).

    `pages` is the number of pages of results, similar items folded; an upper bound while the
    matches have not all been read.
    """

    total: int
    exact: bool
    offset: int
    results: list[SearchHit] = field(default_factory=list)
    has_next: bool = False
    pages: int = 1


def search(
    session: Session, query: ParsedQuery, limit: int = PAGE_SIZE, offset: int = 0, fold_similar: bool = True
) -> SearchPage:
    """One page of results matching the query; fold_similar=False lists every item in index order."""
    criteria = _criteria(session, query)
    marks = Marks(query.terms)
    if not fold_similar:
        ranked, total = page(session, criteria, limit, offset, TOTAL_CAP + 1)
        hits = _hits(session, [(item_id, rank, 0) for item_id, rank in ranked], marks)
        return _page(total, offset, hits, offset + len(hits) < total or total > TOTAL_CAP, limit)
    wanted = offset + limit + 1  # one result more tells whether a next page exists
    read = max(READ_AHEAD * wanted, RELEVANCE_POOL if query.sort == "relevance" else 0)
    while True:
        ranked, total = page(session, criteria, read, 0, TOTAL_CAP + 1)
        if query.sort == "relevance":
            ranked = by_relevance(session, ranked[:RELEVANCE_POOL], marks) + ranked[RELEVANCE_POOL:]
        groups = collapse_similar(session, ranked)
        if len(groups) >= wanted or len(ranked) < read or read > TOTAL_CAP:
            break
        read = min(2 * read, TOTAL_CAP + 1)
    shown = groups[offset : offset + limit]
    hits = _hits(session, [(g.item_id, g.rank, g.similar) for g in shown], marks)
    unread = min(total, TOTAL_CAP) - len(ranked)
    return _page(total, offset, hits, len(groups) > offset + limit, limit, len(groups) + max(0, unread))


def _page(total: int, offset: int, hits: list[SearchHit], has_next: bool, limit: int, results: int = 0) -> SearchPage:
    pages = max(1, -(-(results or total) // limit), offset // limit + 1 + has_next)
    return SearchPage(min(total, TOTAL_CAP), total <= TOTAL_CAP, offset, hits, has_next, pages)


def _criteria(session: Session, query: ParsedQuery) -> Criteria:
    """The query in index terms: its tree of stems, its sort-key range, its filters as tag groups."""
    low, high = key_range(query.since, query.until)
    groups = []
    if query.lang:
        groups.append((lang_tag(query.lang),))
    if query.topic:
        groups.append((topic_tag(_topic_id(session, query.topic)),))
    if query.source:
        groups.append(tuple(source_tag(i) for i in _source_ids(session, query.source)))
    groups += [(flag_tag(flag),) for flag in query.flags]
    return Criteria(tree=query.tree, low=low, high=high, tag_groups=tuple(groups))


def _topic_id(session: Session, wanted: str) -> str:
    titles = topic_titles(session)
    found = topic_named(titles, wanted)
    if found:
        return found
    raise QueryError("unknown_topic", wanted, known=", ".join(list(titles)[:20]) or "—")


def _source_ids(session: Session, wanted: str) -> tuple[int, ...]:
    """Sources named `wanted` (any case), else those on the site it names (kaztag.kz), else those
    whose name contains it."""
    sources = session.execute(select(Source.id, Source.name, Source.url).order_by(Source.name)).all()
    key = wanted.casefold()
    site = site_of_text(wanted) if "." in wanted else ""
    exact = tuple(i for i, name, _ in sources if name.casefold() == key)
    found = (
        exact
        or tuple(i for i, _, url in sources if on_site(url, site))
        or tuple(i for i, name, _ in sources if key in name.casefold())
    )
    if found:
        return found
    raise QueryError("unknown_source", wanted, names=", ".join(name for _, name, _ in sources[:10]) or "—")


def _hits(session: Session, shown: list[tuple[int, int, int]], marks: Marks) -> list[SearchHit]:
    """Hits for (item id, rank, similar count) in this order."""
    if not shown:
        return []
    items = session.scalars(
        select(Item)
        .where(Item.id.in_([item_id for item_id, _, _ in shown]))
        .options(selectinload(Item.origins).selectinload(ItemSource.source))
    )
    by_id = {item.id: item for item in items}
    return [_hit(by_id[item_id], rank, similar, marks) for item_id, rank, similar in shown if item_id in by_id]


def _hit(item: Item, rank: int, similar: int, marks: Marks) -> SearchHit:
    return SearchHit(
        item_id=item.id,
        rank=rank,
        title=item.title,
        url=item.url,
        published_at=item.published_at,
        sources=tuple(sorted({origin.source.name for origin in item.origins})),
        snippet=make_snippet(item_body(item.text, item.full_text) or item.title, marks),
        title_spans=tuple(marks.spans(item.title)),
        similar=similar,
    )
