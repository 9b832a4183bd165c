"""Matched items looked at again on a decaying schedule, so edits and removals are seen after they leave the feed.

After 1 h, 6 h, 1 day, 3 days and 7 days (storage.versions.RECHECK_AFTER), then never. A Telegram
post is looked for on its channel's page (feeds.channel_pager: edits, and deletions after a second
look); an article's page is fetched through the same fetcher, within its per-host limits:
- 404 or 410, or a redirect to the outlet's front page: the article is recorded as removed, with
  the answer that showed it;
- a 5xx, a timeout or any other failure: no verdict, the next look is as scheduled;
- a page: its text, extracted again, is compared with the stored one after normalization, so a
  page that differs only in dates, counters or ads is not a new version. The page is asked for
  with the validators of its last read (If-None-Match, If-Modified-Since): a 304 is "unchanged"
  and costs no body.
"""
from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from urllib.parse import urlsplit

from sqlalchemy.orm import Session, sessionmaker

from feeds.analyze import Rules
from feeds.channel_pager import ChannelPager, post_number
from feeds.entry import Entry
from feeds.errors import FeedError
from feeds.fetch import Fetcher
from feeds.full_text import PAGE_MAX_BYTES, page_validators
from feeds.parse_pool import ParsePool
from storage import sources as source_store
from storage import versions
from storage.models import Item
from storage.sources import DueSource
from storage.writer import BatchWriter

log = logging.getLogger(__name__)
PER_TICK = 30  # looks per collector tick; the others wait for the next one
GONE = {"fetch.http_404": "http_404", "fetch.http_410": "http_410"}
_FRONT_PAGE = re.compile(r"^/?(?:[a-z]{2}(?:-[a-z]{2})?/?)?(?:index\.\w{3,4})?$", re.IGNORECASE)


@dataclass
class RecheckSummary:
    """What one round of looks found."""

    looked: int = 0
    edited: list[int] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Target:
    """What a look needs of one item."""

    item_id: int
    url: str
    title: str
    text: str
    full_text: str | None
    published_at: datetime
    channel: DueSource | None  # the Telegram source of a post
    page_validators: tuple[str | None, str | None] = (None, None)  # ETag, Last-Modified of its page's last read


def redirected_home(asked: str, answered: str) -> bool:
    """Whether a fetch of an article ended on its site's front page (the outlet took the article down)."""
    old, new = urlsplit(asked), urlsplit(answered)
    if old.path == new.path and old.query == new.query:
        return False
    same_site = (new.hostname or "").removeprefix("www.") == (old.hostname or "").removeprefix("www.")
    return same_site and bool(_FRONT_PAGE.fullmatch(new.path)) and not _FRONT_PAGE.fullmatch(old.path)


class Rechecker:
    """Takes the due looks of a tick and records what they show."""

    def __init__(
        self, sessions: sessionmaker[Session], fetcher: Fetcher, pool: ParsePool, writer: BatchWriter, pager: ChannelPager
    ) -> None:
        self.sessions, self.fetcher, self.pool, self.writer, self.pager = sessions, fetcher, pool, writer, pager

    async def run(
        self, rules: Rules, now: datetime, limit: int = PER_TICK, lease: timedelta = timedelta(minutes=10)
    ) -> RecheckSummary:
        """Look at the items due by `now` that no other collector took; a look that fails is logged and scheduled
        on like the others."""
        targets = await asyncio.to_thread(self._due, now, limit)
        if targets:
            taken = await self.writer.run(partial(_claimed, [t.item_id for t in targets], now, lease))
            targets = [t for t in targets if t.item_id in taken]
        summary = RecheckSummary(looked=len(targets))
        if not targets:
            return summary
        results = await asyncio.gather(*(self._look(t, rules, now) for t in targets), return_exceptions=True)
        for target, result in zip(targets, results):
            if isinstance(result, BaseException):
                log.error("re-checking item %s (%s) failed", target.item_id, target.url, exc_info=result)
                result = ([], [])
            summary.edited += result[0]
            summary.deleted += result[1]
        await self.writer.run(partial(_rechecked, [t.item_id for t in targets], now))
        return summary

    def _due(self, now: datetime, limit: int) -> list[_Target]:
        with self.sessions() as session:  # a read: no write transaction on a tick with nothing due
            return _due_targets(now, limit, session)

    async def _look(self, target: _Target, rules: Rules, now: datetime) -> tuple[list[int], list[int]]:
        """(ids edited, ids deleted) by this look."""
        if target.channel is not None:
            post = post_number(target.url)
            if post is None:
                return [], []
            try:
                return await self.pager.recheck(target.channel, post, rules, now)
            except FeedError as error:
                log.info("item %s: its channel page could not be read now: %s", target.item_id, error)
                return [], []
        return await self._look_at_page(target, rules, now)

    async def _look_at_page(self, target: _Target, rules: Rules, now: datetime) -> tuple[list[int], list[int]]:
        etag, last_modified = target.page_validators
        try:
            page = await self.fetcher.fetch(
                target.url, etag=etag, last_modified=last_modified, max_bytes=PAGE_MAX_BYTES
            )
        except FeedError as error:
            if error.code in GONE:
                return [], await self._removed(target, GONE[error.code], str(error), now)
            log.info("item %s: no verdict from %s: %s", target.item_id, target.url, error)
            return [], []
        if redirected_home(target.url, page.url):
            why = f"{target.url} now redirects to the front page {page.url}"
            return [], await self._removed(target, "redirect_home", why, now)
        if page.not_modified:  # the server says the page is as it was: seen, and nothing to compare
            await self.writer.run(partial(_unchanged, target.item_id, now))
            return [], []
        look = versions.Seen(target.item_id)
        if target.full_text is not None:
            entry = Entry(target.title, target.text, target.published_at, url=target.url)
            try:
                entry = await self.pool.extract(page.body or b"", page.headers, url=page.url, entry=entry, rules=rules)
            except FeedError as error:
                log.info("item %s: its page gave no text this time (%s): no verdict", target.item_id, error)
                return [], []
            look = versions.Seen(target.item_id, full_text=entry.full_text, matches=entry.matches)
        return await self.writer.run(partial(_seen, look, page_validators(page), now)), []

    async def _removed(self, target: _Target, reason: str, evidence: str, now: datetime) -> list[int]:
        recorded = await self.writer.run(partial(_record_removed, target.item_id, reason, evidence, now))
        return [target.item_id] if recorded else []


def _due_targets(now: datetime, limit: int, session: Session) -> list[_Target]:
    targets = []
    for due in versions.due_rechecks(session, now, limit):
        item = session.get(Item, due.item_id)
        sources = [source_store.due_source(session, source_id) for source_id in due.source_ids]
        channel = next((s for s in sources if s is not None and s.kind == "telegram"), None)
        targets.append(_Target(item.id, due.url, item.title, item.text, item.full_text, item.published_at, channel,
                               (item.page_etag, item.page_last_modified)))
    return targets


def _seen(look: versions.Seen, validators: tuple[str | None, str | None], now: datetime, session: Session) -> list[int]:
    """The page was there: its item was seen now, and is a new version if its text changed."""
    versions.mark_seen(session, [look.item_id], now)
    versions.keep_page_validators(session, look.item_id, *validators)
    return versions.revise(session, [look], now)


def _unchanged(item_id: int, now: datetime, session: Session) -> None:
    versions.mark_seen(session, [item_id], now)


def _record_removed(item_id: int, reason: str, evidence: str, now: datetime, session: Session) -> bool:
    return versions.record_deletion(session, item_id, reason, evidence, now)


def _claimed(item_ids: list[int], now: datetime, lease: timedelta, session: Session) -> set[int]:
    return versions.claim_rechecks(session, item_ids, now, lease)


def _rechecked(item_ids: list[int], now: datetime, session: Session) -> None:
    for item_id in item_ids:
        versions.rechecked(session, item_id, now)
