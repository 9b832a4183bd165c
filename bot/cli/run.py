"""`dozor run [--role collector|sender|bot ...]`: this process's roles; all of them by default."""
from __future__ import annotations

import asyncio
import logging

from bot.cli import common
from bot.fleet.headless import run_headless
from bot.fleet.roles import BOT, COLLECTOR, RoleError, parse_roles, roles_to_run

log = logging.getLogger("dozor")

NO_TOKEN = (
    "no bot token set: Dozor is collecting only. To start the Telegram bot, create one with @BotFather "
    "and set DOZOR_BOT_TOKEN=<token> (in the environment or in a .env file), then restart."
)


def register(sub) -> None:
    parser = sub.add_parser("run", help="collect, send and run the bot (or only the roles given)")
    parser.add_argument(
        "--role", action="append", metavar="ROLE",
        help="collector, sender or bot; repeat or separate with commas for several (default: all)",
    )
    parser.set_defaults(handler=handle)


def handle(args) -> int:
    config = common.settings()
    try:
        roles = roles_to_run(parse_roles(args.role), bool(config.bot_token))
    except RoleError as error:
        raise common.CommandError(str(error), exit_code=2) from None
    if not args.role and not config.bot_token:
        log.warning(NO_TOKEN)
    run_roles(config, roles)
    return 0


def run_roles(config, roles: tuple[str, ...]) -> None:
    """Run these roles in this process until it is stopped."""
    with common.role_process(config, roles) as (sessions, member):
        collector = common.collector(config, sessions, owner=member.id) if COLLECTOR in roles else None
        if BOT in roles:
            from bot.app import run_bot

            run_bot(config, sessions, collector, member, roles)
        else:
            asyncio.run(run_headless(config, sessions, member, collector))
