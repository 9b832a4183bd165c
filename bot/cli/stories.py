"""`dozor stories --format jsonl [--regroup]`: every story with its items, for checking the grouping."""
from __future__ import annotations

import json
import sys

from bot.cli import common
from feeds.stories import regroup
from storage import stories as story_store
from storage.models import utcnow
from storage.timeline import stories_by_id

BATCH = 1000


def register(sub) -> None:
    parser = sub.add_parser("stories", help="write every story (items about one event) as JSON lines")
    parser.add_argument("--format", choices=["jsonl"], default="jsonl")
    parser.add_argument("--regroup", action="store_true", help="group every stored item anew first")
    parser.set_defaults(handler=handle)


def handle(args) -> int:
    sessions = common.database(common.settings())
    if args.regroup:
        result = regroup.regroup(sessions, utcnow())
        print(f"regrouped {result.items} items into {result.stories} stories", file=sys.stderr)
    with sessions() as session:
        batch: list[int] = []
        for story_id, _ in story_store.iter_story_items(session):
            batch.append(story_id)
            if len(batch) == BATCH:
                _write(session, batch)
                batch = []
        _write(session, batch)
    return 0


def _write(session, story_ids: list[int]) -> None:
    for story in stories_by_id(session, story_ids):
        sys.stdout.write(json.dumps(story.as_dict(), ensure_ascii=False) + "\n")
