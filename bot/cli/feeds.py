"""`dozor feeds add|set|list|remove|import-opml|export-opml`: manage sources."""
from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from bot.cli import common
from bot.cli.common import CommandError
from bot.collecting import fetch_policy
from feeds.sources.opml import (
    OpmlError,
    all_sources,
    import_feeds,
    read_opml,
    write_opml,
)
from feeds.fetch import Fetcher
from feeds.sources.source_urls import BadSourceUrl, NeedsLookup, ResolvedSource, resolve_online, resolve_source
from storage import source_changes
from storage import sources as source_store
from storage.audit import CLI
from storage.failures import last_failure



def register(sub) -> None:
    parser = sub.add_parser("feeds", help="add, change, list or remove sources")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add", help="add a feed URL, a Telegram channel (@name, t.me/name) or a social account "
        "(@user@instance, bsky.app/profile/HANDLE, youtube.com/@handle, r/NAME)",
    )
    add.add_argument("url")
    add.add_argument("--name", help="display name (default: the host or channel name)")
    add.add_argument("--kind", choices=source_store.KINDS, help="rss (default), telegram or analysis")
    add.add_argument("--label", help="who speaks: state-ru, state-kz, independent, ua, international, analysis...")
    add.add_argument(
        "--full-text", choices=source_store.FULL_TEXT_MODES, default="auto",
        help="read each new item's article page for its text: auto (when the feed's text is short, the default), "
        "always or never",
    )
    add.set_defaults(handler=handle_add)
    label = actions.add_parser("label", help="set (or, with an empty label, clear) a source's label")
    label.add_argument("id", type=common.record_id)
    label.add_argument("label")
    label.set_defaults(handler=handle_label)
    change = actions.add_parser("set", help="change a source's settings")
    change.add_argument("id", type=common.record_id)
    change.add_argument("--full-text", choices=source_store.FULL_TEXT_MODES, required=True,
                        help="when its items' article pages are read: auto, always or never")
    change.set_defaults(handler=handle_set)
    listing = actions.add_parser("list", help="every source with its health")
    listing.add_argument("--json", action="store_true", help="one JSON list instead of a table")
    listing.set_defaults(handler=handle_list)
    remove = actions.add_parser("remove", help="stop monitoring a source")
    remove.add_argument("id", type=common.record_id)
    remove.set_defaults(handler=handle_remove)
    opml_in = actions.add_parser("import-opml", help="add the feeds of an OPML file (duplicates are skipped)")
    opml_in.add_argument("file")
    opml_in.set_defaults(handler=handle_import_opml)
    actions.add_parser("export-opml", help="write every source as OPML to stdout").set_defaults(handler=handle_export_opml)


def handle_add(args) -> int:
    config = common.settings()
    resolved = _resolved(args.url, args.kind, config)
    label = _label(args.label)
    sessions = common.database(config)
    try:
        with sessions.begin() as session:
            source = source_changes.add(
                session, resolved.url, args.name or resolved.name, resolved.kind, CLI,
                platform=resolved.platform, origin=resolved.origin, label=label, full_text=args.full_text,
            )
    except source_store.SourceExists as exc:
        raise CommandError(f"{resolved.url} is {exc}") from None
    print(source.id)
    return 0


def _label(text: str | None) -> str | None:
    try:
        return source_store.check_label(text)
    except ValueError as exc:
        raise CommandError(str(exc), exit_code=2) from None


def handle_label(args) -> int:
    label = _label(args.label)
    sessions = common.database(common.settings())
    with sessions.begin() as session:
        if source_changes.set_label(session, args.id, label, CLI) is None:
            raise CommandError(f"no source with id {args.id} (see `dozor feeds list`)")
    print(f"source {args.id}: label {label or 'none'}")
    return 0


def handle_set(args) -> int:
    sessions = common.database(common.settings())
    with sessions.begin() as session:
        outcome, source = source_changes.set_full_text(session, args.id, args.full_text, CLI)
    if source is None:
        raise CommandError(f"no source with id {args.id} (see `dozor feeds list`)")
    said = "already reads" if outcome == "full_text_same" else "now reads"
    print(f"source {args.id} ({source.name}) {said} full text: {args.full_text}")
    return 0


def _resolved(text: str, kind: str | None, config) -> ResolvedSource:
    """What `text` stands for; a YouTube handle's channel page is read once, through the guarded fetcher."""
    async def online() -> ResolvedSource:
        async with Fetcher(fetch_policy(config)) as fetcher:
            return await resolve_online(text, kind, fetcher, config.youtube_url)

    try:
        return resolve_source(text, kind)
    except NeedsLookup:
        try:
            return asyncio.run(online())
        except BadSourceUrl as exc:
            raise CommandError(str(exc)) from None
    except BadSourceUrl as exc:
        raise CommandError(str(exc), exit_code=2) from None


def _iso(value):
    return value.isoformat().replace("+00:00", "Z") if value else None


def _row(source, item_count: int) -> dict:
    last_error = f"{source.last_error_code}: {source.last_error_message}" if source.last_error_code else None
    return {
        "id": source.id,
        "name": source.name,
        "url": source.url,
        "kind": source.shown_kind,
        "origin": source.origin,
        "label": source.label,
        "full_text": source.full_text,
        "status": source.status,
        "error_count": source.error_count,
        "last_error": last_error,
        "last_ok_at": _iso(source.last_ok_at),
        "next_check_at": _iso(source.next_check_at),
        "item_count": item_count,
    }


def handle_list(args) -> int:
    sessions = common.database(common.settings())
    with sessions() as session:
        rows = [_row(s, n) for s, n in source_store.list_sources(session)]
        storage = last_failure(session)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if storage:
        print(f"storage: last error at {_iso(storage.at)}: {storage.message} (failing since {_iso(storage.since)})")
    if not rows:
        print("no sources yet: add one with `dozor feeds add URL`")
        return 0
    for row in rows:
        health = row["status"] if not row["error_count"] else f"{row['status']}, {row['error_count']} errors"
        label = row["label"] or source_store.UNLABELED
        print(f"{row['id']:>4}  {row['kind']:<8} {label:<13} {row['name'][:24]:<24} {row['item_count']:>6} items  {health}  "
              f"{row['url']}")
        if row["last_error"]:
            print(f"      last error: {row['last_error']}")
    return 0


def handle_remove(args) -> int:
    sessions = common.database(common.settings())
    with sessions.begin() as session:
        if source_changes.remove(session, args.id, CLI) is None:
            raise CommandError(f"no source with id {args.id} (see `dozor feeds list`)")
    print(f"removed source {args.id}")
    return 0


def handle_import_opml(args) -> int:
    try:
        feeds = read_opml(Path(args.file).read_bytes())
    except OSError as exc:
        raise CommandError(f"cannot read {args.file}: {exc}", 2) from None
    except OpmlError as exc:
        raise CommandError(f"{args.file}: {exc}", 2) from None
    sessions = common.database(common.settings())
    with sessions.begin() as session:
        summary = import_feeds(session, feeds, CLI)
    for reason in summary.invalid:
        print(f"invalid: {reason}", file=sys.stderr)
    print(f"{len(summary.added)} added, {len(summary.duplicates)} skipped as duplicates, {len(summary.invalid)} invalid")
    return 0


def handle_export_opml(args) -> int:
    sessions = common.database(common.settings())
    with sessions() as session:
        data = write_opml(all_sources(session))
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return 0
