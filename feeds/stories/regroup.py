"""Placing stored items into stories: new ones in their store transaction, old ones a batch at a time, or all anew."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from feeds.stories.features import Features, item_features
from feeds.stories.memory_index import MemoryIndex
from feeds.stories.placing import ALL_ITEMS, WINDOW, Member, place, window_days
from storage import fleet
from storage import stories as story_store
from storage.stories import UnplacedItem

log = logging.getLogger(__name__)
BACKFILL_BATCH = 2000
KEEP_INDEX = timedelta(days=7)  # keys older than this are dropped: no new item is compared with them
COMMON_KEY = 150  # a key carried by more items of the window does not look for candidates
READ_BATCH = 5000
STORIES_LOCK = "stories"  # the fleet-wide lock of whoever writes stories (storage.fleet.wait_exclusive)


def place_items(session: Session, items: list[UnplacedItem]) -> dict[int, int]:
    """Place these stored items into stories in the session's transaction; return item id -> story id.

    One transaction of the fleet at a time writes stories (until it commits), so a collector placing new
    items never misses what another placed meanwhile, or what a backfill is placing, and splits a story.
    """
    if not items:
        return {}
    fleet.wait_exclusive(session, STORIES_LOCK)
    placed = sorted(((i.id, i.published_at, item_features(i.title, i.text, i.lang)) for i in items),
                    key=lambda p: (p[1], p[0]))
    index = _loaded_index(session, placed)
    stories = {item_id: place(index, item_id, at, features) for item_id, at, features in placed}
    real = write(session, index)
    return {item_id: real.get(story, story) for item_id, story in stories.items()}


def _loaded_index(session: Session, placed: list[tuple[int, datetime, Features]]) -> MemoryIndex:
    """An index holding the stored counts and candidates these items need (two queries)."""
    days = sorted({day for _, at, _ in placed for day in window_days(at)})
    keys = sorted({ALL_ITEMS, *(key for _, _, features in placed for key in features.keys())})
    counts = story_store.key_counts(session, keys, days)
    totals: dict[int, int] = {}
    for key, _, n in counts:
        totals[key] = totals.get(key, 0) + n
    lookup = sorted({key for _, _, f in placed for key in f.keys() if totals.get(key, 0) <= COMMON_KEY})
    since = min(at for _, at, _ in placed) - WINDOW
    until = max(at for _, at, _ in placed) + WINDOW
    index = MemoryIndex()
    index.load(counts, story_store.members_with_keys(session, lookup, since, until))
    return index


def write(
    session: Session, index: MemoryIndex, keys_after: datetime | None = None, before: datetime | None = None
) -> dict[int, int]:
    """Write what was placed in the index (only items published before `before`, if given; keys and counts only
    from `keys_after` on) and forget it; return temporary -> real story id."""
    ready = [m for m in index.added if before is None or m.published_at < before]
    firsts: dict[int, Member] = {}
    for member in ready:  # in time order: a new story's first member is its earliest
        if member.story_id < 0 and member.story_id not in index.real_ids and member.story_id not in firsts:
            firsts[member.story_id] = member
    temporary = list(firsts)
    ids = story_store.insert_stories(session, [(firsts[t].item_id, firsts[t].published_at) for t in temporary])
    index.real_ids.update(zip(temporary, ids))
    real = index.real_ids
    members = [_member_row(m, real.get(m.story_id, m.story_id)) for m in ready]
    keep = [m for m in ready if keys_after is None or m.published_at >= keys_after]
    keys = [{"key": k, "item_id": m.item_id, "published_at": m.published_at} for m in keep for k in index.added_keys[m.item_id]]
    story_store.insert_members(session, members, keys)
    index.forget_written(ready)
    if before is None:
        first_day = keys_after.date() if keys_after else date.min
        story_store.add_counts(session, {(k, d): n for (k, d), n in index.increments.items() if d >= first_day})
        for story_id, member in index.earlier_firsts.items():
            story_store.move_first(session, story_id, member.item_id, member.published_at)
    return real


def _member_row(member: Member, story_id: int) -> dict:
    return {
        "item_id": member.item_id,
        "story_id": story_id,
        "published_at": member.published_at,
        "title_key": member.title_key,
        "names": " ".join(sorted(member.names)),
        "concepts": " ".join(sorted(member.concepts)),
        "name_norm": member.name_norm,
    }


def place_new(session: Session, item_ids: list[int]) -> dict[int, int]:
    """Place items just stored (called in their store transaction)."""
    if not item_ids:
        return {}
    return place_items(session, story_store.items_to_place(session, item_ids))


def backfill(sessions: sessionmaker[Session], batch: int = BACKFILL_BATCH) -> int:
    """Place up to `batch` of the oldest items that have no story (after an upgrade); return how many."""
    with sessions.begin() as session:
        fleet.wait_exclusive(session, STORIES_LOCK)  # read under the lock: another collector may have placed them
        items = story_store.unplaced(session, batch)
        place_items(session, items)
    if items:
        log.info("placed %d older items into stories", len(items))
    return len(items)


def prune(sessions: sessionmaker[Session], now: datetime) -> None:
    """Drop index keys no new item will need, and stories whose items were all pruned."""
    with sessions.begin() as session:
        fleet.wait_exclusive(session, STORIES_LOCK)
        story_store.prune_index(session, now - KEEP_INDEX)
        story_store.drop_empty(session)


@dataclass
class Regrouped:
    """What a regroup did."""

    items: int
    stories: int


def regroup(sessions: sessionmaker[Session], now: datetime) -> Regrouped:
    """Group every stored item anew in one transaction, writing each batch's settled stories as it goes."""
    index = MemoryIndex()
    count = 0
    keys_after = now - KEEP_INDEX
    with sessions.begin() as session:
        fleet.wait_exclusive(session, STORIES_LOCK)
        story_store.clear(session)
        for item in _every_item(session):
            place(index, item.id, item.published_at, item_features(item.title, item.text, item.lang))
            count += 1
            if count % READ_BATCH == 0:
                # Items more than two windows older than this one can no longer change story: write them.
                index.forget_before(item.published_at)
                write(session, index, keys_after, before=item.published_at - 2 * WINDOW)
                index.drop_increments_before(keys_after.date())
        write(session, index, keys_after)
        stories = story_store.count_stories(session)
    return Regrouped(count, stories)


def _every_item(session: Session):
    """Every item in time order, read a batch at a time."""
    after: tuple[datetime, int] | None = None
    while True:
        rows = story_store.items_in_time_order(session, after, READ_BATCH)
        if not rows:
            return
        yield from rows
        after = (rows[-1].published_at, rows[-1].id)
