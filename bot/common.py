"""What every handler needs: the user's language, replies and edits within Telegram's limits, the chat row."""
from __future__ import annotations

import asyncio
from contextvars import ContextVar
from zoneinfo import ZoneInfo

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.context import DozorContext
from bot.messages import fit, pack
from bot.texts import language_of, t
from storage import chats as chat_store
from storage.models import Chat


# The language chosen with /lang for the update being handled (set by bot.subscriber.languages before any handler).
_chosen: ContextVar[tuple[Update, str | None] | None] = ContextVar("chosen_language", default=None)


def lang(update: Update) -> str:
    """The catalogue language of the user behind the update: the one chosen with /lang, else Telegram's."""
    chosen = _chosen.get()
    if chosen is not None and chosen[0] is update and chosen[1]:
        return chosen[1]
    user = update.effective_user
    return language_of(user.language_code if user else None)


def use_language(update: Update, language: str | None) -> None:
    """Make `lang(update)` answer `language` (the /lang choice that applies) for the rest of this update."""
    _chosen.set((update, language))


async def reply(update: Update, html: str, **kwargs) -> Message:
    """Reply with Telegram HTML and no link previews; a text too long for one message is cut safely."""
    return await reply_pieces(update, [html], **kwargs)


async def reply_pieces(update: Update, pieces: list[str], joiner: str = "\n\n", **kwargs) -> Message | None:
    """Reply with rendered pieces in as few messages as they fit (bot.messages.pack); buttons go under the last."""
    messages = pack(pieces, joiner)
    sent = None
    for number, text in enumerate(messages, 1):
        sent = await update.effective_message.reply_text(
            text, parse_mode=ParseMode.HTML, disable_web_page_preview=True, **(kwargs if number == len(messages) else {})
        )
    return sent


async def edit(message: Message, html: str, **kwargs) -> None:
    """Replace a message's text (and buttons), cut to fit; an unchanged or vanished message is fine."""
    try:
        await message.edit_text(fit(html), parse_mode=ParseMode.HTML, disable_web_page_preview=True, **kwargs)
    except BadRequest:
        pass


def whole_number(text: str, digits: int = 18) -> int | None:
    """The whole number the user typed, or None for anything else (a number of 10,000 digits included)."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= digits else None


async def in_transaction(context: DozorContext, fn, *args):
    """Run a storage function in its own transaction, off the event loop."""

    def work():
        with context.services.sessions.begin() as session:
            return fn(session, *args)

    return await asyncio.to_thread(work)


async def read(context: DozorContext, fn, *args):
    """Run a storage function that only reads, off the event loop, without taking the write lock."""

    def work():
        with context.services.reads() as session:
            return fn(session, *args)

    return await asyncio.to_thread(work)


async def stale_button(update: Update, context: DozorContext) -> None:
    """Answer a press whose data is unknown (forged, or from an older message): briefly, changing nothing."""
    await update.callback_query.answer(t("button_expired", lang(update)), show_alert=True)


def _ensure(session, chat_id: int, kind: str, title: str | None, language: str) -> Chat:
    return chat_store.ensure_chat(session, chat_id, kind, title, language)


async def chat_row(update: Update, context: DozorContext) -> Chat:
    """The stored chat of this update, created on first contact."""
    chat = update.effective_chat
    return await in_transaction(context, _ensure, chat.id, chat.type, chat.title or chat.username, lang(update))


async def zone(update: Update, context: DozorContext) -> ZoneInfo:
    """The chat's time zone, read without storing the chat (a chat never seen has the default)."""
    return ZoneInfo(await read(context, chat_store.timezone_of, update.effective_chat.id))
