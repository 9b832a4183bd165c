"""The answer to a message no handler took: an unknown command, plain text, a pasted link, a file.

Registered last (app.register_handlers), in a group of its own, and it answers only what no handler of
another group would take (groups below 0 only prepare updates). In a private chat it answers everything
else; in a group, only a command addressed to the bot (/x@dozor_bot), a reply to the bot, or a message
that mentions it.
"""
from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot.access import has_role, permitted
from bot.admin.sources import propose_source
from bot.commands import ADMIN, VOLUNTEER
from bot.common import lang, reply
from bot.confirm import Confirmation
from bot.context import DozorContext
from bot.markup import echo, html_to_plain, short
from bot.texts import t
from bot.volunteer.handlers import saved_queries

GROUP = 100  # after every other group
ADD_PASTED = Confirmation("paste")
SEARCHABLE_CHARS = 200  # plain text up to this long is offered as a search
BUTTON_TEXT_CHARS = 30
FILES = ("document", "photo", "video", "audio", "voice", "video_note", "animation")


def _addressed(update: Update, username: str, bot_id: int) -> bool:
    """Whether a group message is meant for the bot: /x@bot, a reply to the bot, or a mention of it."""
    message = update.message
    if message.chat.type == ChatType.PRIVATE:
        return True
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return True
    mentions = message.parse_entities([MessageEntity.MENTION, MessageEntity.BOT_COMMAND]).values()
    mentions = list(mentions) + list(message.parse_caption_entities([MessageEntity.MENTION]).values())
    return any(text.casefold().endswith("@" + username.casefold()) for text in mentions)


class Unanswered(BaseHandler):
    """Takes a new message that no handler of another group takes and that is meant for the bot."""

    def __init__(self, application, callback) -> None:
        super().__init__(callback)
        self.application = application

    def check_update(self, update: object) -> bool | None:
        if not isinstance(update, Update) or update.message is None or update.message.chat.type == ChatType.CHANNEL:
            return None
        for group, handlers in self.application.handlers.items():
            # Groups below 0 prepare every update (the language lookup) and answer none.
            if 0 <= group != GROUP and any(h.check_update(update) not in (None, False) for h in handlers):
                return None
        bot = self.application.bot
        return True if _addressed(update, bot.username, bot.id) else None


def _pasted_source(update: Update) -> str | None:
    """A link, or a lone @channel, that someone pasted."""
    message = update.message
    links = message.parse_entities([MessageEntity.URL]).values()
    hidden = [e.url for e in message.entities or [] if e.type == MessageEntity.TEXT_LINK and e.url]
    found = [*links, *hidden]
    if found:
        return found[0]
    text = (message.text or "").strip()
    if text.startswith("@") and " " not in text and 5 <= len(text) <= 33:
        return text
    return None


async def answer(update: Update, context: DozorContext) -> None:
    """Say briefly what Dozor can do, fitted to what arrived."""
    message = update.message
    language = lang(update)
    text = message.text or ""
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0].split("@")[0]
        await reply(update, t("unknown_command", language, command=echo(command)))
    elif any(getattr(message, kind) for kind in FILES):
        await reply(update, t("no_files", language))
    elif (pasted := _pasted_source(update)) is not None:
        await _answer_link(update, context, pasted)
    elif text.strip():
        await _answer_text(update, context, text.strip())
    else:
        await reply(update, t("what_i_do", language))


async def _answer_link(update: Update, context: DozorContext, link: str) -> None:
    language = lang(update)
    if not await has_role(update, context, ADMIN):
        await reply(update, t("link_not_admin", language, link=echo(link)))
        return
    buttons = ADD_PASTED.ask(context, {"link": link}, language, "btn_check_source", "btn_cancel")
    await reply(update, t("link_offer", language, link=echo(link)), reply_markup=buttons)


async def _answer_text(update: Update, context: DozorContext, text: str) -> None:
    language = lang(update)
    if len(text) > SEARCHABLE_CHARS or not await has_role(update, context, VOLUNTEER):
        await reply(update, t("what_i_do", language))
        return
    key = saved_queries(context).remember(text)
    label = html_to_plain(t("btn_search_this", language, text=short(text, BUTTON_TEXT_CHARS)))
    search = InlineKeyboardButton(label, callback_data=f"sp:{key}:0")
    await reply(update, t("what_i_do", language), reply_markup=InlineKeyboardMarkup([[search]]))


async def pasted_button(update: Update, context: DozorContext) -> None:
    """Check and add / Cancel under a pasted link: an admin's goes through /addfeed's test fetch."""
    if not await permitted(update, context, ADMIN):
        return
    data = await ADD_PASTED.confirmed(update, context)
    if data is None:
        return
    await propose_source(update, context, data["link"])


def register(application) -> None:
    """The fallback, after every other handler, and its button."""
    application.add_handler(CallbackQueryHandler(pasted_button, pattern=ADD_PASTED.route, block=False))
    application.add_handler(Unanswered(application, answer), group=GROUP)
