"""Answers to the buttons under a digest or an alert (bot.delivery.buttons).

Mute a source or unsubscribe: the press changes the chat, says so in a pop-up and swaps the button
for its undo. More: the stories a message left out past its cap, a page at a time.
"""
from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.access import GROUP_ADMIN, requires
from bot.common import chat_row, in_transaction, lang, reply_pieces, stale_button
from bot.context import DozorContext
from bot.delivery import subscriptions
from bot.delivery.buttons import LABEL_NAME_CHARS, MORE, MUTE, RESUBSCRIBE, UNMUTE, UNSUBSCRIBE
from bot.delivery.digest import compose_more
from bot.delivery.outbox_writer import without_muted
from bot.markup import html_to_plain, short
from bot.texts import t
from bot.zones import zone_of
from storage import chats as chat_store
from storage import deliveries
from storage import digests as digest_store
from storage import topics as topic_store
from storage.models import Chat, Source

PRESSED = re.compile(rf"^({MUTE}|{UNMUTE}|{UNSUBSCRIBE}|{RESUBSCRIBE}):([a-z0-9_-]{{1,32}})$")
UNDO = {MUTE: UNMUTE, UNMUTE: MUTE, UNSUBSCRIBE: RESUBSCRIBE, RESUBSCRIBE: UNSUBSCRIBE}
ROUTE = PRESSED.pattern
MORE_PRESSED = re.compile(rf"^{MORE}:(\d{{1,18}}):(\d{{1,4}})$")


def _source_press(session, chat_pk: int, action: str, value: str, language: str) -> str | None:
    source = session.get(Source, int(value)) if value.isdigit() and len(value) <= 12 else None
    if source is None:
        return None
    if action == MUTE:
        chat_store.mute_source(session, chat_pk, source.id)
    else:
        chat_store.unmute_source(session, chat_pk, source.id)
    return source.shown_name


def _topic_press(session, chat_pk: int, action: str, value: str, language: str) -> str | None:
    titles = topic_store.titles_in(session, language)
    if value not in titles:
        return None
    if action == UNSUBSCRIBE:
        chat_store.unsubscribe(session, chat_pk, value)
    else:
        subscriptions.subscribe(session, chat_pk, value)
    return titles[value]


LABELS = {MUTE: "btn_mute", UNMUTE: "btn_unmute", UNSUBSCRIBE: "btn_unsubscribe", RESUBSCRIBE: "btn_resubscribe"}
TOASTS = {MUTE: "toast_muted", UNMUTE: "toast_unmuted", UNSUBSCRIBE: "toast_off", RESUBSCRIBE: "toast_on"}


def _swapped(markup: InlineKeyboardMarkup | None, data: str, replacement: InlineKeyboardButton) -> InlineKeyboardMarkup:
    rows = [[replacement if b.callback_data == data else b for b in row] for row in (markup.inline_keyboard if markup else [])]
    return InlineKeyboardMarkup(rows)


@requires(GROUP_ADMIN)
async def alert_button(update: Update, context: DozorContext) -> None:
    """Mute or unmute a source, unsubscribe or subscribe again, then offer the opposite on the same spot."""
    query = update.callback_query
    language = lang(update)
    found = PRESSED.match(query.data or "")
    if found is None:
        await stale_button(update, context)
        return
    action, value = found[1], found[2]
    chat = await chat_row(update, context)
    press = _source_press if action in (MUTE, UNMUTE) else _topic_press
    name = await in_transaction(context, press, chat.id, action, value, language)
    if name is None:
        await stale_button(update, context)
        return
    field = "source" if action in (MUTE, UNMUTE) else "topic"
    await query.answer(html_to_plain(t(TOASTS[action], language, **{field: name})), show_alert=action == MUTE)
    undo = UNDO[action]
    label = t(LABELS[undo], language, **{field: short(name, LABEL_NAME_CHARS)})
    replacement = InlineKeyboardButton(html_to_plain(label), callback_data=f"{undo}:{value}")
    try:
        await query.edit_message_reply_markup(_swapped(query.message.reply_markup, query.data, replacement))
    except BadRequest:
        pass  # the message is too old to edit, or shows this state already


def _more_page(session, chat_pk: int, overflow_id: int, offset: int, layout, language: str):
    """The page of left-out stories from `offset`, and the button to the next page; None if the button is stale."""
    row = deliveries.overflow(session, overflow_id)
    if row is None:
        return None
    chat = session.get(Chat, chat_pk)
    titles = topic_store.titles_in(session, language)
    items = digest_store.matched_items(session, list(titles), row.item_ids)
    items = without_muted(items, chat_store.muted_by_chat(session, [chat_pk])[chat_pk])
    if not items:
        return None
    parts, more = compose_more(items, row.topic_id, offset, titles, zone_of(chat.timezone), language, layout)
    if not more:
        return parts, None
    label = html_to_plain(t("btn_next_page", language, n=layout.cap))
    return parts, InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=f"{MORE}:{overflow_id}:{offset + layout.cap}")]])


async def more_stories(update: Update, context: DozorContext) -> None:
    """More: the next page of what a digest or alert left out of a topic, as a new message."""
    query = update.callback_query
    found = MORE_PRESSED.match(query.data or "")
    chat = await chat_row(update, context)
    layout = context.services.outbox_writer.layout
    page = found and await in_transaction(context, _more_page, chat.id, int(found[1]), int(found[2]), layout, lang(update))
    if not page:
        await stale_button(update, context)
        return
    await query.answer()
    parts, keyboard = page
    await reply_pieces(update, parts, reply_markup=keyboard)
