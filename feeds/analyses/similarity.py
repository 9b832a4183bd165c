"""How close an item's text is to an analysis: cosine of tf-idf vectors over the search index's stems."""
from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from storage.search.textindex import stems

MIN_STEM_CHARS = 3
MAX_STEMS = 20_000
# Words too common to tell two texts apart (ru, uk, kk, en); stemmed like everything else.
_STOP_WORDS = """
это этот эта эти того тем так как что чтобы который которая которые также уже еще ещё или при для
после перед между через только более менее было были будет будут может могут свой своих всех его
её их она они оно мы вы он нас вам про без под над года году лет раз
цей ця ці того який яка які також вже ще або при для після перед між через тільки більш було були
буде будуть може можуть свій своїх всіх його її вони воно ми ви він нас вам про без під над року років
және мен бен пен үшін бұл сол осы деп еді болып болды бар жоқ тағы
the and for that with this from are was were been has have had will would can could their its his
her they them not but also more than into about over after before which who what when where said says
"""
STOP_STEMS = frozenset(stems(_STOP_WORDS))
_URLS = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)  # a reference list is not what a text is about


def term_counts(title: str, text: str) -> Counter:
    """Stem frequencies of a text, the title counted twice, without URLs, stop words, short stems and numbers."""
    words = stems(title, MAX_STEMS) * 2 + stems(_URLS.sub(" ", text), MAX_STEMS)
    return Counter(w for w in words if len(w) >= MIN_STEM_CHARS and not w.isdigit() and w not in STOP_STEMS)


def inverse_frequencies(documents: Sequence[Counter]) -> dict[str, float]:
    """Smoothed idf of every stem over these documents."""
    frequency: Counter = Counter()
    for document in documents:
        frequency.update(document.keys())
    total = len(documents)
    return {stem: math.log((1 + total) / (1 + n)) + 1 for stem, n in frequency.items()}


def weights(counts: Counter, idf: dict[str, float]) -> dict[str, float]:
    """Sublinear tf times idf, normalized to unit length."""
    vector = {stem: (1 + math.log(n)) * idf.get(stem, 1.0) for stem, n in counts.items()}
    norm = math.sqrt(sum(value * value for value in vector.values()))
    return {stem: value / norm for stem, value in vector.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """The dot product of two unit vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b.get(stem, 0.0) for stem, value in a.items())


def similarities(target: Counter, candidates: Sequence[Counter]) -> list[float]:
    """Cosine similarity of each candidate to the target, with idf taken over all of them."""
    idf = inverse_frequencies([target, *candidates])
    base = weights(target, idf)
    return [cosine(base, weights(candidate, idf)) for candidate in candidates]
