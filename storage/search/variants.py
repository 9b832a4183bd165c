"""A query word's other spellings, as the index's stems: a name is found in Latin, Russian and Kazakh letters.

The matcher's rules, kept here too: a word written with a capital letter is a name and its
transliterations count (storage.search.spellings); a Russian letter also finds its Kazakh
counterpart (Токаев finds Тоқаев), a Kazakh letter only itself. The matcher folds Kazakh letters
in the text; the index keeps them, so the search spells the query word with them instead.
A stem ending in "*" is a prefix: Kazakh stems are a word's first letters (textindex), and so
are their Latin spellings.
"""
from __future__ import annotations

import unicodedata
from itertools import product

from storage.search.spellings import KAZAKH_LETTERS, kazakh_spellings, transliterations
from storage.search.textindex import KAZAKH_PREFIX, base_form, normalize, prefix_stem, stem_word

MAX_SPELLINGS = 32  # other stems of one word
MAX_PHRASE_COMBINATIONS = 256  # spellings of a phrase's words tried together, before keeping the likeliest
# Other spellings of a phrase: in SQLite each is one more pass over its words' entries when FTS5
# reads newest first, so only the likeliest few; in Kazakh letters fewer still, as Kazakh word
# order often differs anyway (Қазақстан Президенті).
MAX_LATIN_PHRASES = 8
MAX_CYRILLIC_PHRASES = 4
# Endings of the cases of a name like Казахстан, Токаев (ru, uk): without them the name is whole.
_MASCULINE_CASE_ENDINGS = frozenset("а у е ом ем ым им і ові ою".split())


def own_stem(lowered: str, prefix: bool) -> str:
    """The index stem of a normalized query word; "stem*" for a prefix."""
    return prefix_stem(lowered) + "*" if prefix else stem_word(lowered)


def word_spellings(raw: str, prefix: bool = False) -> list[str]:
    """Stems of the other spellings of one word as typed (none unless it starts with a capital letter)."""
    if not unicodedata.normalize("NFKC", raw)[:1].isupper():
        return []
    lowered = normalize(raw)
    own = own_stem(lowered, prefix)
    if not KAZAKH_LETTERS.isdisjoint(lowered):
        found = _from_kazakh(raw, own.rstrip("*"))
    else:
        found = _from_russian_or_latin(raw, _forms(lowered), prefix)
    return [s for s in dict.fromkeys(found) if s.rstrip("*") and s != own][:MAX_SPELLINGS]


def phrase_spellings(words: list[tuple[str, list[str]]]) -> tuple[tuple[str, ...], ...]:
    """Other stem sequences of a word or phrase from each word's (own stem, other stems); a phrase's each
    in one script: all in Latin letters, then in Cyrillic ones (Kazakh or not), fewest words changed first."""
    if len(words) == 1:
        return tuple((stem,) for stem in words[0][1])
    own = tuple(stem for stem, _ in words)
    found = []
    for script, most in (("latin", MAX_LATIN_PHRASES), ("cyrillic", MAX_CYRILLIC_PHRASES)):
        found += [stems for stems in _in_one_script(words, script) if stems != own][:most]
    return tuple(dict.fromkeys(found))


def _in_one_script(words: list[tuple[str, list[str]]], script: str) -> list[tuple[str, ...]]:
    """The phrase with every word spelled in `script`, if each word has such a spelling."""
    options = []
    for own, others in words:
        same = [stem for stem in others if _script(stem) == script]
        options.append(([own] if _script(own) in (script, None) else []) + same)
    if not all(options):
        return []
    each = max(1, int(MAX_PHRASE_COMBINATIONS ** (1 / len(options))))
    options = [o[:each] for o in options]
    picks = sorted(product(*(range(len(o)) for o in options)), key=lambda p: (len(p) - p.count(0), max(p), sum(p)))
    return [tuple(o[i] for o, i in zip(options, pick)) for pick in picks]


def _script(stem: str) -> str | None:
    """"latin", "cyrillic" (Kazakh letters included) or None for digits."""
    if not any(char.isalpha() for char in stem):
        return None
    return "latin" if stem.isascii() else "cyrillic"


def _from_kazakh(raw: str, stem: str) -> list[str]:
    """A Kazakh word is indexed by its first letters: their Latin spellings, as prefixes."""
    return [other + "*" for other in transliterations(raw, stem)]


def _forms(lowered: str) -> list[str]:
    """The word, and without its case ending where that leaves a name's own form (Казахстане, Токаева)."""
    base = base_form(lowered)
    if base.isascii():
        return [base]  # Kazakhstan's -> kazakhstan
    return [lowered, base] if lowered[len(base):] in _MASCULINE_CASE_ENDINGS else [lowered]


def _from_russian_or_latin(raw: str, forms: list[str], prefix: bool) -> list[str]:
    """Latin or Russian spellings of the forms, then the Kazakh spellings of the Russian ones."""
    others = [other for form in forms for other in transliterations(raw, form)]
    found = [stem for other in others if _kept(stem := own_stem(other, prefix), other)]
    for form in forms + [other for other in others if not other.isascii()]:
        found += _kazakh(form, prefix)
    return found


def _kept(stem: str, spelled: str) -> bool:
    """Whether the English stemmer left a Latin spelling recognizable (rossiya, not ross)."""
    return len(stem.rstrip("*")) >= len(spelled) - 2


def _kazakh(form: str, prefix: bool) -> list[str]:
    """Index stems of the Kazakh spellings of a Russian-spelled form (those keeping a Kazakh letter)."""
    stems = (own_stem(spelled, prefix) for spelled in kazakh_spellings(form, KAZAKH_PREFIX))
    return [stem for stem in stems if not KAZAKH_LETTERS.isdisjoint(stem)]
