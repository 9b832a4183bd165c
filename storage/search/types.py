"""What a parsed search query is made of, and the error a user has to fix."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

EXAMPLE = '(ОДКБ OR CSTO) "мирные силы" -учения topic:csto since:2022-01-05 until:2022-01-10'
SORTS = ("newest", "relevance")


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
    """A searched word (one stem) or phrase (several in a row), with the text the user typed.

    `spellings` are the same words in other scripts (a name's Latin or Kazakh spelling), each as
    a stem sequence of its own. A stem ending in "*" is a prefix: it only has to start a word.
    """

    text: str
    stems: tuple[str, ...]
    spellings: tuple[tuple[str, ...], ...] = ()

    @property
    def alternatives(self) -> tuple[tuple[str, ...], ...]:
        """Every stem sequence that finds this term: its own, then its other spellings."""
        return (self.stems, *self.spellings)


@dataclass(frozen=True)
class Group:
    """Operands all found (AND) or any found (OR); under AND, no `excluded` operand may be found."""

    op: str  # "and" or "or"
    operands: tuple[Term | Group, ...]
    excluded: tuple[Term | Group, ...] = ()


Node = Term | Group


def leaves(node: Node | None, positive: bool = True) -> Iterator[Term]:
    """The terms to find (or, with positive=False, the terms excluded) under a node (none under None)."""
    if node is None:
        return
    if isinstance(node, Term):
        if positive:
            yield node
        return
    for operand in node.operands:
        yield from leaves(operand, positive)
    for operand in node.excluded:
        yield from leaves(operand, True) if not positive else ()


@dataclass(frozen=True)
class ParsedQuery:
    """What to search for, as storage.search.query parses it."""

    tree: Node | None  # None: no words, only an is: filter (every edited or deleted item)
    topic: str | None = None
    source: str | None = None
    lang: str | None = None
    since: date | None = None
    until: date | None = None
    sort: str = "newest"
    flags: tuple[str, ...] = ()  # is:edited, is:deleted

    @property
    def terms(self) -> tuple[Term, ...]:
        """The terms whose presence is searched for (the ones shown in bold)."""
        return tuple(dict.fromkeys(leaves(self.tree)))

    @property
    def excluded(self) -> tuple[Term, ...]:
        """The terms that exclude an item."""
        return tuple(dict.fromkeys(leaves(self.tree, positive=False)))
