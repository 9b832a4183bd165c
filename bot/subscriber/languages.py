"""/lang: the language Dozor speaks in a chat, chosen with buttons, over the one Telegram reports.

Before any handler runs, the choice that applies to the update is looked up: a group's own choice,
else the person's; `bot.common.lang` answers it for the rest of the update.
"""
from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, TypeHandler

from bot.access import GROUP_ADMIN, permitted
from bot.commands import SUBSCRIBER, Command, add_commands
from bot.common import edit, in_transaction, lang, read, reply, stale_button, use_language
from bot.context import DozorContext
from bot.markup import echo
from bot.texts import CHOOSABLE, language_of, t
from bot.texts.languages import NAMES
from storage import languages as language_store

log = logging.getLogger("dozor.bot")

TELEGRAM = "telegram"  # the button that drops the choice


async def apply_choice(update: object, context: DozorContext) -> None:
    """Look up the /lang choice that applies to this update (the chat's, else the person's)."""
    if not isinstance(update, Update):
        return
    chat, user = update.effective_chat, update.effective_user
    ids = [chat.id if chat else None, user.id if user else None]
    if not any(ids):
        return
    try:
        chosen = await read(context, language_store.chosen_languages, ids)
    except SQLAlchemyError as exc:  # the handler that follows meets the database itself; it answers in Telegram's language
        log.warning("could not read the language chosen in chat %s: %s", ids[0], exc)
        return
    use_language(update, next((chosen[i] for i in ids if i in chosen), None))


def _keyboard(current: str, language: str) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(("✅ " if code == current else "") + NAMES[code], callback_data=f"lang:{code}")
        for code in CHOOSABLE
    ]
    rows = [buttons[:2], buttons[2:], [InlineKeyboardButton(t("btn_lang_telegram", language), callback_data=f"lang:{TELEGRAM}")]]
    return InlineKeyboardMarkup(rows)


async def _chosen_here(update: Update, context: DozorContext) -> bool:
    """Whether a /lang choice (the chat's or the person's) decides the language here."""
    ids = [update.effective_chat.id, update.effective_user.id if update.effective_user else None]
    return bool(await read(context, language_store.chosen_languages, ids))


async def lang_command(update: Update, context: DozorContext) -> None:
    """/lang: the language in use with buttons for the others; /lang kk chooses directly."""
    language = lang(update)
    if context.args:
        wanted = context.args[0].lower()
        if wanted not in CHOOSABLE and wanted != TELEGRAM:
            known = ", ".join(f"{code} ({NAMES[code]})" for code in CHOOSABLE)
            await reply(update, t("lang_unknown", language, given=echo(wanted), known=known))
            return
        if await permitted(update, context, GROUP_ADMIN):
            await reply(update, await _choose(update, context, wanted))
        return
    how = "" if await _chosen_here(update, context) else t("lang_from_telegram", language)
    text = t("lang_current", language, name=NAMES[language], how=how)
    await reply(update, text, reply_markup=_keyboard(language, language))


async def lang_button(update: Update, context: DozorContext) -> None:
    """A /lang button: choose that language (in a group, its administrators only) and say so in it."""
    query = update.callback_query
    wanted = query.data.removeprefix("lang:")
    if wanted not in CHOOSABLE and wanted != TELEGRAM:
        await stale_button(update, context)
        return
    if not await permitted(update, context, GROUP_ADMIN):
        return
    text = await _choose(update, context, wanted)
    await query.answer()
    await edit(query.message, text, reply_markup=_keyboard(lang(update), lang(update)))


async def _choose(update: Update, context: DozorContext, wanted: str) -> str:
    """Store the choice for this chat (a private chat's id is the person's) and say what it is now."""
    chat_id = update.effective_chat.id
    if wanted == TELEGRAM:
        await in_transaction(context, language_store.forget_language, chat_id, _telegram_language(update))
        use_language(update, None)
        return t("lang_reset", lang(update), name=NAMES[lang(update)])
    await in_transaction(context, language_store.choose_language, chat_id, wanted)
    use_language(update, wanted)
    return t("lang_chosen", wanted, name=NAMES[wanted])


def _telegram_language(update: Update) -> str:
    user = update.effective_user
    return language_of(user.language_code if user else None)


def register(application) -> None:
    """/lang, its buttons, and the look-up of the choice before every other handler."""
    application.add_handler(TypeHandler(Update, apply_choice), group=-1)
    application.add_handler(CommandHandler("lang", lang_command))
    application.add_handler(CallbackQueryHandler(lang_button, pattern=r"^lang:"))
    add_commands([Command("lang", SUBSCRIBER, {"en": "language", "ru": "язык", "uk": "мова"})])
