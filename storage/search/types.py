"""What a parsed search query is made of, and the error a user has to fix."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

EXAMPLE = 'ОДКБ "мирные силы" -учения topic:csto since:2022-01-05 until:2022-01-10'


class QueryError(ValueError):
    """A search query the user has to fix: `code` says why, `given` is the part they typed, `params` the rest.

    The bot words it in the user's language (bot.texts.explain); str() is for logs and tests.
    """

    def __init__(self, code: str, given: str | None = None, example: str = EXAMPLE, **params):
        super().__init__(code)
        self.code, self.given, self.example, self.params = code, given, example, params

    def __str__(self) -> str:
        values = {"given": self.given, **self.params}
        details = ", ".join(f"{name}={value}" for name, value in values.items() if value is not None)
        return f"{self.code}" + (f" ({details})" if details else "") + f"\nExample: {self.example}"


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
