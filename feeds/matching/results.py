"""What matching one item returns: its topics and the hits that put it there."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

# An item repeating a word a million times must not store a million hits: each term of a topic
# keeps its first places, and the last one kept counts the others (`more`).
PLACES_PER_TERM = 20


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a term of a rule was found: field ("title" or "text") and span in the original text.

    `more` counts the places of the same term in the same topic after this one that were not kept.
    """

    topic: str
    rule: str
    term: str
    field: str
    start: int
    end: int
    more: int = 0

    def as_dict(self) -> dict:
        """Plain-data form for JSON and storage."""
        found = {"topic": self.topic, "rule": self.rule, "term": self.term, "field": self.field,
                 "start": self.start, "end": self.end}
        if self.more:
            found["more"] = self.more
        return found


def kept_places(hits: Iterable[Hit]) -> list[Hit]:
    """Each topic's term at its first PLACES_PER_TERM places, in order; the last kept one counts the rest."""
    kept: list[Hit] = []
    seen: Counter[tuple[str, str]] = Counter()
    last: dict[tuple[str, str], int] = {}
    for hit in hits:
        key = (hit.topic, hit.term)
        seen[key] += 1
        if seen[key] <= PLACES_PER_TERM:
            last[key] = len(kept)
            kept.append(hit)
    for key, count in seen.items():
        if count > PLACES_PER_TERM:
            kept[last[key]] = replace(kept[last[key]], more=count - PLACES_PER_TERM)
    return kept


@dataclass(frozen=True, slots=True)
class MatchResult:
    """The topics an item belongs to and every hit that put it there."""

    topics: list[str]
    hits: list[Hit]

    def hits_for(self, topic: str) -> list[Hit]:
        """Hits of one topic."""
        return [hit for hit in self.hits if hit.topic == topic]

    def stored_hits(self, topic: str) -> list[dict]:
        """Hits of one topic as stored: each term's first places, the last one counting the rest."""
        return [hit.as_dict() for hit in kept_places(self.hits_for(topic))]
