"""`dozor export --format jsonl`: every stored item as JSON lines."""
from __future__ import annotations

import json
import sys

from bot.cli import common
from storage import items as item_store


def register(sub) -> None:
    parser = sub.add_parser("export", help="write stored items as JSON lines")
    parser.add_argument("--format", choices=["jsonl"], default="jsonl")
    parser.add_argument("--topic", help="only items matching this topic id")
    parser.add_argument("--since", help="only items published at or after this ISO 8601 time")
    parser.set_defaults(handler=handle)


def handle(args) -> int:
    since = common.iso_time(args.since, "--since") if args.since else None
    sessions = common.database(common.settings())
    with sessions() as session:
        for item in item_store.iter_items(session, topic=args.topic, since=since):
            sys.stdout.write(json.dumps(item_store.item_as_dict(item), ensure_ascii=False) + "\n")
    return 0
