"""The collector tick: claim due sources, refresh them concurrently, look again at matched items due, prune
old unmatched items and deliveries, and hand on to the next stages.

Every claimed source is finished within the tick: polled and recorded, or given back to be polled
again next tick when the tick could not finish it (cancelled, or the database refused the writes).

What was stored goes on explicitly, from a tick or a WebSub push alike: to linking with analyses,
then to the stages whoever builds the collector passes in (the bot's alerts and admin notices).
Each stage finds its work from its own watermark in the database (`analyses_linked_through`,
`chats.alerted_through`), so a crash between storing and alerting loses nothing: the next tick
picks it up.

Due sources are claimed a few at a time as refreshes finish, not all at once, so several
collectors sharing one database split the work evenly and none holds more than it can start.
"""
from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from feeds.analyses import linking
from feeds.analyze import Rules, rules_key
from feeds.fetch import Fetcher, FetchPolicy
from feeds.channel_pager import PagingPolicy
from feeds.parse_pool import ParsePool
from feeds.refresh import Outcome, Refresher
from feeds.stories import regroup as stories
from storage import deliveries
from storage import items as item_store
from storage import narratives as narrative_store
from storage import sources as source_store
from storage import topics as topic_store
from storage.failures import STORAGE_ERRORS, StorageFailure, describe, save_failure
from storage.models import utcnow
from storage.sources import DueSource

log = logging.getLogger(__name__)
PRUNE_EVERY = timedelta(hours=1)
# Stale hours of narrative counts counted again per tick, the latest first: a week, so a relabel of a big
# source (every hour stale) keeps the write lock for a moment per tick, not for the whole archive at once.
RECOUNT_HOURS = 7 * 24


@dataclass
class TickSummary:
    """Totals of one tick (or one push), for logs, `dozor collect --once` and the stages after storing."""

    sources: int = 0
    ok: int = 0
    unchanged: int = 0
    failed: int = 0
    new_items: int = 0
    matched: int = 0
    edited: list[int] = field(default_factory=list)  # stored items found changed: a new version each
    deleted: list[int] = field(default_factory=list)  # stored items found deleted or removed
    rechecked: int = 0  # matched items looked at again
    paused: list[int] = field(default_factory=list)
    not_stored: int = 0  # sources whose results the database refused; they are polled again next tick
    unfinished: int = 0  # sources the tick could not finish (a bug, or the tick was cancelled); likewise
    storage_error: str | None = None  # what the database said this tick
    storage_failure: StorageFailure | None = None  # the failure admins are to hear about, this tick or just over
    errors: Counter = field(default_factory=Counter)  # error code -> sources that failed with it
    parse_seconds: list[float] = field(default_factory=list)
    taken_over: int = 0  # sources whose previous collector's lease ran out before it recorded them
    host_waits: int = 0  # times a fetch found its host's slots all held by the fleet and waited
    more_due: bool = False  # the tick stopped claiming at its time budget with sources still due

    def add(self, outcome: Outcome) -> None:
        self.sources += 1
        if outcome.parse_seconds is not None:
            self.parse_seconds.append(outcome.parse_seconds)
        if outcome.storage_error:
            self.not_stored += 1
            self.storage_error = self.storage_error or outcome.storage_error
        elif outcome.error:
            self.failed += 1
            self.errors[outcome.error.code] += 1
        elif outcome.unchanged:
            self.unchanged += 1
        else:
            self.ok += 1
        self.new_items += len(outcome.new_item_ids)
        self.matched += outcome.matched
        self.edited += outcome.edited
        self.deleted += outcome.deleted
        if outcome.paused:
            self.paused.append(outcome.source_id)

    def line(self) -> str:
        """A one-line summary."""
        line = (
            f"polled {self.sources} sources: {self.ok} updated, {self.unchanged} unchanged, "
            f"{self.failed} failed; {self.new_items} new items, {self.matched} matched a topic"
        )
        if self.edited or self.deleted:
            line += f"; {len(self.edited)} edited, {len(self.deleted)} deleted"
        if self.paused:
            ids = ", ".join(f"#{source_id}" for source_id in self.paused)
            line += f"; paused after repeated failures: {ids} (the bot tells its admins)"
        if self.unfinished:
            line += f"; {self.unfinished} unfinished, to poll again"
        if self.storage_error:
            line += f"; storage failing ({self.storage_error}): {self.not_stored} sources not stored, to poll again"
        return line


AfterStore = Callable[[TickSummary], object]
"""A stage run after each tick or push, off the event loop, with its summary."""


class Collector:
    """Owns the fetcher and the parser processes, and the stages that follow storing."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        policy: FetchPolicy = FetchPolicy(),
        retention_days: int = 30,
        pool: ParsePool | None = None,
        paging: PagingPolicy = PagingPolicy(),
        parse_workers: int | None = None,
        parse_deadline_seconds: float = 30.0,
        after_store: Sequence[AfterStore] = (),
        *,
        owner: str | None = None,
        lease: timedelta = timedelta(minutes=10),
        fleet_slots=None,
    ) -> None:
        """A collector with its own parser processes, unless given a pool to share."""
        self.sessions = sessions
        self.retention_days = retention_days
        self.owner = owner  # the process id written on claimed sources
        self.lease = lease
        # Sources in hand at most: enough to keep every fetch slot busy, and in a fleet enough to pick others
        # while some wait for a host whose slots other collectors hold.
        self.batch = (4 if fleet_slots is not None else 2) * policy.global_limit
        self.fetcher = Fetcher(policy, fleet_slots)
        self.pool = pool or ParsePool(parse_workers, parse_deadline_seconds)
        self._owns_pool = pool is None
        self._push_pool: ParsePool | None = None  # started with the first document a WebSub hub pushes
        self.refresher = Refresher(sessions, self.fetcher, self.pool, paging)
        self._pruned_at: datetime | None = None
        self.storage_failure: StorageFailure | None = None  # the database's, until it is over and on record
        self._failure_saved = False
        self._ticks: set[asyncio.Task] = set()  # the tasks running a tick, stopped first on closing
        # Linking comes first, so that alerts written next carry the analyses of their items.
        self.after_store: list[AfterStore] = [self.link_analyses, *after_store]
        self._handing_on = asyncio.Lock()  # one pass of the stages at a time, for ticks and pushes alike
        self._all_placed = False

    async def tick(self, everything: bool = False) -> TickSummary:
        """Refresh every due source (or every active one) once."""
        task = asyncio.current_task()
        self._ticks.add(task)
        try:
            return await self._tick(everything)
        finally:
            self._ticks.discard(task)

    async def _tick(self, everything: bool) -> TickSummary:
        now = utcnow()
        summary = TickSummary()
        waits_before = self.fetcher.fleet_waits
        try:
            rules = await asyncio.to_thread(self.rules)
        except STORAGE_ERRORS as exc:
            summary.storage_error = describe(exc)
        else:
            await self._refresh_due(rules, everything, summary)
        if not summary.storage_error:
            await self._recheck(rules, now, summary)
        await self._try_write(summary, self._prune_if_due, now)
        await self._try_write(summary, self._place_older_items)
        await self._try_write(summary, self._recount_narratives)
        await self._track_storage(summary, now)
        summary.host_waits = self.fetcher.fleet_waits - waits_before
        log.log(logging.INFO if summary.sources else logging.DEBUG, summary.line())
        await self._hand_on(summary)
        return summary

    async def _recheck(self, rules: Rules, now: datetime, summary: TickSummary) -> None:
        """Look again at the matched items that are due (their edits and removals go on the summary)."""
        try:
            found = await self.refresher.rechecker.run(rules, now, lease=self.lease)
        except STORAGE_ERRORS as exc:
            summary.storage_error = summary.storage_error or describe(exc)
            return
        summary.rechecked += found.looked
        summary.edited += found.edited
        summary.deleted += found.deleted

    async def push(self, source_id: int, body: bytes, headers: dict[str, str]) -> Outcome | None:
        """Store what a WebSub hub pushed for a source, through the same parse, match and store; None if it is gone."""
        source = await asyncio.to_thread(self._source, source_id)
        if source is None:
            return None
        rules = await asyncio.to_thread(self.rules)
        outcome = await self.refresher.push(source, body, headers, rules, utcnow(), self._push_parser())
        log.info("source %s: %d new items pushed by its hub", source_id, len(outcome.new_item_ids))
        if outcome.new_item_ids or outcome.edited:
            summary = TickSummary()
            summary.add(outcome)
            await self._hand_on(summary)
        return outcome

    async def _hand_on(self, summary: TickSummary) -> None:
        """Run the stages after storing, in order; one that fails is logged and the next still runs."""
        async with self._handing_on:
            for stage in self.after_store:
                name = getattr(stage, "__name__", stage)
                try:
                    await asyncio.to_thread(stage, summary)
                except STORAGE_ERRORS as exc:  # already reported with the tick's storage failure
                    log.warning("%s skipped: the database failed (%s)", name, describe(exc))
                except Exception:
                    log.exception("%s failed after storing", name)

    def link_analyses(self, summary: TickSummary) -> None:
        """Turn items of analysis sources into analyses, and link new items to the analyses."""
        linking.after_collect(self.sessions)

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

    async def _refresh_due(self, rules: Rules, everything: bool, summary: TickSummary) -> None:
        """Refresh due sources, claiming more whenever half of those in hand are done, within half a lease.

        Whatever happens to one source, the others finish; when the tick is cancelled, the sources
        not done are given back.
        """
        loop = asyncio.get_running_loop()
        stop_claiming = loop.time() + self.lease.total_seconds() / 2  # what is claimed is recorded within its lease
        running: dict[asyncio.Task, DueSource] = {}
        finished: list[tuple[DueSource, object]] = []
        more = True
        try:
            while True:
                room = self.batch - len(running)
                if more and room * 2 >= self.batch:
                    await self._settle(finished, summary)
                    finished = []
                    if loop.time() >= stop_claiming:
                        summary.more_due, more = True, False
                    else:
                        claimed_at = utcnow()
                        due = await self._claim_some(claimed_at, 500 if everything else room, everything, summary)
                        more = not everything and len(due) == room
                        running |= {self._start(source, rules, claimed_at): source for source in due}
                if not running:
                    return
                done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                finished += [(running.pop(task), _result(task)) for task in done]
        finally:
            for task in running:
                task.cancel()
            results = await asyncio.gather(*running, return_exceptions=True)
            finished += list(zip(running.values(), results))
            await self._settle(finished, summary)

    def _start(self, source: DueSource, rules: Rules, now: datetime) -> asyncio.Task:
        return asyncio.ensure_future(self.refresher.refresh(source, rules, now))

    async def _claim_some(self, now: datetime, limit: int, everything: bool, summary: TickSummary) -> list[DueSource]:
        """Claim up to `limit` due sources; none while the database fails."""
        try:
            due = await asyncio.to_thread(self._claim, now, limit, everything)
        except STORAGE_ERRORS as exc:
            summary.storage_error = summary.storage_error or describe(exc)
            return []
        for source in due:
            if source.taken_over_from:
                summary.taken_over += 1
                log.warning("source %s: the lease of %s ran out before it recorded its poll; polling it here",
                            source.id, source.taken_over_from)
        return due

    async def _settle(self, finished: list[tuple[DueSource, object]], summary: TickSummary) -> None:
        """Add up the outcomes, record the unchanged sources, and give back those not finished or not stored."""
        if not finished:
            return
        give_back = []
        for source, result in finished:
            if isinstance(result, Outcome):
                summary.add(result)
                if result.storage_error:
                    give_back.append(source.id)
                continue
            summary.sources += 1
            summary.unfinished += 1
            give_back.append(source.id)
            if not isinstance(result, asyncio.CancelledError):
                log.error("source %s (%s) was not finished", source.id, source.url, exc_info=result)
        unchanged = [r.source_id for _, r in finished if isinstance(r, Outcome) and r.unchanged]
        now = utcnow()
        await self._try_write(summary, self._record_unchanged, unchanged, now)
        await self._try_write(summary, self._release, give_back, now)

    async def _track_storage(self, summary: TickSummary, now: datetime) -> None:
        """Keep track of a failing database: logged once a tick, recorded once it takes writes again."""
        if summary.storage_error:
            failure = self.storage_failure or StorageFailure(since=now, at=now, message="")
            failure.at, failure.message, failure.sources = now, summary.storage_error, summary.not_stored
            self.storage_failure, self._failure_saved = failure, False
            log.error("storage failing: %s (%d sources not stored, to poll again)", failure.message, failure.sources)
        if self.storage_failure is None:
            return
        summary.storage_failure = self.storage_failure
        if not self._failure_saved:
            self._failure_saved = await self._try_write(None, self._save_failure, self.storage_failure)
        if self._failure_saved and not summary.storage_error:
            self.storage_failure = None  # over, and on record

    async def _try_write(self, summary: TickSummary | None, write, *args) -> bool:
        """Run a blocking write in a thread; a failing database is noted on the summary, not raised."""
        try:
            await asyncio.to_thread(write, *args)
        except STORAGE_ERRORS as exc:
            if summary is not None:
                summary.storage_error = summary.storage_error or describe(exc)
            return False
        return True

    def _claim(self, now: datetime, limit: int, everything: bool):
        with self.sessions.begin() as session:
            return source_store.claim_due(session, now, limit, self.lease, everything, self.owner)

    def rules(self) -> Rules:
        """The current rules of the topics and narratives (the parser processes compile them once per change)."""
        with self.sessions() as session:
            return rules_key(topic_store.topic_rules(session, kind=None))

    def _release(self, source_ids: list[int], now: datetime) -> None:
        if source_ids:
            with self.sessions.begin() as session:
                source_store.release(session, source_ids, now)

    def _save_failure(self, failure: StorageFailure) -> None:
        with self.sessions.begin() as session:
            save_failure(session, failure)

    def _record_unchanged(self, source_ids: list[int], now: datetime) -> None:
        if source_ids:
            with self.sessions.begin() as session:
                source_store.record_unchanged(session, source_ids, now)

    def _prune_if_due(self, now: datetime) -> None:
        if self._pruned_at and now - self._pruned_at < PRUNE_EVERY:
            return
        with self.sessions.begin() as session:
            pruned = item_store.prune_unmatched(session, now, self.retention_days)
            deliveries.prune(session, now - timedelta(days=self.retention_days))  # and what chats received
        stories.prune(self.sessions, now)
        self._pruned_at = now
        if pruned:
            log.info("pruned %d unmatched items older than %d days", pruned, self.retention_days)

    def _place_older_items(self) -> None:
        """Put items stored before stories existed into stories, a batch per tick, until none is left."""
        if self._all_placed:
            return
        if stories.backfill(self.sessions) < stories.BACKFILL_BATCH:
            self._all_placed = True

    def _recount_narratives(self) -> None:
        """Count again the hours of narrative counts that this tick's writes (or a re-match, a relabel) made stale."""
        with self.sessions.begin() as session:
            narrative_store.recount_stale(session, most=RECOUNT_HOURS)

    async def aclose(self) -> None:
        """Stop a tick still running (its unfinished sources are given back), close connections, stop the parsers."""
        running = [task for task in self._ticks if task is not asyncio.current_task()]
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        await self.fetcher.aclose()
        self.refresher.close()
        if self._owns_pool:
            self.pool.close()
        if self._push_pool is not None:
            self._push_pool.close()


def _result(task: asyncio.Task) -> object:
    """A finished task's outcome, or what it raised."""
    if task.cancelled():
        return asyncio.CancelledError()
    return task.exception() or task.result()
