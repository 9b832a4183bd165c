"""Full-text search of stored items: the same parsed query gives the same pages on SQLite and PostgreSQL.

Relevance comes in tiers, identical on both backends: every searched word or phrase in the
title (rank 2), some of them in the title (1), none (0); newest first within a tier, which
is the order of the index's sort keys (storage.search_index).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session, selectinload

from feeds.snippet import Snippet, make_snippet, marked_spans
from storage.models import Item, ItemSource, Source, Topic
from storage.search_index import key_range, lang_tag, pg_quote, source_tag, topic_tag

EXAMPLE = 'ОДКБ "мирные силы" -учения topic:csto since:2022-01-05 until:2022-01-10'
PAGE_SIZE = 5
TOTAL_CAP = 1000  # count matches up to here; past it the total shows as "1000+"


class QueryError(ValueError):
    """A search query the user has to fix; str() is a short explanation and an example."""

    def __init__(self, code: str, reason: str, example: str = EXAMPLE):
        super().__init__(reason)
        self.code, self.reason, self.example = code, reason, example

    def __str__(self) -> str:
        return f"{self.reason}\nExample: {self.example}"


@dataclass(frozen=True)
class Term:
    """A searched word (one stem) or phrase (several stems in a row), with the text the user typed."""

    text: str
    stems: tuple[str, ...]


@dataclass(frozen=True)
class ParsedQuery:
    """What to search for, as feeds.search_query parses it."""

    terms: tuple[Term, ...]
    excluded: tuple[Term, ...] = ()
    topic: str | None = None
    source: str | None = None
    lang: str | None = None
    since: date | None = None
    until: date | None = None

    def marked_stems(self) -> frozenset[str]:
        """The stems to show in bold."""
        return frozenset(stem for term in self.terms for stem in term.stems)


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


@dataclass(frozen=True)
class _Scope:
    """The sort-key range of since:/until:, and the tags an item must have: one of each group."""

    low: int
    high: int
    tag_groups: tuple[tuple[str, ...], ...] = ()


def search(session: Session, query: ParsedQuery, limit: int = PAGE_SIZE, offset: int = 0) -> SearchPage:
    """One page of items matching the query, most relevant and newest first."""
    scope = _scope(session, query)
    backend = _SqliteMatch() if session.get_bind().dialect.name == "sqlite" else _PostgresMatch()
    ranked = _ranked_ids(session, backend, scope, _tiers(backend, query), limit, offset)
    total = _count(session, backend, scope, _full(backend, query), TOTAL_CAP + 1)
    return SearchPage(
        total=min(total, TOTAL_CAP),
        exact=total <= TOTAL_CAP,
        offset=offset,
        results=_hits(session, ranked, query.marked_stems()),
    )


def _scope(session: Session, query: ParsedQuery) -> _Scope:
    low, high = key_range(query.since, query.until)
    groups = []
    if query.lang:
        groups.append((lang_tag(query.lang),))
    if query.topic:
        groups.append((topic_tag(_topic_id(session, query.topic)),))
    if query.source:
        groups.append(tuple(source_tag(i) for i in _source_ids(session, query.source)))
    return _Scope(low=low, high=high, tag_groups=tuple(groups))


def _topic_id(session: Session, wanted: str) -> str:
    topics = list(session.scalars(select(Topic.id).order_by(Topic.id)))
    for topic in topics:
        if topic.casefold() == wanted.casefold():
            return topic
    known = ", ".join(topics[:20]) or "none yet"
    raise QueryError("unknown_topic", f"There is no topic {wanted}. Topics: {known}.")


def _source_ids(session: Session, wanted: str) -> tuple[int, ...]:
    """Sources named `wanted` (any case), else those whose name contains it."""
    sources = session.execute(select(Source.id, Source.name).order_by(Source.name)).all()
    key = wanted.casefold()
    exact = tuple(i for i, name in sources if name.casefold() == key)
    found = exact or tuple(i for i, name in sources if key in name.casefold())
    if found:
        return found
    names = ", ".join(name for _, name in sources[:10]) or "none yet"
    raise QueryError("unknown_source", f"No source is called {wanted}. Sources include: {names}.")


class _SqliteMatch:
    """FTS5 query syntax over the quoted stems; filters are terms of the tags column; the sort key is the rowid."""

    rows = "item_fts"
    key = "item_fts.rowid"
    match = "item_fts MATCH :match"
    tags = None
    item_id = "(SELECT item_id FROM item_search WHERE sort_key = item_fts.rowid)"

    def phrase(self, term: Term, title_only: bool) -> str:
        quoted = '"' + " ".join(term.stems) + '"'
        return f"{{title}} : {quoted}" if title_only else f"{{title body}} : {quoted}"

    def all_of(self, parts: Sequence[str]) -> str:
        return "(" + " AND ".join(parts) + ")"

    def any_of(self, parts: Sequence[str]) -> str:
        return "(" + " OR ".join(parts) + ")"

    def minus(self, kept: str, dropped: str) -> str:
        return f"({kept} NOT {dropped})"

    def restrict(self, match: str, scope: _Scope) -> tuple[str, str | None]:
        """The match with the scope's tags added, and no separate tags query."""
        groups = ["{tags} : " + self.any_of([f'"{tag}"' for tag in group]) for group in scope.tag_groups]
        return (self.all_of([match, *groups]) if groups else match), None


class _PostgresMatch:
    """tsquery syntax over the same stems (title stems carry weight A); filters query the tags column."""

    rows = "item_search AS s"
    key = "s.sort_key"
    match = "s.document @@ CAST(:match AS tsquery)"
    tags = "s.tags @@ CAST(:tags AS tsquery)"
    item_id = "s.item_id"

    def phrase(self, term: Term, title_only: bool) -> str:
        weight = ":A" if title_only else ""
        return "(" + " <-> ".join(pg_quote(stem) + weight for stem in term.stems) + ")"

    def all_of(self, parts: Sequence[str]) -> str:
        return "(" + " & ".join(parts) + ")"

    def any_of(self, parts: Sequence[str]) -> str:
        return "(" + " | ".join(parts) + ")"

    def minus(self, kept: str, dropped: str) -> str:
        return f"({kept} & !{dropped})"

    def restrict(self, match: str, scope: _Scope) -> tuple[str, str | None]:
        """The match as it is, and the tags query beside it."""
        if not scope.tag_groups:
            return match, None
        return match, self.all_of([self.any_of([pg_quote(tag) for tag in group]) for group in scope.tag_groups])


def _full(backend, query: ParsedQuery) -> str:
    """Every term anywhere, no excluded one."""
    wanted = backend.all_of([backend.phrase(t, False) for t in query.terms])
    if not query.excluded:
        return wanted
    return backend.minus(wanted, backend.any_of([backend.phrase(t, False) for t in query.excluded]))


def _tiers(backend, query: ParsedQuery) -> list[tuple[int, str]]:
    """(rank, match expression) from the most relevant down; together they cover _full exactly once."""
    full = _full(backend, query)
    titled = [backend.phrase(t, True) for t in query.terms]
    all_in_title, any_in_title = backend.all_of(titled), backend.any_of(titled)
    tiers = [(2, backend.all_of([full, all_in_title]))]
    if len(titled) > 1:
        tiers.append((1, backend.minus(backend.all_of([full, any_in_title]), all_in_title)))
    tiers.append((0, backend.minus(full, any_in_title)))
    return tiers


def _where(backend, tags: str | None) -> str:
    clauses = [backend.match, f"{backend.key} >= :low", f"{backend.key} < :high"]
    if tags:
        clauses.append(backend.tags)
    return " AND ".join(clauses)


def _params(backend, scope: _Scope, match: str) -> tuple[str, dict]:
    match, tags = backend.restrict(match, scope)
    params = {"match": match, "low": scope.low, "high": scope.high}
    if tags:
        params["tags"] = tags
    return _where(backend, tags), params


def _fetch(session: Session, backend, scope: _Scope, match: str, limit: int, offset: int) -> list[int]:
    where, params = _params(backend, scope, match)
    sql = (
        f"SELECT {backend.item_id} FROM {backend.rows} WHERE {where} "
        f"ORDER BY {backend.key} DESC LIMIT :limit OFFSET :offset"
    )
    return list(session.execute(text(sql), params | {"limit": limit, "offset": offset}).scalars())


def _count(session: Session, backend, scope: _Scope, match: str, cap: int) -> int:
    """How many items match, counting no further than `cap`."""
    where, params = _params(backend, scope, match)
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {backend.rows} WHERE {where} LIMIT :cap) AS capped"
    return session.execute(text(sql), params | {"cap": cap}).scalar_one()


def _ranked_ids(
    session: Session, backend, scope: _Scope, tiers: list[tuple[int, str]], limit: int, offset: int
) -> list[tuple[int, int]]:
    """(item id, rank) of the page, walking the tiers in order and skipping `offset` matches."""
    page: list[tuple[int, int]] = []
    skip = offset
    for rank, match in tiers:
        if len(page) >= limit:
            break
        ids = _fetch(session, backend, scope, match, limit - len(page), skip)
        if ids:
            skip = 0
        elif skip:
            skip -= _count(session, backend, scope, match, skip)
        page.extend((item_id, rank) for item_id in ids)
    return page


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
