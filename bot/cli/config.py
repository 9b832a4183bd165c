"""`dozor config export|import`: sources, topics, narratives and rules as a TOML file (config as code)."""
from __future__ import annotations

import sys
from pathlib import Path

from bot.cli import common
from bot.cli.common import CommandError
from feeds.sources.config_sync import (
    ConfigError,
    apply_config,
    current_config,
    parse_config,
    to_toml,
)
from storage.audit import CLI


def register(sub) -> None:
    parser = sub.add_parser("config", help="export or import sources, topics and rules as TOML")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write the configuration to stdout (dozor config export > dozor.toml)")
    export.set_defaults(handler=handle_export)
    apply = actions.add_parser("import", help="apply a configuration file; safe to run again")
    apply.add_argument("file", help="a TOML file written by `dozor config export` (- for stdin)")
    apply.add_argument("--prune", action="store_true", help="also remove sources and topics the file does not list")
    apply.add_argument("--dry-run", action="store_true", help="report the changes without making them")
    apply.set_defaults(handler=handle_import)


def handle_export(args) -> int:
    sessions = common.database(common.settings())
    with sessions() as session:
        sys.stdout.write(to_toml(current_config(session)))
    return 0


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {name}: {exc}", 2) from None


def handle_import(args) -> int:
    try:
        config = parse_config(_read(args.file))
    except ConfigError as exc:
        raise CommandError(str(exc), 2) from None
    sessions = common.database(common.settings())
    with sessions() as session:
        try:
            changes = apply_config(session, config, CLI, prune=args.prune)
        except ConfigError as exc:
            session.rollback()
            raise CommandError(f"{exc}; nothing was changed", 2) from None
        if args.dry_run:
            session.rollback()
        else:
            session.commit()
    for line in changes:
        print(line)
    verb = "would change" if args.dry_run else "changed"
    print(f"{verb} {len(changes)} things" if changes else "nothing to change: the database matches the file")
    return 0
