"""Storing items once per canonical URL, with the sources that carried them and their matches."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.orm import Session, selectinload

from storage.bulk import insert_returning_ids
from storage.db import in_chunks
from storage.models import Item, ItemSource, Match, Source
from storage.search.index import IndexRow, index_items


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


def known_keys(session: Session, source_id: int, keys: Iterable[str]) -> set[str]:
    """Which of these dedup keys the source already delivered."""
    found: set[str] = set()
    for chunk in in_chunks(list(set(keys))):
        found.update(
            session.scalars(
                select(ItemSource.dedup_key).where(ItemSource.source_id == source_id, ItemSource.dedup_key.in_(chunk))
            )
        )
    return found


def items_by_url(session: Session, canonical_urls: Iterable[str]) -> dict[str, int]:
    """Canonical URL -> id of the stored item with that URL."""
    found: dict[str, int] = {}
    for chunk in in_chunks(list(set(canonical_urls))):
        found.update(session.execute(select(Item.canonical_url, Item.id).where(Item.canonical_url.in_(chunk))).all())
    return found


def store_items(session: Session, source_id: int, items: list[NewItem], known: set[str] | None = None) -> list[int]:
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
    origins = [{"item_id": new_ids[key], "source_id": source_id, "dedup_key": key} for key in to_create]
    origins += [{"item_id": by_url[url], "source_id": source_id, "dedup_key": key} for key, url in links]
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
            IndexRow(i, new.published_at, new.lang, new.title, new.text, new.stems, (source_id,), tuple(new.matches))
            for i, new in fresh_rows
        ],
    )
    return created


def _insert_items(session: Session, items: list[NewItem]) -> list[int]:
    """Insert rows in bulk; return their ids in the same order."""
    if not items:
        return []
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
            .options(selectinload(Item.origins).selectinload(ItemSource.source), selectinload(Item.matches))
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
        "published": item.published_at.isoformat().replace("+00:00", "Z"),
        "sources": sorted({o.source.name for o in item.origins}),
        "lang": item.lang,
        "topics": sorted(m.topic_id for m in item.matches),
        "backlog": item.backlog,
    }


def prune_unmatched(session: Session, now: datetime, days: int) -> int:
    """Delete items with no topic match fetched more than `days` ago."""
    cutoff = now - timedelta(days=days)
    stale = select(Item.id).where(Item.fetched_at < cutoff, ~exists().where(Match.item_id == Item.id))
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
