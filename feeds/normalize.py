"""Small pure functions that turn raw feed values into clean plain data."""
from __future__ import annotations

import re
import time
from datetime import datetime, timezone
from html import unescape
from html.entities import html5 as html5_entities
from urllib.parse import urlsplit, urlunsplit

import lxml.html
from lxml import etree
from lxml.html.defs import tags as HTML_TAGS

_CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WHITESPACE = re.compile(r"\s+")
# Where blocks meet, their breaks collapse into one line break ("<p>a</p><p>b</p>" is two lines);
# only <br> can make blank lines.
_BLOCK_BREAK = "\u2029"
_BLOCK_BREAKS = re.compile("[ \n]*\u2029[ \n\u2029]*")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul".split()
)
_INVISIBLE_TAGS = ("script", "style", "template", "noscript")
_TRACKING_PARAMS = frozenset(
    "fbclid gclid yclid ysclid dclid gbraid wbraid msclkid mc_cid mc_eid igshid twclid ttclid "
    "_openstat _ga _gl".split()
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# An HTML tag (`<script`, `</b>`, `<br/>`), a comment, or a named or numeric character reference.
# A tag name must be a known one and end there: "Bill <S-1>" or "a<b" are not markup.
_TAG_START = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)(?=[\s/>])|<!--")
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

_CYRILLIC = re.compile("[а-яёіїєґўәғқңөұүһ]+")  # runs: counting their lengths is faster than letter by letter
_LATIN = re.compile("[a-z]+")
_KAZAKH_ONLY = "әғқұһ"  # no other language here uses these
_TURKIC = "ңөү"  # Kazakh and Kyrgyz
_UKRAINIAN = "іїєґ"  # і is Kazakh and Belarusian too, hence Kazakh is checked first
_RUSSIAN = "ыэъё"  # none of them is Ukrainian


def strip_controls(text: str) -> str:
    """Remove NUL and the other C0 control characters except tab and line breaks."""
    return _CONTROL_CHARS.sub("", text)


def fold_whitespace(text: str) -> str:
    """Fold runs of spaces in each line and keep at most one blank line between paragraphs."""
    lines: list[str] = []
    for line in text.splitlines():
        folded = " ".join(line.split())
        if folded or (lines and lines[-1]):
            lines.append(folded)
    return "\n".join(lines).strip()


def clean_text(text: str | None) -> str:
    """Clean a value that is already plain text."""
    return fold_whitespace(strip_controls(text)) if text else ""


def looks_like_markup(text: str | None) -> bool:
    """Whether text declared plain still holds HTML tags or character references."""
    if not text or ("<" not in text and "&" not in text):
        return False
    tags = (tag for tag in _TAG_START.finditer(text) if tag[0] == "<!--" or tag[1].lower() in HTML_TAGS)
    references = (ref for ref in _REFERENCE.finditer(text) if ref[0][1] == "#" or ref[0][1:] in html5_entities)
    return next(tags, None) is not None or next(references, None) is not None


def html_to_text(html: str | None) -> str:
    """Plain text of an HTML fragment: tags dropped, entities unescaped, `<br>` and blocks as line breaks."""
    if not html:
        return ""
    if "<" not in html:  # no markup: keep the line breaks the author typed
        return clean_text(unescape(html) if "&" in html else html)
    try:
        root = lxml.html.fragment_fromstring(strip_controls(html), create_parent="div")
    except (etree.ParserError, ValueError):
        return clean_text(html)
    return element_text(root)


def element_text(element: etree._Element) -> str:
    """Plain text of a parsed HTML element (mutates the element).

    As in a browser, newlines in the source are spaces; only `<br>` and block ends break lines.
    """
    etree.strip_elements(element, *_INVISIBLE_TAGS, etree.Comment, with_tail=False)
    for node in element.iter(etree.Element):
        text = _space_runs(node.text)
        tail = _space_runs(node.tail)
        if node.tag == "br":
            tail = "\n" + tail
        elif node.tag in _BLOCK_TAGS:
            text, tail = _BLOCK_BREAK + text, _BLOCK_BREAK + tail
        node.text = text
        if node is not element:  # the element's own tail is not part of its text
            node.tail = tail
    return fold_whitespace(_BLOCK_BREAKS.sub("\n", element.text_content()))


def _space_runs(text: str | None) -> str:
    return _WHITESPACE.sub(" ", text) if text else ""


def headline(text: str, limit: int = 120) -> str:
    """The first line of a text, cut at a word boundary to about `limit` characters."""
    return clip(text.strip().split("\n", 1)[0].strip(), limit)


def clip(text: str, limit: int) -> str:
    """The text cut at a word boundary to about `limit` characters, with "…" where it was cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-—–") + "…"


def canonical_url(url: str | None) -> str | None:
    """A comparable form of a URL: lower-case scheme and host, no default port, fragment or tracking params."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if not parts.hostname:
        return urlunsplit((scheme, parts.netloc, parts.path, parts.query, ""))
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@{host}" if userinfo else host
    return urlunsplit((scheme, netloc, parts.path or "/", _without_tracking(parts.query), ""))


def _without_tracking(query: str) -> str:
    """The query string minus tracking parameters, the others kept verbatim and in order."""
    if not query:
        return ""
    kept = [pair for pair in query.split("&") if pair and not _is_tracking(pair.split("=", 1)[0])]
    return "&".join(kept)


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in _TRACKING_PARAMS


def utc_datetime(value: time.struct_time | datetime | None, fetched_at: datetime) -> datetime:
    """An aware UTC timestamp; a missing or future date becomes the fetch time."""
    fetched_at = as_utc(fetched_at)
    if value is None:
        return fetched_at
    if isinstance(value, time.struct_time):
        try:
            value = datetime(*value[:6], tzinfo=timezone.utc)  # feedparser's *_parsed are UTC
        except (ValueError, OverflowError):
            return fetched_at
    value = as_utc(value)
    return fetched_at if value > fetched_at else value


def as_utc(value: datetime) -> datetime:
    """The same instant as an aware UTC datetime (a naive one is taken to be UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def detect_language(text: str) -> str | None:
    """Guess "ru", "uk", "kk", "ky", "be" or "en" from the letters used, or None when unsure."""
    sample = text[:2000].lower()
    cyrillic = sum(map(len, _CYRILLIC.findall(sample)))
    latin = sum(map(len, _LATIN.findall(sample)))
    if cyrillic < 3 and latin < 3:
        return None
    if latin > cyrillic:
        return "en"
    # Letters are counted, not just seen, so that one quoted name ("Київ" in a Russian
    # sentence, "Қарағанды" in any) does not flip the verdict of a longer text. Each of these
    # groups makes up 5-8% of the letters of its language (ў about 2% of Belarusian).
    if _count(sample, _KAZAKH_ONLY) >= max(1, cyrillic // 30):
        return "kk"
    if _count(sample, _TURKIC) >= max(1, cyrillic // 30):
        return "kk" if "і" in sample else "ky"
    if sample.count("ў") >= max(1, cyrillic // 100):
        return "be"
    if _count(sample, _UKRAINIAN) > _count(sample, _RUSSIAN):
        return "uk"
    return "ru"


def _count(text: str, letters: str) -> int:
    return sum(text.count(letter) for letter in letters)
