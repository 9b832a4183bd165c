"""Turn one rule term into the stems to search for, word by word."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from feeds.matching.forms import UNCHANGED, Stem, inflections, strict_letters
from feeds.matching.normalize import WORD, normalize
from feeds.matching.rules import Term
from storage.search.spellings import is_abbreviation, transliterations

# Options for one word of the text: a stem and the Kazakh letters it insists on.
WordOptions = list[tuple[Stem, tuple[tuple[int, str], ...]]]


@dataclass(frozen=True, slots=True)
class TermPlan:
    """A term as a sequence of words, each with its options; `anchor` is the word the automaton finds."""

    words: list[WordOptions]
    anchor: int


def plan_term(term: Term) -> TermPlan:
    """Stems for every word of a term (a hyphenated word counts as a phrase)."""
    return _plan(term.words, term.exact)


@lru_cache(maxsize=50_000)  # recompiling after one rule changed reuses every other term's plan
def _plan(raw_words: tuple[str, ...], exact: bool) -> TermPlan:
    words: list[WordOptions] = []
    for raw in raw_words:
        prefix = raw.endswith("*")
        raw = raw.rstrip("*")
        for raw_token, token in _tokens(raw):
            words.append(_options(raw_token, token, exact, prefix))
    anchor = max(range(len(words)), key=lambda i: (min(len(s.stem) for s, _ in words[i]), -i))
    return TermPlan(words, anchor)


def plan_cache_clear() -> None:
    """Forget cached term plans."""
    _plan.cache_clear()


def _tokens(raw: str):
    """Pairs (raw token as written, folded token) of one rule word."""
    norm = normalize(raw)
    for match in WORD.finditer(norm.key):
        start, end = norm.span(*match.span())
        yield raw[start:end], match.group()


def _options(raw: str, token: str, exact: bool, prefix: bool) -> WordOptions:
    lowered = unicodedata.normalize("NFKC", raw).casefold()
    strict = strict_letters(lowered) if len(lowered) == len(token) else ()
    if exact:
        return [(Stem(token, UNCHANGED), strict)]
    if prefix:
        stems = [Stem(token, None)] + [Stem(v, None) for v in transliterations(raw, lowered)]
        return [(stems[0], strict)] + [(s, ()) for s in stems[1:]]
    abbreviation = is_abbreviation(raw)
    name = raw[:1].isupper()
    options: WordOptions = [(stem, strict) for stem in inflections(token, abbreviation, name=name)]
    for variant in transliterations(raw, lowered):
        options.extend((stem, ()) for stem in inflections(normalize(variant).key, abbreviation, name=True))
    return _dedupe(options)


def _dedupe(options: WordOptions) -> WordOptions:
    return list(dict.fromkeys(options))
