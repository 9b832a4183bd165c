"""Event words in four languages (arrest, resign, protest, withdrawal...) found by the topic matcher.

Two items in different languages rarely share a word, but they share what happened: the concept
list turns "отставка", "відставку", "отставкасын" and "resigned" into one concept. It is compiled
once per process like a set of topics, so word forms, transliteration and Kazakh endings are the
matcher's own.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from feeds.matching import Matcher, compile_topics

CONCEPTS_FILE = Path(__file__).resolve().parents[1] / "data" / "story_concepts.json"


@lru_cache(maxsize=1)
def concept_matcher() -> Matcher:
    """The compiled concept list."""
    rules = json.loads(CONCEPTS_FILE.read_text(encoding="utf-8"))
    return compile_topics({concept: [rule] for concept, rule in rules.items()})


def concepts(title: str, lead: str) -> frozenset[str]:
    """The concepts a title and the start of a text mention."""
    return frozenset(concept_matcher().topics(title, lead))
