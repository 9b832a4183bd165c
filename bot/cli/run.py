"""`dozor run`: the collector, plus the bot when a token is set."""
from __future__ import annotations

import asyncio
import logging

from bot.cli import common
from feeds.schedule import run_standalone

log = logging.getLogger("dozor")

NO_TOKEN = (
    "no bot token set: Dozor is collecting only. To start the Telegram bot, create one with @BotFather "
    "and set DOZOR_BOT_TOKEN=<token> (in the environment or in a .env file), then restart."
)


def register(sub) -> None:
    parser = sub.add_parser("run", help="collect, and run the bot when DOZOR_BOT_TOKEN is set")
    parser.set_defaults(handler=handle)


def handle(args) -> int:
    config = common.settings()
    sessions = common.database(config)
    collector = common.collector(config, sessions)
    if config.bot_token:
        from bot.app import run_bot

        run_bot(config, sessions, collector)
        return 0
    log.warning(NO_TOKEN)
    asyncio.run(run_standalone(collector, config.tick_seconds))
    return 0
