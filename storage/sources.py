"""Queries on sources: adding, listing, claiming due ones and recording their health."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from storage import websub
from storage.db import in_chunks
from storage.models import ItemSource, Source, utcnow
from storage.source_health import record_error

MIN_INTERVAL = 5 * 60
MAX_INTERVAL = 6 * 60 * 60
PAUSE_AFTER_ERRORS = 10
# Why a source is paused, as stored in paused_reason; the bot words it in each reader's language.
PAUSED_FAILURES, PAUSED_BY_CONFIG, PAUSED_BY = "failures", "config", "admin:"
KINDS = ("rss", "telegram", "analysis")  # how a source's documents are read
PLATFORMS = ("mastodon", "bluesky", "youtube", "reddit")  # the services whose accounts are followed by feed
# Who speaks, for narrative shares: state-ru, state-kz, independent, ua, international, analysis, or any other.
LABEL = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
UNLABELED = "unlabeled"  # how a source without a label is counted
FULL_TEXT_MODES = ("auto", "always", "never")  # when an item's article page is read for its text


class SourceExists(Exception):
    """A source with this URL is already monitored."""

    def __init__(self, source_id: int):
        super().__init__(f"already monitored as source {source_id}")
        self.source_id = source_id


@dataclass(frozen=True)
class DueSource:
    """What the collector needs to poll one source, detached from the session."""

    id: int
    name: str
    url: str
    kind: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    backlog_done: bool
    interval_seconds: int
    error_count: int
    full_text: str = "auto"
    taken_over_from: str | None = None  # the process whose lease on it ran out before it recorded a poll


def check_label(label: str | None) -> str | None:
    """The label as stored (None for none); ValueError for one that is not a short lowercase word."""
    if label is None or label == "":
        return None
    if not LABEL.match(label):
        raise ValueError(f"label {label!r} must be lowercase letters, digits, - and _ (at most 32), e.g. state-kz")
    return label


def add_source(
    session: Session, url: str, name: str, kind: str = "rss", *, platform: str | None = None, origin: str | None = None,
    label: str | None = None, full_text: str = "auto",
) -> Source:
    """Add a source due at once; raise SourceExists for a known URL, ValueError for a bad kind, platform or label."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    check_full_text(full_text)
    if platform is not None and platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}: use one of {', '.join(PLATFORMS)}")
    label = check_label(label)
    existing = session.scalar(select(Source.id).where(Source.url == url))
    if existing is not None:
        raise SourceExists(existing)
    source = Source(
        url=url, name=name, kind=kind, platform=platform, origin=origin, label=label, full_text=full_text,
        next_check_at=utcnow(),
    )
    session.add(source)
    session.flush()
    return source


def remove_source(session: Session, source_id: int) -> bool:
    """Delete a source (its items stay, as items of other sources or history)."""
    return session.execute(delete(Source).where(Source.id == source_id)).rowcount > 0


def list_sources(session: Session) -> list[tuple[Source, int]]:
    """Every source with the number of items it carried."""
    counts = (
        select(ItemSource.source_id, func.count().label("n")).group_by(ItemSource.source_id).subquery()
    )
    rows = session.execute(
        select(Source, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.source_id == Source.id)
        .order_by(Source.id)
    )
    return [(source, n) for source, n in rows]


def due_source(session: Session, source_id: int) -> DueSource | None:
    """One source as the collector handles it (for a pushed document), or None if it is gone."""
    source = session.get(Source, source_id)
    return None if source is None else _snapshot(source)


# In DueSource's order.
_DUE_COLUMNS = (
    Source.id, Source.name, Source.url, Source.kind, Source.etag, Source.last_modified, Source.body_hash,
    Source.backlog_done, Source.interval_seconds, Source.error_count, Source.full_text, Source.claimed_by,
)


def _snapshot(source: Source) -> DueSource:
    return DueSource(
        id=source.id,
        name=source.name,
        url=source.url,
        kind=source.kind,
        etag=source.etag,
        last_modified=source.last_modified,
        body_hash=source.body_hash,
        backlog_done=source.backlog_done,
        interval_seconds=source.interval_seconds,
        error_count=source.error_count,
        full_text=source.full_text,
        taken_over_from=source.claimed_by,
    )


def check_full_text(mode: str) -> str:
    """The full-text mode, if it is one (ValueError naming them otherwise)."""
    if mode not in FULL_TEXT_MODES:
        raise ValueError(f"unknown full-text mode {mode!r}: use one of {', '.join(FULL_TEXT_MODES)}")
    return mode


def record_extraction(session: Session, source_id: int, now: datetime, extracted: int, errors: list[str]) -> None:
    """Count the article pages read for a source's items, and keep the latest failure."""
    if not extracted and not errors:
        return
    source = session.get(Source, source_id)
    if source is None:
        return
    source.extracted += extracted
    source.extract_failures += len(errors)
    source.last_extract_at = now
    if errors:
        source.last_extract_error = errors[-1][:2000]


def claim_due(
    session: Session,
    now: datetime,
    limit: int = 500,
    lease: timedelta = timedelta(minutes=10),
    everything: bool = False,
    owner: str | None = None,
) -> list[DueSource]:
    """Claim active sources whose check is due for `owner`, pushing their next check out by `lease` meanwhile.

    Rows another collector is claiming are skipped (SKIP LOCKED); a source stays with its claimer until
    the lease ends, when any collector may take it over. `everything` takes every active source that
    no other process holds a lease on.
    """
    # Columns, not ORM objects, and one UPDATE: a fleet claims many times a second, and objects cost the CPU.
    query = select(*_DUE_COLUMNS).where(Source.status == "active").order_by(Source.next_check_at).limit(limit)
    if everything:
        query = query.where(or_(Source.claimed_by.is_(None), Source.next_check_at <= now))
    else:
        query = query.where(Source.next_check_at <= now)
    claimed = [DueSource(*row) for row in session.execute(query.with_for_update(skip_locked=True, of=Source))]
    for chunk in in_chunks([source.id for source in claimed]):
        pushed_out = update(Source).where(Source.id.in_(chunk)).values(next_check_at=now + lease, claimed_by=owner)
        session.execute(pushed_out.execution_options(synchronize_session=False))
    return claimed


def release(session: Session, source_ids: list[int], now: datetime) -> None:
    """Give back claimed sources that were not polled to the end: due again at once, their health untouched."""
    if source_ids:
        session.execute(update(Source).where(Source.id.in_(source_ids)).values(next_check_at=now, claimed_by=None))


def adapted_interval(interval: int, new_items: int) -> int:
    """Poll busy sources more often and quiet ones less, within 5 min .. 6 h."""
    factor = 0.75 if new_items else 1.25
    return max(MIN_INTERVAL, min(MAX_INTERVAL, int(interval * factor)))


def _schedule(source: Source, now: datetime, new_items: int, pushed: bool) -> None:
    source.interval_seconds, source.next_check_at = next_schedule(source.interval_seconds, now, new_items, pushed)


def next_schedule(interval: int, now: datetime, new_items: int, pushed: bool) -> tuple[int, datetime]:
    """(interval, next check): adapted to how often the source publishes, or a long safety net while a hub pushes."""
    if pushed:  # the interval waits as it was, for when the hub stops delivering
        return interval, now + timedelta(seconds=max(interval, websub.SAFETY_INTERVAL))
    interval = adapted_interval(interval, new_items)
    return interval, now + timedelta(seconds=interval)


def record_success(
    session: Session,
    source_id: int,
    now: datetime,
    new_items: int,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    body_hash: str | None = None,
    changed: bool = True,
    title: str | None = None,
) -> None:
    """Reset the error state and schedule the next check; remember the title the feed gives itself."""
    source = session.get(Source, source_id)
    if source is None:
        return
    pushed = bool(websub.delivering(session, [source_id], now))
    if pushed and new_items:  # the hub did not push these: poll as usual until it delivers again
        websub.missed(session, source_id, now)
        pushed = False
    _schedule(source, now, new_items, pushed)
    source.last_checked_at = source.last_ok_at = now
    source.error_count = 0
    source.last_error_code = source.last_error_message = None
    source.backlog_done = True
    source.claimed_by = None
    if changed:
        source.etag, source.last_modified, source.body_hash = etag, last_modified, body_hash
    if title:
        source.title = title[:300]


def record_unchanged(session: Session, source_ids: list[int], now: datetime) -> None:
    """Record a successful poll that found nothing new (304 or the same body) for many sources at once."""
    pushed = websub.delivering(session, source_ids, now)
    rows = []
    # Bulk UPDATE by primary key from two columns read: ORM objects cost a fleet's collectors more CPU than the fetches.
    for source_id, interval in session.execute(select(Source.id, Source.interval_seconds).where(Source.id.in_(source_ids))):
        interval, next_check = next_schedule(interval, now, 0, source_id in pushed)
        rows.append({
            "id": source_id, "interval_seconds": interval, "next_check_at": next_check, "last_checked_at": now,
            "last_ok_at": now, "error_count": 0, "last_error_code": None, "last_error_message": None, "claimed_by": None,
        })
    if rows:
        session.execute(update(Source), rows)


def record_failure(
    session: Session, source_id: int, now: datetime, code: str, message: str, retry_at: datetime | None = None
) -> Source | None:
    """Count a failure, back off exponentially, and pause the source after too many in a row."""
    source = session.get(Source, source_id)
    if source is None:
        return None
    source.error_count += 1
    source.last_checked_at = now
    source.claimed_by = None
    source.last_error_code, source.last_error_message = code, message[:2000]
    record_error(session, source_id, now, code, message)
    backoff = min(MAX_INTERVAL, source.interval_seconds * 2 ** (source.error_count - 1))
    next_check = now + timedelta(seconds=backoff)
    if retry_at is not None:
        next_check = min(max(retry_at, now + timedelta(seconds=60)), now + timedelta(days=1))
    source.next_check_at = next_check
    if source.error_count >= PAUSE_AFTER_ERRORS and source.status == "active":  # not one an admin paused meanwhile
        source.status, source.pause_notice_due = "paused", True
        source.paused_reason = PAUSED_FAILURES
    return source


def pauses_to_announce(session: Session) -> list[Source]:
    """Sources paused by their errors whose admins are not told yet, locked against a second announcer."""
    query = select(Source).where(Source.status == "paused", Source.pause_notice_due.is_(True)).order_by(Source.id)
    return list(session.scalars(query.with_for_update(skip_locked=True)))


def set_status(session: Session, source_id: int, status: str) -> Source | None:
    """Pause or resume a source; resuming clears its error state and makes it due."""
    source = session.get(Source, source_id)
    if source is None:
        return None
    source.status = status
    if status == "active":
        source.error_count, source.paused_reason, source.pause_notice_due = 0, None, False
        source.next_check_at = utcnow()
    return source


def mark_all_due(session: Session, now: datetime) -> None:
    """Make every active source due now."""
    session.execute(update(Source).where(Source.status == "active").values(next_check_at=now))


def set_label(session: Session, source_id: int, label: str | None) -> Source | None:
    """Set or clear a source's label (checked by check_label first); None if there is no such source."""
    source = session.get(Source, source_id)
    if source is not None:
        source.label = label
    return source


def labels_in_use(session: Session) -> list[str]:
    """The labels sources carry, sorted."""
    return sorted(set(session.scalars(select(Source.label).where(Source.label.is_not(None)))))
