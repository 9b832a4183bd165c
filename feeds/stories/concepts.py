"""Event words and names whose spellings differ by language, found by the topic matcher in ru/uk/kk/en.

Two items in different languages rarely share a word, but they share what happened: the event
list turns "отставка", "відставку", "отставкасын" and "resigned" into one concept. Some names are
not transliterations of each other (ОДКБ, CSTO, ҰҚШҰ): the names list gives each one key, which
then counts as a name. Both lists live in feeds/data/story_concepts.json and are compiled once per
process like topics, so word forms, transliteration and Kazakh endings are the matcher's own.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from feeds.matching import Matcher, compile_topics

CONCEPTS_FILE = Path(__file__).resolve().parents[1] / "data" / "story_concepts.json"
NAME_PREFIX = "="  # a concept from the names list, as it appears among an item's names


@lru_cache(maxsize=1)
def _lists() -> dict:
    return json.loads(CONCEPTS_FILE.read_text(encoding="utf-8"))


def listed_name_rules() -> dict[str, str]:
    """"=id" -> the rule that finds a listed name."""
    return {NAME_PREFIX + name: rule for name, rule in _lists()["names"].items()}


@lru_cache(maxsize=1)
def concept_matcher() -> Matcher:
    """The compiled lists: event concepts by their id, names as "=id"."""
    rules = {concept: [rule] for concept, rule in _lists()["events"].items()}
    rules.update({name: [rule] for name, rule in listed_name_rules().items()})
    return compile_topics(rules)


def concepts(title: str, lead: str) -> tuple[frozenset[str], frozenset[str]]:
    """The event concepts and the listed names that a title and the start of a text mention."""
    found = concept_matcher().topics(title, lead)
    return (frozenset(c for c in found if not c.startswith(NAME_PREFIX)),
            frozenset(c for c in found if c.startswith(NAME_PREFIX)))
