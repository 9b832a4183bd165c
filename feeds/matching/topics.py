"""The default topics and narratives, shipped as data in feeds/data/topics.json and narratives.json."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

TOPICS_FILE = Path(__file__).resolve().parents[1] / "data" / "topics.json"
NARRATIVES_FILE = TOPICS_FILE.with_name("narratives.json")


@dataclass(frozen=True)
class TopicSpec:
    """A topic as seeded into a new database: id, human title, rules, and its title in other languages."""

    id: str
    title: str
    rules: list[str]
    titles: dict[str, str] = field(default_factory=dict)


def default_topics() -> list[TopicSpec]:
    """The topics every new database starts with."""
    return load_topic_specs(TOPICS_FILE)


def default_narratives() -> list[TopicSpec]:
    """The narratives every database gets (drawn from the volunteers' analyses, in ru/uk/kk/en)."""
    return load_topic_specs(NARRATIVES_FILE)


def load_topic_specs(path: Path | str) -> list[TopicSpec]:
    """Read a list of {"id", "title", "rules", "titles" (language -> title)} from a JSON file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [
        TopicSpec(item["id"], item.get("title", item["id"]), list(item["rules"]), dict(item.get("titles", {})))
        for item in data
    ]
