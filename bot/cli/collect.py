"""`dozor collect [--once]`: the collector alone."""
from __future__ import annotations

import asyncio

from bot.cli import common
from bot.cli.common import CommandError
from feeds.schedule import run_standalone


def register(sub) -> None:
    parser = sub.add_parser("collect", help="poll the sources (no bot)")
    parser.add_argument("--once", action="store_true", help="poll every active source now, print a summary, exit")
    parser.set_defaults(handler=handle)


def handle(args) -> int:
    config = common.settings()
    sessions = common.database(config)
    if args.once:
        summary = asyncio.run(collect_once(sessions, config))
        print(summary.line())
        if summary.storage_error:  # the database's failure, not the sources': nothing of theirs is recorded
            raise CommandError(f"storage: {summary.storage_error}; the sources not stored are polled again next time")
        return 0
    asyncio.run(run_standalone(common.collector(config, sessions), config.tick_seconds))
    return 0


async def collect_once(sessions, config):
    """Poll every active source once, regardless of its schedule."""
    collector = common.collector(config, sessions)
    try:
        return await collector.tick(everything=True)
    finally:
        await collector.aclose()
