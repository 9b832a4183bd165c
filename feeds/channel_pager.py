"""Paging back through a Telegram channel (t.me/s/<channel>?before=<id>) so that no post is missed.

A channel's page shows only its newest ~20 posts. When the page does not reach the newest post
stored (Dozor was down, or the channel posted a burst between two polls), older pages are read
until one does, or until the limits (PagingPolicy). A new channel is read back to a set depth, as
backlog that is never broadcast. Each page is stored together with the cursor, in one
transaction, so a run goes on where it stopped after a crash; a run that uses up its time in one
refresh goes on at the next tick. Pages go through the same fetcher (per-host limits, deadline),
parser processes and store as the first page.

Every page read is also a look for deleted posts: a stored post whose id falls between the
oldest and newest posts a page shows, but is not on it, is a candidate. The page is fetched a
second time; only a post missing from both looks is recorded as deleted (`telegram.missing`), so a
page that lost a post for one fetch raises no alarm.
"""
from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

import httpx
from sqlalchemy.orm import Session

from feeds.analyze import Rules
from feeds.entry import Entry, ParsedFeed
from feeds.errors import FeedError
from feeds.fetch import Fetcher
from feeds.normalize import canonical_url
from feeds.parse_pool import ParsePool
from storage import channel_cursors
from storage import items as item_store
from storage import versions
from storage.models import ChannelCursor
from storage.sources import DueSource
from storage.writer import BatchWriter

log = logging.getLogger(__name__)
RESUME_AFTER = timedelta(seconds=30)  # an unfinished run is due again this soon
RECHECK_ABOVE = 10  # a post is re-checked on the page of the posts below its id + this, so it is inside the page
MAX_GAP_IDS = 400  # a page's range wider than this is looked through only this far from its newest post
_POST_ID = re.compile(r"/(\d{1,12})$")
_CHANNEL = re.compile(r"^https?://t\.me/([A-Za-z0-9_]{1,64})/\d+$")


@dataclass(frozen=True)
class PagingPolicy:
    """How far back to page: through a gap, and into a new channel's history."""

    gap_days: float = 7.0  # a gap is filled back to posts this old at most
    gap_posts: int = 500  # and at most this many posts are read on older pages
    backfill_days: float = 2.0  # a new channel is read back this far, as backlog
    round_seconds: float = 20.0  # one refresh pages back for this long; the rest follows at the next tick


@dataclass(frozen=True)
class PageSpan:
    """The posts one page covers."""

    newest: int | None
    oldest: int | None  # the id the page's link to older posts starts from
    oldest_date: datetime | None
    posts: int


def post_id(entry: Entry) -> int | None:
    """The post id in a channel entry's permalink (https://t.me/<channel>/<id>)."""
    return post_number(entry.guid)


def post_number(permalink: str | None) -> int | None:
    """The post id at the end of a post's permalink."""
    found = _POST_ID.search(permalink or "")
    return int(found[1]) if found else None


def shown_posts(parsed: ParsedFeed) -> set[int]:
    """The ids of every post a page shows (an album shows all of its posts)."""
    return {i for entry in parsed.entries for i in [post_id(entry), *entry.extra.get("album", ())] if i is not None}


def page_span(parsed: ParsedFeed) -> PageSpan:
    """The range of post ids (an album counts all its posts) and the oldest date of a page."""
    ids = [i for entry in parsed.entries for i in [post_id(entry), *entry.extra.get("album", ())] if i is not None]
    lowest = [i for i in (parsed.older, min(ids, default=None)) if i is not None]
    dates = [entry.published_at for entry in parsed.entries]
    return PageSpan(max(ids, default=None), min(lowest, default=None), min(dates, default=None), len(parsed.entries))


def older_page_url(channel_url: str, before: int) -> str:
    """The channel page of the posts just below `before`."""
    return str(httpx.URL(channel_url).copy_merge_params({"before": str(before)}))


StoreFn = Callable[..., Awaitable]  # feeds.refresh.Refresher.store


class ChannelPager:
    """Finds gaps on a channel's first page and pages back through them."""

    def __init__(self, fetcher: Fetcher, pool: ParsePool, writer: BatchWriter, store: StoreFn, policy: PagingPolicy):
        self.fetcher, self.pool, self.writer, self.store, self.policy = fetcher, pool, writer, store, policy

    async def first_page(self, source: DueSource, parsed: ParsedFeed, rules: Rules, now: datetime, validators: dict):
        """Store the channel's first page (a poll); page back if it leaves a gap or the channel is new."""
        span, decided = page_span(parsed), {}
        then = partial(_first_page_stored, source.backlog_done, span, self.policy, now, decided)
        outcome = await self.store(source, parsed.entries, now, validators, then=then)
        outcome.deleted += await self.deletions(source.url, parsed, rules, now)
        return await self._page_back(source, rules, now, outcome, decided.get("before"), decided.get("backlog", False))

    async def recheck(self, source: DueSource, post: int, rules: Rules, now: datetime) -> tuple[list[int], list[int]]:
        """Look at a stored post again on its page: (ids of items edited, ids of items found deleted)."""
        url = older_page_url(source.url, post + RECHECK_ABOVE)
        parsed = await self._page(url, rules, now)
        stored = await self.store(source, parsed.entries, now, backlog=True)
        return stored.edited, await self.deletions(url, parsed, rules, now)

    async def deletions(self, url: str, parsed: ParsedFeed, rules: Rules, now: datetime) -> list[int]:
        """Record the stored posts missing inside this page's range on it and on a second look; their item ids."""
        missing = await self.writer.run(partial(_stored_missing, parsed))
        if not missing:
            return []
        try:
            again = await self._page(url, rules, now)
        except FeedError as error:  # no second look, no verdict: the next look asks again
            log.warning("a second look at %s failed, no post is taken for deleted: %s", url, error)
            return []
        still = _missing_from(again, missing)
        if not still:
            log.info("%s lacked posts %s for one fetch only: not deleted", url, sorted(missing))
            return []
        low, high = min(shown_posts(parsed)), max(shown_posts(parsed))
        evidence = {
            post: f"post {post} was missing from {url} on two fetches, which showed posts {low} to {high}"
            for post in still
        }
        return await self.writer.run(partial(_record_deleted, {still[p]: evidence[p] for p in still}, now))

    async def resume(self, source: DueSource, rules: Rules, now: datetime, outcome):
        """Go on with an unfinished run when the first page did not change."""
        state = await self.writer.run(partial(_paging_state, source.id))
        return await self._page_back(source, rules, now, outcome, state.before, state.backlog)

    async def _page_back(self, source: DueSource, rules: Rules, now: datetime, outcome, before: int | None, backlog: bool):
        deadline = asyncio.get_running_loop().time() + self.policy.round_seconds
        while before is not None:
            try:
                parsed = await self._older_page(source, before, rules, now)
            except FeedError as error:  # the next refresh tries this page again
                log.warning("channel %s: paging back from post %d stopped for now: %s", source.name, before, error)
                break
            out_of_time = asyncio.get_running_loop().time() >= deadline
            decided: dict = {}
            then = partial(_older_page_stored, before, page_span(parsed), self.policy, now, out_of_time, decided)
            # A poll that found the first page unchanged is recorded here, once, rather than as unchanged.
            validators = {"changed": False} if outcome.unchanged else None
            page = await self.store(source, parsed.entries, now, validators, backlog=backlog, then=then)
            outcome.unchanged = False
            outcome.new_item_ids.extend(page.new_item_ids)
            outcome.matched += page.matched
            outcome.edited.extend(page.edited)
            outcome.deleted += await self.deletions(older_page_url(source.url, before), parsed, rules, now)
            before = decided.get("before")
        return outcome

    async def _older_page(self, source: DueSource, before: int, rules: Rules, now: datetime) -> ParsedFeed:
        return await self._page(older_page_url(source.url, before), rules, now)

    async def _page(self, url: str, rules: Rules, now: datetime) -> ParsedFeed:
        result = await self.fetcher.fetch(url)
        return await self.pool.parse(
            result.body or b"", result.headers, kind="telegram", url=result.url, fetched_at=now, rules=rules
        )


def _stored_missing(parsed: ParsedFeed, session: Session) -> dict[int, int]:
    """Post id -> item id of the stored, undeleted posts inside the page's range that it does not show."""
    shown = shown_posts(parsed)
    channels = {m[1] for e in parsed.entries if (m := _CHANNEL.match(e.guid or ""))}
    if len(shown) < 2 or len(channels) != 1:
        return {}
    channel, low, high = channels.pop(), min(shown), max(shown)
    gaps = [post for post in range(max(low + 1, high - MAX_GAP_IDS), high) if post not in shown]
    urls = {canonical_url(f"https://t.me/{channel}/{post}"): post for post in gaps}
    stored = item_store.items_by_url(session, urls)
    alive = versions.undeleted(session, stored.values())
    return {urls[url]: item_id for url, item_id in stored.items() if item_id in alive}


def _missing_from(parsed: ParsedFeed, candidates: dict[int, int]) -> dict[int, int]:
    """The candidates that this page, too, leaves out while its range covers them."""
    shown = shown_posts(parsed)
    if len(shown) < 2:
        return {}
    low, high = min(shown), max(shown)
    return {post: item for post, item in candidates.items() if low < post < high and post not in shown}


def _record_deleted(evidence: dict[int, str], now: datetime, session: Session) -> list[int]:
    return [i for i, why in evidence.items() if versions.record_deletion(session, i, "telegram.missing", why, now)]


def _paging_state(source_id: int, session: Session) -> channel_cursors.PagingState:
    return channel_cursors.paging_state(session, source_id)


def _first_page_stored(
    backlog_done: bool, span: PageSpan, policy: PagingPolicy, now: datetime, decided: dict,
    session: Session, outcome, known: set[str],
) -> None:
    """After the first page is stored: start a run when it leaves a gap or the channel is new."""
    cursor = channel_cursors.cursor_of(session, outcome.source_id)
    floor = cursor.newest_post
    channel_cursors.saw_post(cursor, span.newest)
    if span.oldest is None or span.oldest <= 1:
        return  # an empty channel, or its whole history on one page
    gap = not known and (floor is None or span.oldest > floor + 1)
    if cursor.before is not None:  # a run is under way; a new gap above it restarts it from the top
        if gap and floor is not None:
            cursor.before = span.oldest
    elif not backlog_done and _reaches_back(span, policy.backfill_days, now):
        channel_cursors.start_run(cursor, span.oldest, None, True, now)
    elif backlog_done and gap and _reaches_back(span, policy.gap_days, now):
        log.info("source %s: the channel's page does not reach the posts stored before; paging back", outcome.source_id)
        channel_cursors.start_run(cursor, span.oldest, floor, False, now)
    decided.update(before=cursor.before, backlog=cursor.backlog)


def _older_page_stored(
    requested: int, span: PageSpan, policy: PagingPolicy, now: datetime, out_of_time: bool, decided: dict,
    session: Session, outcome, known: set[str],
) -> None:
    """After an older page is stored: move the cursor on, or end the run and say why."""
    cursor = channel_cursors.cursor_of(session, outcome.source_id)
    if cursor.before != requested:
        return  # the run was restarted or ended meanwhile
    channel_cursors.saw_post(cursor, span.newest)
    cursor.paged += span.posts
    cursor.recovered += len(outcome.new_item_ids)
    reason = stop_reason(cursor, requested, span, bool(known), policy)
    if reason:
        channel_cursors.finish_run(cursor, reason, now)
        log.info(
            "source %s: paged back %d posts, %d recovered (%s)", outcome.source_id, cursor.paged, cursor.recovered, reason
        )
        return
    cursor.before = span.oldest
    if out_of_time:
        channel_cursors.check_soon(session, outcome.source_id, now + RESUME_AFTER)
    else:
        decided["before"] = cursor.before


def stop_reason(cursor: ChannelCursor, requested: int, span: PageSpan, any_known: bool, policy: PagingPolicy) -> str | None:
    """Why paging back ends after this page, or None to read the next older one."""
    if span.oldest is None or span.oldest <= 1:
        return "channel_start"
    if span.oldest >= requested:
        return "no_progress"  # Telegram answered with posts not older than asked: never loop on it
    if cursor.floor is not None and span.oldest <= cursor.floor + 1:
        return "overlap"
    if cursor.floor is None and not cursor.backlog and any_known:
        return "overlap"  # a channel stored before cursors were kept: the first known post ends the gap
    if cursor.paged >= policy.gap_posts:
        return "post_limit"
    days = policy.backfill_days if cursor.backlog else policy.gap_days
    if span.oldest_date is not None and span.oldest_date <= cursor.started_at - timedelta(days=days):
        return "age_limit"
    return None


def _reaches_back(span: PageSpan, days: float, now: datetime) -> bool:
    """Whether posts older than this page are still within `days`."""
    return span.oldest_date is None or span.oldest_date > now - timedelta(days=days)
