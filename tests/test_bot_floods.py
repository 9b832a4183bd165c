"""Floods, repeats and old news: caps per topic with a button for the rest, each item once per chat, late items marked."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from storage.models import Chat, Subscription
from tests.botharness import dozor_bot, seed_items

ALICE, BOB = 1001, 1002


def item(n: int, topic: str = "csto", term: str = "ОДКБ", **extra) -> dict:
    return {"title": f"{term}: новость номер {n}", "url": f"https://news.example/{topic}/{n}",
            "topics": {topic: [term]}, **extra}


async def collect(bot, chat_id: int, items: list[dict], source: str = "Azattyk") -> list:
    """Store items and run the collector's job; return what it sent the chat."""
    before = len(bot.fake.messages(chat_id))
    seed_items(bot.sessions, items, source=source)
    await bot.run_job("collect")
    return bot.fake.messages(chat_id)[before:]


async def ask(bot, chat_id: int, text: str, language: str = "en") -> list:
    """Send a command and return every reply once the sender has nothing left."""
    message = bot.fake.user_message(chat_id, chat_id, text, language_code=language)
    await bot.fake.wait_for_messages(chat_id, 1, after=message["message_id"])
    await bot.services.sender.drain()
    return bot.fake.messages(chat_id, after=message["message_id"])


def shown(messages) -> str:
    return "\n".join(m.plain_text for m in messages)


async def instant(bot, chat_id: int, *topics: str, language: str = "en") -> None:
    await bot.say(chat_id, chat_id, "/settings instant", language_code=language)
    for topic in topics:
        await bot.say(chat_id, chat_id, f"/subscribe {topic}", language_code=language)


def digest_due_now(bot) -> None:
    with bot.sessions.begin() as session:
        for row in session.scalars(select(Subscription)):
            row.digest_since = row.digest_since.replace(year=2020)
        for chat in session.scalars(select(Chat)):
            chat.daily_at = "00:00"


async def test_45_matched_items_in_one_collect_are_one_alert_of_10_and_a_button_for_35(bot):
    await instant(bot, ALICE, "csto", language="ru")
    (alert,) = await collect(bot, ALICE, [item(n) for n in range(45)])
    assert "новость номер 44" in alert.plain_text and "новость номер 35" in alert.plain_text  # the newest ten
    assert "новость номер 34" not in alert.plain_text
    assert "и ещё 35: кнопка ниже или /search слова topic:csto since:" in alert.plain_text
    more = next(b for b in alert.buttons if b["text"].startswith("➕"))
    assert more["text"] == "➕ Ещё 35: ОДКБ"

    bot.fake.press_button(ALICE, ALICE, alert.message_id, more["callback_data"])
    (page,) = await bot.fake.wait_for_messages(ALICE, 1, after=alert.message_id)
    assert page.plain_text.startswith("ОДКБ · 1-10 из 35") and "новость номер 34" in page.plain_text
    assert "новость номер 24" not in page.plain_text and page.buttons[0]["text"] == "Следующие 10 ›"
    bot.fake.press_button(ALICE, ALICE, page.message_id, page.callback_data[0])
    (second,) = await bot.fake.wait_for_messages(ALICE, 1, after=page.message_id)
    assert second.plain_text.startswith("ОДКБ · 11-20 из 35") and "новость номер 24" in second.plain_text


async def test_a_digest_of_55_items_shows_10_a_topic_in_one_message(bot):
    await bot.say(BOB, BOB, "/subscribe csto", language_code="uk")
    await bot.say(BOB, BOB, "/subscribe kazakhstan", language_code="uk")
    seed_items(bot.sessions, [item(n) for n in range(35)] + [item(n, "kazakhstan", "Токаев") for n in range(20)])
    messages = await ask(bot, BOB, "/digest", "uk")
    assert len(messages) == 1
    text = messages[0].plain_text
    assert "ОДКБ (35)" in text and "Казахстан (20)" in text  # the topics as titled in Ukrainian
    assert "і ще 25:" in text and "і ще 10:" in text and text.count("•") == 20
    assert [b["text"] for b in messages[0].buttons] == ["➕ Ще 25: ОДКБ", "➕ Ще 10: Казахстан"]


async def test_the_cap_is_a_setting(fake_telegram, sqlite_url, parse_pool):
    async with dozor_bot(fake_telegram, sqlite_url, parse_pool, stories_per_topic=3) as bot:
        await instant(bot, ALICE, "csto")
        (alert,) = await collect(bot, ALICE, [item(n) for n in range(8)])
        assert alert.plain_text.count("•") == 3 and "and 5 more" in alert.plain_text


async def test_an_item_of_two_topics_shows_once_under_the_first_naming_the_other(bot):
    await bot.say(BOB, BOB, "/subscribe csto")
    await bot.say(BOB, BOB, "/subscribe kazakhstan")
    seed_items(bot.sessions, [
        {"title": "ОДКБ и Токаев: совместные учения", "url": "https://news.example/both",
         "topics": {"csto": ["ОДКБ"], "kazakhstan": ["Токаев"]}},
        item(1, "kazakhstan", "Токаев"),
    ])
    (digest,) = await ask(bot, BOB, "/digest")
    text = digest.plain_text
    assert text.count("совместные учения") == 1 and "also in Kazakhstan" in text
    assert text.index("CSTO (ОДКБ) (1)") < text.index("совместные учения") < text.index("Kazakhstan (1)")


async def test_a_digest_after_alerts_covers_only_what_the_chat_has_not_received(bot):
    await bot.say(ALICE, ALICE, "/subscribe csto")
    await bot.say(ALICE, ALICE, "/subscribe kazakhstan")
    await bot.say(ALICE, ALICE, "/settings csto instant")  # kazakhstan stays in the daily digest
    both = {"title": "ОДКБ и Токаев: совместные учения", "url": "https://news.example/both",
            "topics": {"csto": ["ОДКБ"], "kazakhstan": ["Токаев"]}}
    alerts = await collect(bot, ALICE, [item(n) for n in range(3)] + [both, item(9, "kazakhstan", "Токаев")])
    assert len(alerts) == 4 and "совместные учения" in shown(alerts)
    (digest,) = await ask(bot, ALICE, "/digest")
    assert "новость номер 9" in digest.plain_text  # kazakhstan's own item, never alerted
    assert "совместные учения" not in digest.plain_text and "ОДКБ: новость" not in digest.plain_text
    (nothing,) = await ask(bot, ALICE, "/digest")
    assert nothing.plain_text.startswith("Nothing new")
    digest_due_now(bot)
    before = len(bot.fake.messages(ALICE))
    await bot.run_job("digests")
    assert bot.fake.messages(ALICE)[before:] == []  # the daily digest repeats nothing either


async def test_two_links_of_one_story_from_one_outlet_make_one_alert(bot):
    await instant(bot, ALICE, "csto")
    twin = {"title": "ОДКБ начала учения «Взаимодействие»", "text": "Учения пройдут в Таджикистане.",
            "topics": {"csto": ["ОДКБ"]}}
    (alert,) = await collect(bot, ALICE, [{**twin, "url": "https://news.example/a"},
                                         {**twin, "url": "https://news.example/amp/a"}])
    assert alert.plain_text.count("«Взаимодействие»") == 1
    assert await collect(bot, ALICE, [{**twin, "url": "https://news.example/print/a"}]) == []  # told already


async def test_an_old_item_newly_seen_goes_to_the_digest_marked_late_with_its_year(bot):
    await instant(bot, ALICE, "csto", language="ru")
    old = datetime.now(timezone.utc) - timedelta(days=400)
    fresh = item(1)
    late = {**item(2), "title": "ОДКБ: архивное заявление", "published": old}
    (alert,) = await collect(bot, ALICE, [fresh, late])
    assert "новость номер 1" in alert.plain_text and "архивное" not in alert.plain_text
    (digest,) = await ask(bot, ALICE, "/digest", "ru")
    assert "ОДКБ: архивное заявление" in digest.plain_text and "🕰 с опозданием: замечено" in digest.plain_text
    assert old.strftime("%d.%m.%Y") in digest.plain_text and "новость номер 1" not in digest.plain_text


async def test_a_topic_turned_from_instant_to_daily_does_not_digest_what_was_alerted(bot):
    await instant(bot, ALICE, "csto")
    alerts = await collect(bot, ALICE, [item(n) for n in range(2)])
    assert "новость номер 1" in shown(alerts)
    await bot.say(ALICE, ALICE, "/settings daily")
    await collect(bot, ALICE, [item(7)])
    digest_due_now(bot)
    before = len(bot.fake.messages(ALICE))
    await bot.run_job("digests")
    (digest,) = bot.fake.messages(ALICE)[before:]
    assert "новость номер 7" in digest.plain_text and "новость номер 1" not in digest.plain_text
