"""Stories in the database: the index that places new items (keys, counts, members) and the stories read back."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.bulk import insert_returning_ids
from storage.models import Item, utcnow
from storage.story_models import Story, StoryKey, StoryKeyCount, StoryMember

CHUNK = 500
LEAD_CHARS = 400  # what placing reads of an item's text (feeds.stories.features.LEAD_CHARS)


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A story member as stored, with its story's first report."""

    item_id: int
    story_id: int
    story_start: datetime
    published_at: datetime
    title_key: str
    names: str
    concepts: str
    name_norm: float


@dataclass(frozen=True, slots=True)
class UnplacedItem:
    """What placing needs of a stored item."""

    id: int
    published_at: datetime
    title: str
    text: str
    lang: str | None


def key_counts(session: Session, keys: list[int], days: list[date]) -> list[tuple[int, date, int]]:
    """(key, day, items) for these keys on these days."""
    found: list[tuple[int, date, int]] = []
    for start in range(0, len(keys), CHUNK):
        query = select(StoryKeyCount.key, StoryKeyCount.day, StoryKeyCount.n).where(
            StoryKeyCount.key.in_(keys[start : start + CHUNK]), StoryKeyCount.day.in_(days)
        )
        found.extend((key, day, n) for key, day, n in session.execute(query))
    return found


def _upsert(session: Session):
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def add_counts(session: Session, counts: dict[tuple[int, date], int]) -> None:
    """Add to the (key, day) counts."""
    if not counts:
        return
    table = StoryKeyCount.__table__
    statement = _upsert(session)(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.key, table.c.day], set_={"n": table.c.n + statement.excluded.n}
    )
    rows = [{"key": key, "day": day, "n": n} for (key, day), n in sorted(counts.items())]
    for start in range(0, len(rows), CHUNK):
        session.execute(statement, rows[start : start + CHUNK])


def members_with_keys(session: Session, keys: list[int], since: datetime, until: datetime) -> list[tuple[int, MemberRow]]:
    """(key, member) for members published in [since, until] carrying any of these keys, oldest first."""
    found: list[tuple[int, MemberRow]] = []
    for start in range(0, len(keys), CHUNK):
        query = (
            select(StoryKey.key, StoryMember.item_id, StoryMember.story_id, Story.first_seen_at, StoryMember.published_at,
                   StoryMember.title_key, StoryMember.names, StoryMember.concepts, StoryMember.name_norm)
            .join(StoryMember, StoryMember.item_id == StoryKey.item_id)
            .join(Story, Story.id == StoryMember.story_id)
            .where(StoryKey.key.in_(keys[start : start + CHUNK]), StoryKey.published_at >= since,
                   StoryKey.published_at <= until)
            .order_by(StoryKey.published_at)
        )
        found.extend((row[0], MemberRow(*row[1:])) for row in session.execute(query))
    return found


def insert_stories(session: Session, firsts: list[tuple[int, datetime]]) -> list[int]:
    """Start stories with these first reports (item id, published); return their ids in order."""
    now = utcnow()
    rows = [{"first_item_id": item_id, "first_seen_at": at, "created_at": now} for item_id, at in firsts]
    return insert_returning_ids(session, Story.__table__, rows)


def insert_members(session: Session, members: list[dict], keys: list[dict]) -> None:
    """Store placed items (story_members rows) and their keys (story_keys rows)."""
    for model, rows in ((StoryMember, members), (StoryKey, keys)):
        for start in range(0, len(rows), 5000):
            session.execute(insert(model.__table__), rows[start : start + 5000])


def move_first(session: Session, story_id: int, item_id: int, published_at: datetime) -> None:
    """An earlier item joined the story: it becomes the first report."""
    session.execute(
        update(Story)
        .where(Story.id == story_id, Story.first_seen_at > published_at)
        .values(first_seen_at=published_at, first_item_id=item_id)
    )


def unplaced(session: Session, limit: int) -> list[UnplacedItem]:
    """The oldest `limit` items in no story yet, oldest first."""
    query = _placing_columns().where(~exists().where(StoryMember.item_id == Item.id))
    query = query.order_by(Item.published_at, Item.id).limit(limit)
    return [UnplacedItem(*row) for row in session.execute(query)]


def items_to_place(session: Session, item_ids: list[int]) -> list[UnplacedItem]:
    """What placing needs of these items (just stored, so in no story yet)."""
    found: list[UnplacedItem] = []
    for start in range(0, len(item_ids), CHUNK):
        query = _placing_columns().where(Item.id.in_(item_ids[start : start + CHUNK]))
        found.extend(UnplacedItem(*row) for row in session.execute(query))
    return found


def count_unplaced(session: Session) -> int:
    """How many items are in no story."""
    return session.scalar(select(func.count()).select_from(Item).where(~exists().where(StoryMember.item_id == Item.id)))


def count_stories(session: Session) -> int:
    """How many stories there are."""
    return session.scalar(select(func.count()).select_from(Story)) or 0


def clear(session: Session) -> None:
    """Forget every story (before a regroup)."""
    for model in (StoryKey, StoryKeyCount, StoryMember, Story):
        session.execute(delete(model))


def prune_index(session: Session, before: datetime) -> None:
    """Drop the keys and counts older than `before`: no new item will be compared with them."""
    session.execute(delete(StoryKey).where(StoryKey.published_at < before))
    session.execute(delete(StoryKeyCount).where(StoryKeyCount.day < before.date()))


def drop_empty(session: Session) -> int:
    """Delete stories left without items (after unmatched items were pruned)."""
    empty = select(Story.id).where(~exists().where(StoryMember.story_id == Story.id))
    return session.execute(delete(Story).where(Story.id.in_(empty))).rowcount


def story_ids(session: Session, item_ids: list[int]) -> dict[int, int]:
    """Item id -> story id."""
    found: dict[int, int] = {}
    for start in range(0, len(item_ids), CHUNK):
        chunk = item_ids[start : start + CHUNK]
        found.update(session.execute(select(StoryMember.item_id, StoryMember.story_id).where(StoryMember.item_id.in_(chunk))).all())
    return found


def iter_story_items(session: Session, batch: int = 2000) -> Iterator[tuple[int, list[int]]]:
    """Every story with its item ids (oldest first), in story id order."""
    last = 0
    while True:
        ids = list(session.scalars(select(Story.id).where(Story.id > last).order_by(Story.id).limit(batch)))
        if not ids:
            return
        members: dict[int, list[tuple[datetime, int]]] = {}
        rows = session.execute(
            select(StoryMember.story_id, StoryMember.published_at, StoryMember.item_id).where(StoryMember.story_id.in_(ids))
        )
        for story_id, published, item_id in rows:
            members.setdefault(story_id, []).append((published, item_id))
        for story_id in ids:
            if story_id in members:
                yield story_id, [item_id for _, item_id in sorted(members[story_id])]
        last = ids[-1]


def items_in_time_order(session: Session, after: tuple[datetime, int] | None, limit: int) -> list[UnplacedItem]:
    """The next `limit` items after (published, id), in time order, for a regroup."""
    query = _placing_columns()
    if after is not None:
        published, item_id = after
        query = query.where(
            (Item.published_at > published) | ((Item.published_at == published) & (Item.id > item_id))
        )
    query = query.order_by(Item.published_at, Item.id).limit(limit)
    return [UnplacedItem(*row) for row in session.execute(query)]


def _placing_columns():
    return select(Item.id, Item.published_at, Item.title, func.substr(Item.text, 1, LEAD_CHARS), Item.lang)
