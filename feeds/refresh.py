"""Refreshing one source: fetch -> parse -> full text -> match -> store, and its health recorded either way.

Storing also compares what the source shows of items it delivered before with what it showed
then (a fingerprint per source and item): a change is a new version (storage.versions).
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import time
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
from feeds.full_text import FullTexts, Tally
from feeds.parse_pool import ParsePool
from feeds.recheck import Rechecker
from feeds.stories import regroup as stories
from feeds.websub.links import hub_and_topic
from storage import items as item_store
from storage import sources as source_store
from storage import versions
from storage import websub as websub_store
from storage.failures import STORAGE_ERRORS, describe
from storage.items import Known, NewItem
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
    edited: list[int] = field(default_factory=list)  # ids of stored items the source now shows changed
    deleted: list[int] = field(default_factory=list)  # ids of stored posts found deleted
    unchanged: bool = False
    error: FeedError | None = None
    paused: bool = False
    storage_error: str | None = None  # the database failed: nothing was recorded, the source is to be retried
    parse_seconds: float | None = None  # how long the parser took, for the metrics


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
        self.sessions = sessions
        self.full_texts = FullTexts(fetcher, pool)
        # One writing thread: concurrent SQLite writers would wait on each other in the busy handler's
        # sleeps (up to 100 ms each) instead of queueing here, and stores that queue up commit together.
        self._writer = BatchWriter(sessions)
        self.pager = ChannelPager(fetcher, pool, self._writer, self.store, paging)
        self.rechecker = Rechecker(sessions, fetcher, pool, self._writer, self.pager)

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
        started = time.perf_counter()
        parsed = await self.pool.parse(
            result.body, result.headers, kind=source.kind, url=result.url, fetched_at=now, rules=rules
        )
        parse_seconds = time.perf_counter() - started
        validators = {
            "etag": result.headers.get("etag"),
            "last_modified": result.headers.get("last-modified"),
            "body_hash": digest,
            "title": parsed.title,
        }
        if source.kind == "telegram":
            outcome = await self.pager.first_page(source, parsed, rules, now, validators)
        else:
            hub = hub_and_topic(result.headers, parsed.links, result.url)
            then = partial(_hub_offered, hub, now) if hub else None
            tally = await self._full_texts(source, parsed.entries, rules)
            outcome = await self.store(source, parsed.entries, now, validators, then=then, tally=tally)
        outcome.parse_seconds = parse_seconds
        return outcome

    async def _full_texts(self, source: DueSource, entries: list[Entry], rules: Rules) -> Tally:
        """Read the article pages of the entries new to this source that want their full text."""
        keyed = {dedup_key(entry): entry for entry in entries}
        known = await asyncio.to_thread(self._known, source.id, list(keyed)) if keyed else {}
        fresh = [e for key, e in keyed.items() if key not in known]
        return await self.full_texts.fill(source, fresh, rules, backlog=not source.backlog_done)

    def _known(self, source_id: int, keys: list[str]) -> dict[str, Known]:
        with self.sessions() as session:
            return item_store.known_keys(session, source_id, keys)

    async def push(
        self, source: DueSource, body: bytes, headers: dict[str, str], rules: Rules, now: datetime, pool: ParsePool
    ) -> Outcome:
        """Parse (in `pool`), match and store a document a WebSub hub pushed, as a poll's, without counting a poll."""
        try:
            parsed = await pool.parse(body, headers, kind=source.kind, url=source.url, fetched_at=now, rules=rules)
        except FeedError as error:
            log.warning("source %s (%s): a pushed document could not be read: %s", source.id, source.url, error)
            return Outcome(source.id, error=error)
        tally = await self._full_texts(source, parsed.entries, rules)
        return await self.store(source, parsed.entries, now, backlog=False, then=partial(_push_stored, now), tally=tally)

    def close(self) -> None:
        """Let the writing thread finish."""
        self._writer.close()

    async def store(
        self, source: DueSource, entries: list[Entry], now: datetime, validators: dict | None = None, *,
        backlog: bool | None = None, then: AfterStore | None = None, tally: Tally | None = None,
    ) -> Outcome:
        """Store entries as the source's; with a poll's `validators`, record the poll too.

        `backlog` overrides the source's own (a new source's first fetch is backlog); `then(session,
        outcome, known_keys)` runs in the same transaction, for state that must commit with the items;
        `tally` says how reading their article pages went.
        """
        keyed = {}
        for entry in entries:
            keyed.setdefault(dedup_key(entry), entry)
        backlog = not source.backlog_done if backlog is None else backlog
        store = partial(_store_once, source, keyed, now, validators, backlog, then, tally or Tally())
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
    then: AfterStore | None, tally: Tally, session: Session,
) -> Outcome:
    known = item_store.known_keys(session, source.id, keyed)
    fresh = [_new_item(key, e, backlog=backlog) for key, e in keyed.items() if key not in known]
    ids = item_store.store_items(session, source.id, fresh, known=known)
    stories.place_new(session, ids)
    edited = _revise(session, source.id, keyed, known, now)
    if validators is not None:
        source_store.record_success(session, source.id, now, len(ids), **validators)
    source_store.record_extraction(session, source.id, now, tally.extracted, tally.errors)
    matched = sum(1 for item in fresh if item.matches)
    outcome = Outcome(source.id, new_item_ids=ids, matched=matched, edited=edited)
    if then is not None:
        then(session, outcome, known)
    return outcome


def _revise(session: Session, source_id: int, keyed: dict[str, Entry], known: dict[str, Known], now: datetime) -> list[int]:
    """Compare what the source shows of its known items with what it showed; a change is a new version."""
    looks, prints = [], {}
    for key, old in known.items():
        entry = keyed[key]
        if old.fingerprint == entry.fingerprint:
            continue
        prints[key] = entry.fingerprint
        if old.fingerprint is not None:  # None: stored before fingerprints were kept, taken as it is now
            link = entry.canonical_url or entry.url
            marked = bool(entry.extra.get("edited"))
            looks.append(versions.Seen(old.item_id, entry.title, entry.text, link, None, marked, entry.matches))
    item_store.take_fingerprints(session, source_id, prints)
    versions.mark_seen(session, [old.item_id for old in known.values()], now)
    return versions.revise(session, looks, now)


def _hub_offered(hub: tuple[str, str], now: datetime, session: Session, outcome: Outcome, known: set) -> None:
    websub_store.offer(session, outcome.source_id, *hub, now)


def _push_stored(now: datetime, session: Session, outcome: Outcome, known: set) -> None:
    websub_store.delivered(session, outcome.source_id, now)


def _failure_recorded(source: DueSource, now: datetime, error: FeedError, session: Session) -> Outcome:
    row = source_store.record_failure(session, source.id, now, error.code, error.message, error.retry_at)
    # Only a pause this failure caused is news: an admin may have paused the source during its fetch.
    return Outcome(source.id, error=error, paused=row is not None and row.status == "paused" and row.pause_notice_due)


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
        full_text=entry.full_text,
        extract_error=entry.extract_error,
        fingerprint=entry.fingerprint,
        edited=bool(entry.extra.get("edited")),
        page_validators=entry.page_validators,
    )
