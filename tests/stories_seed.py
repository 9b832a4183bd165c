"""The labeled story set (tests/data/story_items.jsonl) stored as the collector would: matched, by source, placed."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from feeds.matching import compile_topics, default_narratives, default_topics
from feeds.stories.regroup import place_new
from storage import items as item_store
from storage import sources as source_store
from storage.items import NewItem

ITEMS = Path(__file__).resolve().parent / "data" / "story_items.jsonl"
LABELS = {"Kazinform": "state-kz", "Azattyk": "international", "DW": "international", "LIGA.net": "ua",
          "RBC": "ru", "Vecherny Bishkek": "independent", "Gazeta.uz": "independent", "Xinhua": "state-cn"}


def labeled_items() -> list[dict]:
    return [json.loads(line) for line in ITEMS.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_labeled(sessions) -> dict[str, int]:
    """Store every labeled item under its source (labeled as LABELS says), matched to the default topics and
    narratives and placed into stories; label id -> item id."""
    matcher = compile_topics({t.id: t.rules for t in default_topics() + default_narratives()})
    stored: dict[str, int] = {}
    with sessions.begin() as session:
        for item in sorted(labeled_items(), key=lambda i: i["published"]):
            known = {s.name: s for s, _ in source_store.list_sources(session)}
            source = known.get(item["source"])
            if source is None:
                source = source_store.add_source(session, f"https://{item['source'].lower()}.example/rss", item["source"])
                source.label = LABELS[item["source"]]
            result = matcher.match(item["title"], item["text"])
            new = NewItem(
                dedup_key=item["id"], title=item["title"], text=item["text"],
                published_at=datetime.fromisoformat(item["published"].replace("Z", "+00:00")),
                url=item["url"], canonical_url=item["url"], lang=item["lang"],
                matches={topic: result.stored_hits(topic) for topic in result.topics},
            )
            (item_id,) = item_store.store_items(session, source.id, [new])
            place_new(session, [item_id])
            stored[item["id"]] = item_id
    return stored
