"""The plain data that flows from parsing to matching and storage."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# What is matched and stored of one item; the parsers cut anything longer (feeds.parse.parse_body).
# 100,000 characters hold about the 15,000 words the search index keeps of a text
# (storage.search.textindex.MAX_BODY_TOKENS); a 10 MB item would otherwise cost gigabytes to match and store.
TITLE_CHARS = 1_000
TEXT_CHARS = 100_000


@dataclass
class Entry:
    """One normalized item of a feed or channel."""

    title: str
    text: str
    published_at: datetime  # UTC, never in the future
    url: str | None = None
    canonical_url: str | None = None
    guid: str | None = None
    lang: str | None = None
    extra: dict = field(default_factory=dict)
    matches: dict[str, list[dict]] = field(default_factory=dict)  # topic id -> hits, filled in by feeds.analyze
    stems: tuple[str, str] | None = None  # the search index's stems, filled in by feeds.analyze
    fingerprint: str | None = None  # what a poll compares with the stored item (storage.versions), by feeds.analyze
    full_text: str | None = None  # the article page's own text, filled in by feeds.full_text
    extract_error: str | None = None  # "code: message" when the page gave no text
    page_validators: tuple[str | None, str | None] = (None, None)  # the article page's ETag and Last-Modified


@dataclass
class ParsedFeed:
    """What a parser found in one response body."""

    title: str | None
    entries: list[Entry]
    warning: str | None = None  # e.g. feedparser's bozo exception, kept as a warning
    older: int | None = None  # a t.me/s page: the post id its link to older posts pages back from (?before=)
    links: dict[str, str] = field(default_factory=dict)  # a feed's own links by relation: its WebSub hub, self
