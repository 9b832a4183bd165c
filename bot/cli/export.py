"""`dozor export --format jsonl`: every stored item as JSON lines."""
from __future__ import annotations

import json
import sys
from datetime import datetime, timezone

from bot.cli import common
from bot.cli.common import CommandError
from storage import items as item_store


def _since(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CommandError(f"--since {text!r} is not an ISO 8601 date (try 2022-01-05 or 2022-01-05T10:00Z)", 2) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def register(sub) -> None:
    parser = sub.add_parser("export", help="write stored items as JSON lines")
    parser.add_argument("--format", choices=["jsonl"], default="jsonl")
    parser.add_argument("--topic", help="only items matching this topic id")
    parser.add_argument("--since", help="only items published at or after this ISO 8601 time")
    parser.set_defaults(handler=handle)


def handle(args) -> int:
    since = _since(args.since) if args.since else None
    sessions = common.database(common.settings())
    with sessions() as session:
        for item in item_store.iter_items(session, topic=args.topic, since=since):
            sys.stdout.write(json.dumps(item_store.item_as_dict(item), ensure_ascii=False) + "\n")
    return 0
