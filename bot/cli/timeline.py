"""`dozor timeline --topic T [--since ISO] [--until ISO] --format json|md`: a topic's stories in time order."""
from __future__ import annotations

import json
import sys
from datetime import timezone
from zoneinfo import ZoneInfo

from bot.cli import common
from bot.cli.common import CommandError
from bot.volunteer.timeline import DEFAULT_PERIOD, TimelineRequest, render_markdown
from storage import topics as topic_store
from storage.models import utcnow
from storage.timeline import topic_timeline

UTC = ZoneInfo("UTC")


def register(sub) -> None:
    parser = sub.add_parser("timeline", help="a topic's stories in time order, with numbered references")
    parser.add_argument("--topic", required=True, help="topic id or title")
    parser.add_argument("--since", help="ISO 8601 start (default: 7 days before --until)")
    parser.add_argument("--until", help="ISO 8601 end (default: now)")
    parser.add_argument("--format", choices=["json", "md"], default="json")
    parser.set_defaults(handler=handle)


def handle(args) -> int:
    until = common.iso_time(args.until, "--until") if args.until else utcnow()
    since = common.iso_time(args.since, "--since") if args.since else until - DEFAULT_PERIOD
    if since > until:
        raise CommandError(f"--since {since.isoformat()} is after --until {until.isoformat()}", 2)
    sessions = common.database(common.settings())
    with sessions() as session:
        topic = common.topic_id(session, args.topic)
        timeline = topic_timeline(session, topic, since, until)
        title = topic_store.topic_titles(session)[topic]
    if not timeline.stories:
        print(f"no stories about {title} from {since.isoformat()} to {until.isoformat()}", file=sys.stderr)
    if args.format == "json":
        print(json.dumps([story.as_dict() for story in timeline.stories], ensure_ascii=False, indent=2))
    else:
        request = TimelineRequest(topic, title, since.astimezone(timezone.utc), until.astimezone(timezone.utc))
        sys.stdout.write(render_markdown(request, timeline, UTC, "en"))
    return 0
