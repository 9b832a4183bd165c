"""`dozor db upgrade`: apply the schema migrations."""
from __future__ import annotations

from bot.cli import common
from storage.db import make_engine
from storage.migrate import upgrade


def register(sub) -> None:
    parser = sub.add_parser("db", help="database maintenance")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("upgrade", help="apply the schema migrations (also done on every start)").set_defaults(
        handler=handle_upgrade
    )


def handle_upgrade(args) -> int:
    config = common.settings()
    upgrade(make_engine(config.database_url))
    print("database is up to date")
    return 0
