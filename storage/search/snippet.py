"""Snippets of an item's text around what a search found, with the spans to put in bold.

Words are compared by their index stems, as the search compares them: a phrase is marked only
where its words stand in a row, as one span; a prefix marks the words it starts.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from storage.search.textindex import WORD, stems
from storage.search.types import Term

SNIPPET_CHARS = 200
LEAD_CHARS = 40  # context kept before the first marked word

Span = tuple[int, int]


@dataclass(frozen=True)
class Snippet:
    """A piece of text and the (start, end) character spans of the words to mark in it."""

    text: str
    spans: tuple[Span, ...] = ()


class Marks:
    """Finds the searched terms in a text: every spelling of each, a phrase only as a run of words."""

    def __init__(self, terms: Iterable[Term]):
        self.terms = tuple(terms)
        self._by_first: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        self._by_prefix: list[tuple[int, tuple[str, ...]]] = []
        for number, term in enumerate(self.terms):
            for stems_ in term.alternatives:
                if stems_[0].endswith("*"):
                    self._by_prefix.append((number, stems_))
                else:
                    self._by_first.setdefault(stems_[0], []).append((number, stems_))

    def found(self, text: str) -> list[tuple[int, Span]]:
        """(term number, span) of each place a term stands in `text`, in order."""
        if not self.terms or not text:
            return []
        tokens = _tokens(text)
        runs = self._runs([stem for _, _, stem in tokens])
        return [(number, (tokens[first][0], tokens[last][1])) for number, first, last in runs]

    def numbers(self, text: str) -> list[int]:
        """The term number of each place a term stands in `text` (quicker than `found`: no spans)."""
        if not self.terms or not text:
            return []
        return [number for number, _, _ in self._runs(stems(text))]

    def _runs(self, words: list[str]) -> list[tuple[int, int, int]]:
        """(term number, first word, last word) of each place a term stands among these stems."""
        runs = []
        firsts, starts = self._by_first, tuple(stems_[0][:-1] for _, stems_ in self._by_prefix)
        for at, stem in enumerate(words):
            if stem not in firsts and not (starts and stem.startswith(starts)):
                continue
            candidates = firsts.get(stem, [])
            if starts:
                candidates = candidates + [c for c in self._by_prefix if _fits(c[1][0], stem)]
            for number, wanted in candidates:
                last = at + len(wanted) - 1
                if last < len(words) and all(_fits(w, words[at + n]) for n, w in enumerate(wanted)):
                    runs.append((number, at, last))
        return runs

    def spans(self, text: str) -> list[Span]:
        """The spans to put in bold, in order, none inside another."""
        spans: list[Span] = []
        for start, end in sorted({span for _, span in self.found(text)}, key=lambda s: (s[0], -s[1])):
            if not spans or start >= spans[-1][1]:
                spans.append((start, end))
        return spans


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, stem) of each word of `text`."""
    return [(m.start(), m.end(), stem) for m in WORD.finditer(text) for stem in _word_stems(m.group())]


@lru_cache(maxsize=1 << 16)
def _word_stems(word: str) -> tuple[str, ...]:
    return tuple(stems(word))


def _fits(wanted: str, stem: str) -> bool:
    return stem.startswith(wanted[:-1]) if wanted.endswith("*") else stem == wanted


def make_snippet(text: str, marks: Marks, size: int = SNIPPET_CHARS) -> Snippet:
    """About `size` characters of text on one line, placed where most marked words are."""
    flat = " ".join(text.split())
    spans = marks.spans(flat)
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


def _best_start(spans: list[Span], size: int) -> int:
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
