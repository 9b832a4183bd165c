"""Storing items once per canonical URL, with the sources that carried them and their matches."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, exists, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from storage import fleet
from storage.bulk import insert_returning_ids
from storage.db import in_chunks
from storage.models import Item, ItemSource, Match, Source, utcnow
from storage.search.index import IndexRow, index_items, item_body
from storage.versions import next_recheck, page_validator_columns, versions_of


@dataclass
class NewItem:
    """An item as the pipeline hands it to storage."""

    dedup_key: str
    title: str
    text: str
    published_at: datetime
    url: str | None = None  # the link as the source gave it
    canonical_url: str | None = None  # the link shown and exported, without tracking parameters
    lang: str | None = None
    backlog: bool = False
    extra: dict | None = None
    matches: dict[str, list[dict]] = field(default_factory=dict)  # topic id -> hits
    stems: tuple[str, str] | None = None  # the search index's stems of title and text, if made already
    full_text: str | None = None  # the article's own text, from its page
    extract_error: str | None = None  # "code: message" when its page was read and gave none
    fingerprint: str | None = None  # storage.versions.fingerprint of what the source showed
    edited: bool = False  # Telegram marked the post edited before Dozor first saw it
    page_validators: tuple[str | None, str | None] = (None, None)  # its article page's ETag and Last-Modified


@dataclass(frozen=True)
class Known:
    """An item a source delivered before, and what the source showed of it then."""

    item_id: int
    fingerprint: str | None


def known_keys(session: Session, source_id: int, keys: Iterable[str]) -> dict[str, Known]:
    """Which of these dedup keys the source already delivered, with their items and fingerprints."""
    found: dict[str, Known] = {}
    for chunk in in_chunks(list(set(keys))):
        query = select(ItemSource.dedup_key, ItemSource.item_id, ItemSource.fingerprint).where(
            ItemSource.source_id == source_id, ItemSource.dedup_key.in_(chunk)
        )
        found.update((key, Known(item_id, print_)) for key, item_id, print_ in session.execute(query))
    return found


def take_fingerprints(session: Session, source_id: int, fingerprints: dict[str, str]) -> None:
    """Remember what the source shows now of items it delivered before (dedup key -> fingerprint)."""
    table = ItemSource.__table__
    statement = (
        update(table)
        .where(table.c.source_id == bindparam("source"), table.c.dedup_key == bindparam("key"))
        .values(fingerprint=bindparam("print"))
    )
    rows = [{"source": source_id, "key": key, "print": value} for key, value in fingerprints.items()]
    if rows:
        session.connection().execute(statement, rows)


def items_by_url(session: Session, canonical_urls: Iterable[str]) -> dict[str, int]:
    """Canonical URL -> id of the stored item with that URL."""
    found: dict[str, int] = {}
    for chunk in in_chunks(list(set(canonical_urls))):
        found.update(session.execute(select(Item.canonical_url, Item.id).where(Item.canonical_url.in_(chunk))).all())
    return found


def store_items(
    session: Session, source_id: int, items: list[NewItem], known: dict[str, Known] | None = None
) -> list[int]:
    """Store what is new for this source; return the ids of items stored for the first time.

    `known` is the result of known_keys() for these items, when the caller has it already.
    """
    seen = known_keys(session, source_id, [i.dedup_key for i in items]) if known is None else known
    fresh: dict[str, NewItem] = {}
    for item in items:
        if item.dedup_key not in seen:
            fresh.setdefault(item.dedup_key, item)
    by_url = items_by_url(session, [i.canonical_url for i in fresh.values() if i.canonical_url])
    links: list[tuple[str, str]] = []  # (dedup key, canonical url) of items stored already
    to_create: dict[str, NewItem] = {}  # dedup key -> item, one per canonical url
    creating_urls: dict[str, str] = {}
    for key, new in fresh.items():
        url = new.canonical_url
        if url and (url in by_url or url in creating_urls):
            links.append((key, url))
        else:
            to_create[key] = new
            if url:
                creating_urls[url] = key
    created = _insert_items(session, list(to_create.values()))
    new_ids = dict(zip(to_create, created))
    by_url.update({url: new_ids[key] for url, key in creating_urls.items()})
    origins = [
        {"item_id": new_ids[key], "source_id": source_id, "dedup_key": key, "fingerprint": new.fingerprint}
        for key, new in to_create.items()
    ]
    origins += [
        {"item_id": by_url[url], "source_id": source_id, "dedup_key": key, "fingerprint": fresh[key].fingerprint}
        for key, url in links
    ]
    matches = [
        {"item_id": new_ids[key], "topic_id": topic, "hits": hits}
        for key, new in to_create.items()
        for topic, hits in sorted(new.matches.items())
    ]
    # Core inserts (Table, not the mapped class): the ORM's bulk machinery costs more than the rows.
    if origins:
        session.execute(insert(ItemSource.__table__), origins)
    if matches:
        session.execute(insert(Match.__table__), matches)
    fresh_rows = zip(created, to_create.values())
    index_items(
        session,
        [
            IndexRow(
                i, new.published_at, new.lang, new.title, item_body(new.text, new.full_text), new.stems, (source_id,),
                tuple(new.matches), ("edited",) if new.edited else (),
            )
            for i, new in fresh_rows
        ],
    )
    return created


def _insert_items(session: Session, items: list[NewItem]) -> list[int]:
    """Insert rows in bulk; return their ids in the same order."""
    if not items:
        return []
    now = utcnow()
    rows = [
        {
            "canonical_url": i.canonical_url,
            "url": i.canonical_url or i.url,
            "title": i.title,
            "text": i.text,
            "published_at": i.published_at,
            "lang": i.lang,
            "backlog": i.backlog,
            "extra": _extra(i),
            "full_text": i.full_text,
            "extract_error": i.extract_error,
            "edited": i.edited,
            **page_validator_columns(*i.page_validators),
            "recheck_at": next_recheck(0, now) if i.matches and (i.canonical_url or i.url) else None,
        }
        for i in items
    ]
    return insert_returning_ids(session, Item.__table__, rows)


def _extra(item: NewItem) -> dict | None:
    """The item's extra facts, with the raw link when the one stored (the canonical one) differs."""
    if item.url and item.canonical_url and item.url != item.canonical_url:
        return {**(item.extra or {}), "raw_url": item.url}
    return item.extra or None


def iter_items(
    session: Session, topic: str | None = None, since: datetime | None = None, batch: int = 1000
) -> Iterator[Item]:
    """Stored items in id order, with their sources and matches loaded, optionally filtered."""
    last_id = 0
    while True:
        query = (
            select(Item)
            .where(Item.id > last_id)
            .options(
                selectinload(Item.origins).selectinload(ItemSource.source),
                selectinload(Item.matches),
                selectinload(Item.versions),
            )
            .order_by(Item.id)
            .limit(batch)
        )
        if topic:
            query = query.where(exists().where(Match.item_id == Item.id, Match.topic_id == topic))
        if since:
            query = query.where(Item.published_at >= since)
        rows = session.scalars(query).all()
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def item_as_dict(item: Item) -> dict:
    """The export shape of one item."""
    return {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "text": item.text,
        "published": _iso(item.published_at),
        "sources": sorted({o.source.name for o in item.origins}),
        "lang": item.lang,
        "topics": sorted(m.topic_id for m in item.matches),
        "backlog": item.backlog,
        "full_text": item.full_text,
        "versions": [
            {"title": v.title, "text": v.best_text, "first_seen": _iso(v.first_seen), "last_seen": _iso(v.last_seen)}
            for v in versions_of(item)
        ],
        "edited": item.edited,
        "deleted_at": _iso(item.deleted_at),
        "deleted_reason": item.deleted_reason,
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def prune_unmatched(session: Session, now: datetime, days: int) -> int:
    """Delete items with no topic match fetched more than `days` ago (unless another process is at it); deleted items stay, as evidence."""
    if not fleet.exclusive(session, "prune"):
        return 0
    cutoff = now - timedelta(days=days)
    stale = select(Item.id).where(
        Item.fetched_at < cutoff, Item.deleted_at.is_(None), ~exists().where(Match.item_id == Item.id)
    )
    ids = list(session.scalars(stale))
    for chunk in in_chunks(ids):
        session.execute(delete(ItemSource).where(ItemSource.item_id.in_(chunk)))
        session.execute(delete(Item).where(Item.id.in_(chunk)))
    return len(ids)


def replace_matches(session: Session, item_id: int, matches: dict[str, list[dict]]) -> None:
    """Set an item's matches to exactly these topics and hits."""
    session.execute(delete(Match).where(Match.item_id == item_id))
    session.add_all(Match(item_id=item_id, topic_id=t, hits=h) for t, h in sorted(matches.items()))


def source_names(session: Session) -> dict[int, str]:
    """Source id -> name."""
    return dict(session.execute(select(Source.id, Source.name)).all())
