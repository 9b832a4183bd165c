"""Finding and trying feeds before one is added: a site page's feed links (every one that reads), then
common feed paths (the first that reads)."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from feeds.analyze import Rules
from feeds.entry import ParsedFeed
from feeds.errors import FeedError
from feeds.fetch import Fetcher, FetchResult
from feeds.parse_pool import ParsePool
from feeds.sources.source_urls import BadSourceUrl, ResolvedSource, resolve_online
from feeds.sources.youtube import YOUTUBE

COMMON_PATHS = ("/feed", "/rss", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml")
FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml"})
MAX_CANDIDATES = 8
DEADLINE_SECONDS = 60.0  # for the whole search, however many candidates it tries
_ALTERNATE_LINKS = etree.XPath("//link[@href]")


class DiscoveryError(Exception):
    """No feed could be found or read at what the admin gave; the message says why (in English).

    `code` (discover.* or source.*) and `params` let the bot word it; `cause` in params is a feed error code.
    """

    def __init__(self, message: str, code: str, unsupported: bool = False, **params) -> None:
        super().__init__(message)
        self.code, self.unsupported, self.params = code, unsupported, params


@dataclass
class FeedPreview:
    """A feed found and read once: what an admin sees before confirming."""

    url: str
    kind: str
    name: str
    title: str | None
    item_count: int
    newest: datetime | None
    matches: dict[str, int] = field(default_factory=dict)  # topic id -> items of this fetch that match it
    discovered: bool = False  # the feed URL was found on the page the admin gave
    final_url: str = ""
    platform: str | None = None  # a social account's service (mastodon, bluesky, youtube, reddit)
    account: str | None = None  # the account as people write it
    origin: str | None = None  # why this URL, kept on the source


def feed_links(body: bytes, base_url: str) -> list[str]:
    """Absolute URLs of the RSS/Atom feeds a page announces with <link rel="alternate">."""
    try:
        root = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        return []
    found: list[str] = []
    for link in _ALTERNATE_LINKS(root):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().split(";")[0].strip()
        if "alternate" in rel and kind in FEED_TYPES:
            url = urljoin(base_url, link.get("href").strip())
            if url not in found and urlsplit(url).scheme in ("http", "https"):
                found.append(url)
    return found


def with_scheme(text: str) -> str:
    """`site.kz/news` as typed becomes `https://site.kz/news`; URLs and @channels stay as they are."""
    text = text.strip()
    if "://" in text or text.startswith("@") or "." not in text.split("/")[0]:
        return text
    return "https://" + text


def common_feed_urls(url: str) -> list[str]:
    """The usual feed locations on the site of `url`."""
    parts = urlsplit(url)
    root = f"{parts.scheme}://{parts.netloc}"
    return [root + path for path in COMMON_PATHS]


class Discoverer:
    """Uses the collector's fetcher and parser processes to find and try feeds."""

    def __init__(self, fetcher: Fetcher, pool: ParsePool, youtube_url: str = YOUTUBE) -> None:
        self.fetcher = fetcher
        self.pool = pool
        self.youtube_url = youtube_url

    async def find(self, text: str, rules: Rules, now: datetime, name: str | None = None) -> list[FeedPreview]:
        """The feeds behind `text` (URL, site, @channel), each read once: one for a feed, every feed a page
        links to that can be read, else the first usual feed address that can; raise DiscoveryError."""
        try:
            async with asyncio.timeout(DEADLINE_SECONDS):
                return await self._search(text, rules, now, name)
        except TimeoutError:
            raise DiscoveryError(
                f"no feed found within {DEADLINE_SECONDS:g} s", "discover.timeout", seconds=f"{DEADLINE_SECONDS:g}"
            ) from None

    async def _search(self, text: str, rules: Rules, now: datetime, name: str | None) -> list[FeedPreview]:
        try:
            resolved = await resolve_online(with_scheme(text), None, self.fetcher, self.youtube_url)
        except BadSourceUrl as exc:
            raise DiscoveryError(str(exc), exc.code, exc.unsupported, **exc.params) from None
        url, kind = resolved.url, resolved.kind
        first = await self._fetch(url, must=True)
        try:
            parsed = await self._parse(first, kind, rules, now)
            return [_preview(resolved, name, parsed, first.url)]
        except FeedError as error:
            if kind == "telegram" or resolved.platform:
                raise DiscoveryError(f"{url}: {error.message}", "discover.unreadable", url=url, cause=error.code) from None
            first_error = error
        skip = {url, first.url}
        linked = [c for c in await asyncio.to_thread(feed_links, first.body or b"", first.url) if c not in skip]
        origin = f"site {url} → the feed the page links to"
        tried = await asyncio.gather(*(self._try(c, resolved, name, rules, now, origin) for c in linked[:MAX_CANDIDATES]))
        if found := [preview for preview in tried if preview is not None]:
            return found
        origin = f"site {url} → a usual feed address beside it"
        for candidate in [c for c in common_feed_urls(first.url) if c not in skip and c not in linked]:
            if preview := await self._try(candidate, resolved, name, rules, now, origin):
                return [preview]
        raise DiscoveryError(
            f"{url} is not an RSS or Atom feed and links to none ({first_error.message})",
            "discover.no_feed", url=url, cause=first_error.code,
        )

    async def _try(
        self, candidate: str, page: ResolvedSource, name: str | None, rules: Rules, now: datetime, origin: str
    ) -> FeedPreview | None:
        """The preview of a feed found beside the page, or None if it cannot be fetched or read."""
        result = await self._fetch(candidate, must=False)
        if result is None:
            return None
        try:
            parsed = await self._parse(result, "rss", rules, now)
        except FeedError:
            return None
        found = ResolvedSource(candidate, "rss", page.name, origin=origin)
        return _preview(found, name, parsed, result.url, discovered=True)

    async def _fetch(self, url: str, must: bool) -> FetchResult | None:
        try:
            result = await self.fetcher.fetch(url)
        except FeedError as error:
            if must:
                raise DiscoveryError(
                    f"cannot fetch {url}: {error.message}", "discover.cannot_fetch", url=url, cause=error.code
                ) from None
            return None
        return result if result.body is not None else None

    async def _parse(self, result: FetchResult, kind: str, rules: Rules, now: datetime) -> ParsedFeed:
        return await self.pool.parse(
            result.body, result.headers, kind=kind, url=result.url, fetched_at=now, rules=rules
        )


def _preview(
    resolved: ResolvedSource, name: str | None, parsed: ParsedFeed, final_url: str, discovered: bool = False
) -> FeedPreview:
    """The preview; the name is the one given, else the feed's title, else the host, channel or account."""
    matches: dict[str, int] = {}
    for entry in parsed.entries:
        for topic in entry.matches:
            matches[topic] = matches.get(topic, 0) + 1
    newest = max((e.published_at for e in parsed.entries), default=None)
    title = parsed.title
    return FeedPreview(
        url=resolved.url,
        kind=resolved.kind,
        name=(name or title or resolved.name)[:200],
        title=title,
        item_count=len(parsed.entries),
        newest=newest,
        matches=dict(sorted(matches.items())),
        discovered=discovered,
        final_url=final_url,
        platform=resolved.platform,
        account=resolved.account,
        origin=resolved.origin,
    )
