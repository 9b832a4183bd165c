"""Commands for subscribers: /start /help /topics /subscribe /unsubscribe /settings /digest /stop."""
from __future__ import annotations

import asyncio
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.commands import commands_for
from bot.access import GROUP_ADMIN, permitted, requires
from bot.common import chat_row, edit, in_transaction, lang, reply, stale_button
from bot.context import DozorContext
from bot.delivery.digest import local_time
from bot.markup import echo, html_to_plain
from bot.delivery import subscriptions
from bot.delivery.subscriptions import SettingsInputError
from bot.texts import explain, t
from storage import chats as chat_store
from storage import topics as topic_store
from storage.models import Chat, utcnow

ZONES = ("UTC", "Asia/Almaty", "Asia/Bishkek", "Asia/Tashkent", "Europe/Moscow", "Europe/Kyiv")


def topics_keyboard(choices) -> InlineKeyboardMarkup:
    """One button per topic; ✅ marks the followed ones."""
    rows = [
        [InlineKeyboardButton(("✅ " if c.subscribed else "➕ ") + c.title, callback_data=f"top:{c.id}")]
        for c in choices
    ]
    return InlineKeyboardMarkup(rows)


async def start(update: Update, context: DozorContext) -> None:
    """Say what Dozor is and offer the topics."""
    chat = await chat_row(update, context)
    choices = await in_transaction(context, subscriptions.topic_choices, chat.id, lang(update))
    await reply(update, t("start", lang(update)), reply_markup=topics_keyboard(choices))


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


def settings_keyboard(chat: Chat, language: str) -> InlineKeyboardMarkup:
    """Buttons for delivery mode, time zone and quiet hours."""
    button = InlineKeyboardButton
    rows = [
        [
            button(t("btn_instant", language), callback_data="set:instant"),
            button(t("btn_hourly", language), callback_data="set:hourly"),
            button(t("btn_daily", language, at=chat.daily_at), callback_data="set:daily"),
        ],
        [button(("• " if chat.timezone == zone else "") + zone, callback_data=f"set:tz:{zone}") for zone in ZONES[:3]],
        [button(("• " if chat.timezone == zone else "") + zone, callback_data=f"set:tz:{zone}") for zone in ZONES[3:]],
        [
            button(t("btn_quiet", language), callback_data="set:quiet"),
            button(t("btn_quiet_off", language), callback_data="set:noquiet"),
        ],
        [
            button(t("btn_spikes", language, state=_state(chat.spike_alerts, language)), callback_data="set:spikes"),
            button(t("btn_shifts", language, state=_state(chat.shift_alerts, language)), callback_data="set:shifts"),
        ],
    ]
    return InlineKeyboardMarkup(rows)


def _state(on: bool, language: str) -> str:
    return t("on" if on else "off", language)


def settings_text(chat: Chat, language: str) -> str:
    """The chat's current delivery settings."""
    quiet = f"{chat.quiet_start}-{chat.quiet_end}" if chat.quiet_start else t("quiet_none", language)
    signals = t("settings_signals", language, spikes=_state(chat.spike_alerts, language),
                shifts=_state(chat.shift_alerts, language))
    return t("settings", language, mode=subscriptions.mode_text(chat, language), tz=chat.timezone, quiet=quiet) + \
        "\n" + signals


async def settings(update: Update, context: DozorContext) -> None:
    """/settings: show the settings with buttons; with arguments, change them."""
    language = lang(update)
    chat = await chat_row(update, context)
    if context.args:
        if not await permitted(update, context, GROUP_ADMIN):
            return
        try:
            chat = await in_transaction(context, subscriptions.change_settings, chat.id, list(context.args))
        except SettingsInputError as error:
            await reply(update, t("settings_bad", language, reason=explain(error, language, "settings")))
            return
    await reply(update, settings_text(chat, language), reply_markup=settings_keyboard(chat, language))


BUTTON_WORDS = {"instant": ["instant"], "hourly": ["hourly"], "daily": ["daily"], "quiet": ["quiet", "23:00-07:00"],
                "noquiet": ["quiet", "off"], "spikes": ["spikes", "toggle"], "shifts": ["shifts", "toggle"]}


@requires(GROUP_ADMIN)
async def settings_button(update: Update, context: DozorContext) -> None:
    """A settings button: apply it and redraw the settings message."""
    query = update.callback_query
    language = lang(update)
    choice = query.data.removeprefix("set:")
    words = ["tz", choice.removeprefix("tz:")] if choice.startswith("tz:") else BUTTON_WORDS.get(choice)
    if words is None:
        await stale_button(update, context)
        return
    chat = await chat_row(update, context)
    try:
        chat = await in_transaction(context, subscriptions.change_settings, chat.id, words)
    except SettingsInputError:  # no button of ours carries it
        await stale_button(update, context)
        return
    await query.answer()
    await edit(query.message, settings_text(chat, language), reply_markup=settings_keyboard(chat, language))


async def digest(update: Update, context: DozorContext) -> None:
    """/digest: my digest now, for the period since the last one."""
    language = lang(update)
    chat = await chat_row(update, context)
    topics_followed = await in_transaction(context, chat_store.subscribed, chat.id)
    if not topics_followed:
        await reply(update, t("digest_no_topics", language))
        return
    since = chat.digest_since
    parts = await asyncio.to_thread(context.services.outbox_writer.digest_now, chat.id, utcnow())
    if not parts:
        await reply(update, t("digest_empty", language, since=local_time(since, ZoneInfo(chat.timezone))))
        return
    if context.services.sender is not None:
        context.services.sender.wake()


@requires(GROUP_ADMIN)
async def stop(update: Update, context: DozorContext) -> None:
    """/stop: unsubscribe from everything and stop messages."""
    chat = await chat_row(update, context)
    await in_transaction(context, chat_store.stop, chat.id)
    await reply(update, t("stopped", lang(update)))


def register(application) -> None:
    """The subscriber commands and buttons."""
    commands = {
        "start": start,
        "help": help_command,
        "topics": topics,
        "subscribe": subscribe,
        "unsubscribe": unsubscribe,
        "settings": settings,
        "digest": digest,
        "stop": stop,
    }
    for name, handler in commands.items():
        application.add_handler(CommandHandler(name, handler))
    application.add_handler(CallbackQueryHandler(topic_button, pattern=r"^top:"))
    application.add_handler(CallbackQueryHandler(settings_button, pattern=r"^set:"))
