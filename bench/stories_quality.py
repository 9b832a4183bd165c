"""Story grouping on the labeled set: precision and recall over pairs of items (same story or not).

    .venv/bin/python bench/stories_quality.py [--show]

tests/data/story_items.jsonl holds items of 22 events of January 2022 in ru/uk/kk/en from
several outlets, most of them about the same people in the same week; tests/data/story_pairs.jsonl
labels every pair. The items are grouped in time order, as the collector groups them.
"""
from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feeds.stories.features import item_features  # noqa: E402
from feeds.stories.memory_index import MemoryIndex  # noqa: E402
from feeds.stories.placing import place  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"


def load(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def grouped(items: list[dict]) -> dict[str, int]:
    """Item label id -> story id."""
    numbered = {n: item for n, item in enumerate(items)}
    order = sorted(numbered, key=lambda n: numbered[n]["published"])
    index = MemoryIndex()
    stories = {}
    for n in order:
        item = numbered[n]
        published = datetime.fromisoformat(item["published"].replace("Z", "+00:00"))
        stories[item["id"]] = place(index, n, published, item_features(item["title"], item["text"], item["lang"]))
    return stories


def scores(stories: dict[str, int], pairs: list[dict]) -> tuple[float, float, list[tuple[str, str, str]]]:
    """Precision, recall and the pairs grouped wrongly."""
    true = false = missed = 0
    wrong = []
    for pair in pairs:
        together = stories[pair["a"]] == stories[pair["b"]]
        if together and pair["same"]:
            true += 1
        elif together:
            false += 1
            wrong.append(("grouped, but different", pair["a"], pair["b"]))
        elif pair["same"]:
            missed += 1
            wrong.append(("apart, but the same", pair["a"], pair["b"]))
    precision = true / (true + false) if true + false else 1.0
    recall = true / (true + missed) if true + missed else 1.0
    return precision, recall, wrong


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list the pairs grouped wrongly")
    args = parser.parse_args()
    items, pairs = load("story_items.jsonl"), load("story_pairs.jsonl")
    stories = grouped(items)
    precision, recall, wrong = scores(stories, pairs)
    print(f"{len(items)} items, {len({i['story'] for i in items})} labeled stories, {len(pairs)} labeled pairs "
          f"({sum(p['same'] for p in pairs)} same story); grouped into {len(set(stories.values()))} stories")
    print(f"precision {precision:.3f}  recall {recall:.3f}  (target 0.95 both)")
    if args.show:
        for why, a, b in wrong:
            print(f"  {why}: {a} / {b}")


if __name__ == "__main__":
    main()
