"""Compile topics into one Aho-Corasick automaton and match items against it."""
from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import ahocorasick

from feeds.matching.compile_terms import TermPlan, plan_cache_clear, plan_term
from feeds.matching.normalize import NON_WORD, normalize
from feeds.matching.phrases import has_letters, phrase_span
from feeds.matching.results import Hit, MatchResult
from feeds.matching.rules import FIELDS, Or, RuleSyntaxError, Term, all_terms, evaluate, parse_rule, positive_terms

MAX_RULE_CHARS = 500  # a rule longer than this is no longer readable in /keywords and crowds a message out

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

    def topics(self, title: str, text: str) -> list[str]:
        """Only the topics of one item (cheaper than match: no hits are collected)."""
        title, text = title or "", text or ""
        if self._automaton is None:
            return []
        found = self._scan(title + _FIELD_BREAK + text, len(title))
        candidates = {rule for term_id in found for rule in self._rules_by_term[term_id]}
        return sorted({self._rules[i].topic for i in candidates if _holds(self._rules[i], found)})

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
                if not stem.accepts(tail) or (strict and not has_letters(norm, original, start, strict)):
                    continue
                plan = self._plans[term_id]
                span = (start, stop) if len(plan.words) == 1 else phrase_span(plan, anchor, norm, original, start, stop)
                if span is not None:
                    first, last = norm.span(*span)
                    if first < border:
                        found.setdefault(term_id, []).append(("title", first, last))
                    else:
                        found.setdefault(term_id, []).append(("text", first - border - 1, last - border - 1))
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
                    key = (rule.topic, field, start, end)
                    if field in term.fields and key not in hits:
                        hits[key] = Hit(rule.topic, rule.text, term.source, field, start, end)
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
    rules = [_compile_rule(topic, text, plans, plan_ids) for topic, texts in topics.items() for text in texts]
    return Matcher(rules, plans)


def _compile_rule(topic: str, text: str, plans: list[TermPlan], plan_ids: dict[tuple, int]) -> _Rule:
    """Parse one rule and plan its terms; a term used by several rules is planned once."""
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
    return _Rule(topic, text, tree, term_ids, positives, simple)


def clear_compile_caches() -> None:
    """Forget parsed rules and term plans (benchmarks use it to time a cold compile)."""
    parse_rule.cache_clear()
    plan_cache_clear()


def check_rule(rule: str) -> None:
    """Raise RuleSyntaxError if `rule` is too long to list or cannot be compiled (every new rule is checked here)."""
    if len(rule) > MAX_RULE_CHARS:
        raise RuleSyntaxError(
            f"a rule may have at most {MAX_RULE_CHARS} characters", rule, MAX_RULE_CHARS, "too_long", most=MAX_RULE_CHARS
        )
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
