"""One matching key for every spelling of a text, with a map back to the original characters."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Removed outright: soft hyphen, zero-width characters, BOM, combining stress marks.
_DELETED = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff\u0300\u0301")
# Letters of Ukrainian and Kazakh folded to their Russian base letter; 1:1, so spans survive.
# Rules keep the original letter and may insist on it (see forms.strict_letters).
LETTER_FOLDS = {
    "ё": "е", "є": "е", "ї": "і", "ґ": "г",
    "қ": "к", "ғ": "г", "ң": "н", "ө": "о", "ү": "у", "ұ": "у", "һ": "х", "ә": "а",
}
SEPARATOR = " "


class _FoldTable(dict):
    """str.translate table: letters and digits fold, everything else becomes a separator."""

    def __missing__(self, code: int):
        char = chr(code)
        if char in _DELETED or unicodedata.category(char) == "Mn":
            value = None
        elif char in LETTER_FOLDS:
            value = LETTER_FOLDS[char]
        elif char.isalnum() and char != "_":
            value = char
        else:
            value = SEPARATOR
        self[code] = value
        return value


_TABLE = _FoldTable()

# Latin and Cyrillic letters that look alike once lower-cased (capitals fold to these first).
_LATIN_TO_CYRILLIC = dict(zip("aceopxykmhtbi", "асеорхукмнтві"))
_CYRILLIC_TO_LATIN = {c: latin for latin, c in _LATIN_TO_CYRILLIC.items()}
_LATIN = "a-z\u00e0-\u024f"
_CYRILLIC = "\u0400-\u04ff"
_MIXED = re.compile(f"[{_LATIN}][{_CYRILLIC}]|[{_CYRILLIC}][{_LATIN}]")
_IS_LATIN = re.compile(f"[{_LATIN}]")
_IS_CYRILLIC = re.compile(f"[{_CYRILLIC}]")


@dataclass(frozen=True, slots=True)
class Normalized:
    """A folded text padded with one separator each side; spans map back through `starts`/`ends`."""

    key: str
    starts: list[int] | None  # original index of each key character (after the pad); None: identity
    ends: list[int] | None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of key[start:end] (key indices include the leading pad)."""
        if self.starts is None:
            return start - 1, end - 1
        return self.starts[start - 1], self.ends[end - 2]


def normalize(text: str) -> Normalized:
    """Fold `text` for matching: NFKC, casefold, letter folds, homoglyphs, separators."""
    if unicodedata.is_normalized("NFKC", text):
        folded = text.casefold()
        if len(folded) == len(text):
            key = folded.translate(_TABLE)
            if len(key) == len(text):
                return Normalized(SEPARATOR + _fix_homoglyphs(key) + SEPARATOR, None, None)
    key, starts, ends = _fold_with_offsets(text)
    return Normalized(SEPARATOR + _fix_homoglyphs(key) + SEPARATOR, starts, ends)


def normalize_word(text: str) -> str:
    """The folded form of a rule fragment, without padding."""
    return normalize(text).key[1:-1]


def _fold_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """Slow path: fold each character cluster on its own and remember where it came from."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(text):
        piece = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text[start:end]).casefold())
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
    match = _MIXED.search(key)
    if match is None:
        return key
    chars = list(key)
    position = 0
    while match is not None:
        start = key.rfind(SEPARATOR, 0, match.start()) + 1
        end = key.find(SEPARATOR, match.end())
        end = len(key) if end < 0 else end
        chars[start:end] = _fold_word(key[start:end])
        position = end
        match = _MIXED.search(key, position)
    return "".join(chars)


def _fold_word(word: str) -> str:
    """Rewrite one mixed-script word in the script its distinctive letters vote for."""
    latin_only = sum(1 for c in word if _IS_LATIN.match(c) and c not in _LATIN_TO_CYRILLIC)
    cyrillic_only = sum(1 for c in word if _IS_CYRILLIC.match(c) and c not in _CYRILLIC_TO_LATIN)
    if latin_only == cyrillic_only:
        latin_only = sum(1 for c in word if _IS_LATIN.match(c))
        cyrillic_only = sum(1 for c in word if _IS_CYRILLIC.match(c))
    if cyrillic_only >= latin_only:
        return "".join(_LATIN_TO_CYRILLIC.get(c, c) for c in word)
    return "".join(_CYRILLIC_TO_LATIN.get(c, c) for c in word)
