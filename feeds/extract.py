"""The main text of an article page, by trafilatura, in the parser processes (feeds.parse_pool).

trafilatura finds the article among navigation, ads, counters and comments in any language
(Russian, Ukrainian, Kazakh and English alike) and decodes pages by their HTTP charset, meta
tag or content. A page that yields no text, or too little to be the article (a login wall, a
paywall stub), is an extraction error: the item keeps the feed's own text.
"""
from __future__ import annotations

import trafilatura

from feeds.encoding import declared_charset
from feeds.entry import TEXT_CHARS
from feeds.errors import FeedError
from feeds.normalize import clean_text, clip

MIN_CHARS = 200  # less is a teaser, a login wall or a paywall stub rather than the article
HTML_TYPES = ("text/html", "application/xhtml+xml")


def article_text(body: bytes, headers: dict[str, str], url: str) -> str:
    """The page's article text, cut to TEXT_CHARS; FeedError('extract.*') when it has none."""
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and content_type not in HTML_TYPES:
        raise FeedError("extract.not_html", f"{url} is {content_type}, not an HTML page")
    try:
        text = trafilatura.extract(_document(body, headers), url=url, include_comments=False, favor_precision=True)
    except (ValueError, TypeError, LookupError, RecursionError) as exc:  # what broken markup makes lxml raise
        raise FeedError("extract.failed", f"{url} could not be read: {type(exc).__name__}: {exc}") from None
    text = clean_text(text)
    if not text:
        raise FeedError("extract.empty", f"{url} has no article text (not an article, a login wall or only scripts?)")
    if len(text) < MIN_CHARS:
        raise FeedError(
            "extract.too_short", f"{url} gave only {len(text)} characters of text (a login wall or a paywall?)"
        )
    return clip(text, TEXT_CHARS)


def _document(body: bytes, headers: dict[str, str]) -> bytes | str:
    """The page decoded as its HTTP charset or BOM say; otherwise as bytes, for trafilatura to decide."""
    charset = declared_charset(body, headers)
    if charset is None:
        return body
    try:
        return body.decode(charset, "replace")
    except LookupError:
        return body

