"""The URLs an analysis cites: links in its HTML, bare URLs, and numbered reference lists like `[7] https://...`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.html
from lxml import etree

from feeds.normalize import canonical_url, element_text, strip_controls

MAX_CITATIONS = 500
_URL = re.compile(r"""(?:https?://|www\.)[^\s<>"«»“”\[\]{}|\\^`]+""", re.IGNORECASE)
# A reference list line: "[7] ...", "[7]: ...", "(7) ...", "7. ...", "7) ...", the URL anywhere after it.
_REFERENCE = re.compile(r"^\s*(?:\[(\d{1,4})\]|\((\d{1,4})\)|(\d{1,4})[.)])\s*:?\s+(.*)$")
_TRAILING = ".,;:!?'\"’”»…"
_PAIRS = {")": "(", "]": "[", "}": "{"}
_MARKUP = re.compile(r"<[a-zA-Z][^>]*>")


@dataclass(frozen=True)
class Cited:
    """One cited URL as written, its canonical form, and its reference number if it has one."""

    url: str
    canonical_url: str
    number: int | None = None


def extract_citations(content: str, base_url: str | None = None) -> list[Cited]:
    """Every distinct URL cited in an analysis (HTML or plain text), in order of first appearance."""
    if not content:
        return []
    content = strip_controls(content)
    found: list[tuple[str, int | None]] = []
    if _MARKUP.search(content):
        root = _parse_html(content)
        if root is not None:
            found.extend(_html_links(root, base_url))
            content = element_text(root)
    found.extend(_text_urls(content))
    return _distinct(found, canonical_url(base_url) if base_url else None)


def _parse_html(content: str):
    try:
        return lxml.html.fragment_fromstring(content, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def _html_links(root, base_url: str | None) -> list[tuple[str, int | None]]:
    """The href of every link, numbered when it sits in an item of an ordered list."""
    numbers = _list_numbers(root)
    links = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href:
            continue
        url = urljoin(base_url, href) if base_url else href
        number = next((numbers[li] for li in anchor.iterancestors("li") if li in numbers), None)
        links.append((url, number))
    for li, number in numbers.items():  # bare URLs in a numbered list item
        links.extend((_trim(match.group()), number) for match in _URL.finditer(li.text_content()))
    return links


def _list_numbers(root) -> dict:
    """<li> element -> its number in an <ol> (honouring start=)."""
    numbers = {}
    for ordered in root.iter("ol"):
        try:
            number = int(ordered.get("start") or 1)
        except ValueError:
            number = 1
        for li in ordered.iterchildren("li"):
            numbers[li] = number
            number += 1
    return numbers


def _text_urls(text: str) -> list[tuple[str, int | None]]:
    """Bare URLs, numbered when their line starts a reference-list entry."""
    found = []
    for line in text.splitlines():
        reference = _REFERENCE.match(line)
        number = None
        if reference:
            number = int(next(group for group in reference.groups()[:3] if group))
        for match in _URL.finditer(line):
            found.append((_trim(match.group()), number))
            number = None  # only the first URL of a reference line carries its number
    return found


def _trim(url: str) -> str:
    """Drop punctuation that ends the sentence rather than the URL, and unbalanced closing brackets."""
    while url:
        last = url[-1]
        if last in _TRAILING:
            url = url[:-1]
        elif last in _PAIRS and url.count(last) > url.count(_PAIRS[last]):
            url = url[:-1]
        else:
            break
    return url


def _distinct(found: list[tuple[str, int | None]], own: str | None) -> list[Cited]:
    """One citation per canonical URL, keeping the first position and the first reference number seen."""
    by_key: dict[str, Cited] = {}
    for url, number in found:
        if url.lower().startswith("www."):
            url = "https://" + url
        if not url.lower().startswith(("http://", "https://")):
            continue
        key = canonical_url(url)
        if not key or key == own or "." not in key.split("/")[2]:
            continue
        known = by_key.get(key)
        if known is None:
            if len(by_key) < MAX_CITATIONS:
                by_key[key] = Cited(url, key, number)
        elif known.number is None and number is not None:
            by_key[key] = Cited(known.url, key, number)
    return list(by_key.values())
