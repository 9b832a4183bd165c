"""The one error handler: log, tell the user briefly, never crash."""
from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode

from bot.common import lang
from bot.context import DozorContext
from bot.texts import t

log = logging.getLogger("dozor.bot")


async def on_error(update: object, context: DozorContext) -> None:
    """Log the error with its update and apologise to the user, if there is one."""
    log.error("error while handling %r", update, exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat:
        try:
            await context.bot.send_message(
                update.effective_chat.id, t("error", lang(update)), parse_mode=ParseMode.HTML
            )
        except Exception:  # the apology itself failed (e.g. the bot was blocked): nothing more to do
            log.warning("could not tell chat %s about the error", update.effective_chat.id)
