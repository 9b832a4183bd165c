"""items link to their canonical URL; matches keep each term's first 20 places

Items without a link of their own were given their feed's URL; they lose it. Items stored before
showed and exported the source's raw link (with ?utm_source=..., fbclid=...); their url becomes
the canonical one and the raw link moves to extra["raw_url"]. Matches stored
every place a term was found (millions for an item repeating a word); they keep each term's
first 20 places, the last one counting the others in "more", as feeds.matching does now.

Revision ID: 0008
Revises: 0007
"""
from collections import Counter

from alembic import op
import sqlalchemy as sa

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH = 500
PLACES_PER_TERM = 20  # feeds.matching.results.PLACES_PER_TERM when this was written

items = sa.table(
    "items", sa.column("id", sa.Integer), sa.column("url", sa.String), sa.column("canonical_url", sa.String),
    sa.column("extra", sa.JSON),
)
sources = sa.table("sources", sa.column("url", sa.String))
matches = sa.table("matches", sa.column("item_id", sa.Integer), sa.column("topic_id", sa.String), sa.column("hits", sa.JSON))


def upgrade() -> None:
    connection = op.get_bind()
    given_feed_url = items.c.url.in_(sa.select(sources.c.url))
    connection.execute(items.update().where(given_feed_url).values(url=None, canonical_url=None))
    _canonical_links(connection)
    _bounded_hits(connection)


def _canonical_links(connection) -> None:
    differs = sa.and_(items.c.canonical_url.is_not(None), items.c.url.is_distinct_from(items.c.canonical_url))
    last_id = 0
    while True:
        query = sa.select(items).where(differs, items.c.id > last_id).order_by(items.c.id).limit(BATCH)
        rows = connection.execute(query).all()
        if not rows:
            return
        update = items.update().where(items.c.id == sa.bindparam("row_id"))
        connection.execute(
            update.values(url=sa.bindparam("new_url"), extra=sa.bindparam("new_extra")),
            [{"row_id": row.id, "new_url": row.canonical_url, "new_extra": _with_raw_url(row)} for row in rows],
        )
        last_id = rows[-1].id


def _with_raw_url(row) -> dict | None:
    extra = dict(row.extra or {})
    if row.url:
        extra["raw_url"] = row.url
    return extra or None


def _bounded_hits(connection) -> None:
    too_many = sa.func.json_array_length(matches.c.hits) > PLACES_PER_TERM
    keys = connection.execute(sa.select(matches.c.item_id, matches.c.topic_id).where(too_many)).all()
    for item_id, topic_id in keys:
        where = sa.and_(matches.c.item_id == item_id, matches.c.topic_id == topic_id)
        hits = connection.execute(sa.select(matches.c.hits).where(where)).scalar_one()
        connection.execute(matches.update().where(where).values(hits=_kept_places(hits)))


def _kept_places(hits: list[dict]) -> list[dict]:
    """Each term's first places in stored order; the last one kept counts the others."""
    kept: list[dict] = []
    total: Counter = Counter()
    listed: Counter = Counter()
    last: dict = {}
    for hit in hits:
        term = hit.get("term")
        total[term] += 1 + hit.get("more", 0)
        if listed[term] < PLACES_PER_TERM:
            listed[term] += 1
            last[term] = len(kept)
            kept.append({key: value for key, value in hit.items() if key != "more"})
    for term, count in total.items():
        if count > listed[term]:
            kept[last[term]]["more"] = count - listed[term]
    return kept


def downgrade() -> None:
    pass  # the raw links stay in extra["raw_url"]; the places not kept are gone
