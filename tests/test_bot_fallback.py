"""No silence: an unknown command, plain text, a pasted link or a file gets a short answer; other handlers keep theirs."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest


ADMIN, BOB = 1001, 1002
GROUP = -4001
BOT = "dozor_test_bot"


def answered(bot, chat_id: int, words: str) -> bool:
    return any(words in m.plain_text for m in bot.fake.messages(chat_id))


@pytest.fixture
def bot_settings() -> dict:
    return {"admin_ids": [ADMIN]}


async def test_an_unknown_command_and_plain_text_are_answered_in_the_users_language(bot):
    (unknown,) = await bot.say(BOB, BOB, "/frobnicate now", language_code="ru")
    assert unknown.plain_text == "Команды /frobnicate нет. Что я умею: /help."
    (text,) = await bot.say(BOB, BOB, "Что нового про ОДКБ?", language_code="uk")
    assert text.plain_text.startswith("Я Dozor") and "/topics" in text.plain_text and "/search" in text.plain_text
    assert [b["text"] for b in text.buttons] == ["🔎 Шукати: Что нового про ОДКБ?"]
    bot.fake.press_button(BOB, BOB, text.message_id, text.callback_data[0])  # the volunteers' search, as typed
    await bot.fake.wait_for(lambda: bot.fake.messages(BOB)[-1].edits, what="the search page")
    assert "Что нового про ОДКБ?" in bot.fake.messages(BOB)[-1].plain_text


async def test_commands_that_exist_get_only_their_own_answer(bot):
    first = bot.fake.user_message(BOB, BOB, "/help")
    bot.fake.user_message(BOB, BOB, "/item_999999")
    bot.fake.user_message(BOB, BOB, "/settings")
    bot.fake.user_message(BOB, BOB, "/frobnicate")  # the last: once it is answered, the others were
    await bot.fake.wait_for(lambda: answered(bot, BOB, "frobnicate"), what="the last answer")
    answers = [m.plain_text for m in bot.fake.messages(BOB, after=first["message_id"])]
    assert len(answers) == 4 and answers[0].startswith("Commands:") and "999999" in answers[1]
    assert answers[2].startswith("Settings") and answers[3].startswith("I do not know /frobnicate")


async def test_a_pasted_link_is_offered_to_an_admin_as_a_source_and_explained_to_others(bot, feed_server):
    when = datetime(2024, 5, 2, 9, 30, tzinfo=timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000")
    feed_server.add_file("/news.rss", (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Site News</title><item>'
        f"<title>Учения ОДКБ</title><link>https://site.example/1</link><pubDate>{when}</pubDate></item></channel></rss>"
    ).encode())
    link = feed_server.url("/news.rss")
    (other,) = await bot.say(BOB, BOB, f"глянь {link}", language_code="ru")
    assert "попросите одного из них" in other.plain_text and link in other.plain_text and not other.buttons
    (offer,) = await bot.say(ADMIN, ADMIN, link)
    assert offer.plain_text.startswith(f"Add {link} as a source?")
    bot.fake.press_button(ADMIN, ADMIN, offer.message_id, offer.callback_data[0])
    preview = await bot.fake.wait_for(
        lambda: next((m for m in bot.fake.messages(ADMIN) if "Site News" in m.plain_text and m.callback_data), None),
        what="the test fetch with Add / Cancel",
    )
    assert "Items: 1" in preview.plain_text


async def test_a_file_is_answered_but_an_admins_opml_is_imported_alone(bot):
    first = bot.fake.user_document(BOB, BOB, "notes.txt", b"hello", mime_type="text/plain")
    (answer,) = await bot.fake.wait_for_messages(BOB, 1, after=first["message_id"])
    assert answer.plain_text.startswith("I do not read files") and ".opml" in answer.plain_text
    opml = b'<?xml version="1.0"?><opml version="2.0"><body><outline text="A" xmlUrl="https://a.example/rss"/></body></opml>'
    sent = bot.fake.user_document(ADMIN, ADMIN, "feeds.opml", opml)
    bot.fake.user_message(ADMIN, ADMIN, "/frobnicate")
    await bot.fake.wait_for(lambda: answered(bot, ADMIN, "frobnicate"), what="the last answer")
    await bot.fake.wait_for_messages(ADMIN, 2, after=sent["message_id"])  # the import runs beside other updates
    answers = [m.plain_text for m in bot.fake.messages(ADMIN, after=sent["message_id"])]
    assert len(answers) == 2 and not any("read files" in a for a in answers)


async def test_in_a_group_only_what_is_addressed_to_the_bot_is_answered(bot):
    start = bot.fake.user_message(GROUP, BOB, "всем привет", chat_type="group")
    bot.fake.user_message(GROUP, BOB, "/frobnicate", chat_type="group")  # maybe another bot's command
    bot.fake.user_message(GROUP, BOB, "смотрите https://example.com/news", chat_type="group")
    bot.fake.user_message(GROUP, BOB, f"/frobnicate@{BOT}", chat_type="group")
    (unknown,) = await bot.fake.wait_for_messages(GROUP, 1, after=start["message_id"])
    assert unknown.plain_text.startswith("I do not know /frobnicate")
    (mention,) = await bot.say(GROUP, BOB, f"@{BOT} что ты умеешь?", chat_type="group")
    assert mention.plain_text.startswith("I am Dozor")
    (answer,) = await bot.say(GROUP, BOB, "а подробнее?", chat_type="group", reply_to=mention.message_id)
    assert answer.plain_text.startswith("I am Dozor")
    assert len(bot.fake.messages(GROUP, after=start["message_id"])) == 3
