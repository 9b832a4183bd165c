"""`dozor narratives --topic T [--days N] --format json`: per day, per source label, each narrative's share."""
from __future__ import annotations

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.cli import common
from bot.cli.common import CommandError
from bot.volunteer.narratives import NarrativesRequest, as_json
from feeds.signals.narratives import topic_shares
from storage import topics as topic_store
from storage.models import utcnow

MOST_DAYS = 366


def register(sub) -> None:
    parser = sub.add_parser("narratives", help="each narrative's share of a topic's items, per day and source label")
    parser.add_argument("--topic", required=True, help="topic id or title")
    parser.add_argument("--days", type=int, default=30, help="how many days back (default 30)")
    parser.add_argument("--until", help="ISO 8601 end of the period (default: now)")
    parser.add_argument("--format", choices=["json"], default="json")
    parser.set_defaults(handler=handle)


def handle(args) -> int:
    if not 1 <= args.days <= MOST_DAYS:
        raise CommandError(f"--days must be between 1 and {MOST_DAYS}", 2)
    until = common.iso_time(args.until, "--until") if args.until else utcnow()
    since = until - timedelta(days=args.days)
    sessions = common.database(common.settings())
    with sessions() as session:
        topic = common.topic_id(session, args.topic)
        title = topic_store.topic_titles(session)[topic]
        found = topic_shares(session, topic, since, until, ZoneInfo("UTC"))
    request = NarrativesRequest(topic, title, timedelta(days=args.days))
    print(json.dumps(as_json(request, found, since, until), ensure_ascii=False, indent=2))
    return 0
