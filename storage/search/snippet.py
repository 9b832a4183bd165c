"""Snippets of an item's text around the words a search found, with their spans to put in bold."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from storage.search.textindex import WORD, stems

SNIPPET_CHARS = 200
LEAD_CHARS = 40  # context kept before the first marked word


@dataclass(frozen=True)
class Snippet:
    """A piece of text and the (start, end) character spans of the words to mark in it."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()


def marked_spans(text: str, wanted: Collection[str]) -> list[tuple[int, int]]:
    """Spans of the words of `text` whose stems are among `wanted`."""
    if not wanted:
        return []
    return [(m.start(), m.end()) for m in WORD.finditer(text) if not wanted.isdisjoint(stems(m.group()))]


def make_snippet(text: str, wanted: Collection[str], size: int = SNIPPET_CHARS) -> Snippet:
    """About `size` characters of text on one line, placed where most marked words are."""
    flat = " ".join(text.split())
    spans = marked_spans(flat, frozenset(wanted))
    if len(flat) <= size:
        return Snippet(flat, tuple(spans))
    start = _best_start(spans, size)
    start = _word_start(flat, start)
    end = _word_end(flat, min(len(flat), start + size))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(flat) else ""
    shift = len(prefix) - start
    inside = tuple((a + shift, b + shift) for a, b in spans if a >= start and b <= end)
    return Snippet(prefix + flat[start:end] + suffix, inside)


def _best_start(spans: list[tuple[int, int]], size: int) -> int:
    """Where a window of `size` characters holding the most marked words begins."""
    best, best_count = 0, 0
    for a, _ in spans:
        start = max(0, a - LEAD_CHARS)
        count = sum(1 for x, y in spans if x >= start and y <= start + size)
        if count > best_count:
            best, best_count = start, count
    return best


def _word_start(text: str, at: int) -> int:
    if at == 0 or text[at - 1] == " ":
        return at
    space = text.find(" ", at)
    return space + 1 if 0 <= space < at + 20 else at


def _word_end(text: str, at: int) -> int:
    if at >= len(text):
        return len(text)
    space = text.rfind(" ", 0, at)
    return space if space > at - 20 else at
