"""Placing one item into a story: candidates from the index, names weighted by rarity, the best match joined.

An item joins the story of the candidate it matches best (feeds.stories.similarity) among the
stories whose first report is at most WINDOW away from it, or starts a story. Where the index
lives is the StoryIndex's business: in memory for a batch, in the database for the collector.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol

from feeds.stories.features import Features
from feeds.stories.similarity import MIN_NAMES, SAME_TITLE, Similarity, jaccard, title_numbers, title_ratio

WINDOW = timedelta(hours=48)
LOOKUP_KEYS = 12  # the rarest keys of an item find its candidates
PER_KEY = 32  # at most this many items per key, the most recent first
COMPARED = 20  # of the candidates, those sharing the most keys are compared
ALL_ITEMS = 0  # the count key that counts every item
PRIOR_ITEMS = 20  # as if the window always held this many more items: weights mean something in a quiet week too


@dataclass(slots=True)
class Member:
    """An item in a story, as the index gives it back."""

    item_id: int
    story_id: int
    story_start: datetime  # the story's first report
    published_at: datetime
    title_key: str
    names: frozenset[str]
    concepts: frozenset[str]
    name_norm: float


class StoryIndex(Protocol):
    """Where placed items are kept and found again."""

    def counts(self, keys: list[int], days: list[date]) -> dict[int, int]:
        """How many items of these days carry each key (ALL_ITEMS: how many items there were)."""

    def candidates(self, keys: list[int], since: datetime, until: datetime, most: int) -> list[Member]:
        """The `most` members published in [since, until] that share the most of these keys."""

    def add(self, member: Member, keys: list[int], new_story: bool) -> int:
        """Store a placed item (starting its story, if new) and count its keys; return the story id."""


def window_days(moment: datetime) -> list[date]:
    """The UTC days the window before `moment` touches: the days whose counts weight its names."""
    first, last = (moment - WINDOW).date(), moment.date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def place(index: StoryIndex, item_id: int, published_at: datetime, features: Features) -> int:
    """Put the item into the story it belongs to, or a new one; return the story id."""
    keys = features.keys()
    counts = index.counts(keys + [ALL_ITEMS], window_days(published_at))
    total = counts.get(ALL_ITEMS, 0)
    weights = {name: _rarity(counts.get(key, 0), total) for name, key in features.name_keys().items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    best = _best_match(index, features, weights, norm, sorted(keys, key=lambda k: counts.get(k, 0)), published_at)
    member = Member(
        item_id, best.story_id if best else 0, best.story_start if best else published_at, published_at,
        features.title, features.names, features.concepts, norm,
    )
    return index.add(member, keys, new_story=best is None)


def _best_match(index: StoryIndex, features: Features, weights: dict[str, float], norm: float,
                keys_rarest_first: list[int], published_at: datetime) -> Member | None:
    """The candidate of a story near enough in time that the item matches best, if any."""
    lookup = keys_rarest_first[:LOOKUP_KEYS]
    found = index.candidates(lookup, published_at - WINDOW, published_at + WINDOW, COMPARED) if lookup else []
    best, best_score = None, -1.0
    for other in found:
        if abs(other.story_start - published_at) > WINDOW:
            continue
        alike = _compare(features, weights, norm, other)
        if alike is not None and alike.same_story and alike.score > best_score:
            best, best_score = other, alike.score
    return best


def _rarity(count: int, total: int) -> float:
    """The weight of a name carried by `count` of `total` items: the rarer, the heavier."""
    return math.log((total + PRIOR_ITEMS) / (count + 1))


def _compare(features: Features, weights: dict[str, float], norm: float, other: Member) -> Similarity | None:
    """How alike the item and a candidate are; None when they share too few names to be one story."""
    common = features.names & other.names
    if not common and (features.names or other.names):
        return None
    shared = sum(weights[name] ** 2 for name in common)
    names = min(1.0, shared / (norm * other.name_norm)) if norm and other.name_norm else 0.0
    if names < MIN_NAMES and (features.names or other.names):
        return None
    title = title_ratio(features.title, other.title_key)
    return Similarity(
        title,
        names,
        jaccard(features.concepts, other.concepts),
        bool(features.concepts or other.concepts),
        title >= SAME_TITLE and title_numbers(features.title) == title_numbers(other.title_key),
        len(common),
        not features.names and not other.names,
    )
