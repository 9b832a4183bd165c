"""Versions and deletions of stored items: what changed and when it was seen, and why an item is gone.

An item row holds its current version; each version a later one replaced is an ItemVersion with
the times it was first and last seen. Texts are compared after normalization (compare_form), so
a page that differs only in whitespace or in a line of dates and counters is not a new version.
Every edit and deletion is also an ItemEvent, in order, for change alerts. Deleted items are
marked, never pruned.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from storage.db import in_chunks
from storage.models import Item, ItemEvent, ItemSource, ItemVersion, Match
from storage.search.index import IndexRow, item_body, reindex_items

# Matched items are looked at again this long after they were stored, then after each step, then never.
RECHECK_AFTER = (timedelta(hours=1), timedelta(hours=6), timedelta(days=1), timedelta(days=3), timedelta(days=7))
DELETION_REASONS = ("telegram.missing", "http_404", "http_410", "redirect_home")

_SPACE = re.compile(r"\s+")
# A short line that is only dates, times, counters and such words says when, not what: not a change.
_COUNTER_WORDS = (
    r"views?|просмотр\w*|переглядів|перегляд\w*|қаралым\w*|comments?|коммент\w*|комент\w*|updated|обновлено|оновлено"
    r"|ago|назад|тому|min|мин|хв|sec|сек|am|pm|utc|gmt"
)
_BOILERPLATE_LINE = re.compile(rf"^(?:[\d\s.,:/\-–—|•·()]|{_COUNTER_WORDS})*$", re.IGNORECASE)


def compare_form(text: str | None) -> str:
    """The text as versions are compared: lines of only dates and counters dropped, spaces collapsed."""
    lines = (line.strip() for line in (text or "").splitlines())
    kept = [line for line in lines if line and not (len(line) <= 60 and _BOILERPLATE_LINE.fullmatch(line))]
    return _SPACE.sub(" ", " ".join(kept)).strip()


def fingerprint(title: str, text: str, url: str | None, marked_edited: bool = False) -> str:
    """What a source showed of an item, hashed: a poll compares it with the stored one before anything else."""
    basis = "\x1f".join([compare_form(title), compare_form(text), url or "", "edited" if marked_edited else ""])
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Version:
    """One version of an item as it was seen."""

    title: str
    text: str
    full_text: str | None
    url: str | None
    first_seen: datetime
    last_seen: datetime

    @property
    def best_text(self) -> str:
        """The article's own text when Dozor fetched it, else the feed's."""
        return self.full_text or self.text


def versions_of(item: Item) -> list[Version]:
    """Every version of the item, oldest first; the last is the current one (item.versions loaded)."""
    older = [Version(v.title, v.text, v.full_text, v.url, v.first_seen, v.last_seen) for v in item.versions]
    since = item.version_since or item.fetched_at
    current = Version(item.title, item.text, item.full_text, item.url, since, max(since, item.last_seen_at or since))
    return [*older, current]


@dataclass
class Seen:
    """What a poll or a re-check saw of a stored item; None for a field it did not look at."""

    item_id: int
    title: str | None = None
    text: str | None = None
    url: str | None = None
    full_text: str | None = None
    marked_edited: bool = False  # Telegram's "edited" mark
    matches: dict[str, list[dict]] = field(default_factory=dict)  # topic id -> hits, of what was seen


def revise(session: Session, seen: Sequence[Seen], now: datetime) -> list[int]:
    """Record what differs from the stored items as new versions; return the ids of items edited."""
    items = _items(session, [s.item_id for s in seen])
    edited, reindex = [], []
    for look in seen:
        item = items.get(look.item_id)
        if item is None:
            continue
        if look.marked_edited and not item.edited:
            item.edited = True
        if not _differs(item, look):
            continue
        _new_version(session, item, look, now)
        _add_matches(session, item, look.matches)
        edited.append(item.id)
        reindex.append(IndexRow(item.id, item.published_at, item.lang, item.title, item_body(item.text, item.full_text)))
    session.flush()
    reindex_items(session, reindex)
    return edited


def _items(session: Session, ids: Iterable[int]) -> dict[int, Item]:
    found: dict[int, Item] = {}
    for chunk in in_chunks(sorted(set(ids))):
        found.update((item.id, item) for item in session.scalars(select(Item).where(Item.id.in_(chunk))))
    return found


def _differs(item: Item, look: Seen) -> bool:
    pairs = [(look.title, item.title), (look.text, item.text), (look.full_text, item.full_text)]
    if any(new is not None and compare_form(new) != compare_form(old) for new, old in pairs):
        return True
    return look.url is not None and look.url != item.url


def _new_version(session: Session, item: Item, look: Seen, now: datetime) -> None:
    """Keep the current version as an older one and make what was seen current."""
    since = item.version_since or item.fetched_at
    session.add(ItemVersion(
        item_id=item.id, title=item.title, text=item.text, full_text=item.full_text, url=item.url,
        first_seen=since, last_seen=max(since, item.last_seen_at or since),
    ))
    if look.title is not None:
        item.title = look.title
    if look.text is not None:
        item.text = look.text
    if look.full_text is not None:
        item.full_text = look.full_text
    if look.url is not None:
        item.url = look.url
    item.version_since = item.last_seen_at = now
    item.edited = True
    item.edit_count += 1
    if look.full_text is None and item.full_text is not None:
        item.recheck_at = now  # the feed changed: its page is read again soon
    session.add(ItemEvent(item_id=item.id, kind="edited", at=now))


def _add_matches(session: Session, item: Item, matches: dict[str, list[dict]]) -> None:
    """Topics the new version matches are added; those of older versions stay (they were true of the item)."""
    have = set(session.scalars(select(Match.topic_id).where(Match.item_id == item.id)))
    session.add_all(Match(item_id=item.id, topic_id=t, hits=h) for t, h in sorted(matches.items()) if t not in have)


def mark_seen(session: Session, item_ids: Iterable[int], now: datetime) -> None:
    """The current versions of these items were seen again now."""
    for chunk in in_chunks(sorted(set(item_ids))):
        session.execute(update(Item).where(Item.id.in_(chunk)).values(last_seen_at=now))


def record_deletion(session: Session, item_id: int, reason: str, evidence: str, now: datetime) -> bool:
    """Mark an item deleted, with the answer that showed it; False if it was already, or is gone."""
    item = session.get(Item, item_id)
    if item is None or item.deleted_at is not None:
        return False
    item.deleted_at, item.deleted_reason, item.deleted_evidence = now, reason, evidence[:2000]
    item.recheck_at = None
    session.add(ItemEvent(item_id=item.id, kind="deleted", at=now))
    return True


def undeleted(session: Session, item_ids: Iterable[int]) -> set[int]:
    """Which of these items are not marked deleted."""
    found: set[int] = set()
    for chunk in in_chunks(sorted(set(item_ids))):
        found.update(session.scalars(select(Item.id).where(Item.id.in_(chunk), Item.deleted_at.is_(None))))
    return found


def next_recheck(rechecks: int, since: datetime) -> datetime | None:
    """When a matched item is looked at again after `rechecks` looks, counted from `since`; None: never."""
    return since + RECHECK_AFTER[rechecks] if rechecks < len(RECHECK_AFTER) else None


def schedule_rechecks(session: Session, item_ids: Iterable[int], now: datetime) -> None:
    """Start the decaying schedule of looks at these (newly matched) items."""
    first = next_recheck(0, now)
    for chunk in in_chunks(sorted(set(item_ids))):
        session.execute(
            update(Item).where(Item.id.in_(chunk), Item.deleted_at.is_(None)).values(recheck_at=first, rechecks=0)
        )


def page_validator_columns(etag: str | None, last_modified: str | None) -> dict[str, str | None]:
    """An article page's validators as stored; one too long for its column is dropped (a cut one never matches)."""
    sizes = {"page_etag": Item.page_etag.type.length, "page_last_modified": Item.page_last_modified.type.length}
    values = {"page_etag": etag, "page_last_modified": last_modified}
    return {name: value if value and len(value) <= sizes[name] else None for name, value in values.items()}


def keep_page_validators(session: Session, item_id: int, etag: str | None, last_modified: str | None) -> None:
    """Remember the validators of the item's article page as it was just read."""
    session.execute(update(Item).where(Item.id == item_id).values(**page_validator_columns(etag, last_modified)))


def rechecked(session: Session, item_id: int, now: datetime) -> None:
    """One look at an item is done: the next one is further off, or there is none."""
    item = session.get(Item, item_id)
    if item is None:
        return
    item.rechecks += 1
    item.recheck_at = None if item.deleted_at else next_recheck(item.rechecks, now)


@dataclass(frozen=True)
class DueCheck:
    """A matched item due for a look: where it is and what its sources are."""

    item_id: int
    url: str
    source_ids: tuple[int, ...]


def due_rechecks(session: Session, now: datetime, limit: int) -> list[DueCheck]:
    """Items whose next look is due, oldest due first."""
    rows = session.execute(
        select(Item.id, Item.url).where(Item.recheck_at <= now, Item.deleted_at.is_(None), Item.url.is_not(None))
        .order_by(Item.recheck_at).limit(limit)
    ).all()
    sources: dict[int, list[int]] = {}
    for chunk in in_chunks([item_id for item_id, _ in rows]):
        for item_id, source_id in session.execute(
            select(ItemSource.item_id, ItemSource.source_id).where(ItemSource.item_id.in_(chunk))
        ):
            sources.setdefault(item_id, []).append(source_id)
    return [DueCheck(item_id, url, tuple(sorted(sources.get(item_id, ())))) for item_id, url in rows]


def claim_rechecks(session: Session, item_ids: list[int], now: datetime, lease: timedelta) -> set[int]:
    """Take the looks of these items that are still due, pushing their next look out by `lease` meanwhile.

    Several collectors may read the same due items; the update lets one of them have each (a second
    waits for the first's row lock, then finds the look no longer due). A collector that dies before
    recording its look leaves the item due again once the lease ends.
    """
    taken: set[int] = set()
    for chunk in in_chunks(item_ids):
        claimed = (
            update(Item).where(Item.id.in_(chunk), Item.recheck_at <= now)
            .values(recheck_at=now + lease).returning(Item.id)
        )
        taken.update(session.scalars(claimed.execution_options(synchronize_session=False)))
    return taken


@dataclass(frozen=True)
class Change:
    """An edit or deletion of an item, with what a change alert shows of it."""

    event_id: int
    kind: str  # edited | deleted
    at: datetime
    item_id: int
    topics: tuple[str, ...]
    sources: tuple[str, ...]
    source_ids: frozenset[int]
    before: Version | None  # for an edit: the versions it went from and to
    after: Version
    deleted_reason: str | None
    edits: int  # the item's edits kept so far


def changes_after(session: Session, after_id: int, limit: int = 500) -> tuple[list[Change], int]:
    """Edits and deletions of matched items recorded after event `after_id`, in order, and the last event read."""
    rows = list(session.scalars(select(ItemEvent).where(ItemEvent.id > after_id).order_by(ItemEvent.id).limit(limit)))
    ids = sorted({event.item_id for event in rows})
    items: dict[int, Item] = {}
    for chunk in in_chunks(ids):
        query = select(Item).where(Item.id.in_(chunk)).options(
            selectinload(Item.versions), selectinload(Item.matches), selectinload(Item.origins).selectinload(ItemSource.source)
        )
        items.update((item.id, item) for item in session.scalars(query))
    edits_before = _edit_events_before(session, ids, after_id)
    changes = []
    for event in rows:
        item = items[event.item_id]
        all_versions = versions_of(item)
        before = after = all_versions[-1]
        if event.kind == "edited":
            edits_before[item.id] = number = edits_before.get(item.id, 0) + 1
            k = min(number, len(all_versions) - 1)  # the k-th edit went from version k-1 to version k
            before, after = all_versions[k - 1], all_versions[k]
        topics = tuple(sorted(m.topic_id for m in item.matches))
        if topics:
            changes.append(Change(
                event.id, event.kind, event.at, item.id, topics, tuple(sorted({o.source.shown_name for o in item.origins})),
                frozenset(o.source_id for o in item.origins), before if event.kind == "edited" else None, after, item.deleted_reason, item.edit_count,
            ))
    return changes, rows[-1].id if rows else after_id


def _edit_events_before(session: Session, item_ids: list[int], event_id: int) -> dict[int, int]:
    """Item id -> how many edit events it had up to event `event_id`."""
    counts: dict[int, int] = {}
    for chunk in in_chunks(item_ids):
        query = (
            select(ItemEvent.item_id, func.count())
            .where(ItemEvent.item_id.in_(chunk), ItemEvent.kind == "edited", ItemEvent.id <= event_id)
            .group_by(ItemEvent.item_id)
        )
        counts.update(dict(session.execute(query).all()))
    return counts


def latest_event_id(session: Session) -> int:
    """The id of the newest event (0 when none)."""
    return session.scalar(select(ItemEvent.id).order_by(ItemEvent.id.desc()).limit(1)) or 0
