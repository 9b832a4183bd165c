"""Commands for subscribers: /start /help /topics /subscribe /unsubscribe /digest, and registering every one."""
from __future__ import annotations

import asyncio

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.access import GROUP_ADMIN, has_role, requires
from bot.commands import ADMIN, SUBSCRIBER, VOLUNTEER, commands_for
from bot.common import chat_row, in_transaction, lang, reply, stale_button
from bot.context import DozorContext
from bot.delivery import subscriptions
from bot.delivery.digest import local_time
from bot.markup import echo, html_to_plain
from bot.subscriber import alert_buttons, pausing, settings_menu
from bot.texts import t
from bot.zones import zone_of
from storage import chats as chat_store
from storage import topics as topic_store
from storage.models import Chat, utcnow


def topics_keyboard(choices) -> InlineKeyboardMarkup:
    """One button per topic; ✅ marks the followed ones."""
    rows = [
        [InlineKeyboardButton(("✅ " if c.subscribed else "➕ ") + c.title, callback_data=f"top:{c.id}")]
        for c in choices
    ]
    return InlineKeyboardMarkup(rows)


async def start(update: Update, context: DozorContext) -> None:
    """Say what Dozor is and offer the topics; a paused chat is resumed (by whoever may change it)."""
    language = lang(update)
    chat = await chat_row(update, context)
    text = t("start", language)
    if chat.paused_at is not None and await has_role(update, context, GROUP_ADMIN):
        await in_transaction(context, subscriptions.resume, chat.id, utcnow())
        text = t("resumed", language) + "\n\n" + text
    choices = await in_transaction(context, subscriptions.topic_choices, chat.id, language)
    await reply(update, text, reply_markup=topics_keyboard(choices))


async def help_command(update: Update, context: DozorContext) -> None:
    """List the commands this user may use, one line each (none they would be refused)."""
    language = lang(update)
    roles = await context.services.roles.roles_of(update)
    lines = [f"/{c.name}: {c.describe(language)}" for c in commands_for(roles)]
    await reply(update, t("help_title", language) + "\n" + "\n".join(lines))


async def topics(update: Update, context: DozorContext) -> None:
    """Show the topics with subscribe buttons."""
    chat = await chat_row(update, context)
    choices = await in_transaction(context, subscriptions.topic_choices, chat.id, lang(update))
    if not choices:
        await reply(update, t("no_topics", lang(update)))
        return
    await reply(update, t("topics", lang(update)), reply_markup=topics_keyboard(choices))


@requires(GROUP_ADMIN)
async def topic_button(update: Update, context: DozorContext) -> None:
    """A topic button: subscribe or unsubscribe, then refresh the buttons."""
    query = update.callback_query
    topic_id = query.data.removeprefix("top:")
    chat = await chat_row(update, context)

    def toggle(session):
        if topic_id not in topic_store.topic_titles(session):
            return None, []
        now_following = subscriptions.toggle(session, chat.id, topic_id)
        return now_following, subscriptions.topic_choices(session, chat.id, lang(update))

    following, choices = await in_transaction(context, toggle)
    if following is None:
        await stale_button(update, context)
        return
    title = next(c.title for c in choices if c.id == topic_id)
    await query.answer(html_to_plain(t("toast_on" if following else "toast_off", lang(update), topic=title)))
    try:
        await query.edit_message_reply_markup(topics_keyboard(choices))
    except BadRequest:
        pass  # the message is too old to edit or already shows this state


@requires(GROUP_ADMIN)
async def subscribe(update: Update, context: DozorContext) -> None:
    """/subscribe <topic>."""
    language = lang(update)
    chat = await chat_row(update, context)
    name = " ".join(context.args)

    def work(session):
        known = topic_store.titles_in(session, language)
        if not name:
            return "usage_subscribe", {"example": next(iter(known), "csto")}
        topic_id = topic_store.find_topic(session, name)
        if topic_id is None:
            return "unknown_topic", {"topic": echo(name), "known": ", ".join(known)}
        row = session.get(Chat, chat.id)
        added = subscriptions.subscribe(session, chat.id, topic_id)
        values = {"topic": known[topic_id], "mode": subscriptions.mode_text(row, language)}
        return ("subscribed" if added else "already_subscribed"), values

    key, values = await in_transaction(context, work)
    await reply(update, t(key, language, **values))


@requires(GROUP_ADMIN)
async def unsubscribe(update: Update, context: DozorContext) -> None:
    """/unsubscribe <topic|all>."""
    language = lang(update)
    chat = await chat_row(update, context)
    name = " ".join(context.args)

    def work(session):
        known = topic_store.titles_in(session, language)
        if not name:
            return "usage_unsubscribe", {"example": next(iter(known), "csto")}
        if name.lower() == "all":
            chat_store.unsubscribe(session, chat.id, None)
            return "unsubscribed_all", {}
        topic_id = topic_store.find_topic(session, name)
        if topic_id is None:
            return "unknown_topic", {"topic": echo(name), "known": ", ".join(known)}
        removed = chat_store.unsubscribe(session, chat.id, topic_id)
        return ("unsubscribed" if removed else "not_subscribed"), {"topic": known[topic_id]}

    key, values = await in_transaction(context, work)
    await reply(update, t(key, language, **values))


def _last_digest(session, chat_pk: int):
    return min(s.digest_since for s in chat_store.subscriptions(session, chat_pk))


async def digest(update: Update, context: DozorContext) -> None:
    """/digest: my digest now, for the period since the last one."""
    language = lang(update)
    chat = await chat_row(update, context)
    topics_followed = await in_transaction(context, chat_store.subscribed, chat.id)
    if not topics_followed:
        await reply(update, t("digest_no_topics", language))
        return
    since = await in_transaction(context, _last_digest, chat.id)
    parts = await asyncio.to_thread(context.services.outbox_writer.digest_now, chat.id, utcnow())
    if not parts:
        await reply(update, t("digest_empty", language, since=local_time(since, zone_of(chat.timezone))))
        return
    if context.services.sender is not None:
        context.services.sender.wake()


def register(application) -> None:
    """The subscriber commands and buttons."""
    commands = {
        "start": start,
        "help": help_command,
        "topics": topics,
        "subscribe": subscribe,
        "unsubscribe": unsubscribe,
        "settings": settings_menu.settings,
        "digest": digest,
        "stop": pausing.stop,
        "pause": pausing.pause,
        "resume": pausing.resume,
    }
    for name, handler in commands.items():
        application.add_handler(CommandHandler(name, handler))
    buttons = {
        r"^top:": topic_button,
        r"^set:": settings_menu.settings_button,
        pausing.STOP.route: pausing.stop_button,
        pausing.FORGET.route: pausing.forget_button,
        r"^life:(resume|forget)$": pausing.life_button,
        alert_buttons.ROUTE: alert_buttons.alert_button,
        alert_buttons.MORE_PRESSED.pattern: alert_buttons.more_stories,
    }
    for pattern, handler in buttons.items():
        application.add_handler(CallbackQueryHandler(handler, pattern=pattern))
