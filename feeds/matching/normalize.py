"""One matching key for every spelling of a text, with a map back to the original characters.

The key keeps punctuation (a word is a run of letters and digits), so in the common case it is
as long as the text and a span in the key is the same span in the original. Each step below is
a C-speed string method. Soft hyphens and zero-width characters are cut out with a record of
where; only rare texts (ligatures, decomposed letters, full-width forms) take the slow path that
folds character by character.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

from storage.search.spellings import KAZAKH_TO_RUSSIAN

# Letters of Ukrainian and Kazakh folded to their Russian base letter; 1:1, so spans survive.
# Rules keep the original letter and may insist on it (see forms.strict_letters).
LETTER_FOLDS = {
    "ё": "е", "є": "е", "ї": "і", "ґ": "г",
    **KAZAKH_TO_RUSSIAN,
    "ѕ": "s", "ј": "j",  # Macedonian/Serbian letters: in our languages only ever a disguised Latin letter
}
# Compatibility characters frequent in news that NFKC would lengthen or change; they only
# separate words, so a space does as well and keeps the fast path.
_AS_SPACE = "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u2026\u2116\u2122"
_INVISIBLE = "\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff"  # soft hyphen, zero-width, BOM, bidi
_COMBINING = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_INVISIBLE_RUNS = re.compile(f"[{_INVISIBLE}]+")
_DELETED = re.compile(f"[{_INVISIBLE}{_COMBINING}]")
_HAS_COMBINING = re.compile(f"[{_COMBINING}]")
# Latin letters with diacritics lose them (Qaraǵandy, Almatı, café): 1:1, so spans survive.
_PLAIN_LATIN = {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ħ": "h"}
# Anything any of the steps would change; plain text skips them all with this one search.
_UNUSUAL = re.compile(f"[{_INVISIBLE}{_COMBINING}{_AS_SPACE}{''.join(LETTER_FOLDS)}\u00c0-\u024f]")
WORD = re.compile(r"[^\W_]+")
NON_WORD = re.compile(r"[\W_]")

# Latin and Cyrillic letters that look alike once lower-cased (capitals fold to these first).
_LATIN_TO_CYRILLIC = dict(zip("aceopxykmhtbi", "асеорхукмнтві"))
_CYRILLIC_TO_LATIN = {c: latin for latin, c in _LATIN_TO_CYRILLIC.items()}
_LATIN = "a-z\u00e0-\u024f"
_CYRILLIC = "\u0400-\u04ff"
_ANY_LATIN = re.compile(f"[{_LATIN}]")
_ANY_CYRILLIC = re.compile(f"[{_CYRILLIC}]")
_LATIN_RUN = re.compile(f"[{_LATIN}]+")
_CYRILLIC_RUN = re.compile(f"[{_CYRILLIC}]+")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A folded text and the way back to the original characters.

    Either nothing was removed (key index = original index), or `cuts` lists the key indices
    after which invisible characters were removed with the running count removed, or
    `starts`/`ends` give each key character's original span (slow path).
    """

    key: str
    cuts: tuple[list[int], list[int]] | None = None
    starts: list[int] | None = None
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of key[start:end]."""
        if self.starts is not None:
            return self.starts[start], self.ends[end - 1]
        if self.cuts is not None:
            return start + self._removed_before(start), end + self._removed_before(end - 1)
        return start, end

    def _removed_before(self, index: int) -> int:
        positions, removed = self.cuts
        slot = bisect_right(positions, index) - 1
        return removed[slot] if slot >= 0 else 0


def normalize(text: str) -> Normalized:
    """Fold `text` for matching: NFKC, casefold, ё/є and Kazakh letter folds, homoglyphs."""
    key = text.casefold()
    if len(key) != len(text):
        return _slow(text)
    unusual = "".join(set(_UNUSUAL.findall(key)))
    cuts = None
    if unusual:
        if _HAS_COMBINING.search(unusual):
            return _slow(text)
        if _INVISIBLE_RUNS.search(unusual):
            key, cuts = _cut_invisible(key)
        for char in unusual:
            key = key.replace(char, _replacement(char))
    if not key.isascii() and not unicodedata.is_normalized("NFKC", key):
        return _slow(text)
    return Normalized(_fix_homoglyphs(key), cuts)


def _replacement(char: str) -> str:
    """What one unusual character becomes in the key (invisible ones are gone already)."""
    if char in _AS_SPACE:
        return " "
    if char in LETTER_FOLDS:
        return LETTER_FOLDS[char]
    return _LATIN_TABLE[ord(char)] if "\u00c0" <= char <= "\u024f" else char


def _cut_invisible(key: str) -> tuple[str, tuple[list[int], list[int]] | None]:
    """Remove soft hyphens and zero-width characters; record where and how many."""
    positions: list[int] = []
    removed: list[int] = []
    total = 0
    for run in _INVISIBLE_RUNS.finditer(key):
        total += run.end() - run.start()
        positions.append(run.end() - total)  # key index of the first character after the cut
        removed.append(total)
    if not positions:
        return key, None
    return _INVISIBLE_RUNS.sub("", key), (positions, removed)


def _slow(text: str) -> Normalized:
    key, starts, ends = _fold_with_offsets(text)
    return Normalized(_fix_homoglyphs(key), None, starts, ends)


def normalize_words(text: str) -> list[str]:
    """The folded words of a rule fragment."""
    return WORD.findall(normalize(text).key)


class _LatinTable(dict):
    """str.translate table: a Latin letter with diacritics becomes its base letter."""

    def __missing__(self, code: int):
        char = chr(code)
        value = char
        if "\u00c0" <= char <= "\u024f":
            base = unicodedata.normalize("NFD", char)[0]
            value = base if base.isascii() and base.isalpha() else _PLAIN_LATIN.get(char, char)
        self[code] = value
        return value


_LATIN_TABLE = _LatinTable()


class _FoldTable(dict):
    """str.translate table for the slow path: letters fold, other characters become spaces."""

    def __missing__(self, code: int):
        char = chr(code)
        if _DELETED.match(char) or unicodedata.category(char) in ("Mn", "Cf"):
            value = None
        elif char.isalnum() and char != "_":
            value = LETTER_FOLDS.get(char, char).translate(_LATIN_TABLE)
        else:
            value = " "
        self[code] = value
        return value


_TABLE = _FoldTable()


def _fold_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """Fold each character cluster on its own and remember where it came from."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(text):
        piece = text[start:end]
        if piece in _AS_SPACE:
            piece = " "
        else:
            piece = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", piece).casefold())
            piece = piece.translate(_TABLE)
        pieces.append(piece)
        starts.extend([start] * len(piece))
        ends.extend([end] * len(piece))
    return "".join(pieces), starts, ends


def _clusters(text: str):
    """Spans of a base character with the combining marks that follow it."""
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            yield start, index
            start = index


def _fix_homoglyphs(key: str) -> str:
    """Fold look-alike letters of a word written in two scripts into the word's own script."""
    if key.isascii() or _ANY_CYRILLIC.search(key) is None:
        return key
    mixed = _mixed_words(key)
    if not mixed:
        return key
    chars = list(key)
    for start, end in mixed:
        chars[start:end] = _fold_word(key[start:end])
    return "".join(chars)


def _mixed_words(key: str) -> list[tuple[int, int]]:
    """Spans of words with letters of both scripts, found from the runs of the rarer script."""
    rare = _LATIN_RUN if key.count("о") >= key.count("o") else _CYRILLIC_RUN  # Cyrillic о vs Latin o
    spans: list[tuple[int, int]] = []
    for run in rare.finditer(key):
        start, end = run.span()
        if (start and key[start - 1].isalpha()) or (end < len(key) and key[end].isalpha()):
            if spans and start < spans[-1][1]:
                continue
            while start and key[start - 1].isalnum():
                start -= 1
            after = NON_WORD.search(key, end)
            spans.append((start, after.start() if after else len(key)))
    return spans


def _fold_word(word: str) -> str:
    """Rewrite one mixed-script word in the script its distinctive letters vote for."""
    latin = sum(1 for c in word if _ANY_LATIN.match(c) and c not in _LATIN_TO_CYRILLIC)
    cyrillic = sum(1 for c in word if _ANY_CYRILLIC.match(c) and c not in _CYRILLIC_TO_LATIN)
    if latin == cyrillic:
        latin = sum(1 for c in word if _ANY_LATIN.match(c))
        cyrillic = sum(1 for c in word if _ANY_CYRILLIC.match(c))
    if cyrillic >= latin:
        return "".join(_LATIN_TO_CYRILLIC.get(c, c) for c in word)
    return "".join(_CYRILLIC_TO_LATIN.get(c, c) for c in word)
