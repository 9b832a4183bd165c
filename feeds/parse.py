"""Turn a fetched body into a ParsedFeed: RSS/Atom through feedparser, Telegram previews through lxml."""
from __future__ import annotations

import io
import re
from datetime import datetime
from urllib.parse import urljoin

import feedparser

from feeds.citations import extract_citations
from feeds.encoding import fix_charset
from feeds.entry import TEXT_CHARS, TITLE_CHARS, Entry, ParsedFeed
from feeds.errors import FeedError
from feeds.feedparser_author import limit_author_text
from feeds.normalize import (
    canonical_url,
    clean_text,
    clip,
    detect_language,
    headline,
    html_to_text,
    looks_like_markup,
    utc_datetime,
)
from feeds.telegram_preview import parse_channel_page

# A numeric reference to a surrogate (D800-DFFF) or past U+10FFFF names no character: expat rejects
# the document, and feedparser's fallback parser then crashes on it, losing the whole feed. Only
# references of 4+ hex or 5+ decimal digits can be such; the replacement decides by value.
_SUSPECT_CHAR_REF = re.compile(rb"&#(?:[xX]0*([0-9a-fA-F]{4,})|0*([0-9]{5,}));?")
_REPLACEMENT_CHAR_REF = b"&#xFFFD;"
# XML forbids C0 controls; one NUL would push feedparser onto its slow, lossy fallback parser.
# ESC stays: ISO-2022 encodings need it.
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 13, 27})
_WARNING_LENGTH = 300
_MAX_TAGS = 20


def parse_body(
    body: bytes, headers: dict[str, str], *, kind: str, url: str, fetched_at: datetime
) -> ParsedFeed:
    """Parse one response body of a source of the given kind ("rss", "analysis" or "telegram").

    Titles and texts are cut to TITLE_CHARS and TEXT_CHARS, before anything matches or stores them.
    """
    if kind == "telegram":
        parsed = parse_channel_page(body, headers, url=url, fetched_at=fetched_at)
    elif kind in ("rss", "analysis"):
        parsed = parse_feed(body, headers, url=url, fetched_at=fetched_at, keep_links=kind == "analysis")
    else:
        raise ValueError(f"unknown source kind {kind!r}")
    for entry in parsed.entries:
        entry.title, entry.text = clip(entry.title, TITLE_CHARS), clip(entry.text, TEXT_CHARS)
    return parsed


def parse_feed(
    body: bytes, headers: dict[str, str], *, url: str, fetched_at: datetime, keep_links: bool = False
) -> ParsedFeed:
    """Parse an RSS or Atom document; a bozo feed that still has entries is only a warning.

    With keep_links (analysis sources), each entry's extra["links"] lists the URLs its HTML cites.
    """
    body, response_headers = _prepare(body, headers)
    base = urljoin(url, headers["content-location"]) if headers.get("content-location") else url
    try:
        result = feedparser.parse(
            io.BytesIO(body), response_headers=response_headers, resolve_relative_uris=False, sanitize_html=False
        )
    except Exception as error:  # feedparser's fallback parser has a long history of crashes
        raise FeedError("parse.crashed", f"feedparser failed: {type(error).__name__}: {error}") from error
    if not result.entries and not result.get("version"):
        raise FeedError("parse.not_a_feed", _not_a_feed_message(result, headers))
    warning = _bozo_warning(result) if result.get("bozo") else None
    entries = [feed_entry(item, fetched_at, base, keep_links) for item in result.entries]
    title = _one_line(_text_of(result.feed, "title")) or None
    return ParsedFeed(title=title, entries=entries, warning=warning, links=_feed_links(result.feed))


def feed_entry(item: dict, fetched_at: datetime, base: str, keep_links: bool = False) -> Entry:
    """One feedparser entry as a normalized Entry; a relative link is resolved against `base`."""
    title = _one_line(_text_of(item, "title"))
    text = _body_text(item)
    link = _entry_url(item, base)
    date = item.get("published_parsed") or item.get("updated_parsed") or item.get("created_parsed")
    return Entry(
        title=title or headline(text),
        text=text,
        published_at=utc_datetime(date, fetched_at),
        url=link,
        canonical_url=canonical_url(link),
        guid=item.get("id") or None,
        lang=detect_language(f"{title}\n{text}"),
        extra=_entry_extra(item, link or base if keep_links else None),
    )


def _prepare(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """Defuse slow paths and crashes, and pick the charset; the headers feedparser should see.

    No content-location: with a base URL feedparser joins every URL it meets, which makes it
    about a third slower, and only entry links need resolving (done in feed_entry).
    """
    limit_author_text()
    body, charset = fix_charset(body, headers)  # UTF-16 and UTF-32 come back as UTF-8
    body = body.translate(None, _CONTROL_BYTES)
    body = _SUSPECT_CHAR_REF.sub(_valid_char_ref, body)
    # Without a content-type feedparser would assume iso-8859-1 for a response with headers.
    content_type = headers.get("content-type") or "application/xml"
    if charset:
        content_type = _with_charset(content_type, charset)
    return body, {"content-type": content_type}


def _valid_char_ref(match: re.Match) -> bytes:
    """The reference itself if it names a character, else a reference to U+FFFD."""
    hex_digits, decimal = match.groups()
    code = int(hex_digits, 16) if hex_digits else int(decimal)
    return match.group(0) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else _REPLACEMENT_CHAR_REF


def _with_charset(content_type: str, charset: str) -> str:
    """The content-type with its charset parameter replaced; feedparser ignores it on non-XML types."""
    media_type = content_type.split(";")[0].strip().lower()
    if not (media_type.startswith("text/") or media_type.endswith("xml")):
        media_type = "application/xml"
    return f"{media_type}; charset={charset}"


def _text_of(item: dict, key: str) -> str:
    """Plain text of a feedparser text construct, honouring its declared type."""
    detail = item.get(f"{key}_detail") or {}
    return _as_text(item.get(key), detail.get("type"))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _as_text(value: str | None, content_type: str | None) -> str:
    """Plain text of a value; markup is cleaned whatever the type, as feeds often mislabel HTML as text."""
    plain = content_type == "text/plain" and not looks_like_markup(value)
    return clean_text(value) if plain else html_to_text(value)


def _body_candidates(item: dict) -> list[tuple[str | None, str | None]]:
    """(value, type) of the entry's content parts and summary."""
    candidates = [(part.get("value"), part.get("type")) for part in item.get("content") or ()]
    summary = item.get("summary_detail") or {}
    candidates.append((item.get("summary"), summary.get("type")))
    return candidates


def _body_text(item: dict) -> str:
    """Plain text of the entry's content or summary, whichever is longer."""
    candidates = _body_candidates(item)
    candidates.sort(key=lambda candidate: len(candidate[0] or ""), reverse=True)
    for value, content_type in candidates:
        text = _as_text(value, content_type)
        if text:
            return text
    return ""


def _entry_url(item: dict, base: str) -> str | None:
    """The entry's link resolved against `base`, else its guid if that is a web URL, else None.

    Never the feed's own URL: items without a link of their own would all become one.
    """
    link = _entry_link(item)
    return _web_url(urljoin(base, link) if link else item.get("id"))


def _entry_link(item: dict) -> str | None:
    """The entry's first alternate link: feedparser's `link` is the last `<link>` seen anywhere
    in the item, such as one of RBC's related links."""
    for link in item.get("links") or ():
        if link.get("rel") == "alternate" and link.get("href"):
            return link["href"]
    if item.get("guidislink") and item.get("link") == item.get("id"):
        return None  # feedparser copied the guid ("abc-123" too) into `link`: it is not a link
    return item.get("link")


def _web_url(link: str | None) -> str | None:
    """The link if it is an http(s) URL (never javascript: or data:)."""
    if link and link.strip().lower().startswith(("http://", "https://")):
        return link.strip()
    return None


def _entry_extra(item: dict, links_base: str | None = None) -> dict:
    """Small JSON-able facts about an entry: author, tags, and (given a base URL) the URLs its HTML cites."""
    extra: dict = {}
    if links_base is not None:
        html = max((value or "" for value, _ in _body_candidates(item)), key=len, default="")
        # "[7] url" keeps the reference numbers of an <ol> for feeds.analyses.linking, which reads them back.
        links = [f"[{c.number}] {c.url}" if c.number else c.url for c in extract_citations(html, links_base)]
        if links:
            extra["links"] = links
    author = clean_text(item.get("author"))
    if author:
        extra["author"] = author[:200]
    tags = [clean_text(tag.get("term")) for tag in item.get("tags") or ()][:_MAX_TAGS]
    if any(tags):
        extra["tags"] = [tag for tag in tags if tag]
    return extra


def _feed_links(feed: dict) -> dict[str, str]:
    """The feed's WebSub hub and its own address (`<link rel="hub">`, `rel="self"`, in Atom or RSS)."""
    found: dict[str, str] = {}
    for link in feed.get("links") or ():
        rel, href = link.get("rel"), (link.get("href") or "").strip()
        if rel in ("hub", "self") and href:
            found.setdefault(rel, href[:2000])
    return found


def _bozo_warning(result: dict) -> str:
    error = result.get("bozo_exception")
    return f"{type(error).__name__}: {error}"[:_WARNING_LENGTH]


def _not_a_feed_message(result: dict, headers: dict[str, str]) -> str:
    content_type = headers.get("content-type") or "no content-type"
    reason = f" ({_bozo_warning(result)})" if result.get("bozo") else ""
    return f"no RSS or Atom feed found in the response ({content_type}){reason}"
