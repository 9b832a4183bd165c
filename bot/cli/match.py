"""`dozor match [--topics FILE]`: match JSON lines from stdin against the topics."""
from __future__ import annotations

import sys

from bot.cli import common
from bot.cli.common import CommandError
from feeds.matching.cli import load_topics_file, run_match
from storage import topics as topic_store


def register(sub) -> None:
    parser = sub.add_parser("match", help="match JSON lines {id, title, text} from stdin against the topics")
    parser.add_argument("--topics", metavar="FILE", help="a topics JSON file instead of the database's topics")
    parser.set_defaults(handler=handle)


def handle(args) -> int:
    if args.topics:
        try:
            topics = load_topics_file(args.topics)
        except (OSError, ValueError, RecursionError) as exc:
            raise CommandError(f"cannot read topics from {args.topics}: {exc}", 2) from None
    else:
        with common.database(common.settings())() as session:
            topics = topic_store.topic_rules(session)
    return run_match(sys.stdin, sys.stdout, topics)
