"""The collector tick: claim due sources, refresh them concurrently, prune old unmatched items."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from feeds.fetch import Fetcher, FetchPolicy
from feeds.matching import Matcher, RuleSyntaxError, compile_topics
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
    """Owns the fetcher, the parser processes and the compiled matcher."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        policy: FetchPolicy = FetchPolicy(),
        retention_days: int = 30,
        pool: ParsePool | None = None,
    ) -> None:
        self.sessions = sessions
        self.retention_days = retention_days
        self.fetcher = Fetcher(policy)
        self.pool = pool or ParsePool()
        self._owns_pool = pool is None
        self.refresher = Refresher(sessions, self.fetcher, self.pool)
        self._matcher_key: tuple | None = None
        self._matcher: Matcher | None = None
        self._pruned_at: datetime | None = None

    async def tick(self, everything: bool = False) -> TickSummary:
        """Refresh every due source (or every active one) once."""
        now = utcnow()
        due = await asyncio.to_thread(self._claim, now, everything)
        matcher = await asyncio.to_thread(self.matcher)
        outcomes = await asyncio.gather(*(self.refresher.refresh(s, matcher, now) for s in due))
        summary = TickSummary()
        for outcome in outcomes:
            summary.add(outcome)
        await asyncio.to_thread(self._prune_if_due, now)
        log.info(summary.line())
        return summary

    def _claim(self, now: datetime, everything: bool):
        with self.sessions.begin() as session:
            return source_store.claim_due(session, now, everything=everything)

    def matcher(self) -> Matcher:
        """The compiled topics, recompiled only when the stored rules change."""
        with self.sessions() as session:
            rules = topic_store.topic_rules(session)
        key = tuple((topic, tuple(texts)) for topic, texts in sorted(rules.items()))
        if key != self._matcher_key:
            self._matcher = _compile_valid(rules)
            self._matcher_key = key
        return self._matcher

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
        if self._owns_pool:
            self.pool.close()


def _compile_valid(rules: dict[str, list[str]]) -> Matcher:
    """Compile the topics, leaving out any rule that no longer parses (and saying so)."""
    try:
        return compile_topics(rules)
    except RuleSyntaxError:
        pass
    valid: dict[str, list[str]] = {}
    for topic, texts in rules.items():
        for text in texts:
            try:
                compile_topics({topic: [text]})
            except RuleSyntaxError as error:
                log.error("topic %s: rule %r ignored: %s", topic, text, error)
                continue
            valid.setdefault(topic, []).append(text)
    return compile_topics(valid)
