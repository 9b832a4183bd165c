"""Feeds that attack the parser, for the collector and command-line tests (served by tests.feedserver)."""
from __future__ import annotations


def small_feed(title: str, link: str) -> bytes:
    """A good RSS document of one item."""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid></item></channel></rss>"
    ).encode()


def slow_to_parse(link: str, attributes: int = 50_000) -> bytes:
    """A well-formed feed feedparser needs minutes for: its time grows with the square of one element's attributes."""
    element = "<x " + " ".join(f'a{n}="1"' for n in range(attributes)) + "/>"
    return small_feed("Slow", link).replace(b"</title><link>", b"</title>" + element.encode() + b"<link>")


def split_author(link: str) -> bytes:
    """64 KB of author text split by comments: feedparser's quadratic e-mail search took 30 s over it."""
    author = "<author>" + "<!-- -->".join(["a" * 500] * 131) + "</author>"
    return small_feed("Author", link).replace(b"</title><link>", b"</title>" + author.encode() + b"<link>")


def as_utf16(body: bytes) -> bytes:
    """The same feed in UTF-16 (with a BOM), as some servers send it."""
    return body.decode("utf-8").replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")


def surrogate_reference(link: str) -> bytes:
    """Three items, the second with a character reference to a lone surrogate in its title."""
    items = "".join(
        f"<item><title>{title}</title><link>{link}/{n}</link><guid>{link}/{n}</guid></item>"
        for n, title in enumerate(["First", "Bad &#xD800; and &#56320; title", "Third"])
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Surrogates</title>{items}'
        "</channel></rss>"
    ).encode()
