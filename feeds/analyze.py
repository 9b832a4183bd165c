"""The per-entry work done beside parsing, in the parser processes: topic matches and search-index stems."""
from __future__ import annotations

import logging

from feeds.entry import Entry
from feeds.matching import Matcher, RuleSyntaxError, compile_topics
from storage.search.index import item_body, item_stems
from storage.versions import fingerprint

log = logging.getLogger(__name__)

Rules = tuple[tuple[str, tuple[str, ...]], ...]  # ((topic id, (rule, ...)), ...): hashable and picklable

_compiled: dict[Rules, Matcher] = {}


def rules_key(rules: dict[str, list[str]]) -> Rules:
    """The topics' rules as one hashable value."""
    return tuple((topic, tuple(texts)) for topic, texts in sorted(rules.items()))


def matcher_for(rules: Rules) -> Matcher:
    """The compiled matcher of these rules, compiled once per process."""
    matcher = _compiled.get(rules)
    if matcher is None:
        _compiled.clear()
        matcher = _compiled[rules] = compile_valid({topic: list(texts) for topic, texts in rules})
    return matcher


def compile_valid(rules: dict[str, list[str]]) -> Matcher:
    """Compile the topics, leaving out (and logging) any rule that does not parse."""
    try:
        return compile_topics(rules)
    except RuleSyntaxError:
        pass
    valid: dict[str, list[str]] = {}
    for topic, texts in rules.items():
        for text in texts:
            try:
                compile_topics({topic: [text]})
            except RuleSyntaxError as error:
                log.error("topic %s: rule %r ignored: %s", topic, text, error)
                continue
            valid.setdefault(topic, []).append(text)
    return compile_topics(valid)


def analyze_entries(entries: list[Entry], rules: Rules) -> None:
    """Fill in each entry's topic matches, search-index stems and fingerprint; its full text counts, if fetched."""
    matcher = matcher_for(rules)
    for entry in entries:
        body = item_body(entry.text, entry.full_text)
        result = matcher.match(entry.title, body)
        entry.matches = {topic: result.stored_hits(topic) for topic in result.topics}
        entry.stems = item_stems(entry.title, body)
        link = entry.canonical_url or entry.url
        entry.fingerprint = fingerprint(entry.title, entry.text, link, bool(entry.extra.get("edited")))
