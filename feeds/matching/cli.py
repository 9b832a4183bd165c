"""`dozor match`: JSON lines of items in, one line of topics and hits out per item."""
from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from feeds.matching.engine import compile_topics
from feeds.matching.rules import RuleSyntaxError


def run_match(stdin: TextIO, stdout: TextIO, topics: Mapping[str, Sequence[str]]) -> int:
    """Match every input line; a bad line gets an error line, never a crash. Returns the exit code.

    A rule that does not compile is reported on stderr with exit code 2, before any input is read.
    """
    try:
        matcher = compile_topics(topics)
    except RuleSyntaxError as exc:
        print(f"dozor match: {exc}", file=sys.stderr)
        return 2
    for line in stdin:
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("each line must be a JSON object")
            title, text = _field(item, "title"), _field(item, "text")
        except (ValueError, RecursionError) as exc:
            _write(stdout, {"id": None, "error": str(exc)})
            continue
        result = matcher.match(title, text)
        hits = [{"topic": h.topic, "term": h.term, "field": h.field, "start": h.start, "end": h.end}
                for h in result.hits]
        _write(stdout, {"id": item.get("id"), "topics": result.topics, "hits": hits})
    stdout.flush()
    return 0


def load_topics_file(path: Path | str) -> dict[str, list[str]]:
    """Topics from JSON: {"topic": [rules]} or [{"id", "title", "rules"}] like feeds/data/topics.json."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        return {str(topic): _rules(rules, topic) for topic, rules in data.items()}
    if isinstance(data, list) and all(isinstance(item, dict) and {"id", "rules"} <= set(item) for item in data):
        return {str(item["id"]): _rules(item["rules"], item["id"]) for item in data}
    raise ValueError("topics file must hold an object {topic: [rules]} or a list of {id, title, rules}")


def _field(item: dict, name: str) -> str:
    value = item.get(name) or ""
    if not isinstance(value, str):
        raise ValueError(f"{name!r} must be a string")
    return value


def _rules(rules, topic) -> list[str]:
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        raise ValueError(f"rules of topic {topic!r} must be a list of strings")
    return list(rules)


def _write(stdout: TextIO, record: dict) -> None:
    stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
