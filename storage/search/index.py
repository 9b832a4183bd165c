"""The full-text index of items: an FTS5 table on SQLite, a tsvector with a GIN index on PostgreSQL.

Both hold the same stems from storage.search.textindex, the analyzer the queries use too.
Rows are keyed by a sort key, the published second shifted left by 20 bits plus a slot for
items of the same second, so "newest first" is the index's own order and a search can stop
after one page instead of sorting every match. Filters are index terms too, in a separate
column of tags (lang, sources, topics) that triggers keep up to date when an item gains a
source or its topics change, so a filtered search never joins row by row.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import Connection, inspect, text
from sqlalchemy.orm import Session

from storage.search.textindex import MAX_BODY_TOKENS, MAX_TITLE_TOKENS, index_text

SLOT_BITS = 20
SLOTS = 1 << SLOT_BITS
INDEX_LOCK = 0x646F7A6F72  # the advisory lock serializing sort-key allocation on PostgreSQL
BATCH = 2000
GIN_INDEX = "ix_item_search_document"
CREATE_GIN_INDEX = f"CREATE INDEX {GIN_INDEX} ON item_search USING gin (document, title_doc, tags)"
_POSITIONS = [str(n) for n in range(MAX_TITLE_TOKENS + MAX_BODY_TOKENS + 2)]


@dataclass(frozen=True)
class IndexRow:
    """What the index needs of one item."""

    item_id: int
    published_at: datetime
    lang: str | None
    title: str
    text: str
    stems: tuple[str, str] | None = None  # index_fields(title, text), when the caller made them already
    source_ids: tuple[int, ...] | None = None  # with topic_ids: the item's sources and topics, if known already
    topic_ids: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()  # with source_ids: the item's FLAGS that hold


def second_key(moment: datetime) -> int:
    """The first sort key of the second `moment` falls in (times before 1970 share key 0)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0, int(moment.timestamp())) << SLOT_BITS


def key_range(since: date | None, until: date | None) -> tuple[int, int]:
    """Sort keys from the start of `since` to the end of `until` (UTC days, both included)."""
    low = second_key(datetime.combine(since, time(), timezone.utc)) if since else 0
    high = second_key(datetime.combine(until + timedelta(days=1), time(), timezone.utc)) if until else 1 << 62
    return low, high


def lang_tag(lang: str) -> str:
    """The index tag of a language ("uk", "ru-RU" -> "lru")."""
    return "l" + clean_lang(lang)


def clean_lang(lang: str) -> str:
    """The primary subtag, lower-case, letters and digits only, as item_search.lang keeps it."""
    return "".join(ch for ch in lang.lower().replace("_", "-").split("-")[0] if ch.isalnum())


def source_tag(source_id: int) -> str:
    return f"s{source_id}"


def topic_tag(topic_id: str) -> str:
    """Hex keeps any topic id one token on both backends."""
    return "t" + topic_id.encode().hex()


FLAGS = ("edited", "deleted")  # what /search is: asks for; kept as tags by migration 0017's triggers


def flag_tag(flag: str) -> str:
    """The index tag of an item's state: xedited, xdeleted."""
    return "x" + flag


def index_items(session: Session, rows: Sequence[IndexRow]) -> None:
    """Add freshly stored items to the index in one bulk insert."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        # Concurrent stores would read the same last key of a second and insert it twice; on
        # SQLite writers are serialized already. Held until commit, taken after the store's other writes.
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": INDEX_LOCK})
    rows = sorted(rows, key=lambda r: r.item_id)
    keys = _allocate_keys(connection, [second_key(r.published_at) for r in rows])
    _insert(connection, zip(keys, rows))


def rebuild_index(connection: Connection) -> int:
    """Index every stored item afresh, in published order; return how many."""
    connection.execute(text("DELETE FROM item_search"))
    postgres = connection.dialect.name != "sqlite"
    if postgres:  # building the GIN index once at the end is much faster than growing it row by row
        connection.execute(text(f"DROP INDEX IF EXISTS {GIN_INDEX}"))
    # Migration 0002 rebuilds the index too, before the columns of 0017 exist.
    evidence = "full_text" in {column["name"] for column in inspect(connection).get_columns("items")}
    result = connection.execute(
        text(f"SELECT id, published_at, lang, title, text, {'full_text' if evidence else 'NULL'} FROM items"
             " ORDER BY published_at, id"),
        execution_options={"yield_per": BATCH},
    )
    count, second, batch = 0, [], []
    for item_id, published, lang, title, body, full_text in result:
        row = IndexRow(item_id, _as_datetime(published), lang, title, item_body(body, full_text))
        if second and second_key(row.published_at) != second_key(second[0].published_at):
            batch.extend(_keyed_second(second))
            second = []
            if len(batch) >= BATCH:
                count += _insert(connection, batch, evidence)
                batch = []
        second.append(row)
    count += _insert(connection, batch + _keyed_second(second), evidence)
    if postgres:
        connection.execute(text(CREATE_GIN_INDEX))
    else:
        connection.execute(text("INSERT INTO item_fts (item_fts) VALUES ('optimize')"))
    return count


def _keyed_second(rows: list[IndexRow]) -> list[tuple[int, IndexRow]]:
    """Keys for the items of one second, in id order as if they had been indexed one by one."""
    rows = sorted(rows, key=lambda r: r.item_id)
    return [(second_key(r.published_at) + slot, r) for slot, r in enumerate(rows)]


def _as_datetime(value) -> datetime:
    # Raw SQL on SQLite returns the stored text, not a datetime.
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _allocate_keys(connection: Connection, bases: list[int]) -> list[int]:
    """Sort keys for new items: after every item already indexed in the same second, in id order."""
    taken = _last_keys(connection, sorted(set(bases)))
    keys = []
    for base in bases:
        key = taken.get(base, base - 1) + 1
        if key >= base + SLOTS:
            raise OverflowError(f"more than {SLOTS} items published in one second")
        taken[base] = key
        keys.append(key)
    return keys


def _last_keys(connection: Connection, bases: list[int]) -> dict[int, int]:
    last: dict[int, int] = {}
    for start in range(0, len(bases), 200):
        chunk = bases[start : start + 200]
        ranges = " OR ".join(f"(sort_key >= {b} AND sort_key < {b + SLOTS})" for b in chunk)
        for (key,) in connection.execute(text(f"SELECT sort_key FROM item_search WHERE {ranges}")):
            base = key >> SLOT_BITS << SLOT_BITS
            last[base] = max(last.get(base, key), key)
    return last


def _insert(connection: Connection, keyed: Iterable[tuple[int, IndexRow]], flags: bool = True) -> int:
    keyed = list(keyed)
    if not keyed:
        return 0
    tags = _tags(connection, [r for _, r in keyed], flags)
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(
            "INSERT INTO item_search (sort_key, item_id, lang, title, body, tags) VALUES (?, ?, ?, ?, ?, ?)",
            [(key, r.item_id, _lang(r), *index_fields(r), " ".join(tags[r.item_id])) for key, r in keyed],
        )
    else:
        columns = "sort_key, item_id, lang, document, title_doc, tags"
        with connection.connection.driver_connection.cursor() as cursor:
            with cursor.copy(f"COPY item_search ({columns}) FROM STDIN") as copy:
                for key, r in keyed:
                    title, body = index_fields(r)
                    row_tags = " ".join(map(pg_quote, tags[r.item_id]))
                    copy.write_row(
                        (key, r.item_id, _lang(r), tsvector_literal(title, body), tsvector_literal(title, ""), row_tags)
                    )
    return len(keyed)


def _lang(row: IndexRow) -> str | None:
    return (clean_lang(row.lang) or None) if row.lang else None


def _tags(connection: Connection, rows: list[IndexRow], flags: bool = True) -> dict[int, list[str]]:
    """Item id -> its filter tags: language, sources and topics, as the triggers compute them."""
    tags = {r.item_id: [lang_tag(r.lang)] if _lang(r) else [] for r in rows}
    for row in rows:
        if row.source_ids is not None:
            tags[row.item_id] += [source_tag(s) for s in sorted(set(row.source_ids))]
            tags[row.item_id] += [topic_tag(t) for t in sorted(set(row.topic_ids))]
            tags[row.item_id] += [flag_tag(f) for f in row.flags]
    ids = ",".join(str(r.item_id) for r in rows if r.source_ids is None)
    if not ids:
        return tags
    for item_id, source_id in connection.execute(
        text(f"SELECT DISTINCT item_id, source_id FROM item_sources WHERE item_id IN ({ids}) ORDER BY 1, 2")
    ):
        tags[item_id].append(source_tag(source_id))
    for item_id, topic_id in connection.execute(
        text(f"SELECT item_id, topic_id FROM matches WHERE item_id IN ({ids}) ORDER BY 1, 2")
    ):
        tags[item_id].append(topic_tag(topic_id))
    flagged = "SELECT id, edited, deleted_at FROM items WHERE id IN ({}) AND (edited OR deleted_at IS NOT NULL)"
    for item_id, edited, deleted_at in connection.execute(text(flagged.format(ids))) if flags else ():
        tags[item_id] += [flag_tag(f) for f, on in zip(FLAGS, (edited, deleted_at is not None)) if on]
    return tags


def reindex_items(session: Session, rows: Sequence[IndexRow]) -> None:
    """Index items again whose title or text changed, under the sort keys they have."""
    if not rows:
        return
    connection = session.connection()
    ids = ",".join(str(r.item_id) for r in rows)
    keys = dict(connection.execute(text(f"SELECT item_id, sort_key FROM item_search WHERE item_id IN ({ids})")).all())
    connection.execute(text(f"DELETE FROM item_search WHERE item_id IN ({ids})"))
    _insert(connection, [(keys[r.item_id], r) for r in rows if r.item_id in keys])


def item_body(text: str, full_text: str | None) -> str:
    """What is matched and indexed of an item's text: the feed's, and the article's own when it was fetched."""
    return f"{text}\n\n{full_text}" if full_text else text


def index_fields(row: IndexRow) -> tuple[str, str]:
    """The title and text as the index stores them: stems separated by spaces."""
    return row.stems or item_stems(row.title, row.text)


def item_stems(title: str, text: str) -> tuple[str, str]:
    """The index's stems of a title and a text (the collector makes them in its parser processes)."""
    return index_text(title, MAX_TITLE_TOKENS), index_text(text, MAX_BODY_TOKENS)


def tsvector_literal(title: str, body: str) -> str:
    """A tsvector with title stems at weight A, then body stems after a gap so no phrase spans both."""
    positions: dict[str, list[str]] = defaultdict(list)
    title_words = title.split()
    for n, stem in enumerate(title_words, 1):
        positions[stem].append(f"{n}A")
    for n, stem in enumerate(body.split(), len(title_words) + 2):
        positions[stem].append(_POSITIONS[n])
    return " ".join(f"{pg_quote(stem)}:{','.join(at)}" for stem, at in positions.items())


def pg_quote(stem: str) -> str:
    """A lexeme quoted for tsvector and tsquery input."""
    if "'" in stem or "\\" in stem:
        stem = stem.replace("\\", "\\\\").replace("'", "''")
    return f"'{stem}'"
