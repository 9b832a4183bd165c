"""/channel: an admin has Dozor post a topic's alerts or digests into a Telegram channel or group.

The bot must be an administrator there (in a channel, with the right to post), and so must the admin
who asks. A channel is then a chat like any subscriber's: its messages go through the outbox with
the same guarantees, at the pace Telegram allows a group (about 20 messages a minute), in the
language and time zone of the admin who added it.
"""
from __future__ import annotations

from telegram import Chat as TelegramChat
from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import TelegramError

from bot.access import requires
from bot.admin.common import actor_of, command_rest, split_first, usage
from bot.commands import ADMIN
from bot.common import chat_row, in_transaction, lang, reply, reply_pieces
from bot.context import DozorContext
from bot.markup import echo
from bot.delivery import subscriptions
from bot.delivery.subscriptions import SettingsInputError
from bot.texts import explain, t
from feeds.sources.source_urls import channel_name
from storage import audit
from storage import chats as chat_store
from storage import topics as topic_store
from storage.models import Chat

ADMINS = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR}
MODE_WORDS = {"alerts": "instant", "instant": "instant", "hourly": "hourly", "digest": "daily", "daily": "daily"}


class _Refused(Exception):
    """The chat cannot be posted into; the text key says why."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def chat_reference(text: str) -> tuple[str | None, int | None]:
    """(@username without @, None) or (None, numeric chat id) of what the admin typed; (None, None) if neither."""
    text = text.strip()
    if text.lstrip("-").isdigit() and text.startswith("-") and len(text) <= 20:
        return None, int(text)
    name = channel_name(text if text.startswith("@") or "t.me" in text else "@" + text)
    return name, None


async def _telegram_chat(update: Update, context: DozorContext, name: str | None, chat_id: int | None) -> TelegramChat:
    """The channel or group as Telegram knows it, once the bot and the admin are both its administrators."""
    bot = context.bot
    try:
        chat = await bot.get_chat(f"@{name}" if name else chat_id)
    except TelegramError:
        raise _Refused("channel_unknown") from None
    if chat.type == ChatType.PRIVATE:
        raise _Refused("channel_private")
    try:
        me = await bot.get_chat_member(chat.id, bot.id)
    except TelegramError:
        raise _Refused("channel_bot_not_admin") from None
    if me.status not in ADMINS or (chat.type == ChatType.CHANNEL and not getattr(me, "can_post_messages", False)):
        raise _Refused("channel_bot_not_admin")
    try:
        asker = await bot.get_chat_member(chat.id, update.effective_user.id)
    except TelegramError:
        raise _Refused("channel_you_not_admin") from None
    if asker.status not in ADMINS:
        raise _Refused("channel_you_not_admin")
    return chat


@requires(ADMIN)
async def channel(update: Update, context: DozorContext) -> None:
    """/channel, /channel add @name TOPIC alerts|hourly|daily [HH:MM] [ZONE], /channel remove @name [TOPIC]."""
    action, rest = split_first(command_rest(update))
    if not action or action == "list":
        await _list(update, context)
    elif action == "add":
        await _add(update, context, rest)
    elif action == "remove":
        await _remove(update, context, rest)
    else:
        await usage(update, "usage_channel")


async def _list(update: Update, context: DozorContext) -> None:
    language = lang(update)

    def lines(session) -> list[str]:
        titles = topic_store.topic_titles(session)
        found = []
        for chat, topics in chat_store.posted_into(session):
            line = t("channel_line", language, chat=chat.shown_name, mode=subscriptions.mode_with_zone(chat, language),
                     topics=", ".join(titles.get(topic, topic) for topic in topics) or "—")
            if not chat.active:
                line += "\n" + t("channel_stopped", language, reason=chat.inactive_reason or "?")
            found.append(line)
        return found

    found = await in_transaction(context, lines)
    if not found:
        await reply(update, t("channels_none", language))
        return
    await reply_pieces(update, [t("channels_title", language, n=len(found)), *found], "\n")


async def _add(update: Update, context: DozorContext, rest: str) -> None:
    language = lang(update)
    target, rest = split_first(rest)
    topic_name, mode_words = split_first(rest)
    words = mode_words.split()
    name, chat_id = chat_reference(target)
    if (name is None and chat_id is None) or not topic_name or not words or words[0].lower() not in MODE_WORDS:
        await usage(update, "usage_channel")
        return
    words[0] = MODE_WORDS[words[0].lower()]
    known = await in_transaction(context, topic_store.topic_titles)
    topic_id = topic_store.topic_named(known, topic_name)
    if topic_id is None:
        await reply(update, t("no_such_topic", language, topic=echo(topic_name), known=", ".join(known) or "—"))
        return
    try:
        found = await _telegram_chat(update, context, name, chat_id)
    except _Refused as refused:
        await reply(update, t(refused.key, language, chat=echo(target), bot=context.bot.username))
        return
    admin = await chat_row(update, context)
    try:
        chat = await in_transaction(context, _post_into, found, topic_id, words, language, admin.timezone, actor_of(update))
    except SettingsInputError as error:
        await reply(update, t("settings_bad", language, reason=explain(error, language, "settings")))
        return
    reference = f"@{chat.username}" if chat.username else str(chat.chat_id)  # what /channel remove takes
    await reply(update, t("channel_added", language, chat=chat.shown_name, topic=known[topic_id],
                          mode=subscriptions.mode_with_zone(chat, language), reference=reference))


def _post_into(session, found: TelegramChat, topic_id: str, words: list[str], language: str, zone: str,
               actor: audit.Actor) -> Chat:
    """Store the channel (in the admin's language and zone when new), its mode, and its topic."""
    new = chat_store.get_chat(session, found.id) is None
    chat = chat_store.ensure_chat(session, found.id, found.type, found.title, language)
    if new:
        chat.timezone = zone
    chat.title, chat.username, chat.kind = found.title, found.username, found.type
    chat.added_by = chat.added_by or actor.user_id
    session.flush()
    chat = subscriptions.change_settings(session, chat.id, words)
    subscriptions.subscribe(session, chat.id, topic_id)
    after = {"topic": topic_id, "mode": chat.mode, "daily_at": chat.daily_at, "timezone": chat.timezone}
    audit.record(session, actor, "channel.add", chat.shown_name, None, after)
    return chat


async def _remove(update: Update, context: DozorContext, rest: str) -> None:
    language = lang(update)
    target, topic_name = split_first(rest)
    name, chat_id = chat_reference(target)
    if name is None and chat_id is None:
        await usage(update, "usage_channel")
        return
    key, values = await in_transaction(context, _stop_posting, name, chat_id, topic_name, actor_of(update))
    await reply(update, t(key, language, **{"chat": echo(target), **values}))


def _stop_posting(session, name: str | None, chat_id: int | None, topic_name: str, actor: audit.Actor):
    """Stop posting one topic (or every topic) into a channel: (text key, its values)."""
    chat = chat_store.posted_chat(session, name, chat_id)
    if chat is None:
        return "channel_not_posted", {}
    titles = topic_store.topic_titles(session)
    followed = chat_store.subscribed(session, chat.id)
    shown = chat.shown_name
    if topic_name:
        topic_id = topic_store.topic_named(titles, topic_name)
        if topic_id not in followed:
            return "channel_topic_unknown", {"chat": shown, "topic": echo(topic_name),
                                             "known": ", ".join(titles[topic] for topic in followed) or "—"}
        followed.remove(topic_id)
        audit.record(session, actor, "channel.remove", shown, {"topic": topic_id}, None)
        if followed:
            chat_store.unsubscribe(session, chat.id, topic_id)
            return "channel_topic_removed", {"chat": shown, "topic": titles[topic_id],
                                             "left": ", ".join(titles[topic] for topic in followed)}
    else:
        audit.record(session, actor, "channel.remove", shown, {"topics": followed}, None)
    chat_store.forget(session, chat.id)  # nothing left to post: the unsent messages go too
    chat.added_by = None
    return "channel_removed", {"chat": shown}
