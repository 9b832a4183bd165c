"""Full text at first sight: a new item whose feed gives little gets its article page read once.

Per source, `full_text` says when: `auto` (the feed's text is shorter than AUTO_BELOW characters
and the link is on the feed's own site, so that a feed cannot send Dozor to fetch other sites'
pages), `always` or `never`; Telegram posts are their own full text. Pages come through the guarded
fetcher (its SSRF checks, deadline and per-host limits, a smaller size cap) and are extracted
and matched again in the parser processes, within their deadline. A page that fails leaves its
reason on the item (`extract_error`) and the item keeps the feed's text: nothing is lost.

Each page is bounded on its own (the fetch deadline, then the parser's deadline), and so is their
number: MAX_PAGES a poll, BACKLOG_PAGES (the newest) of a new source's history, which is never
broadcast. At most IN_FLIGHT_PER_WORKER pages per parser process are held in memory at once, over
all sources, so a cold start of many sources queues pages instead of holding their bodies.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from feeds.analyze import Rules
from feeds.entry import Entry
from feeds.errors import FeedError
from feeds.fetch import Fetcher, FetchResult
from feeds.parse_pool import ParsePool
from storage.sources import DueSource

AUTO_BELOW = 600  # characters: a shorter feed text is a headline and a teaser
MAX_PAGES = 50  # article pages read per poll of one source
BACKLOG_PAGES = 10  # of a new source's history, the newest items' pages only
PAGE_MAX_BYTES = 5 * 1024 * 1024
IN_FLIGHT_PER_WORKER = 4  # pages fetched or being extracted at once, per parser process
# Second-level names under which a site has its own name (news.com.ua is a site, com.ua is not).
SHARED_SUFFIXES = frozenset({"com", "net", "org", "gov", "edu", "co", "ac", "gen", "info", "in", "biz"})


@dataclass
class Tally:
    """How the article pages of one poll went."""

    extracted: int = 0
    errors: list[str] = field(default_factory=list)  # "code: message" of each failure


def wanted(source: DueSource, entry: Entry) -> bool:
    """Whether this entry's article page is to be read."""
    mode = source.full_text
    if source.kind == "telegram" or mode == "never" or not (entry.url or "").startswith(("http://", "https://")):
        return False
    return mode == "always" or len(entry.text) < AUTO_BELOW and site(entry.url) == site(source.url)


def page_validators(page: FetchResult) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified of an article page, for asking later whether it changed."""
    return page.headers.get("etag"), page.headers.get("last-modified")


def site(url: str) -> str:
    """The site a URL is on: its host's last two labels, or three under a shared suffix such as com.ua."""
    host = (urlsplit(url).hostname or "").rstrip(".")
    labels = host.split(".")
    if host.replace(".", "").isdigit() or len(labels) <= 2:
        return host
    keep = 3 if labels[-2] in SHARED_SUFFIXES and len(labels[-1]) == 2 else 2
    return ".".join(labels[-keep:])


class FullTexts:
    """Reads and extracts the article pages of new entries."""

    def __init__(self, fetcher: Fetcher, pool: ParsePool) -> None:
        self.fetcher, self.pool = fetcher, pool
        self._in_flight = asyncio.Semaphore(IN_FLIGHT_PER_WORKER * pool.workers)

    async def fill(self, source: DueSource, entries: list[Entry], rules: Rules, backlog: bool = False) -> Tally:
        """Give the entries that want it their full text (matched again with it); count how it went."""
        chosen = [e for e in entries if wanted(source, e)]
        if backlog:
            chosen.sort(key=lambda e: e.published_at, reverse=True)
        most = BACKLOG_PAGES if backlog else MAX_PAGES
        tally = Tally()
        for entry in chosen[most:]:
            entry.extract_error = f"extract.skipped: more than {most} article pages in one poll"
            tally.errors.append(entry.extract_error)
        errors = await asyncio.gather(*(self._one(entry, rules) for entry in chosen[:most]))
        for entry, error in zip(chosen, errors):
            if error is None:
                tally.extracted += 1
            else:
                entry.extract_error = error
                tally.errors.append(error)
        return tally

    async def _one(self, entry: Entry, rules: Rules) -> str | None:
        """Fill in the entry's full text; the error, if it has none."""
        try:
            async with self._in_flight:
                page = await self.fetcher.fetch(entry.url, max_bytes=PAGE_MAX_BYTES)
                body, page.body = page.body or b"", None
                entry.page_validators = page_validators(page)
                extracted = await self.pool.extract(body, page.headers, url=page.url, entry=entry, rules=rules)
        except FeedError as error:
            return f"{error.code}: {error.message}"[:500]
        entry.full_text, entry.matches, entry.stems = extracted.full_text, extracted.matches, extracted.stems
        return None
