"""What a parsed search query is made of, and the error a user has to fix."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

EXAMPLE = 'ОДКБ "мирные силы" -учения topic:csto since:2022-01-05 until:2022-01-10'


class QueryError(ValueError):
    """A search query the user has to fix; str() is a short explanation and an example."""

    def __init__(self, code: str, reason: str, example: str = EXAMPLE):
        super().__init__(reason)
        self.code, self.reason, self.example = code, reason, example

    def __str__(self) -> str:
        return f"{self.reason}\nExample: {self.example}"


@dataclass(frozen=True)
class Term:
    """A searched word (one stem) or phrase (several stems in a row), with the text the user typed."""

    text: str
    stems: tuple[str, ...]


@dataclass(frozen=True)
class ParsedQuery:
    """What to search for, as storage.search.query parses it."""

    terms: tuple[Term, ...]
    excluded: tuple[Term, ...] = ()
    topic: str | None = None
    source: str | None = None
    lang: str | None = None
    since: date | None = None
    until: date | None = None

    def marked_stems(self) -> frozenset[str]:
        """The stems to show in bold."""
        return frozenset(stem for term in self.terms for stem in term.stems)
