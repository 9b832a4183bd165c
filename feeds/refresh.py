"""Refreshing one source: fetch -> parse -> match -> store, and its health recorded either way."""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from feeds.channel_pager import ChannelPager, PagingPolicy
from feeds.entry import Entry
from feeds.errors import FeedError
from feeds.fetch import Fetcher
from feeds.analyze import Rules
from feeds.parse_pool import ParsePool
from feeds.stories import regroup as stories
from feeds.websub.links import hub_and_topic
from storage import items as item_store
from storage import sources as source_store
from storage import websub as websub_store
from storage.failures import STORAGE_ERRORS, describe
from storage.items import NewItem
from storage.sources import DueSource
from storage.writer import BatchWriter

log = logging.getLogger(__name__)
STORE_ATTEMPTS = 3
AfterStore = Callable[[Session, "Outcome", set], None]


@dataclass
class Outcome:
    """What one refresh did."""

    source_id: int
    new_item_ids: list[int] = field(default_factory=list)
    matched: int = 0
    unchanged: bool = False
    error: FeedError | None = None
    paused: bool = False
    storage_error: str | None = None  # the database failed: nothing was recorded, the source is to be retried


def dedup_key(entry: Entry) -> str:
    """A hash of the GUID, else the canonical link, else title and text."""
    if entry.guid:
        basis = "g:" + entry.guid
    elif entry.canonical_url:
        basis = "u:" + entry.canonical_url
    else:
        basis = "t:" + entry.title + "\n" + entry.text
    return hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()


def body_digest(body: bytes) -> str:
    """A fingerprint of a response body, to skip parsing one we have seen."""
    return hashlib.sha256(body).hexdigest()


class Refresher:
    """Runs the pipeline for one source at a time; safe to run for many sources concurrently."""

    def __init__(
        self, sessions: sessionmaker[Session], fetcher: Fetcher, pool: ParsePool, paging: PagingPolicy = PagingPolicy()
    ) -> None:
        self.fetcher = fetcher
        self.pool = pool
        # One writing thread: concurrent SQLite writers would wait on each other in the busy handler's
        # sleeps (up to 100 ms each) instead of queueing here, and stores that queue up commit together.
        self._writer = BatchWriter(sessions)
        self.pager = ChannelPager(fetcher, pool, self._writer, self.store, paging)

    async def refresh(self, source: DueSource, rules: Rules, now: datetime) -> Outcome:
        """Poll one source and record the result on it; a failing database is reported, not charged to it."""
        try:
            return await self._refresh_and_record(source, rules, now)
        except STORAGE_ERRORS as exc:
            return Outcome(source.id, storage_error=describe(exc))

    async def _refresh_and_record(self, source: DueSource, rules: Rules, now: datetime) -> Outcome:
        try:
            return await self._refresh(source, rules, now)
        except FeedError as error:
            return await self._record_failure(source, now, error)
        except STORAGE_ERRORS:
            raise
        except Exception as exc:  # a bug must not stop the other sources
            log.exception("refreshing source %s (%s) failed", source.id, source.url)
            error = FeedError("internal.error", f"{type(exc).__name__}: {exc}")
            return await self._record_failure(source, now, error)

    async def _refresh(self, source: DueSource, rules: Rules, now: datetime) -> Outcome:
        result = await self.fetcher.fetch(source.url, etag=source.etag, last_modified=source.last_modified)
        digest = None if result.body is None else body_digest(result.body)
        if result.not_modified or digest == source.body_hash:
            unchanged = Outcome(source.id, unchanged=True)  # recorded with the others at the end of the tick
            return await self.pager.resume(source, rules, now, unchanged) if source.kind == "telegram" else unchanged
        parsed = await self.pool.parse(
            result.body, result.headers, kind=source.kind, url=result.url, fetched_at=now, rules=rules
        )
        validators = {
            "etag": result.headers.get("etag"),
            "last_modified": result.headers.get("last-modified"),
            "body_hash": digest,
            "title": parsed.title,
        }
        if source.kind == "telegram":
            return await self.pager.first_page(source, parsed, rules, now, validators)
        hub = hub_and_topic(result.headers, parsed.links, result.url)
        then = partial(_hub_offered, hub, now) if hub else None
        return await self.store(source, parsed.entries, now, validators, then=then)

    async def push(
        self, source: DueSource, body: bytes, headers: dict[str, str], rules: Rules, now: datetime, pool: ParsePool
    ) -> Outcome:
        """Parse (in `pool`), match and store a document a WebSub hub pushed, as a poll's, without counting a poll."""
        try:
            parsed = await pool.parse(body, headers, kind=source.kind, url=source.url, fetched_at=now, rules=rules)
        except FeedError as error:
            log.warning("source %s (%s): a pushed document could not be read: %s", source.id, source.url, error)
            return Outcome(source.id, error=error)
        return await self.store(source, parsed.entries, now, backlog=False, then=partial(_push_stored, now))

    def close(self) -> None:
        """Let the writing thread finish."""
        self._writer.close()

    async def store(
        self, source: DueSource, entries: list[Entry], now: datetime, validators: dict | None = None, *,
        backlog: bool | None = None, then: AfterStore | None = None,
    ) -> Outcome:
        """Store entries as the source's; with a poll's `validators`, record the poll too.

        `backlog` overrides the source's own (a new source's first fetch is backlog); `then(session,
        outcome, known_keys)` runs in the same transaction, for state that must commit with the items.
        """
        keyed = {}
        for entry in entries:
            keyed.setdefault(dedup_key(entry), entry)
        backlog = not source.backlog_done if backlog is None else backlog
        store = partial(_store_once, source, keyed, now, validators, backlog, then)
        for attempt in range(STORE_ATTEMPTS):
            try:
                return await self._writer.run(store)
            except IntegrityError:
                # Another source stored the same canonical URL at the same moment: the next try links to it.
                if attempt == STORE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    async def _record_failure(self, source: DueSource, now: datetime, error: FeedError) -> Outcome:
        log.warning("source %s (%s): %s", source.id, source.url, error)
        return await self._writer.run(partial(_failure_recorded, source, now, error))


def _store_once(
    source: DueSource, keyed: dict[str, Entry], now: datetime, validators: dict | None, backlog: bool,
    then: AfterStore | None, session: Session,
) -> Outcome:
    known = item_store.known_keys(session, source.id, keyed)
    fresh = [_new_item(key, e, backlog=backlog) for key, e in keyed.items() if key not in known]
    ids = item_store.store_items(session, source.id, fresh, known=known)
    stories.place_new(session, ids)
    if validators is not None:
        source_store.record_success(session, source.id, now, len(ids), **validators)
    matched = sum(1 for item in fresh if item.matches)
    outcome = Outcome(source.id, new_item_ids=ids, matched=matched)
    if then is not None:
        then(session, outcome, known)
    return outcome


def _hub_offered(hub: tuple[str, str], now: datetime, session: Session, outcome: Outcome, known: set) -> None:
    websub_store.offer(session, outcome.source_id, *hub, now)


def _push_stored(now: datetime, session: Session, outcome: Outcome, known: set) -> None:
    websub_store.delivered(session, outcome.source_id, now)


def _failure_recorded(source: DueSource, now: datetime, error: FeedError, session: Session) -> Outcome:
    row = source_store.record_failure(session, source.id, now, error.code, error.message, error.retry_at)
    return Outcome(source.id, error=error, paused=row is not None and row.status == "paused")


def _new_item(key: str, entry: Entry, backlog: bool) -> NewItem:
    return NewItem(
        dedup_key=key,
        title=entry.title,
        text=entry.text,
        published_at=entry.published_at,
        url=entry.url,
        canonical_url=entry.canonical_url,
        lang=entry.lang,
        backlog=backlog,
        extra=entry.extra or None,
        matches=entry.matches,
        stems=entry.stems,
    )
