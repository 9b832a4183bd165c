"""The search queries themselves: FTS5 on SQLite, tsquery over GIN on PostgreSQL, same answers.

Relevance comes in tiers: the whole query found in the title (rank 2), some searched word or
phrase there (rank 1), none (rank 0); within a tier the newest come first, i.e. the highest sort
key. Both backends get the same tree of quoted stems: a term is its spellings OR-ed together.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from storage.search.index import key_range, pg_quote
from storage.search.types import Node, Term, leaves

# On PostgreSQL, a walk along the sort key for a page reads at most WALK_ROWS of the newest rows
# (about 1 us each) and is tried when the planner expects WALK_SHARE of the rows to match, enough
# to find a page of 5 there; a walk to count 1001 matches likewise, with COUNT_WALK_*.
WALK_ROWS = 4000
WALK_SHARE = 0.002
COUNT_WALK_ROWS = 12_000
COUNT_WALK_SHARE = 0.1
_TABLE_ROWS = "SELECT reltuples FROM pg_class WHERE oid = 'item_search'::regclass"

Ranked = list[tuple[int, int]]  # (item id, rank) in page order


@dataclass(frozen=True)
class Criteria:
    """The query's tree of terms (None: tags alone), a sort-key range, tag groups (each: one of these tags)."""

    tree: Node | None
    low: int
    high: int
    tag_groups: tuple[tuple[str, ...], ...] = ()

    @property
    def terms(self) -> tuple[Term, ...]:
        """The terms whose presence is searched for."""
        return tuple(dict.fromkeys(leaves(self.tree)))


def _render(node: Node, leaf, and_: str, or_: str, not_, positive_only: bool = False) -> str:
    """A tree as a query string of one backend: `leaf(term)` renders a term, `not_(a, b)` a AND NOT b."""
    if isinstance(node, Term):
        return leaf(node)
    parts = [_render(n, leaf, and_, or_, not_, positive_only) for n in node.operands]
    joined = _all(parts, and_ if node.op == "and" else or_)
    if node.excluded and not positive_only:
        return not_(joined, _all([_render(n, leaf, and_, or_, not_) for n in node.excluded], or_))
    return joined


def page(session: Session, criteria: Criteria, limit: int, offset: int, cap: int) -> tuple[Ranked, int]:
    """The page's (item id, rank) pairs and the number of matches, counted up to `cap`."""
    if session.get_bind().dialect.name == "sqlite":
        return _Fts5(session, criteria).page(limit, offset, cap)
    return _Postgres(session, criteria).page(limit, offset, cap)


class _Fts5:
    """One FTS5 query per tier, read newest first (the rowid is the sort key) until the page is full."""

    def __init__(self, session: Session, criteria: Criteria):
        self.session, self.criteria = session, criteria
        tags = ["{tags} : " + _all([f'"{tag}"' for tag in group], " OR ") for group in criteria.tag_groups]
        if criteria.tree is None:
            self.full = _all(tags, " AND ")
            self.tiers = [(0, self.full)]
            return
        self.full = _all([self._tree(criteria.tree, "{title body}"), *tags], " AND ")
        all_titled = self._tree(criteria.tree, "{title}", positive_only=True)
        any_titled = _all([self._term(t, "{title}") for t in criteria.terms], " OR ")
        self.tiers = [(2, f"({self.full} AND {all_titled})")]
        if len(criteria.terms) > 1:
            self.tiers.append((1, f"(({self.full} AND {any_titled}) NOT {all_titled})"))
        self.tiers.append((0, f"({self.full} NOT {any_titled})"))

    @classmethod
    def _tree(cls, node: Node, columns: str, positive_only: bool = False) -> str:
        return _render(
            node, lambda term: cls._term(term, columns), " AND ", " OR ", lambda a, b: f"({a} NOT {b})", positive_only
        )

    @staticmethod
    def _term(term: Term, columns: str) -> str:
        """`{columns} : ("stem stem" OR "stem" * ...)`: a phrase string per spelling, a prefix starred."""
        phrases = []
        for stems in term.alternatives:
            star = " *" if stems[-1].endswith("*") else ""
            phrases.append('"' + " ".join(stems).removesuffix("*").replace('"', '""') + '"' + star)
        return f"{columns} : " + _all(phrases, " OR ")

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
    """A small match set is read whole through the GIN index and sorted; a large one is walked.

    Which is which comes from the planner's estimate, then from a count through the GIN index
    (words and tags need no row for it). A large set's page is found fastest by walking the sort
    key newest first, tier by tier; walks are bounded (WALK_ROWS, COUNT_WALK_ROWS) so that a wrong
    estimate, and the planner's can be far off for phrases and filters, costs little before the
    GIN index answers instead. Title tiers test title_doc, which the GIN index answers exactly,
    rather than weights, which it cannot see.
    """

    _RANGE = "s.sort_key >= :low AND s.sort_key < :high"
    _TIERS = {
        2: "s.title_doc @@ CAST(:all_titled AS tsquery)",
        1: "s.title_doc @@ CAST(:any_titled AS tsquery) AND NOT s.title_doc @@ CAST(:all_titled AS tsquery)",
        0: "NOT s.title_doc @@ CAST(:any_titled AS tsquery)",
    }
    _NEWEST = f"(SELECT * FROM item_search AS s WHERE {_RANGE} ORDER BY s.sort_key DESC LIMIT :walk) AS s"
    _TITLED = "s.title_doc @@ CAST(:any_titled AS tsquery)"
    _RANK = (
        "CASE WHEN s.title_doc @@ CAST(:all_titled AS tsquery) THEN 2 "
        "WHEN s.title_doc @@ CAST(:any_titled AS tsquery) THEN 1 ELSE 0 END"
    )

    def __init__(self, session: Session, criteria: Criteria):
        self.session, self.criteria = session, criteria
        titled = [self._term(t) for t in criteria.terms]
        self.params = {"low": criteria.low, "high": criteria.high}
        if criteria.tree is not None:
            self.params |= {
                "full": self._tree(criteria.tree),
                "all_titled": self._tree(criteria.tree, positive_only=True),
                "any_titled": _all(titled, " | "),
            }
        every = list(leaves(criteria.tree)) + list(leaves(criteria.tree, positive=False))
        self.phrased = any(len(stems) > 1 for term in every for stems in term.alternatives)
        # Without since:/until: the range is left out, so a count needs the GIN index alone.
        self.scope = self._RANGE if (criteria.low, criteria.high) != key_range(None, None) else "TRUE"
        if criteria.tag_groups:
            groups = [_all([pg_quote(tag) for tag in group], " | ") for group in criteria.tag_groups]
            self.params["tags"] = _all(groups, " & ")
            self.scope += " AND s.tags @@ CAST(:tags AS tsquery)"
        if criteria.tree is None:  # tags alone: one tier, no title to rank by
            self.where, self.ranks, self.tiers, self.rank = self.scope, (0,), {0: "TRUE"}, "0"
        else:
            self.where = f"s.document @@ CAST(:full AS tsquery) AND {self.scope}"
            self.ranks, self.tiers, self.rank = (2, 1, 0) if len(titled) > 1 else (2, 0), self._TIERS, self._RANK
        self.rows = max(1.0, session.execute(text(_TABLE_ROWS)).scalar_one() or 0.0)

    @classmethod
    def _tree(cls, node: Node, positive_only: bool = False) -> str:
        return _render(node, cls._term, " & ", " | ", lambda a, b: f"({a} & !{b})", positive_only)

    @staticmethod
    def _term(term: Term) -> str:
        """Each spelling as lexemes in a row (a prefix with :*), OR-ed together."""
        phrases = []
        for stems in term.alternatives:
            lexemes = [pg_quote(stem.removesuffix("*")) + (":*" if stem.endswith("*") else "") for stem in stems]
            phrases.append("(" + " <-> ".join(lexemes) + ")")
        return _all(phrases, " | ")

    def page(self, limit: int, offset: int, cap: int) -> tuple[Ranked, int]:
        share = self._share(self.where)
        if share >= COUNT_WALK_SHARE:
            return self._by_tier(limit, offset), self._count(self.where, cap, share)
        # Words and tags the GIN index answers alone, so counting them reads no rows; a phrase's
        # candidates must be read to check positions, so read them once, with their ranks.
        if not self.phrased and self._count(self.where, cap, share) == cap:
            return self._by_tier(limit, offset), cap
        found = self._all_matches(cap)
        if len(found) == cap:
            return self._by_tier(limit, offset), cap
        found.sort(key=lambda m: (-m[1], -m[2]))
        return [(item_id, rank) for item_id, rank, _ in found[offset : offset + limit]], len(found)

    def _all_matches(self, cap: int) -> list[tuple[int, int, int]]:
        """(item id, rank, sort key) of up to `cap` matches, through the GIN index."""
        sql = f"SELECT s.item_id, {self.rank}, s.sort_key FROM item_search AS s WHERE {self.where} LIMIT :cap"
        with _planner(self.session, walk=False):
            return [tuple(row) for row in self.session.execute(text(sql), self.params | {"cap": cap})]

    def _by_tier(self, limit: int, offset: int) -> Ranked:
        ranked: Ranked = []
        skip = offset
        for rank in self.ranks:
            if len(ranked) >= limit:
                break
            where = f"{self.where} AND {self.tiers[rank]}"
            # The planner multiplies the odds of the text and the title matching as if unrelated;
            # a title match implies a text match, so guess a title tier's size from the title alone.
            share = self._share(f"{self._TITLED} AND {self.scope}" if rank else where)
            ids = self._fetch(where, limit - len(ranked), skip, share)
            if ids:
                skip = 0
            elif skip:
                skip -= self._count(where, skip, share)
            ranked.extend((item_id, rank) for item_id in ids)
        return ranked

    def _share(self, where: str) -> float:
        """The planner's guess of the share of rows matching."""
        plan = self.session.execute(
            text(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM item_search AS s WHERE {where}"), self.params
        ).scalar_one()
        return plan[0]["Plan"]["Plan Rows"] / self.rows

    def _fetch(self, where: str, limit: int, offset: int, share: float) -> list[int]:
        params = self.params | {"limit": limit, "offset": offset, "walk": WALK_ROWS}
        order = "ORDER BY s.sort_key DESC LIMIT :limit OFFSET :offset"
        if share >= WALK_SHARE:
            with _planner(self.session, walk=True):
                ids = self.session.execute(text(f"SELECT s.item_id FROM {self._NEWEST} WHERE {where} {order}"), params)
                found = list(ids.scalars())
            if len(found) == limit:
                return found
        with _planner(self.session, walk=False):
            ids = self.session.execute(text(f"SELECT s.item_id FROM item_search AS s WHERE {where} {order}"), params)
            return list(ids.scalars())

    def _count(self, where: str, cap: int, share: float) -> int:
        params = self.params | {"cap": cap, "walk": COUNT_WALK_ROWS}
        if share >= COUNT_WALK_SHARE:
            with _planner(self.session, walk=True):
                sql = f"SELECT count(*) FROM (SELECT 1 FROM {self._NEWEST} WHERE {where} LIMIT :cap) AS capped"
                if self.session.execute(text(sql), params).scalar_one() == cap:
                    return cap
        with _planner(self.session, walk=False):
            sql = f"SELECT count(*) FROM (SELECT 1 FROM item_search AS s WHERE {where} LIMIT :cap) AS capped"
            return self.session.execute(text(sql), params).scalar_one()


@contextmanager
def _planner(session: Session, walk: bool) -> Iterator[None]:
    """Make PostgreSQL walk the sort key's index or use the GIN index, then restore its settings."""
    names = {"a": "enable_seqscan", "b": "enable_bitmapscan" if walk else "enable_indexscan"}
    saved = session.execute(text("SELECT current_setting(:a), current_setting(:b)"), names).one()
    session.execute(text("SELECT set_config(:a, 'off', true), set_config(:b, 'off', true)"), names)
    try:
        yield
    finally:
        values = names | {"va": saved[0], "vb": saved[1]}
        session.execute(text("SELECT set_config(:a, :va, true), set_config(:b, :vb, true)"), values)


def _all(parts: Sequence[str], joiner: str) -> str:
    return "(" + joiner.join(parts) + ")"
