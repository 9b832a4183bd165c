"""What matching one item returns: its topics and the hits that put it there."""
from __future__ import annotations

from dataclasses import dataclass


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
