"""The search queries themselves: FTS5 on SQLite, tsquery over GIN on PostgreSQL, same answers.

Relevance comes in tiers: every searched word or phrase in the title (rank 2), some of them
(rank 1), none (rank 0); within a tier the newest come first, i.e. the highest sort key.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from storage.search_index import pg_quote

# On PostgreSQL a match set smaller than this is fetched whole through the GIN index and sorted;
# a larger one is walked newest first along the sort key until the page is full.
DENSE = 2000

Ranked = list[tuple[int, int]]  # (item id, rank) in page order


@dataclass(frozen=True)
class Criteria:
    """Stems to find (each a word or a phrase), stems to exclude, a sort-key range, tag groups."""

    terms: tuple[tuple[str, ...], ...]
    excluded: tuple[tuple[str, ...], ...]
    low: int
    high: int
    tag_groups: tuple[tuple[str, ...], ...] = ()


def page(session: Session, criteria: Criteria, limit: int, offset: int, cap: int) -> tuple[Ranked, int]:
    """The page's (item id, rank) pairs and the number of matches, counted up to `cap`."""
    if session.get_bind().dialect.name == "sqlite":
        return _Fts5(session, criteria).page(limit, offset, cap)
    return _Postgres(session, criteria).page(limit, offset, cap)


class _Fts5:
    """One FTS5 query per tier, read newest first (the rowid is the sort key) until the page is full."""

    def __init__(self, session: Session, criteria: Criteria):
        self.session, self.criteria = session, criteria
        words = [self._phrase(t, "{title body}") for t in criteria.terms]
        titled = [self._phrase(t, "{title}") for t in criteria.terms]
        full = _all(words, " AND ")
        if criteria.excluded:
            full = f"({full} NOT {_all([self._phrase(t, '{title body}') for t in criteria.excluded], ' OR ')})"
        tags = ["{tags} : " + _all([f'"{tag}"' for tag in group], " OR ") for group in criteria.tag_groups]
        self.full = _all([full, *tags], " AND ")
        all_titled, any_titled = _all(titled, " AND "), _all(titled, " OR ")
        self.tiers = [(2, f"({self.full} AND {all_titled})")]
        if len(titled) > 1:
            self.tiers.append((1, f"(({self.full} AND {any_titled}) NOT {all_titled})"))
        self.tiers.append((0, f"({self.full} NOT {any_titled})"))

    @staticmethod
    def _phrase(stems: tuple[str, ...], columns: str) -> str:
        return f'{columns} : "{" ".join(stems)}"'

    def page(self, limit: int, offset: int, cap: int) -> tuple[Ranked, int]:
        ranked: Ranked = []
        skip = offset
        for rank, match in self.tiers:
            if len(ranked) >= limit:
                break
            ids = self._fetch(match, limit - len(ranked), skip)
            if ids:
                skip = 0
            elif skip:
                skip -= self._count(match, skip)
            ranked.extend((item_id, rank) for item_id in ids)
        return ranked, self._count(self.full, cap)

    def _params(self, match: str) -> dict:
        return {"match": match, "low": self.criteria.low, "high": self.criteria.high}

    _WHERE = "item_fts MATCH :match AND item_fts.rowid >= :low AND item_fts.rowid < :high"

    def _fetch(self, match: str, limit: int, offset: int) -> list[int]:
        sql = (
            "SELECT (SELECT item_id FROM item_search WHERE sort_key = item_fts.rowid) FROM item_fts "
            f"WHERE {self._WHERE} ORDER BY item_fts.rowid DESC LIMIT :limit OFFSET :offset"
        )
        params = self._params(match) | {"limit": limit, "offset": offset}
        return list(self.session.execute(text(sql), params).scalars())

    def _count(self, match: str, cap: int) -> int:
        sql = f"SELECT count(*) FROM (SELECT 1 FROM item_fts WHERE {self._WHERE} LIMIT :cap) AS capped"
        return self.session.execute(text(sql), self._params(match) | {"cap": cap}).scalar_one()


class _Postgres:
    """Counts through the GIN index decide, per tier, between fetching it whole and walking it newest first.

    Title tiers test title_doc, which the GIN index answers exactly, rather than weights,
    which it cannot see.
    """

    _BASE = "s.document @@ CAST(:full AS tsquery) AND s.sort_key >= :low AND s.sort_key < :high"
    _TIERS = {
        2: "s.title_doc @@ CAST(:all_titled AS tsquery)",
        1: "s.title_doc @@ CAST(:any_titled AS tsquery) AND NOT s.title_doc @@ CAST(:all_titled AS tsquery)",
        0: "NOT s.title_doc @@ CAST(:any_titled AS tsquery)",
    }
    _RANK = (
        "CASE WHEN s.title_doc @@ CAST(:all_titled AS tsquery) THEN 2 "
        "WHEN s.title_doc @@ CAST(:any_titled AS tsquery) THEN 1 ELSE 0 END"
    )

    def __init__(self, session: Session, criteria: Criteria):
        self.session, self.criteria = session, criteria
        full = _all([self._phrase(t) for t in criteria.terms], " & ")
        if criteria.excluded:
            full = f"({full} & !{_all([self._phrase(t) for t in criteria.excluded], ' | ')})"
        titled = [self._phrase(t) for t in criteria.terms]
        self.params = {
            "full": full,
            "all_titled": _all(titled, " & "),
            "any_titled": _all(titled, " | "),
            "low": criteria.low,
            "high": criteria.high,
        }
        self.where = self._BASE
        if criteria.tag_groups:
            groups = [_all([pg_quote(tag) for tag in group], " | ") for group in criteria.tag_groups]
            self.params["tags"] = _all(groups, " & ")
            self.where += " AND s.tags @@ CAST(:tags AS tsquery)"
        self.ranks = (2, 1, 0) if len(titled) > 1 else (2, 0)

    @staticmethod
    def _phrase(stems: tuple[str, ...]) -> str:
        return "(" + " <-> ".join(pg_quote(stem) for stem in stems) + ")"

    def page(self, limit: int, offset: int, cap: int) -> tuple[Ranked, int]:
        total = self._count(self.where, max(cap, DENSE))
        if total < DENSE:
            return self._all_ranked(limit, offset), min(total, cap)
        return self._by_tier(limit, offset), min(total, cap)

    def _all_ranked(self, limit: int, offset: int) -> Ranked:
        sql = (
            f"SELECT item_id, rank FROM (SELECT s.item_id, s.sort_key, {self._RANK} AS rank "
            f"FROM item_search AS s WHERE {self.where}) AS hits "
            "ORDER BY rank DESC, sort_key DESC LIMIT :limit OFFSET :offset"
        )
        with _planner(self.session, bitmap=True):
            rows = self.session.execute(text(sql), self.params | {"limit": limit, "offset": offset})
            return [(item_id, rank) for item_id, rank in rows]

    def _by_tier(self, limit: int, offset: int) -> Ranked:
        ranked: Ranked = []
        skip = offset
        for rank in self.ranks:
            if len(ranked) >= limit:
                break
            where = f"{self.where} AND {self._TIERS[rank]}"
            size = self._count(where, DENSE)
            if size < DENSE and size <= skip:
                skip -= size
                continue
            ids = self._fetch(where, limit - len(ranked), skip, walk=size >= DENSE)
            if not ids and skip:  # a deep page past a large tier
                skip -= self._count(where, skip)
                continue
            skip = 0
            ranked.extend((item_id, rank) for item_id in ids)
        return ranked

    def _fetch(self, where: str, limit: int, offset: int, walk: bool) -> list[int]:
        sql = f"SELECT s.item_id FROM item_search AS s WHERE {where} ORDER BY s.sort_key DESC LIMIT :limit OFFSET :offset"
        params = self.params | {"limit": limit, "offset": offset}
        with _planner(self.session, bitmap=not walk):
            return list(self.session.execute(text(sql), params).scalars())

    def _count(self, where: str, cap: int) -> int:
        sql = f"SELECT count(*) FROM (SELECT 1 FROM item_search AS s WHERE {where} LIMIT :cap) AS capped"
        with _planner(self.session, bitmap=True):
            return self.session.execute(text(sql), self.params | {"cap": cap}).scalar_one()


@contextmanager
def _planner(session: Session, bitmap: bool) -> Iterator[None]:
    """Make PostgreSQL use the GIN index (bitmap) or walk the sort key, then restore its settings.

    Its estimates for rare phrases are far off, and a wrong guess costs a scan of every row.
    """
    off = ("enable_seqscan", "enable_indexscan") if bitmap else ("enable_seqscan", "enable_bitmapscan")
    saved = {name: session.execute(text(f"SHOW {name}")).scalar_one() for name in off}
    for name in off:
        session.execute(text("SELECT set_config(:name, 'off', true)"), {"name": name})
    try:
        yield
    finally:
        for name, value in saved.items():
            session.execute(text("SELECT set_config(:name, :value, true)"), {"name": name, "value": value})


def _all(parts: Sequence[str], joiner: str) -> str:
    return "(" + joiner.join(parts) + ")"
