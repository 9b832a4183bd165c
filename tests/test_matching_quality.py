"""The default topics on a labeled set written for them: precision and recall per topic."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from feeds.matching import compile_topics, default_topics

LABELED = Path(__file__).resolve().parent / "data" / "labeled_items.jsonl"
MINIMUM = 0.97


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return [json.loads(line) for line in LABELED.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def predictions(items) -> dict[str, list[str]]:
    matcher = compile_topics({t.id: t.rules for t in default_topics()})
    return {item["id"]: matcher.match(item["title"], item["text"]).topics for item in items}


def test_labeled_set_covers_four_languages_and_hard_negatives(items):
    assert len(items) >= 300
    assert len({item["id"] for item in items}) == len(items)
    languages = Counter(item["lang"] for item in items)
    assert set(languages) == {"ru", "uk", "kk", "en"} and min(languages.values()) >= 40
    assert sum(1 for item in items if not item["topics"]) >= 100


@pytest.mark.parametrize("topic", ["kazakhstan", "csto"])
def test_precision_and_recall(items, predictions, topic):
    wanted = {item["id"] for item in items if topic in item["topics"]}
    got = {item_id for item_id, topics in predictions.items() if topic in topics}
    true = len(wanted & got)
    precision = true / len(got) if got else 0.0
    recall = true / len(wanted) if wanted else 0.0
    missed, false = sorted(wanted - got), sorted(got - wanted)
    assert precision >= MINIMUM, f"{topic}: precision {precision:.3f}, false alarms {false}"
    assert recall >= MINIMUM, f"{topic}: recall {recall:.3f}, missed {missed}"
