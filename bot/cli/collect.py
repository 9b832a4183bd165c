"""`dozor collect [--once]`: the collector alone."""
from __future__ import annotations

import asyncio

from bot.cli import common
from bot.cli.common import CommandError
from bot.fleet.roles import COLLECTOR


def register(sub) -> None:
    parser = sub.add_parser("collect", help="poll the sources (no bot)")
    parser.add_argument("--once", action="store_true", help="poll every active source now, print a summary, exit")
    parser.set_defaults(handler=handle)


def handle(args) -> int:
    config = common.settings()
    if not args.once:
        from bot.cli.run import run_roles

        run_roles(config, (COLLECTOR,))
        return 0
    with common.writing(config, "dozor collect --once"):
        sessions = common.database(config)
        summary = asyncio.run(collect_once(sessions, config))
    print(summary.line())
    if summary.storage_error:  # the database's failure, not the sources': nothing of theirs is recorded
        raise CommandError(f"storage: {summary.storage_error}; the sources not stored are polled again next time")
    return 0


async def collect_once(sessions, config):
    """Poll every active source once, regardless of its schedule."""
    collector = common.collector(config, sessions)
    try:
        return await collector.tick(everything=True)
    finally:
        await collector.aclose()
