"""The fake Bot API server behaves like Telegram for python-telegram-bot's real Bot and Application."""

import asyncio
import time
import warnings
from datetime import timedelta

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    RetryAfter,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.fake_telegram import FloodLimits, HtmlError, parse_html

USER = 1001
GROUP = -4001


def retry_after_seconds(error: RetryAfter) -> float:
    """RetryAfter.retry_after in seconds, whichever type this PTB version returns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else value


def keyboard(*callback_data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(data, callback_data=data)] for data in callback_data])


@pytest.mark.parametrize(
    "html, text, entities",
    [
        ("plain", "plain", []),
        ("<b>bold</b> <i>it</i>", "bold it", [("bold", 0, 4), ("italic", 5, 2)]),
        ("<strong><em>x</em></strong>", "x", [("bold", 0, 1), ("italic", 0, 1)]),
        ("&lt;tag&gt; &amp; &quot;q&quot; &#39;s&#x27;", "<tag> & \"q\" 's'", []),
        ("😀 <u>u</u>", "😀 u", [("underline", 3, 1)]),
        ('<a href="https://x.org/?a=1&amp;b=2">link</a>', "link", [("text_link", 0, 4)]),
        ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st", [("spoiler", 0, 1), ("spoiler", 1, 1)]),
        ('<pre><code class="language-python">x = 1</code></pre>', "x = 1", [("pre", 0, 5)]),
        ("<blockquote expandable>q</blockquote><blockquote>r</blockquote>", "qr",
         [("expandable_blockquote", 0, 1), ("blockquote", 1, 1)]),
        ('<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>', "👍", [("custom_emoji", 0, 2)]),
        ("<B>upper</B><s>s</s><del>d</del><strike>k</strike><ins>i</ins>", "uppersdki",
         [("bold", 0, 5), ("strikethrough", 5, 1), ("strikethrough", 6, 1), ("strikethrough", 7, 1), ("underline", 8, 1)]),
    ],
)
def test_html_accepted_as_telegram_renders_it(html, text, entities):
    plain, found = parse_html(html)
    assert plain == text
    assert [(e["type"], e["offset"], e["length"]) for e in found] == entities


@pytest.mark.parametrize(
    "html, error",
    [
        ("<p>para</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("line<br>break", 'Unsupported start tag "br" at byte offset 4'),
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("Tom & Jerry", 'Unescaped "&" at byte offset 4'),
        ("a > b", 'Unescaped ">" at byte offset 2'),
        ("a&nbsp;b", 'Unsupported HTML entity "&nbsp;" at byte offset 1'),
        ("Привет <x>", 'Unsupported start tag "x" at byte offset 13'),
        ('<a href="https://x.org/?a=1&b=2">l</a>', 'Unescaped "&" at byte offset 27'),
        ('<span class="red">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
def test_html_rejected_with_telegrams_message(html, error):
    with pytest.raises(HtmlError) as caught:
        parse_html(html)
    assert str(caught.value) == error


async def test_get_me_describes_the_bot(telegram_bot, fake_telegram):
    me = await telegram_bot.get_me()
    assert me.is_bot and me.username == "dozor_test_bot"
    assert me.id == int(fake_telegram.token.split(":")[0])


async def test_send_message_returns_a_real_message_and_is_recorded(telegram_bot, fake_telegram):
    message = await telegram_bot.send_message(
        USER, "<b>Digest</b> for <i>csto</i>", parse_mode="HTML", reply_markup=keyboard("sub:csto")
    )
    assert message.text == "Digest for csto"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [("bold", 0, 6), ("italic", 11, 4)]
    assert message.reply_markup.inline_keyboard[0][0].callback_data == "sub:csto"
    assert message.from_user.is_bot and message.chat.id == USER
    [sent] = fake_telegram.messages(USER)
    assert (sent.message_id, sent.text, sent.parse_mode) == (message.message_id, "<b>Digest</b> for <i>csto</i>", "HTML")
    assert sent.plain_text == "Digest for csto" and sent.callback_data == ["sub:csto"]


async def test_link_preview_setting_is_recorded(telegram_bot, fake_telegram):
    await telegram_bot.send_message(USER, "https://example.org", disable_web_page_preview=True)
    assert fake_telegram.messages(USER)[0].link_preview_options == {"is_disabled": True}


async def test_reply_to_a_missing_message_is_refused(telegram_bot):
    with pytest.raises(BadRequest, match="(?i)message to be replied not found"):
        await telegram_bot.send_message(USER, "x", reply_to_message_id=999)


async def test_bad_html_is_rejected_like_telegram(telegram_bot, fake_telegram):
    with pytest.raises(BadRequest, match="(?i)can't parse entities: unsupported start tag \"p\""):
        await telegram_bot.send_message(USER, "<p>news</p>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await telegram_bot.send_message(USER, "R&D <b>budget", parse_mode="HTML")
    await telegram_bot.send_message(USER, "R&D <b>budget")  # without parse_mode the same text is fine
    assert [sent.plain_text for sent in fake_telegram.messages(USER)] == ["R&D <b>budget"]


async def test_length_counts_visible_utf16_units(telegram_bot):
    await telegram_bot.send_message(USER, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    await telegram_bot.send_message(USER, "😀" * 2048)
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await telegram_bot.send_message(USER, "😀" * 2048 + "x")
    with pytest.raises(BadRequest, match="(?i)message text is empty"):
        await telegram_bot.send_message(USER, "<b> </b>", parse_mode="HTML")


async def test_callback_data_is_limited_to_64_bytes(telegram_bot):
    await telegram_bot.send_message(USER, "ok", reply_markup=keyboard("ж" * 32))
    with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
        await telegram_bot.send_message(USER, "too long", reply_markup=keyboard("ж" * 33))


async def test_caption_is_limited_to_1024(telegram_bot):
    with pytest.raises(BadRequest, match="(?i)caption is too long"):
        await telegram_bot.send_document(USER, b"data", filename="a.txt", caption="c" * 1025)


async def test_injected_429_carries_retry_after_then_clears(telegram_bot, fake_telegram):
    fake_telegram.flood(USER, retry_after=7, times=2)
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await telegram_bot.send_message(USER, "x")
        assert retry_after_seconds(caught.value) == 7
    await telegram_bot.send_message(USER, "x")
    await telegram_bot.send_message(USER + 1, "other chats were never limited")
    assert fake_telegram.flood_errors_served == 2


async def test_global_429_storm_hits_every_chat(telegram_bot, fake_telegram):
    fake_telegram.flood(retry_after=1, times=3)
    for chat_id in (USER, USER + 1, GROUP):
        with pytest.raises(RetryAfter):
            await telegram_bot.send_message(chat_id, "x")
    await telegram_bot.send_message(USER, "x")
    assert fake_telegram.flood_errors_served == 3


async def test_flood_limits_enforced_when_asked(telegram_bot, fake_telegram):
    fake_telegram.enforce_flood_limits(FloodLimits(chat_per_second=0.01, chat_burst=1))
    await telegram_bot.send_message(USER, "first")
    with pytest.raises(RetryAfter) as caught:
        await telegram_bot.send_message(USER, "second, too soon")
    assert retry_after_seconds(caught.value) >= 1
    await telegram_bot.send_message(USER + 1, "another chat has its own budget")
    assert fake_telegram.flood_errors_served == 1


@pytest.mark.parametrize(
    "reason, chat_id, description",
    [
        ("blocked", USER, "bot was blocked by the user"),
        ("deactivated", USER, "user is deactivated"),
        ("kicked", GROUP, "bot was kicked from the group chat"),
        ("kicked", -1001234, "bot was kicked from the supergroup chat"),
    ],
)
async def test_forbidden_chats(telegram_bot, fake_telegram, reason, chat_id, description):
    fake_telegram.block(chat_id, reason)
    with pytest.raises(Forbidden, match=description):
        await telegram_bot.send_message(chat_id, "x")
    fake_telegram.unblock(chat_id)
    await telegram_bot.send_message(chat_id, "x")


async def test_group_migration(telegram_bot, fake_telegram):
    new_id = fake_telegram.migrate(GROUP)
    with pytest.raises(ChatMigrated) as caught:
        await telegram_bot.send_message(GROUP, "x")
    assert caught.value.new_chat_id == new_id == -1004001
    message = await telegram_bot.send_message(new_id, "x")
    assert message.chat.type == "supergroup"
    updates = await telegram_bot.get_updates()
    assert [update.message.migrate_to_chat_id for update in updates] == [new_id, None]
    assert updates[1].message.migrate_from_chat_id == GROUP


async def test_forced_entity_error_then_plain_text_passes(telegram_bot, fake_telegram):
    fake_telegram.break_entities(USER)
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await telegram_bot.send_message(USER, "<b>fine</b>", parse_mode="HTML")
    await telegram_bot.send_message(USER, "fine")
    await telegram_bot.send_message(USER, "<b>fine</b>", parse_mode="HTML")
    assert len(fake_telegram.messages(USER)) == 2


async def test_raw_error_shapes(fake_telegram):
    fake_telegram.flood(USER, retry_after=5)
    fake_telegram.migrate(GROUP, -1009, announce=False)
    base = f"{fake_telegram.base_url}{fake_telegram.token}"
    async with httpx.AsyncClient() as client:
        flood = await client.post(f"{base}/sendMessage", json={"chat_id": USER, "text": "x"})
        migrated = await client.post(f"{base}/sendMessage", data={"chat_id": str(GROUP), "text": "x"})
        unknown = await client.post(f"{base}/noSuchMethod")
        wrong_token = await client.post(f"{fake_telegram.base_url}1:wrong/getMe")
    assert flood.status_code == 429
    assert flood.json() == {
        "ok": False, "error_code": 429, "description": "Too Many Requests: retry after 5",
        "parameters": {"retry_after": 5},
    }
    assert migrated.json()["parameters"] == {"migrate_to_chat_id": -1009}
    assert unknown.status_code == 404
    assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert wrong_token.status_code == 401


async def test_unknown_method_reaches_ptb_as_not_found(telegram_bot):
    with pytest.raises(EndPointNotFound):
        await telegram_bot.do_api_request("sendTelepathy")


async def test_document_round_trip(telegram_bot, fake_telegram):
    sent = await telegram_bot.send_document(
        USER, b"<opml/>", filename="feeds.sources.opml", caption="<i>export</i>", parse_mode="HTML"
    )
    assert sent.document.file_name == "feeds.sources.opml" and sent.caption == "export"
    file = await telegram_bot.get_file(sent.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"<opml/>"
    assert fake_telegram.messages(USER)[0].file.data == b"<opml/>"


async def test_user_document_can_be_downloaded_by_the_bot(telegram_bot, fake_telegram):
    opml = "<opml version='2.0'><body><outline xmlUrl='https://example.org/rss'/></body></opml>".encode()
    message = fake_telegram.user_document(USER, USER, "мои ленты.opml", opml, caption="/import")
    [update] = await telegram_bot.get_updates()
    assert update.message.message_id == message["message_id"]
    assert update.message.document.file_name == "мои ленты.opml"
    file = await update.message.document.get_file()
    assert bytes(await file.download_as_bytearray()) == opml


async def test_photo_has_sizes(telegram_bot):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x02\x00\x00\x00\x01\x00" + b"\x00" * 16
    message = await telegram_bot.send_photo(USER, png, caption="chart")
    assert [(size.width, size.height) for size in message.photo] == [(90, 90), (512, 256)]
    assert bytes(await (await message.photo[-1].get_file()).download_as_bytearray()) == png


async def test_get_updates_offset_confirms(telegram_bot, fake_telegram):
    fake_telegram.user_message(USER, USER, "/start")
    fake_telegram.user_message(USER, USER, "hello")
    first = await telegram_bot.get_updates()
    assert [update.message.text for update in first] == ["/start", "hello"]
    assert first[0].message.entities[0].type == "bot_command"
    assert len(await telegram_bot.get_updates()) == 2  # not confirmed yet
    assert await telegram_bot.get_updates(offset=first[-1].update_id + 1) == ()
    assert fake_telegram.pending_updates == 0


async def test_long_poll_wakes_up_when_a_user_writes(telegram_bot, fake_telegram):
    asyncio.get_running_loop().call_later(0.2, fake_telegram.user_message, USER, USER, "late")
    started = time.monotonic()
    updates = await telegram_bot.get_updates(timeout=20)
    assert [update.message.text for update in updates] == ["late"]
    assert time.monotonic() - started < 15


async def test_long_poll_returns_empty_after_timeout(telegram_bot):
    started = time.monotonic()
    assert await telegram_bot.get_updates(timeout=1) == ()
    assert time.monotonic() - started >= 0.9


async def test_a_second_poller_terminates_the_first(telegram_bot, fake_telegram):
    first = asyncio.create_task(telegram_bot.get_updates(timeout=20))
    await fake_telegram.wait_for(lambda: fake_telegram.polls_started == 1, what="the first long poll")
    async with Bot(fake_telegram.token, base_url=fake_telegram.base_url) as second_instance:
        assert await second_instance.get_updates() == ()
    with pytest.raises(Conflict, match="terminated by other getUpdates request"):
        await first


async def test_webhook_blocks_polling(telegram_bot):
    await telegram_bot.set_webhook("https://bot.example.org/hook")
    with pytest.raises(Conflict, match="webhook is active"):
        await telegram_bot.get_updates()
    await telegram_bot.delete_webhook()
    assert await telegram_bot.get_updates() == ()


async def test_edits(telegram_bot, fake_telegram):
    message = await telegram_bot.send_message(USER, "Topics", reply_markup=keyboard("sub:csto"))
    edited = await telegram_bot.edit_message_text("<b>Topics</b>", USER, message.message_id, parse_mode="HTML")
    assert edited.reply_markup is None and edited.edit_date is not None
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await telegram_bot.edit_message_text("<b>Topics</b>", USER, message.message_id, parse_mode="HTML")
    await telegram_bot.edit_message_reply_markup(USER, message.message_id, reply_markup=keyboard("unsub:csto"))
    [sent] = fake_telegram.messages(USER)
    assert (sent.plain_text, sent.callback_data, sent.edits) == ("Topics", ["unsub:csto"], 2)
    user_message = fake_telegram.user_message(USER, USER, "hi")
    with pytest.raises(BadRequest, match="(?i)message can't be edited"):
        await telegram_bot.edit_message_text("x", USER, user_message["message_id"])


async def test_commands_are_stored(telegram_bot, fake_telegram):
    await telegram_bot.set_my_commands([("start", "What Dozor is"), ("help", "Commands")])
    await telegram_bot.set_my_commands([("start", "Что такое Дозор")], language_code="ru")
    assert [c.command for c in await telegram_bot.get_my_commands()] == ["start", "help"]
    russian = fake_telegram.commands(language_code="ru")
    assert russian == [{"command": "start", "description": "Что такое Дозор"}]
    with pytest.raises(BadRequest, match="(?i)bot_command_invalid"):
        await telegram_bot.set_my_commands([("Start-Now", "bad name")])


async def test_group_admins(telegram_bot, fake_telegram):
    fake_telegram.set_admins(GROUP, [USER], owner_id=USER + 1)
    assert (await telegram_bot.get_chat_member(GROUP, USER)).status == "administrator"
    assert (await telegram_bot.get_chat_member(GROUP, USER + 1)).status == "creator"
    assert (await telegram_bot.get_chat_member(GROUP, USER + 2)).status == "member"
    assert [m.user.id for m in await telegram_bot.get_chat_administrators(GROUP)] == [USER + 1, USER]


async def test_channels_by_username_and_the_bots_rights_there(telegram_bot, fake_telegram):
    fake_telegram.add_channel(-1001234, "Dozor KZ", username="dozor_kz", admins=[USER], owner_id=USER + 1)
    fake_telegram.add_channel(-1005678, "Elsewhere", username="elsewhere", bot_admin=False)
    fake_telegram.add_channel(-1009999, "Read only", admins=[USER], bot_may_post=False)
    chat = await telegram_bot.get_chat("@Dozor_KZ")
    assert (chat.id, chat.type, chat.username, chat.title) == (-1001234, "channel", "dozor_kz", "Dozor KZ")
    me = await telegram_bot.get_chat_member("@dozor_kz", telegram_bot.id)
    assert me.status == "administrator" and me.can_post_messages and me.user.is_bot
    assert (await telegram_bot.get_chat_member(-1001234, USER)).status == "administrator"
    assert (await telegram_bot.get_chat_member(-1001234, USER + 1)).status == "creator"
    assert not (await telegram_bot.get_chat_member(-1009999, telegram_bot.id)).can_post_messages
    assert (await telegram_bot.get_chat_member("@elsewhere", telegram_bot.id)).status == "left"
    with pytest.raises(BadRequest, match="(?i)member list is inaccessible"):
        await telegram_bot.get_chat_member("@elsewhere", USER)
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await telegram_bot.get_chat("@nobody_here")
    sent = await telegram_bot.send_message("@dozor_kz", "posted")
    assert sent.chat.id == -1001234 and fake_telegram.messages(-1001234)[-1].plain_text == "posted"
    fake_telegram.block(-1001234, "removed")
    with pytest.raises(Forbidden, match="not a member of the channel"):
        await telegram_bot.send_message(-1001234, "again")


async def test_a_user_can_be_made_admin_by_writing(telegram_bot, fake_telegram):
    fake_telegram.user_message(GROUP, USER, "/settings", admin=True)
    fake_telegram.user_message(GROUP, USER + 5, "/settings")
    assert (await telegram_bot.get_chat_member(GROUP, USER)).status == "administrator"
    assert (await telegram_bot.get_chat_member(GROUP, USER + 5)).status == "member"


async def test_anonymous_admin_message_has_sender_chat(telegram_bot, fake_telegram):
    fake_telegram.user_message(GROUP, USER, "/subscribe csto", anonymous_admin=True, chat_title="OSINT")
    [update] = await telegram_bot.get_updates()
    assert update.message.sender_chat.id == GROUP and update.message.chat.title == "OSINT"
    assert update.message.from_user.username == "GroupAnonymousBot"


async def test_answer_callback_query_once(telegram_bot, fake_telegram):
    message = await telegram_bot.send_message(USER, "Topics", reply_markup=keyboard("sub:csto"))
    query = fake_telegram.press_button(USER, USER, message.message_id, "sub:csto")
    await telegram_bot.answer_callback_query(query["id"], text="Subscribed")
    assert fake_telegram.callback_answers[0]["text"] == "Subscribed"
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await telegram_bot.answer_callback_query(query["id"])
    with pytest.raises(ValueError, match="no button"):
        fake_telegram.press_button(USER, USER, message.message_id, "sub:nope")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Reply to /start with a topic button."""
    await update.effective_message.reply_html(
        "<b>Dozor</b> watches the news.", reply_markup=keyboard("sub:csto"), do_quote=True
    )


async def subscribe(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the button and mark the message."""
    query = update.callback_query
    await query.answer(f"Subscribed to {query.data.split(':')[1]}")
    await query.edit_message_text("Subscribed to <b>csto</b>.", parse_mode="HTML")


async def count_bytes(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Download an uploaded document and tell its size."""
    file = await update.message.document.get_file()
    data = await file.download_as_bytearray()
    await update.message.reply_text(f"{update.message.document.file_name}: {len(data)} bytes")


async def test_application_by_polling(fake_telegram):
    application = (
        ApplicationBuilder()
        .token(fake_telegram.token)
        .base_url(fake_telegram.base_url)
        .base_file_url(fake_telegram.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(subscribe, pattern="^sub:"))
    application.add_handler(MessageHandler(filters.Document.ALL, count_bytes))
    await application.initialize()
    await application.start()
    await application.updater.start_polling(poll_interval=0.0, timeout=1)
    try:
        hello = fake_telegram.user_message(USER, USER, "/start", language_code="ru")
        [reply] = await fake_telegram.wait_for_messages(USER, 1, after=hello["message_id"])
        assert reply.plain_text == "Dozor watches the news." and reply.callback_data == ["sub:csto"]
        assert reply.message["reply_to_message"]["message_id"] == hello["message_id"]

        fake_telegram.press_button(USER, USER, reply.message_id, "sub:csto")
        await fake_telegram.wait_for(lambda: reply.edits, what="the edit after the button press")
        assert reply.plain_text == "Subscribed to csto." and reply.reply_markup is None
        assert fake_telegram.callback_answers[0]["text"] == "Subscribed to csto"

        upload = fake_telegram.user_document(USER, USER, "feeds.sources.opml", b"x" * 300)
        [answer] = await fake_telegram.wait_for_messages(USER, 1, after=upload["message_id"])
        assert answer.plain_text == "feeds.sources.opml: 300 bytes"
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
    assert fake_telegram.pending_updates == 0
