"""One story at several addresses: found items with the same title, once normalized, are one result."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from storage.search.textindex import WORD, normalize

CHUNK = 500  # ids per query


@dataclass
class Similar:
    """The first item of a group in result order, its rank, and how many more share its title."""

    item_id: int
    rank: int
    similar: int = 0


def title_key(title: str) -> str:
    """A title without case, punctuation or spacing differences ("" never groups)."""
    return " ".join(WORD.findall(normalize(title or "")))


def collapse_similar(session: Session, ranked: Sequence[tuple[int, int]]) -> list[Similar]:
    """(item id, rank) in result order, folded: each title once, where it first comes."""
    titles = _titles(session, [item_id for item_id, _ in ranked])
    groups: list[Similar] = []
    by_key: dict[str, Similar] = {}
    for item_id, rank in ranked:
        key = title_key(titles.get(item_id, ""))
        if key and key in by_key:
            by_key[key].similar += 1
            continue
        group = Similar(item_id, rank)
        groups.append(group)
        if key:
            by_key[key] = group
    return groups


def _titles(session: Session, ids: list[int]) -> dict[int, str]:
    titles: dict[int, str] = {}
    for start in range(0, len(ids), CHUNK):
        listed = ",".join(str(int(item_id)) for item_id in ids[start : start + CHUNK])
        titles.update((i, t) for i, t in session.execute(text(f"SELECT id, title FROM items WHERE id IN ({listed})")))
    return titles
