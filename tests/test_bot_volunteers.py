"""Volunteers ask the real bot about the archive through the fake Bot API: search, latest, item, sources, trend."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest

from feeds.analyses.linking import add_analysis
from storage import chats as chat_store
from storage import sources as source_store
from storage.models import utcnow
from tests.botharness import dozor_bot, seed_items

ALICE = 2001
PNG = b"\x89PNG\r\n\x1a\n"
KZ_FORMS = ["Казахстан", "Казахстана", "Казахстану", "Казахстане", "Казахстаном"]


def bold(message) -> list[str]:
    """The bold pieces of a message (entity offsets count UTF-16 code units)."""
    units = message.plain_text.encode("utf-16-le")
    return [
        units[2 * e["offset"]:2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in message.entities if e["type"] == "bold"
    ]


def links(message) -> list[str]:
    return [e["url"] for e in message.entities if e["type"] == "text_link"]


def seed_kazakhstan(bot, n: int = 12) -> list[int]:
    """n items about Kazakhstan, newest last, one per hour; the word in a different form each time."""
    start = utcnow() - timedelta(hours=n + 1)
    return seed_items(bot.sessions, [
        {"title": f"Новость {k}: визит в {KZ_FORMS[k % 5]}", "url": f"https://news.example/kz/{k}",
         "text": f"Подробности о событии номер {k}. Делегация прибыла и обсудила торговлю.",
         "published": start + timedelta(hours=k), "topics": {"kazakhstan": ["Казахстан"]}}
        for k in range(n)
    ])


async def page_after_press(bot, message, data: str):
    before = bot.fake.messages(ALICE)[-1].edits if bot.fake.messages(ALICE) else 0
    bot.fake.press_button(ALICE, ALICE, message.message_id, data)
    await bot.fake.wait_for(lambda: next(m for m in bot.fake.messages(ALICE) if m.message_id == message.message_id).edits > before,
                            what="edited page")
    return next(m for m in bot.fake.messages(ALICE) if m.message_id == message.message_id)


async def test_search_finds_word_forms_and_pages_by_button(bot):
    ids = seed_kazakhstan(bot)
    (first,) = await bot.say(ALICE, ALICE, "/search казахстан")
    assert first.plain_text.startswith("🔎 казахстан: 12 found, page 1 of 3")
    assert [f"Новость {k}:" in first.plain_text for k in (11, 10, 9, 8, 7)] == [True] * 5  # newest first
    assert "Новость 6:" not in first.plain_text
    assert links(first)[0] == "https://news.example/kz/11"
    assert {"Казахстаном", "Казахстане", "Казахстану"} <= set(bold(first))
    assert f"/item_{ids[11]}" in first.plain_text and "Azattyk" in first.plain_text
    assert [b["text"] for b in first.buttons] == ["Next ▶"]
    assert all(len(data.encode()) <= 64 for data in first.callback_data)

    second = await page_after_press(bot, first, first.callback_data[0])
    assert "page 2 of 3" in second.plain_text and "Новость 6:" in second.plain_text and "Новость 11:" not in second.plain_text
    assert [b["text"] for b in second.buttons] == ["◀ Prev", "Next ▶"]
    third = await page_after_press(bot, second, second.callback_data[1])
    assert "page 3 of 3" in third.plain_text and "Новость 0:" in third.plain_text
    assert [b["text"] for b in third.buttons] == ["◀ Prev"]
    back = await page_after_press(bot, third, third.callback_data[0])
    assert "page 2 of 3" in back.plain_text


async def test_a_forgotten_search_asks_to_send_it_again(bot):
    seed_kazakhstan(bot)
    (first,) = await bot.say(ALICE, ALICE, "/search Казахстан")
    bot.application.bot_data["search_queries"].clear()  # as after a restart
    bot.fake.press_button(ALICE, ALICE, first.message_id, first.callback_data[0])
    await bot.fake.wait_for(lambda: bot.fake.callback_answers, what="callback answer")
    assert "send it again" in bot.fake.callback_answers[-1]["text"]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("/search", "Type what to search for"),
        ('/search "мирные силы', "quote is not closed"),
        ("/search ОДКБ && CSTO", "operators such as && are not supported"),
        ("/search ОДКБ OR*", "at least 3 letters before '*'"),
        ("/search ОДКБ OR", "OR needs a word, a phrase or '(' on each side"),
        ("/search (ОДКБ OR CSTO", "'(' is not closed"),
        ("/search topic:csto since:2022-01-05", "word to search for"),
        ("/search ОДКБ since:2022-13-45", "is not a date"),
        ("/search ОДКБ topic:weather", "no topic weather"),
        ("/search ОДКБ source:nowhere", "No source is called nowhere"),
        ("/search ОДКБ color:red", "no filter color"),
    ],
)
async def test_bad_queries_get_an_explanation_and_an_example(bot, query, expected):
    (reply,) = await bot.say(ALICE, ALICE, query)
    assert expected in reply.plain_text
    assert "Example: /search" in reply.plain_text and "Traceback" not in reply.plain_text
    assert not reply.buttons


async def test_bad_queries_are_explained_in_the_users_language(bot):
    (reply,) = await bot.say(ALICE, ALICE, '/search "мирные силы', language_code="ru")
    assert "кавычка не закрыта" in reply.plain_text and "Пример: /search" in reply.plain_text


async def test_search_names_a_topic_by_a_part_of_its_title(bot):
    seed_items(bot.sessions, [
        {"title": "Учения ОДКБ в Таджикистане", "url": "https://news.example/csto-drills", "topics": {"csto": ["ОДКБ"]}},
        {"title": "Учения в Казахстане", "url": "https://news.example/kz-drills", "topics": {"kazakhstan": ["Казахстан"]}},
    ])
    (found,) = await bot.say(ALICE, ALICE, "/search учения topic:ОДКБ")
    assert found.plain_text.startswith("🔎 учения topic:ОДКБ: 1 found")
    assert "Таджикистане" in found.plain_text and "Казахстане" not in found.plain_text


@pytest.mark.parametrize(
    ("query", "language", "expected"),
    [
        ("/search Ка*", "ru", "перед «*» нужно хотя бы 3 буквы"),
        ("/search ОДКБ OR -Россия", "uk", "фільтри та -слова лише звужують пошук"),
        ("/search ОДКБ)", "ru", "перед «)» нет «(»"),
        ("/search ОДКБ sort:best", "uk", "sort: — одне з newest, relevance"),
        ("/search ОДКБ NOT", "ru", "после NOT нужно слово, фраза или «(»"),
        ("/search ОДКБ AND OR CSTO", "uk", "з обох боків від AND потрібне слово"),
    ],
)
async def test_new_query_mistakes_are_explained_in_the_users_language(bot, query, language, expected):
    (reply,) = await bot.say(ALICE, ALICE, query, language_code=language)
    assert expected in reply.plain_text and "/search" in reply.plain_text
    assert not reply.buttons


async def test_search_help_describes_the_whole_language(bot):
    for language, words in (("ru", ["OR", "слово*", "source:kaztag.kz", "sort:relevance", "латиницей"]),
                            ("uk", ["OR", "слово*", "source:kaztag.kz", "sort:relevance", "латиницею"]),
                            ("en", ["OR", "word*", "source:kaztag.kz", "sort:relevance", "Latin"])):
        (reply,) = await bot.say(ALICE, ALICE, "/search", language_code=language)
        assert all(word in reply.plain_text for word in words), language


def seed_kazakhstan_in_three_languages(bot) -> None:
    seed_items(bot.sessions, [
        {"title": "Қазақстанда сайлау өтті", "url": "https://news.example/kk", "lang": "kk"},
        {"title": "Elections held in Kazakhstan", "url": "https://news.example/en", "lang": "en"},
        {"title": "Выборы в Казахстане", "url": "https://news.example/ru"},
        {"title": "Новости казахов", "url": "https://news.example/other"},
    ])


async def test_a_russian_name_finds_its_kazakh_and_latin_spellings(bot):
    seed_kazakhstan_in_three_languages(bot)
    (found,) = await bot.say(ALICE, ALICE, "/search Казахстан", language_code="ru")
    assert found.plain_text.startswith("🔎 Казахстан: найдено 3")
    assert {"Қазақстанда", "Kazakhstan", "Казахстане"} == set(bold(found)) - {"Казахстан"}


async def test_lang_en_finds_english_items_for_a_cyrillic_name(bot):
    seed_kazakhstan_in_three_languages(bot)
    (english,) = await bot.say(ALICE, ALICE, "/search Казахстане lang:en", language_code="ru")
    assert english.plain_text.startswith("🔎 Казахстане lang:en: найдено 1")
    assert links(english) == ["https://news.example/en"] and "Kazakhstan" in bold(english)


def seed_missions(bot) -> None:
    with bot.sessions.begin() as session:
        source_store.add_source(session, "https://www.kaztag.kz/ru/rss", "КазТАГ")
    seed_items(bot.sessions, [
        {"title": "ОДКБ завершила миссию", "url": "https://news.example/1"},
        {"title": "CSTO mission ends", "url": "https://news.example/2", "lang": "en"},
        {"title": "Миротворцы вернулись", "url": "https://news.example/3"},
    ])
    seed_items(bot.sessions, [{"title": "Миротворческие силы ОДКБ", "url": "https://kaztag.kz/4"}], source="КазТАГ")


async def test_or_and_and_prefixes_work_as_in_topic_rules(bot):
    seed_missions(bot)
    (either,) = await bot.say(ALICE, ALICE, "/search ОДКБ OR CSTO")
    assert either.plain_text.startswith("🔎 ОДКБ OR CSTO: 3 found")
    (prefix,) = await bot.say(ALICE, ALICE, "/search миротвор* -ОДКБ")
    assert links(prefix) == ["https://news.example/3"] and set(bold(prefix)[1:]) == {"Миротворцы"}
    (both,) = await bot.say(ALICE, ALICE, "/search ОДКБ AND миротвор*")
    assert links(both) == ["https://kaztag.kz/4"]


async def test_a_source_is_named_by_its_site(bot):
    seed_missions(bot)
    (site,) = await bot.say(ALICE, ALICE, "/search ОДКБ source:kaztag.kz")
    assert links(site) == ["https://kaztag.kz/4"]
    (url,) = await bot.say(ALICE, ALICE, "/search ОДКБ source:https://www.kaztag.kz/ru/")
    assert links(url) == ["https://kaztag.kz/4"]


async def test_a_phrase_is_bold_only_where_it_stands(bot):
    seed_items(bot.sessions, [{"title": "Мирные силы и силы мирные", "url": "https://news.example/p",
                               "text": "Силы были мирные, а мирные силы ушли."}])
    (found,) = await bot.say(ALICE, ALICE, '/search "мирные силы"')
    assert bold(found)[1:] == ["Мирные силы", "мирные силы"]  # after the query in the header


async def test_results_can_be_ranked_by_relevance(bot):
    now = utcnow()
    seed_items(bot.sessions, [
        {"title": "Санкции продлены", "url": "https://news.example/title", "published": now - timedelta(days=10)},
        {"title": "Новости дня", "url": "https://news.example/day", "published": now, "text": "Упомянули санкции."},
        {"title": "Обзор недели", "url": "https://news.example/week", "published": now - timedelta(hours=5),
         "text": "Санкции. Новые санкции. Санкции снова. Опять санкции."},
    ])
    (newest,) = await bot.say(ALICE, ALICE, "/search санкции")
    assert links(newest) == ["https://news.example/title", "https://news.example/day", "https://news.example/week"]
    (relevant,) = await bot.say(ALICE, ALICE, "/search санкции sort:relevance")
    assert links(relevant) == ["https://news.example/title", "https://news.example/week", "https://news.example/day"]


async def test_copies_of_one_story_do_not_fill_the_first_page(bot):
    now = utcnow()
    seed_items(bot.sessions, [
        {"title": "Токаев подписал указ", "url": f"https://copy{n}.example/ukaz", "published": now - timedelta(hours=n + 1),
         "text": "Текст указа."}
        for n in range(7)
    ] + [{"title": f"Токаев: встреча {n}", "url": f"https://news.example/t{n}", "published": now - timedelta(days=9 + n)}
         for n in range(5)], source="DW")
    (folded,) = await bot.say(ALICE, ALICE, "/search Токаев", language_code="ru")
    assert folded.plain_text.startswith("🔎 Токаев: найдено 12, страница 1 из 2")
    assert folded.plain_text.count("Токаев подписал указ") == 1 and "и ещё похожих: 6" in folded.plain_text
    assert [f"Токаев: встреча {n}" in folded.plain_text for n in range(5)] == [True] * 4 + [False]
    second = await page_after_press(bot, folded, folded.callback_data[0])
    assert "страница 2 из 2" in second.plain_text and "Токаев: встреча 4" in second.plain_text
    assert "Токаев подписал указ" not in second.plain_text and [b["text"] for b in second.buttons] == ["◀ Назад"]


async def test_nothing_found_is_said_plainly(bot):
    seed_kazakhstan(bot, 2)
    (reply,) = await bot.say(ALICE, ALICE, "/search Киргизия")
    assert reply.plain_text.startswith("Nothing found for Киргизия")


async def test_results_carry_the_analyses_linked_to_them(bot):
    (item_id,) = seed_items(bot.sessions, [
        {"title": "ОДКБ направит миротворцев в Казахстан", "url": "https://news.example/csto-1",
         "topics": {"csto": ["ОДКБ"]}},
    ])
    with bot.sessions.begin() as session:
        add_analysis(session, "https://analytics.example/csto", "Миссия ОДКБ: разбор",
                     "Разбор миссии.\n[1] https://news.example/csto-1?utm_source=tg")
    (found,) = await bot.say(ALICE, ALICE, "/search миротворцы")
    assert "📚 Analysis: Миссия ОДКБ: разбор" in found.plain_text
    assert "https://analytics.example/csto" in links(found)
    (latest,) = await bot.say(ALICE, ALICE, "/latest")
    assert "Analysis: Миссия ОДКБ: разбор" in latest.plain_text
    (full,) = await bot.say(ALICE, ALICE, f"/item {item_id}")
    assert "Миссия ОДКБ: разбор (cites it)" in full.plain_text


async def test_latest_by_topic_and_count(bot):
    seed_kazakhstan(bot, 12)
    seed_items(bot.sessions, [
        {"title": f"ОДКБ: учения {k}", "url": f"https://news.example/csto/{k}", "published": utcnow() - timedelta(days=3 - k),
         "topics": {"csto": ["ОДКБ"]}} for k in range(3)
    ])
    seed_items(bot.sessions, [{"title": "Погода", "url": "https://news.example/weather"}])
    (everything,) = await bot.say(ALICE, ALICE, "/latest")
    assert everything.plain_text.count("/item_") == 10 and "Погода" not in everything.plain_text
    (two,) = await bot.say(ALICE, ALICE, "/latest ОДКБ 2")
    assert two.plain_text.startswith("🆕 Latest matched items: CSTO (ОДКБ)")
    assert two.plain_text.count("/item_") == 2 and "учения 2" in two.plain_text and "учения 0" not in two.plain_text
    assert "ОДКБ" in bold(two)
    (three,) = await bot.say(ALICE, ALICE, "/latest csto")
    assert three.plain_text.count("/item_") == 3
    for bad in ("/latest weather", "/latest 500"):
        (usage,) = await bot.say(ALICE, ALICE, bad)
        assert "/latest [topic] [N]" in usage.plain_text and "csto" in usage.plain_text


async def test_replies_link_to_the_canonical_url_without_tracking(bot):
    item = {"title": "ОДКБ: учения в Казахстане", "url": "https://news.example/drills",
            "raw_url": "https://news.example/drills?utm_source=tg&fbclid=x1", "topics": {"csto": ["ОДКБ"]}}
    (item_id,) = seed_items(bot.sessions, [item])
    (full,) = await bot.say(ALICE, ALICE, f"/item {item_id}")
    (latest,) = await bot.say(ALICE, ALICE, "/latest")
    (found,) = await bot.say(ALICE, ALICE, "/search учения")
    assert links(full) == links(latest) == links(found) == ["https://news.example/drills"]


async def test_item_in_full_with_all_its_sources(bot):
    item = {"title": "Токаев встретился с генсеком ОДКБ", "url": "https://news.example/meeting",
            "text": "Президент Казахстана Токаев обсудил с генеральным секретарём ОДКБ итоги миссии.",
            "topics": {"kazakhstan": ["Токаев"], "csto": ["ОДКБ"]}}
    (item_id,) = seed_items(bot.sessions, [item], source="Azattyk")
    seed_items(bot.sessions, [item], source="Tengrinews")
    (full,) = await bot.say(ALICE, ALICE, f"/item {item_id}")
    assert full.plain_text.startswith("Токаев встретился с генсеком ОДКБ")
    assert "Sources: Azattyk, Tengrinews" in full.plain_text
    assert "Topics: CSTO (ОДКБ): ОДКБ; Kazakhstan: Токаев" in full.plain_text
    assert "обсудил с генеральным секретарём" in full.plain_text
    assert links(full) == ["https://news.example/meeting"]
    (same,) = await bot.say(ALICE, ALICE, f"/item_{item_id}")
    assert same.plain_text == full.plain_text
    (missing,) = await bot.say(ALICE, ALICE, "/item 999999")
    assert missing.plain_text == "There is no item 999999."
    (usage,) = await bot.say(ALICE, ALICE, "/item")
    assert "/item 123" in usage.plain_text


async def test_sources_show_their_health(bot):
    seed_kazakhstan(bot, 7)
    now = utcnow()
    with bot.sessions.begin() as session:
        healthy = next(s for s, _ in source_store.list_sources(session) if s.name == "Azattyk")
        source_store.record_success(session, healthy.id, now, 7)
        failing = source_store.add_source(session, "https://broken.example/rss", "Broken outlet")
        source_store.record_failure(session, failing.id, now, "fetch.timeout", "no answer within 20 s")
    (reply,) = await bot.say(ALICE, ALICE, "/sources")
    text = reply.plain_text
    assert text.startswith("📡 Sources (2)")
    assert "✅ Azattyk (rss): 1 items/day, last success " + now.strftime("%d.%m.%Y") in text
    assert "⚠️ Broken outlet (rss): 0 items/day, last success never" in text
    assert "error (1×): the site did not answer in time" in text


async def test_items_a_day_count_what_was_published_in_the_week_not_what_was_stored(bot):
    seed_kazakhstan(bot, 7)
    old = datetime(2020, 10, 14, 12, tzinfo=timezone.utc)
    seed_items(bot.sessions, [  # a first fetch stores a feed last updated in 2020: 30 items, all stored today
        {"title": f"Архив {n}", "url": f"https://old.example/{n}", "published": old - timedelta(hours=n)} for n in range(30)
    ], source="Old feed")
    (reply,) = await bot.say(ALICE, ALICE, "/sources", language_code="ru")
    text = reply.plain_text
    assert "Материалов в день: опубликованные за последние 7 дн., делённые на 7." in text
    assert "Azattyk (rss): 1 в день" in text and "Old feed (rss): 0 в день" in text


def photo_of(message) -> bytes:
    assert message.method == "sendPhoto"
    return message.file.data


async def test_trend_of_a_topic_is_a_png_chart_naming_the_busiest_day(bot):
    today = utcnow().replace(hour=6, minute=0, second=0, microsecond=0)
    busy = today - timedelta(days=4)
    rows = [(busy + timedelta(minutes=m), "csto") for m in range(5)]
    rows += [(today - timedelta(days=d), "csto") for d in (1, 2, 9)]
    rows += [(today - timedelta(days=d), "kazakhstan") for d in (1, 3)]
    rows += [(today - timedelta(days=40), "csto")]  # outside 30 days
    seed_items(bot.sessions, [
        {"title": f"Материал {n}", "url": f"https://news.example/t{n}", "published": when, "topics": {topic: ["x"]}}
        for n, (when, topic) in enumerate(rows)
    ])
    (chart,) = await bot.say(ALICE, ALICE, "/trend csto 30d")
    data = photo_of(chart)
    assert data.startswith(PNG) and len(data) > 5000
    assert chart.plain_text == f"📈 CSTO (ОДКБ): 8 items published in the last 30d. Busiest day: {busy:%d.%m.%Y} (5)."
    (both,) = await bot.say(ALICE, ALICE, "/trend csto kazakhstan 7d")
    assert photo_of(both).startswith(PNG)
    assert both.plain_text.startswith("📈 CSTO (ОДКБ), Kazakhstan: 9 items published in the last 7d")


async def test_trend_of_a_word_splits_by_topic_and_short_periods_go_by_hour(bot):
    now = utcnow()
    seed_items(bot.sessions, [
        {"title": "Токаев провёл совещание", "url": "https://news.example/w1", "published": now - timedelta(hours=3),
         "topics": {"kazakhstan": ["Токаев"]}},
        {"title": "Токаеву доложили об учениях ОДКБ", "url": "https://news.example/w2", "published": now - timedelta(hours=3, minutes=20),
         "topics": {"kazakhstan": ["Токаев"], "csto": ["ОДКБ"]}},
        {"title": "Токаев: интервью", "url": "https://news.example/w3", "published": now - timedelta(days=5)},
    ])
    (hourly,) = await bot.say(ALICE, ALICE, "/trend Токаев 2d")
    assert photo_of(hourly).startswith(PNG)
    busiest = now - timedelta(hours=3)  # the hour of both items, or the later of the two hours
    # Two items, one of them in two topics: counted once, as /search counts it; the busiest bucket is an hour.
    assert hourly.plain_text.startswith("📈 Токаев: 2 items published in the last 2d. Busiest hour: ")
    assert "day" not in hourly.plain_text and f"{busiest:%d.%m.%Y %H}:00" in hourly.plain_text
    (daily,) = await bot.say(ALICE, ALICE, "/trend Токаев")
    assert daily.plain_text.startswith("📈 Токаев: 3 items published in the last 7d")  # the default period; one without topic
    (found,) = await bot.say(ALICE, ALICE, "/search Токаев")
    assert found.plain_text.startswith("🔎 Токаев: 3 found")
    (russian,) = await bot.say(ALICE, ALICE, "/trend Токаев 2d", language_code="ru")
    assert russian.plain_text.startswith("📈 Токаев: материалов за последние 2d: 2. Самый активный час: ")


async def test_trend_charts_a_range_of_days_in_the_archive(bot):
    january = [datetime(2022, 1, day, 9, tzinfo=timezone.utc) for day in (3, 5, 5, 5, 19, 25)]
    seed_items(bot.sessions, [
        {"title": f"ОДКБ в Казахстане {n}", "url": f"https://news.example/jan/{n}", "published": when,
         "topics": {"csto": ["ОДКБ"]}}
        for n, when in enumerate(january)
    ])
    (chart,) = await bot.say(ALICE, ALICE, "/trend csto 2022-01-01..2022-01-20")
    assert photo_of(chart).startswith(PNG)
    assert chart.plain_text == "📈 CSTO (ОДКБ): 5 items published from 01.01.2022 to 20.01.2022. Busiest day: 05.01.2022 (3)."
    (word,) = await bot.say(ALICE, ALICE, "/trend Казахстане 2022-01-05..2022-01-05", language_code="uk")
    assert word.plain_text.startswith("📈 Казахстане: матеріалів з 05.01.2022 по 05.01.2022: 3. Найактивніша година: 05.01.2022 09:00 (3).")
    for bad in ("2022-01-20..2022-01-01", "2022-02-30..2022-03-01", "2020-01-01..2022-01-01"):
        (usage,) = await bot.say(ALICE, ALICE, f"/trend csto {bad}")
        assert "2022-01-01..2022-01-20" in usage.plain_text, bad


async def test_volunteer_commands_are_in_the_menu_and_in_help(bot):
    await bot.fake.wait_for(lambda: bot.fake.commands(), what="setMyCommands")
    names = [c["command"] for c in bot.fake.commands()]
    assert {"search", "latest", "item", "sources", "trend", "analysis"} <= set(names)
    assert "addanalysis" not in names
    assert next(c for c in bot.fake.commands(language_code="uk") if c["command"] == "search")["description"] == "пошук в архіві"
    (help_text,) = await bot.say(ALICE, ALICE, "/help")
    assert "/search: search the archive" in help_text.plain_text


async def test_an_allow_list_keeps_others_out(fake_telegram, sqlite_url, parse_pool):
    from storage import roles as role_store

    async with dozor_bot(fake_telegram, sqlite_url, parse_pool) as running:
        with running.sessions.begin() as session:
            role_store.set_volunteer_mode(session, "list")
        (refused,) = await running.say(ALICE, ALICE, "/search ОДКБ")
        assert "ask an admin" in refused.plain_text
        with running.sessions.begin() as session:
            role_store.add_volunteer(session, ALICE, None)
        (allowed,) = await running.say(ALICE, ALICE, "/search ОДКБ")
        assert allowed.plain_text.startswith("Nothing found")


async def test_a_page_of_long_results_fits_one_message(bot):
    long_title = "Казахстан " + "очень длинный заголовок " * 25
    long_text = "Казахстан " * 5 + "и подробный текст " * 60
    item = lambda k: {"title": f"{k} {long_title}", "url": f"https://news.example/long/{k}", "text": long_text,
                      "topics": {"kazakhstan": ["Казахстан"]}}
    ids = seed_items(bot.sessions, [item(k) for k in range(6)], source="Агентство с очень длинным названием номер один")
    for n in (2, 3):
        seed_items(bot.sessions, [item(k) for k in range(6)], source=f"Агентство с очень длинным названием номер {n}")
    with bot.sessions.begin() as session:
        for n in range(2):
            references = "\n".join(f"[{k + 1}] https://news.example/long/{k}" for k in range(6))
            add_analysis(session, f"https://analytics.example/long{n}", f"Анализ {n} " + "с длинным названием " * 20, references)
    (page,) = await bot.say(ALICE, ALICE, "/search Казахстан")
    assert page.plain_text.startswith("🔎 Казахстан: 6 found")
    assert len(page.plain_text.encode("utf-16-le")) // 2 <= 4096
    assert page.plain_text.count("📚 Analysis: Анализ") == 10 and f"/item_{ids[5]}" in page.plain_text


@contextmanager
def a_writer_mid_transaction(engine):
    """Another connection in the middle of a write, as the collector often is: on SQLite it holds the
    database's write lock, on PostgreSQL a lock that lets the chats table be read but not written."""
    with engine.connect() as connection, connection.begin():  # BEGIN IMMEDIATE on SQLite (storage.db)
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql("LOCK TABLE chats IN EXCLUSIVE MODE")
        yield


async def test_read_only_commands_answer_while_the_collector_writes_and_store_no_chat(
    fake_telegram, database_url, parse_pool
):
    newcomer = 2099
    drills = {"title": "ОДКБ: учения в Казахстане", "url": "https://news.example/ro", "topics": {"csto": ["ОДКБ"]}}
    async with dozor_bot(fake_telegram, database_url, parse_pool) as running:
        (item_id,) = seed_items(running.sessions, [drills])
        with a_writer_mid_transaction(running.sessions.kw["bind"]):
            replies = [
                (await running.say(newcomer, newcomer, command))[0]
                for command in ("/search ОДКБ", "/latest", f"/item {item_id}", "/sources", "/trend csto", "/analysis")
            ]
        with running.sessions() as session:
            assert chat_store.get_chat(session, newcomer) is None
    search, latest, item, sources, chart, analyses = replies
    assert search.plain_text.startswith("🔎 ОДКБ: 1 found") and "ОДКБ: учения в Казахстане" in latest.plain_text
    assert "ОДКБ: учения в Казахстане" in item.plain_text and "Azattyk" in sources.plain_text
    assert photo_of(chart).startswith(PNG) and analyses.plain_text.startswith("No analyses yet")
