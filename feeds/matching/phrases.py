"""Checks around a stem the automaton found: Kazakh letters a rule insists on, and whole phrases."""
from __future__ import annotations

import re

from feeds.matching.compile_terms import TermPlan
from feeds.matching.normalize import WORD, Normalized

# What may stand between two words of a phrase in the original text (not . , ; : ! ? or brackets).
_PHRASE_GAP = re.compile(r"[\s\-\u2010\u2011\u00ad\u200b-\u200d\u2060'\"«»„“”‚‘’]*")


def has_letters(norm: Normalized, original: str, start: int, strict) -> bool:
    """Whether the original word has the rule's Kazakh letters where the rule has them."""
    for offset, letter in strict:
        position = norm.span(start + offset, start + offset + 1)[0]
        if original[position:position + 1].casefold() != letter:
            return False
    return True


def phrase_span(plan: TermPlan, anchor: int, norm: Normalized, original: str, start: int, stop: int):
    """Key span of a whole phrase around its anchor word, or None if the neighbours do not fit."""
    key = norm.key
    first, last = (start, stop), (start, stop)
    for index in range(anchor - 1, -1, -1):
        word = _previous_word(key, first[0])
        if word is None or not _fits(plan.words[index], norm, original, word, (word, first)):
            return None
        first = word
    for index in range(anchor + 1, len(plan.words)):
        word = _next_word(key, last[1])
        if word is None or not _fits(plan.words[index], norm, original, word, (last, word)):
            return None
        last = word
    return first[0], last[1]


def _previous_word(key: str, start: int):
    end = start
    while end > 0 and not key[end - 1].isalnum():
        end -= 1
    begin = end
    while begin > 0 and key[begin - 1].isalnum():
        begin -= 1
    return (begin, end) if begin < end else None


def _next_word(key: str, end: int):
    match = WORD.search(key, end)
    return match.span() if match else None


def _joins(norm: Normalized, original: str, left, right) -> bool:
    """Whether only spaces, hyphens or quotes separate two words in the original text."""
    gap_start = norm.span(*left)[1]
    gap_end = norm.span(*right)[0]
    return _PHRASE_GAP.fullmatch(original, gap_start, gap_end) is not None


def _fits(options, norm: Normalized, original: str, word, pair) -> bool:
    """Whether `word` is one of the phrase word's forms and joins its neighbour (`pair`) closely."""
    if not _joins(norm, original, *pair):
        return False
    token = norm.key[word[0]:word[1]]
    for stem, strict in options:
        if token.startswith(stem.stem) and stem.accepts(token[len(stem.stem):]):
            if not strict or has_letters(norm, original, word[0], strict):
                return True
    return False
