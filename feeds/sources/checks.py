"""The checks a source passes before it is added, the same for /addfeed and an OPML import: an address
Dozor can follow, not monitored yet, and a feed that can be fetched and read."""
from __future__ import annotations

import asyncio
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from feeds.analyze import Rules
from feeds.sources.discover import Discoverer, DiscoveryError, FeedPreview, with_scheme
from feeds.sources.source_urls import BadSourceUrl, NeedsLookup, resolve_source
from storage.models import Source


class Refused(Exception):
    """A source that cannot be added. `code`: unsupported (no form Dozor knows), bad (a malformed address),
    duplicate (monitored already as `source_id`) or unreadable (no feed could be fetched and read)."""

    def __init__(
        self, code: str, url: str, message: str = "", source_id: int | None = None, cause: Exception | None = None
    ) -> None:
        super().__init__(message or code)
        self.code, self.url, self.message, self.source_id = code, url, message, source_id
        self.cause = cause  # the BadSourceUrl or DiscoveryError behind it: its code and params let the bot word it


def known_source(session: Session, urls: list[str]) -> int | None:
    """The id of a source monitored at one of these URLs."""
    return session.scalar(select(Source.id).where(Source.url.in_([u for u in urls if u])).limit(1))


def address_of(session: Session, text: str) -> str:
    """The URL Dozor would follow for what was typed, checked without the network; raise Refused."""
    text = with_scheme(text)
    try:
        url = resolve_source(text).url
    except NeedsLookup:
        url = text  # a YouTube handle: its feed is known once its page is read
    except BadSourceUrl as exc:
        raise Refused("unsupported" if exc.unsupported else "bad", text, str(exc), cause=exc) from None
    if (known := known_source(session, [url])) is not None:
        raise Refused("duplicate", url, source_id=known)
    return url


async def readable_feeds(
    discoverer: Discoverer, sessions: sessionmaker[Session], text: str, rules: Rules, now: datetime,
    name: str | None = None,
) -> list[FeedPreview]:
    """The feeds behind `text` that read and are not monitored yet (see Discoverer.find); raise Refused."""
    try:
        found = await discoverer.find(text, rules, now, name)
    except DiscoveryError as exc:
        raise Refused("unreadable", with_scheme(text), str(exc), cause=exc) from None

    def monitored(preview: FeedPreview) -> int | None:
        with sessions() as session:
            return known_source(session, [preview.url, preview.final_url])

    known = await asyncio.to_thread(lambda: [monitored(preview) for preview in found])
    fresh = [preview for preview, source_id in zip(found, known) if source_id is None]
    if not fresh:
        raise Refused("duplicate", found[0].url, source_id=known[0])
    return fresh
