"""`dozor analyses add|list`: the community's analyses and what they link to."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from bot.cli import common
from bot.cli.common import CommandError
from feeds.analyses.linking import AnalysisInputError, add_analysis
from storage import analyses as analysis_store
from storage.audit import CLI


def register(sub) -> None:
    parser = sub.add_parser("analyses", help="add or list the community's analyses")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add an analysis (or replace the one with the same URL) and link it")
    add.add_argument("--url", required=True, help="where the analysis is published")
    add.add_argument("--title", required=True)
    add.add_argument("--file", required=True, type=Path, help="its text: plain text or HTML, UTF-8")
    add.add_argument("--published", help="publication date, e.g. 2022-01-10 or 2022-01-10T09:00Z (default: now)")
    add.set_defaults(handler=handle_add)
    listing = actions.add_parser("list", help="recent analyses with their linked items")
    listing.add_argument("--topic", help="only analyses of this topic id")
    listing.set_defaults(handler=handle_list)


def parse_published(text: str) -> datetime:
    """An ISO 8601 date or time (UTC unless it says otherwise), or dd.mm.yyyy."""
    text = text.strip()
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = datetime.strptime(text, "%d.%m.%Y")
        except ValueError:
            raise CommandError(f"--published {text!r} is not a date (try 2022-01-10 or 2022-01-10T09:00Z)", 2) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _read(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {path}: {exc}", 2) from None


def handle_add(args) -> int:
    published = parse_published(args.published) if args.published else None
    content = _read(args.file)
    sessions = common.database(common.settings())
    try:
        with sessions.begin() as session:
            added = add_analysis(session, args.url, args.title, content, published, origin="cli", actor=CLI)
    except AnalysisInputError as exc:
        raise CommandError(str(exc), 2) from None
    verb = "added" if added.created else "updated"
    topics = ", ".join(added.topics) or "none"
    print(
        f"analysis {added.id} {verb}: {added.citations} citations, {added.cited_items} of them stored items; "
        f"{added.similar_items} similar items; topics: {topics}"
    )
    return 0


def handle_list(args) -> int:
    sessions = common.database(common.settings())
    with sessions() as session:
        rows = analysis_store.recent_analyses(session, args.topic, limit=50)
    if not rows:
        print("no analyses yet: add one with `dozor analyses add --url URL --title TITLE --file TEXT_FILE`")
        return 0
    for row in rows:
        day = row.published_at.strftime("%Y-%m-%d")
        print(f"{row.id:>4}  {day}  cites {row.cited_items:>3} stored, {row.similar_items:>3} similar  {row.title[:60]}  {row.url}")
    return 0
