"""/stop, /pause and /resume: a chat's messages paused with its subscriptions kept; deleting them all is asked apart."""
from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.access import GROUP_ADMIN, requires
from bot.common import chat_row, edit, in_transaction, lang, reply
from bot.confirm import Confirmation
from bot.context import DozorContext
from bot.delivery import subscriptions
from bot.texts import t
from bot.zones import zone_of
from storage import chats as chat_store
from storage import topics as topic_store
from storage.models import Chat, utcnow

STOP = Confirmation("stop")
FORGET = Confirmation("forget")
RESUME_BUTTON = "life:resume"
FORGET_BUTTON = "life:forget"


def paused_keyboard(language: str) -> InlineKeyboardMarkup:
    """Resume, or delete everything (which asks again)."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t("btn_resume", language), callback_data=RESUME_BUTTON),
        InlineKeyboardButton(t("btn_forget", language), callback_data=FORGET_BUTTON),
    ]])


def _followed(session, chat_pk: int, language: str) -> list[str]:
    titles = topic_store.titles_in(session, language)
    return [titles.get(topic, topic) for topic in chat_store.subscribed(session, chat_pk)]


def _paused_since(chat: Chat) -> str:
    return chat.paused_at.astimezone(zone_of(chat.timezone)).strftime("%d.%m.%Y %H:%M")


@requires(GROUP_ADMIN)
async def stop(update: Update, context: DozorContext) -> None:
    """/stop: ask, then pause the chat's messages (subscriptions kept)."""
    language = lang(update)
    chat = await chat_row(update, context)
    if chat.paused_at is not None:
        await reply(update, t("already_paused", language, since=_paused_since(chat)), reply_markup=paused_keyboard(language))
        return
    topics = await in_transaction(context, _followed, chat.id, language)
    buttons = STOP.ask(context, {"chat": chat.id}, language, "btn_pause", "btn_keep")
    listed = ", ".join(topics) or t("no_subscriptions", language)
    await reply(update, t("stop_ask", language, topics=listed), reply_markup=buttons)


async def _pause_and_say(update: Update, context: DozorContext, chat_pk: int, edit_message=None) -> None:
    language = lang(update)
    await in_transaction(context, chat_store.pause, chat_pk, utcnow())
    if edit_message is not None:
        await edit(edit_message, t("paused", language), reply_markup=paused_keyboard(language))
    else:
        await reply(update, t("paused", language), reply_markup=paused_keyboard(language))


@requires(GROUP_ADMIN)
async def stop_button(update: Update, context: DozorContext) -> None:
    """The Pause / Keep buttons under /stop's question."""
    pressed = await STOP.pressed(update, context)
    if pressed is None:
        return
    confirmed, data = pressed
    message = update.callback_query.message
    if not confirmed:
        await edit(message, t("stop_kept", lang(update)))
        return
    await _pause_and_say(update, context, data["chat"], message)


@requires(GROUP_ADMIN)
async def pause(update: Update, context: DozorContext) -> None:
    """/pause: pause the chat's messages now (subscriptions kept)."""
    chat = await chat_row(update, context)
    if chat.paused_at is not None:
        language = lang(update)
        await reply(update, t("already_paused", language, since=_paused_since(chat)), reply_markup=paused_keyboard(language))
        return
    await _pause_and_say(update, context, chat.id)


@requires(GROUP_ADMIN)
async def resume(update: Update, context: DozorContext) -> None:
    """/resume: messages again, from now on."""
    chat = await chat_row(update, context)
    resumed = await in_transaction(context, subscriptions.resume, chat.id, utcnow())
    await reply(update, t("resumed" if resumed else "not_paused", lang(update)))


@requires(GROUP_ADMIN)
async def life_button(update: Update, context: DozorContext) -> None:
    """Resume or Delete everything, under a paused message."""
    query = update.callback_query
    language = lang(update)
    chat = await chat_row(update, context)
    if query.data == RESUME_BUTTON:
        resumed = await in_transaction(context, subscriptions.resume, chat.id, utcnow())
        await query.answer()
        await edit(query.message, t("resumed" if resumed else "not_paused", language))
        return
    await query.answer()
    buttons = FORGET.ask(context, {"chat": chat.id}, language, "btn_forget_yes", "btn_forget_no")
    await edit(query.message, t("forget_ask", language), reply_markup=buttons)


@requires(GROUP_ADMIN)
async def forget_button(update: Update, context: DozorContext) -> None:
    """Yes / No under "Delete everything?"."""
    pressed = await FORGET.pressed(update, context)
    if pressed is None:
        return
    confirmed, data = pressed
    language = lang(update)
    message = update.callback_query.message
    if not confirmed:
        chat = await chat_row(update, context)
        keyboard = paused_keyboard(language) if chat.paused_at is not None else None
        await edit(message, t("paused" if keyboard else "stop_kept", language), reply_markup=keyboard)
        return
    await in_transaction(context, chat_store.forget, data["chat"])
    await edit(message, t("forgotten", language))
