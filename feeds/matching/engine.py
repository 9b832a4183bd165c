"""Compile topics into one Aho-Corasick automaton and match items against it."""
from __future__ import annotations

import gc
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ahocorasick

from feeds.matching.compile_terms import TermPlan, plan_cache_clear, plan_term
from feeds.matching.normalize import NON_WORD, WORD, Normalized, normalize
from feeds.matching.rules import FIELDS, Or, Term, all_terms, evaluate, parse_rule, positive_terms

# What may stand between two words of a phrase in the original text (not . , ; : ! ? or brackets).
_PHRASE_GAP = re.compile(r"[\s\-\u2010\u2011\u00ad\u200b-\u200d\u2060'\"«»„“”‚‘’]*")


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a term of a rule was found: field ("title" or "text") and span in the original text."""

    topic: str
    rule: str
    term: str
    field: str
    start: int
    end: int

    def as_dict(self) -> dict:
        """Plain-data form for JSON and storage."""
        return {"topic": self.topic, "rule": self.rule, "term": self.term, "field": self.field,
                "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The topics an item belongs to and the hits that put it there."""

    topics: list[str]
    hits: list[Hit]

    def hits_for(self, topic: str) -> list[Hit]:
        """Hits of one topic."""
        return [hit for hit in self.hits if hit.topic == topic]


@dataclass(frozen=True, slots=True)
class _Rule:
    topic: str
    text: str
    tree: object
    term_ids: dict  # Term -> term id
    positives: tuple  # (Term, term id) that can make the rule true
    simple: bool  # a word or an OR of words: true as soon as one of them is found


# Joins title and text for one scan; not a letter and not a phrase gap, so nothing spans it.
_FIELD_BREAK = "\x00"


class Matcher:
    """Topics compiled once; `match` is cheap and may be called for every new item."""

    def __init__(self, rules: list[_Rule], plans: list[TermPlan]):
        self._rules = rules
        self._plans = plans
        self._rules_by_term: list[list[int]] = [[] for _ in plans]
        for index, rule in enumerate(rules):
            for term_id in set(rule.term_ids.values()):
                self._rules_by_term[term_id].append(index)
        self._automaton = _build_automaton(plans)

    @property
    def pattern_count(self) -> int:
        """Number of stems in the automaton (for benchmarks and diagnostics)."""
        return len(self._automaton) if self._automaton is not None else 0

    def match(self, title: str, text: str) -> MatchResult:
        """Topics and hits of one item."""
        title, text = title or "", text or ""
        if self._automaton is None:
            return MatchResult([], [])
        found = self._scan(title + _FIELD_BREAK + text, len(title))
        return self._decide(found) if found else MatchResult([], [])

    def _scan(self, original: str, border: int) -> dict[int, list[tuple[str, int, int]]]:
        """Term id -> (field, start, end) of every place a term was found."""
        found: dict[int, list[tuple[str, int, int]]] = {}
        norm = normalize(original)
        key = norm.key
        for end, (stem_length, entries) in self._automaton.iter(key):
            start = end - stem_length + 1
            if start and key[start - 1].isalnum():
                continue  # inside a word
            stop = NON_WORD.search(key, end + 1)
            stop = stop.start() if stop else len(key)
            tail = key[end + 1:stop]
            for stem, strict, term_id, anchor in entries:
                if not stem.accepts(tail) or (strict and not _has_letters(norm, original, start, strict)):
                    continue
                plan = self._plans[term_id]
                span = (start, stop) if len(plan.words) == 1 else _phrase_span(plan, anchor, norm, original, start, stop)
                if span is not None:
                    first, last = norm.span(*span)
                    where = ("title", first, last) if first < border else ("text", first - border - 1, last - border - 1)
                    found.setdefault(term_id, []).append(where)
        return found

    def _decide(self, found: dict) -> MatchResult:
        candidates = sorted({rule for term_id in found for rule in self._rules_by_term[term_id]})
        hits: dict[tuple, Hit] = {}
        topics: set[str] = set()
        for index in candidates:
            rule = self._rules[index]
            if not _holds(rule, found):
                continue
            topics.add(rule.topic)
            for term, term_id in rule.positives:
                for field, start, end in found.get(term_id, ()):
                    if field in term.fields:
                        hits.setdefault((rule.topic, field, start, end),
                                        Hit(rule.topic, rule.text, term.source, field, start, end))
        ordered = sorted(hits.values(), key=lambda h: (h.topic, FIELDS.index(h.field), h.start, h.end))
        return MatchResult(sorted(topics), ordered)


def _holds(rule: _Rule, found: dict) -> bool:
    """Whether the rule is true for the terms found."""
    def is_found(term: Term) -> bool:
        return any(field in term.fields for field, _, _ in found.get(rule.term_ids[term], ()))

    if rule.simple:
        return any(is_found(term) for term, _ in rule.positives)
    return evaluate(rule.tree, is_found)


def compile_topics(topics: Mapping[str, Sequence[str]]) -> Matcher:
    """Compile topic id -> rule strings; raise RuleSyntaxError on the first bad rule."""
    # Compiling allocates many small objects that all stay alive; without this the cyclic
    # garbage collector would walk the growing heap again and again (2-4x the compile time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _compile(topics)
    finally:
        if collecting:
            gc.enable()


def _compile(topics: Mapping[str, Sequence[str]]) -> Matcher:
    plans: list[TermPlan] = []
    plan_ids: dict[tuple, int] = {}
    rules: list[_Rule] = []
    for topic, texts in topics.items():
        for text in texts:
            tree = parse_rule(text)
            term_ids = {}
            for term in all_terms(tree):
                key = (term.exact, term.words)
                if key not in plan_ids:
                    plan_ids[key] = len(plans)
                    plans.append(plan_term(term))
                term_ids[term] = plan_ids[key]
            positives = tuple((term, term_ids[term]) for term in positive_terms(tree))
            simple = isinstance(tree, Term) or (isinstance(tree, Or) and all(isinstance(t, Term) for t in tree.operands))
            rules.append(_Rule(topic, text, tree, term_ids, positives, simple))
    return Matcher(rules, plans)


def clear_compile_caches() -> None:
    """Forget parsed rules and term plans (benchmarks use it to time a cold compile)."""
    parse_rule.cache_clear()
    plan_cache_clear()


def check_rule(rule: str) -> None:
    """Raise RuleSyntaxError if `rule` cannot be compiled."""
    compile_topics({"check": [rule]})


def _build_automaton(plans: list[TermPlan]):
    """One automaton over all stems; a match counts only where a word starts."""
    table: dict[str, list] = {}
    for term_id, plan in enumerate(plans):
        anchor = plan.anchor
        for stem, strict in plan.words[anchor]:
            table.setdefault(stem.stem, []).append((stem, strict, term_id, anchor))
    if not table:
        return None
    automaton = ahocorasick.Automaton()
    for pattern, entries in table.items():
        automaton.add_word(pattern, (len(pattern), tuple(entries)))
    automaton.make_automaton()
    return automaton


def _has_letters(norm: Normalized, original: str, start: int, strict) -> bool:
    """Whether the original word has the rule's Kazakh letters where the rule has them."""
    for offset, letter in strict:
        position = norm.span(start + offset, start + offset + 1)[0]
        if original[position:position + 1].casefold() != letter:
            return False
    return True


def _phrase_span(plan: TermPlan, anchor: int, norm: Normalized, original: str, start: int, stop: int):
    """Key span of a whole phrase around its anchor word, or None if the neighbours do not fit."""
    key = norm.key
    first, last = (start, stop), (start, stop)
    for index in range(anchor - 1, -1, -1):
        word = _previous_word(key, first[0])
        if word is None or not _joins(norm, original, word, first) or not _fits(plan.words[index], norm, original, word):
            return None
        first = word
    for index in range(anchor + 1, len(plan.words)):
        word = _next_word(key, last[1])
        if word is None or not _joins(norm, original, last, word) or not _fits(plan.words[index], norm, original, word):
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


def _fits(options, norm: Normalized, original: str, word) -> bool:
    token = norm.key[word[0]:word[1]]
    for stem, strict in options:
        if token.startswith(stem.stem) and stem.accepts(token[len(stem.stem):]):
            if not strict or _has_letters(norm, original, word[0], strict):
                return True
    return False
