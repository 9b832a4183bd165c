"""The command menu Telegram shows: a public one, and one per private chat of the users who may do more
(admins, and allow-listed volunteers while the allow-list is on), in each catalogue language."""
from __future__ import annotations

import asyncio
import logging

from telegram import Bot, BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from telegram.error import TelegramError

from bot.commands import commands_for
from bot.roles import Roles
from bot.texts import CHOOSABLE

log = logging.getLogger("dozor.menu")


async def _set(bot: Bot, roles: set[str], scope) -> None:
    for language in CHOOSABLE:
        code = None if language == "en" else language
        commands = [BotCommand(c.name, c.describe(language)) for c in commands_for(roles)]
        await bot.set_my_commands(commands, scope=scope, language_code=code)


async def publish_public(bot: Bot, roles: Roles) -> None:
    """The menu of everyone the database does not name; carry on if Telegram refuses."""
    try:
        await _set(bot, await asyncio.to_thread(roles.public_roles_sync), BotCommandScopeDefault())
    except TelegramError as exc:
        log.warning("could not publish the public command menu (%s); carrying on", exc)


async def publish_for(bot: Bot, roles: Roles, user_id: int) -> None:
    """The menu of one user's private chat: their own, or the public one again once they are nobody special."""
    scope = BotCommandScopeChat(user_id)
    special = user_id in await asyncio.to_thread(roles.menu_users_sync)
    try:
        if special:
            await _set(bot, await asyncio.to_thread(roles.roles_sync, user_id), scope)
        else:
            for language in CHOOSABLE:
                await bot.delete_my_commands(scope=scope, language_code=None if language == "en" else language)
    except TelegramError as exc:  # e.g. a user who never opened a chat with the bot
        log.warning("could not publish the command menu of %s (%s); carrying on", user_id, exc)


async def publish_all(bot: Bot, roles: Roles) -> None:
    """Every menu: the public one, then each admin's and allow-listed volunteer's."""
    await publish_public(bot, roles)
    for user_id in await asyncio.to_thread(roles.menu_users_sync):
        await publish_for(bot, roles, user_id)
