"""Every reply in the user's language: /lang over Telegram's language, Kazakh with Russian for what it lacks,
plural forms, translated topic titles, and technical causes worded for people (real Application, fake Bot API)."""
from __future__ import annotations

import pytest

from storage import sources as source_store
from storage import topics as topic_store
from tests.botharness import seed_items

ALICE, BOB, ADMIN = 1001, 1002, 9001
GROUP = -4001


@pytest.fixture
def bot_settings():
    return {"admin_ids": [ADMIN]}


def current(bot, chat_id: int, message_id: int):
    return next(m for m in bot.fake.messages(chat_id) if m.message_id == message_id)


async def press(bot, chat_id: int, user_id: int, message, data: str):
    """Press a button and wait until its message is redrawn."""
    edits = current(bot, chat_id, message.message_id).edits
    bot.fake.press_button(chat_id, user_id, message.message_id, data)
    await bot.fake.wait_for(lambda: current(bot, chat_id, message.message_id).edits > edits, what="redraw")
    return current(bot, chat_id, message.message_id)


async def test_lang_buttons_override_telegrams_language_and_stay_chosen(bot):
    (menu,) = await bot.say(ALICE, ALICE, "/lang", language_code="en")
    assert "English" in menu.plain_text and "as your Telegram is set" in menu.plain_text
    assert menu.callback_data == ["lang:en", "lang:ru", "lang:uk", "lang:kk", "lang:telegram"]
    redrawn = await press(bot, ALICE, ALICE, menu, "lang:ru")
    assert "Теперь Dozor говорит здесь на языке: Русский" in redrawn.plain_text
    assert [b["text"] for b in redrawn.buttons][1] == "✅ Русский"
    # Telegram still says English; Dozor answers in Russian from now on, in replies and in buttons.
    (start,) = await bot.say(ALICE, ALICE, "/start", language_code="en")
    assert start.plain_text.startswith("Dozor следит за СМИ")
    (topics,) = await bot.say(ALICE, ALICE, "/topics", language_code="en")
    assert "➕ ОДКБ" in [b["text"] for b in topics.buttons]
    (back,) = await bot.say(ALICE, ALICE, "/lang telegram", language_code="en")
    assert "Dozor follows Telegram's language again: English" in back.plain_text
    (start,) = await bot.say(ALICE, ALICE, "/start", language_code="en")
    assert start.plain_text.startswith("Dozor watches")


async def test_a_groups_language_is_chosen_by_its_administrators_only(bot):
    bot.fake.set_admins(GROUP, [ALICE])
    (refused,) = await bot.say(GROUP, BOB, "/lang uk", language_code="en")
    assert "administrators" in refused.plain_text
    (chosen,) = await bot.say(GROUP, ALICE, "/lang uk", language_code="ru")
    assert "Тепер Dozor говорить тут мовою: Українська" in chosen.plain_text
    (help_text,) = await bot.say(GROUP, BOB, "/help", language_code="en")
    assert help_text.plain_text.startswith("Команди:")
    (unknown,) = await bot.say(ALICE, ALICE, "/lang fr", language_code="ru")
    assert "Dozor не говорит на «fr»" in unknown.plain_text and "kk (Қазақша)" in unknown.plain_text


async def test_kazakh_users_get_kazakh_and_russian_where_a_text_is_missing(bot):
    (start,) = await bot.say(ALICE, ALICE, "/start", language_code="kk")
    assert "тақырыптарыңызға" in start.plain_text
    assert "➕ ҰҚШҰ (ОДКБ)" in [b["text"] for b in start.buttons]
    (subscribed,) = await bot.say(ALICE, ALICE, "/subscribe ҰҚШҰ", language_code="kk")
    assert "ҰҚШҰ (ОДКБ) тақырыбына жазылдыңыз" in subscribed.plain_text
    # The admin texts have no Kazakh: a Kazakh admin reads them in Russian, not English.
    (feeds,) = await bot.say(ADMIN, ADMIN, "/feeds", language_code="kk")
    assert feeds.plain_text == "Источников пока нет: добавьте /addfeed URL."
    await bot.fake.wait_for(lambda: bot.fake.commands(language_code="kk"), what="Kazakh menu")
    menu = {c["command"]: c["description"] for c in bot.fake.commands(language_code="kk")}
    assert menu["start"] == "Dozor деген не" and menu["lang"] == "тіл"


async def test_counts_take_the_plural_form_of_each_language(bot):
    seed_items(bot.sessions, [{"title": f"ОДКБ учения {n}", "url": f"https://a.example/{n}", "topics": {"csto": ["ОДКБ"]}} for n in range(4)])
    with bot.sessions.begin() as session:
        source = source_store.add_source(session, "https://broken.example/rss", "Broken")
        for _ in range(source_store.PAUSE_AFTER_ERRORS + 1):
            source_store.record_failure(session, source.id, source.created_at, "fetch.http_404", "answered HTTP 404")
    (ru,) = await bot.say(ADMIN, ADMIN, "/feed " + str(source.id), language_code="ru")
    assert "Пауза: 11 ошибок подряд; последняя: по этому адресу нет страницы (HTTP 404)" in ru.plain_text
    (uk,) = await bot.say(ADMIN, ADMIN, "/sources", language_code="uk")
    assert "призупинено: 11 помилок поспіль" in uk.plain_text
    assert "за цією адресою немає сторінки (HTTP 404)" in uk.plain_text and "answered HTTP" not in uk.plain_text


async def test_alerts_follow_the_chosen_language_with_translated_titles_and_plural_counts(bot):
    await bot.say(ALICE, ALICE, "/lang ru", language_code="en")
    await bot.say(ALICE, ALICE, "/settings instant", language_code="en")
    (subscribed,) = await bot.say(ALICE, ALICE, "/subscribe csto", language_code="en")
    assert "Вы подписались на ОДКБ" in subscribed.plain_text
    before = len(bot.fake.messages(ALICE))
    seed_items(bot.sessions, [
        {"title": f"ОДКБ: новость {n}", "url": f"https://news.example/p{n}", "topics": {"csto": ["ОДКБ"]}} for n in range(22)
    ])
    await bot.run_job("collect")
    alert = bot.fake.messages(ALICE)[before]
    assert alert.plain_text.startswith("Новое: ОДКБ · 22 новых материала\n")


async def test_an_admin_titles_a_topic_per_language_and_readers_see_their_own(bot):
    (added,) = await bot.say(ADMIN, ADMIN, "/addtopic weather Weather")
    (usage,) = await bot.say(ADMIN, ADMIN, "/topictitle weather fr Météo", language_code="ru")
    assert usage.plain_text.startswith("Использование: /topictitle ТЕМА ЯЗЫК НАЗВАНИЕ")
    (set_ru,) = await bot.say(ADMIN, ADMIN, "/topictitle weather ru Погода", language_code="ru")
    assert "тема weather теперь называется Погода" in set_ru.plain_text
    await bot.say(ADMIN, ADMIN, "/topictitle weather kk Ауа райы")
    (listing,) = await bot.say(ADMIN, ADMIN, "/topictitle Погода")
    assert listing.plain_text == "Titles of Weather (weather): kk: Ауа райы; ru: Погода"
    (kazakh,) = await bot.say(ALICE, ALICE, "/topics", language_code="kk")
    assert "➕ Ауа райы" in [b["text"] for b in kazakh.buttons]
    (russian,) = await bot.say(BOB, BOB, "/subscribe погода", language_code="ru")
    assert "Вы подписались на Погода" in russian.plain_text
    (english,) = await bot.say(BOB, BOB, "/topics", language_code="en")
    assert "✅ Weather" in [b["text"] for b in english.buttons]
    (removed,) = await bot.say(ADMIN, ADMIN, "/topictitle weather ru")
    assert removed.plain_text == "weather has no Русский title now; its own title is shown."
    (back,) = await bot.say(BOB, BOB, "/topics", language_code="ru")
    assert "✅ Weather" in [b["text"] for b in back.buttons]
    (audit_log,) = await bot.say(ADMIN, ADMIN, "/audit 3", language_code="ru")
    assert "название темы weather на языке ru: Погода → —" in audit_log.plain_text
    assert "название темы weather на языке kk: — → Ауа райы" in audit_log.plain_text


async def settled(bot, chat_id: int, message, done):
    """Wait until the (edited) message satisfies `done`; return it."""
    return await bot.fake.wait_for(
        lambda: (now := current(bot, chat_id, message.message_id)) and done(now) and now, what="edited message"
    )


async def test_addfeed_failures_are_sentences_in_the_admins_language_not_parser_messages(bot, feed_server):
    feed_server.add_file("/data.json", b'{"not": "a feed"}', content_type="application/json")
    feed_server.add_file("/plain", b"<html><body>nothing here</body></html>", content_type="text/html")
    for target, language, expected in [
        (feed_server.url("/missing.xml"), "ru", "по этому адресу нет страницы (HTTP 404)"),
        ("http://127.0.0.1:9/feed.xml", "uk", "не читається: до сайту не достукатися (з'єднання не вдалося)"),
        (feed_server.url("/data.json"), "ru", "страница — не лента RSS или Atom, и ссылок на ленту на странице нет"),
        (feed_server.url("/plain"), "kk", "страница — не лента RSS или Atom"),
        ("@ab", "uk", "@ab — не ім'я каналу (5–32 латинські літери, цифри або _)"),
    ]:
        (reply,) = await bot.say(ADMIN, ADMIN, f"/addfeed {target}", language_code=language)
        try:
            final = await settled(bot, ADMIN, reply, lambda m: m.plain_text.startswith(("Источник не", "Джерело не")))
        except AssertionError:
            raise AssertionError(current(bot, ADMIN, reply.message_id).plain_text) from None
        assert expected in final.plain_text, final.plain_text
        assert not any(word in final.plain_text for word in ("SAX", "Errno", "answered", "not well-formed")), final.plain_text


async def test_rule_syntax_errors_are_explained_in_the_admins_language(bot):
    (error,) = await bot.say(ADMIN, ADMIN, '/addkw csto ОДКБ AND (учения OR "манёвры', language_code="ru")
    assert "В правиле ошибка в позиции 21: кавычка не закрыта" in error.plain_text
    (field,) = await bot.say(ADMIN, ADMIN, "/addkw csto where:ОДКБ", language_code="uk")
    assert "У правилі помилка в позиції 1: поля where: немає (є title: і text:)" in field.plain_text
    (everything,) = await bot.say(ADMIN, ADMIN, "/testrule csto NOT ОДКБ", language_code="ru")
    assert "нет ни одного обязательного слова" in everything.plain_text


async def test_volunteers_see_topic_titles_in_their_language(bot):
    (item_id,) = seed_items(bot.sessions, [{"title": "ОДКБ: учения", "url": "https://news.example/v1", "topics": {"csto": ["ОДКБ"]}}])
    (latest,) = await bot.say(ALICE, ALICE, "/latest ҰҚШҰ", language_code="kk")
    assert latest.plain_text.startswith("🆕 Тақырыптар бойынша соңғы материалдар: ҰҚШҰ (ОДКБ)")
    (shown,) = await bot.say(ALICE, ALICE, f"/item {item_id}", language_code="uk")
    assert "Теми: ОДКБ" in shown.plain_text and "CSTO" not in shown.plain_text


async def test_the_trend_chart_is_labelled_in_the_users_language(bot):
    from io import BytesIO

    from PIL import Image

    seed_items(bot.sessions, [{"title": f"ОДКБ {n}", "url": f"https://news.example/c{n}", "topics": {"csto": ["ОДКБ"]}} for n in range(3)])
    (chart,) = await bot.say(ALICE, ALICE, "/trend csto 7d", language_code="uk")
    assert chart.method == "sendPhoto"
    described = Image.open(BytesIO(chart.file.data)).text
    assert described["Description"] == "матеріалів на день" and "7d" in described["Title"]
    (hourly,) = await bot.say(ALICE, ALICE, "/trend csto 2d", language_code="kk")
    assert Image.open(BytesIO(hourly.file.data)).text["Description"] == "сағатына материал"
