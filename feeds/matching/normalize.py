"""One matching key for every spelling of a text, with a map back to the original characters.

The key keeps punctuation (a word is a run of letters and digits), so in the common case it is
as long as the text and a span in the key is the same span in the original. Each step below is
a C-speed string method; only rare texts (ligatures, soft hyphens, decomposed letters) take the
slow path that folds character by character and records offsets.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Letters of Ukrainian and Kazakh folded to their Russian base letter; 1:1, so spans survive.
# Rules keep the original letter and may insist on it (see forms.strict_letters).
LETTER_FOLDS = {
    "ё": "е", "є": "е", "ї": "і", "ґ": "г",
    "қ": "к", "ғ": "г", "ң": "н", "ө": "о", "ү": "у", "ұ": "у", "һ": "х", "ә": "а",
    "ѕ": "s", "ј": "j",  # Macedonian/Serbian letters: in our languages only ever a disguised Latin letter
}
# Compatibility characters frequent in news that NFKC would lengthen or change; they only
# separate words, so a space does as well and keeps the fast path.
_AS_SPACE = "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u2026\u2116\u2122"
# Removed outright (soft hyphen, zero-width, BOM, direction marks, combining marks): the slow path.
_DELETED = re.compile(
    "[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u0300-\u036f\u0483-\u0489"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)
# Latin letters with diacritics lose them (Qaraǵandy, Almatı, café): 1:1, so spans survive.
_ACCENTED_LATIN = re.compile("[\u00c0-\u024f]")
_PLAIN_LATIN = {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ħ": "h"}
WORD = re.compile(r"[^\W_]+")
NON_WORD = re.compile(r"[\W_]")

# Latin and Cyrillic letters that look alike once lower-cased (capitals fold to these first).
_LATIN_TO_CYRILLIC = dict(zip("aceopxykmhtbi", "асеорхукмнтві"))
_CYRILLIC_TO_LATIN = {c: latin for latin, c in _LATIN_TO_CYRILLIC.items()}
_LATIN = "a-z\u00e0-\u024f"
_CYRILLIC = "\u0400-\u04ff"
_ANY_LATIN = re.compile(f"[{_LATIN}]")
_ANY_CYRILLIC = re.compile(f"[{_CYRILLIC}]")
# A script change inside a word; the rarer script goes first, which is what makes re fast here.
_LATIN_THEN_CYRILLIC = re.compile(f"[{_LATIN}][{_CYRILLIC}]")
_CYRILLIC_THEN_LATIN = re.compile(f"[{_CYRILLIC}][{_LATIN}]")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A folded text; `starts`/`ends` give each key character's original span (None: same index)."""

    key: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of key[start:end]."""
        if self.starts is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def normalize(text: str) -> Normalized:
    """Fold `text` for matching: NFKC, casefold, ё/є and Kazakh letter folds, homoglyphs."""
    key = text.casefold()
    if len(key) == len(text) and _DELETED.search(key) is None:
        for char in _AS_SPACE:
            if char in key:
                key = key.replace(char, " ")
        if unicodedata.is_normalized("NFKC", key):
            return Normalized(_fix_homoglyphs(_fold_letters(key)))
    key, starts, ends = _fold_with_offsets(text)
    return Normalized(_fix_homoglyphs(key), starts, ends)


def normalize_words(text: str) -> list[str]:
    """The folded words of a rule fragment."""
    return WORD.findall(normalize(text).key)


def _fold_letters(key: str) -> str:
    for char, folded in LETTER_FOLDS.items():
        if char in key:
            key = key.replace(char, folded)
    if _ACCENTED_LATIN.search(key):
        key = key.translate(_LATIN_TABLE)
    return key


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
        if _DELETED.match(char) or unicodedata.category(char) == "Mn":
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
    if _ANY_LATIN.search(key) is None or _ANY_CYRILLIC.search(key) is None:
        return key
    starts = _script_changes(key)
    if not starts:
        return key
    chars = list(key)
    done = 0
    for position in sorted(starts):
        if position < done:
            continue
        start = position
        while start > 0 and key[start - 1].isalnum():
            start -= 1
        match = NON_WORD.search(key, position)
        done = match.start() if match else len(key)
        chars[start:done] = _fold_word(key[start:done])
    return "".join(chars)


def _script_changes(key: str) -> list[int]:
    """Positions where a word switches between Latin and Cyrillic."""
    if key.count("о") + key.count("е") + key.count("а") >= key.count("o") + key.count("e") + key.count("a"):
        reverse = key[::-1]  # Cyrillic text: search with the rare Latin letter first, both ways
        ends = [len(key) - m.start() - 2 for m in _LATIN_THEN_CYRILLIC.finditer(reverse)]
        return [m.start() for m in _LATIN_THEN_CYRILLIC.finditer(key)] + ends
    reverse = key[::-1]
    ends = [len(key) - m.start() - 2 for m in _CYRILLIC_THEN_LATIN.finditer(reverse)]
    return [m.start() for m in _CYRILLIC_THEN_LATIN.finditer(key)] + ends


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
