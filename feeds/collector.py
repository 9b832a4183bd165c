"""The collector tick: claim due sources, refresh them concurrently, prune old unmatched items."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from feeds.fetch import Fetcher, FetchPolicy
from feeds.analyze import Rules, rules_key
from feeds.channel_pager import PagingPolicy
from feeds.parse_pool import ParsePool
from feeds.refresh import Outcome, Refresher
from storage import items as item_store
from storage import sources as source_store
from storage import topics as topic_store
from storage.models import utcnow

log = logging.getLogger(__name__)
PRUNE_EVERY = timedelta(hours=1)


@dataclass
class TickSummary:
    """Totals of one tick, for logs and `dozor collect --once`."""

    sources: int = 0
    ok: int = 0
    unchanged: int = 0
    failed: int = 0
    new_items: int = 0
    matched: int = 0
    paused: list[int] = field(default_factory=list)
    new_item_ids: list[int] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.sources += 1
        if outcome.error:
            self.failed += 1
        elif outcome.unchanged:
            self.unchanged += 1
        else:
            self.ok += 1
        self.new_items += len(outcome.new_item_ids)
        self.matched += outcome.matched
        self.new_item_ids.extend(outcome.new_item_ids)
        if outcome.paused:
            self.paused.append(outcome.source_id)

    def line(self) -> str:
        """A one-line summary."""
        return (
            f"polled {self.sources} sources: {self.ok} updated, {self.unchanged} unchanged, "
            f"{self.failed} failed; {self.new_items} new items, {self.matched} matched a topic"
        )


class Collector:
    """Owns the fetcher and the parser processes."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        policy: FetchPolicy = FetchPolicy(),
        retention_days: int = 30,
        pool: ParsePool | None = None,
        paging: PagingPolicy = PagingPolicy(),
    ) -> None:
        self.sessions = sessions
        self.retention_days = retention_days
        self.fetcher = Fetcher(policy)
        self.pool = pool or ParsePool()
        self._owns_pool = pool is None
        self._push_pool: ParsePool | None = None  # started with the first document a WebSub hub pushes
        self.refresher = Refresher(sessions, self.fetcher, self.pool, paging)
        self._pruned_at: datetime | None = None

    async def tick(self, everything: bool = False) -> TickSummary:
        """Refresh every due source (or every active one) once."""
        now = utcnow()
        due = await asyncio.to_thread(self._claim, now, everything)
        rules = await asyncio.to_thread(self.rules)
        outcomes = await asyncio.gather(*(self.refresher.refresh(s, rules, now) for s in due))
        summary = TickSummary()
        for outcome in outcomes:
            summary.add(outcome)
        unchanged = [o.source_id for o in outcomes if o.unchanged]
        await asyncio.to_thread(self._record_unchanged, unchanged, now)
        await asyncio.to_thread(self._prune_if_due, now)
        log.log(logging.INFO if summary.sources else logging.DEBUG, summary.line())
        return summary

    async def push(self, source_id: int, body: bytes, headers: dict[str, str]) -> Outcome | None:
        """Store what a WebSub hub pushed for a source, through the same parse, match and store; None if it is gone."""
        source = await asyncio.to_thread(self._source, source_id)
        if source is None:
            return None
        rules = await asyncio.to_thread(self.rules)
        outcome = await self.refresher.push(source, body, headers, rules, utcnow(), self._push_parser())
        log.info("source %s: %d new items pushed by its hub", source_id, len(outcome.new_item_ids))
        return outcome

    async def start_push_parser(self) -> None:
        """Start the parser process for pushed documents now, so the first push does not wait for it."""
        empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>start</title></channel></rss>'
        await self._push_parser().parse(empty, {}, kind="rss", url="http://localhost/", fetched_at=utcnow())

    def _push_parser(self) -> ParsePool:
        if self._push_pool is None:  # its own process, so a push never waits behind a tick's bodies
            self._push_pool = ParsePool(workers=1, deadline_seconds=self.pool.deadline_seconds)
        return self._push_pool

    def _source(self, source_id: int):
        with self.sessions() as session:
            return source_store.due_source(session, source_id)

    def _claim(self, now: datetime, everything: bool):
        with self.sessions.begin() as session:
            return source_store.claim_due(session, now, everything=everything)

    def rules(self) -> Rules:
        """The topics' current rules (the parser processes compile them once per change)."""
        with self.sessions() as session:
            return rules_key(topic_store.topic_rules(session))

    def _record_unchanged(self, source_ids: list[int], now: datetime) -> None:
        if source_ids:
            with self.sessions.begin() as session:
                source_store.record_unchanged(session, source_ids, now)

    def _prune_if_due(self, now: datetime) -> None:
        if self._pruned_at and now - self._pruned_at < PRUNE_EVERY:
            return
        with self.sessions.begin() as session:
            pruned = item_store.prune_unmatched(session, now, self.retention_days)
        self._pruned_at = now
        if pruned:
            log.info("pruned %d unmatched items older than %d days", pruned, self.retention_days)

    async def aclose(self) -> None:
        """Close connections and stop the parser processes."""
        await self.fetcher.aclose()
        self.refresher.close()
        if self._owns_pool:
            self.pool.close()
        if self._push_pool is not None:
            self._push_pool.close()

