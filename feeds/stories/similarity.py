"""Whether two items tell the same story: the same headline, or the same names and the same event words.

Titles are compared with rapidfuzz (C++ edit-distance ratios, microseconds a pair) after the
matcher's folding and transliteration, so a Russian and a Ukrainian wire headline compare as Latin
text. Across languages headlines differ: then the item's names and places must overlap (weighted
by rarity, so a name every item of the week carries counts little) and so must its concepts.
"""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

SAME_TITLE = 88.0  # rapidfuzz token_sort_ratio at or above which two headlines are the same
SAME_TITLE_FLOOR = 50.0  # below this, how alike two headlines are does not matter
NAMES = 0.4  # weighted cosine of the names...
CONCEPTS = 0.25  # ...together with this Jaccard of the concepts
NAMES_ALONE = 0.6  # for items that mention no concept at all
SAME_TITLE_NAMES = 0.1  # a headline differing only in its names ("Protest in Aktau", "Protest in Aktobe") is another story
MIN_NAMES = min(NAMES, SAME_TITLE_NAMES, NAMES_ALONE)  # below this no rule can hold


@dataclass(frozen=True, slots=True)
class Similarity:
    """How alike two items are."""

    title: float  # 0..100
    names: float  # 0..1
    concepts: float  # 0..1
    any_concepts: bool
    same_numbers: bool = True  # the titles carry the same numbers ("Item 1" and "Item 2" are two stories)
    shared_names: int = 0
    no_names: bool = False  # neither item has a name to compare

    @property
    def same_story(self) -> bool:
        """Whether the two items are about the same event."""
        if self.title >= SAME_TITLE and self.same_numbers and (self.names >= SAME_TITLE_NAMES or self.no_names):
            return True
        if self.any_concepts:
            return self.names >= NAMES and self.concepts >= CONCEPTS
        return self.names >= NAMES_ALONE and self.shared_names >= 2

    @property
    def score(self) -> float:
        """One number to choose the best of several matching stories."""
        return self.title / 100 + self.names + self.concepts


def title_ratio(a: str, b: str) -> float:
    """How alike two folded Latin titles are, 0..100 whatever the word order; 0 below SAME_TITLE_FLOOR."""
    return fuzz.token_sort_ratio(a, b, score_cutoff=SAME_TITLE_FLOOR) if a and b else 0.0


def title_numbers(title: str) -> frozenset[str]:
    """The numbers written in a folded title."""
    return frozenset(word for word in title.split() if word[:1].isdigit())


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared over all."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0
