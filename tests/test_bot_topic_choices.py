"""Per-topic choices: a delivery mode and sound per topic, muting a source, and the buttons under every alert."""
from __future__ import annotations

from sqlalchemy import select

from storage import chats as chat_store
from storage.models import Chat, Subscription
from tests.botharness import seed_items

ALICE, BOB = 1001, 1002


def subscription(bot, chat_id: int, topic: str) -> Subscription | None:
    with bot.sessions() as session:
        chat = session.scalar(select(Chat).where(Chat.chat_id == chat_id))
        return session.get(Subscription, (chat.id, topic))


async def news(bot, chat_id: int, items: list[dict], source: str = "Azattyk") -> list:
    """Store items as one source's and run the collector's job; return the messages it sent the chat."""
    before = len(bot.fake.messages(chat_id))
    seed_items(bot.sessions, items, source=source)
    await bot.run_job("collect")
    return bot.fake.messages(chat_id)[before:]


def csto(title: str, n: int) -> dict:
    return {"title": title, "url": f"https://news.example/c{n}", "topics": {"csto": ["ОДКБ"]}}


async def redrawn(bot, chat_id: int, message_id: int, edits: int):
    def now():
        return next(m for m in bot.fake.messages(chat_id) if m.message_id == message_id)

    await bot.fake.wait_for(lambda: now().edits > edits, what="the message redrawn")
    return now()


async def test_an_alert_offers_open_mute_and_unsubscribe_and_each_press_can_be_undone(bot):
    await bot.say(ALICE, ALICE, "/settings instant", language_code="ru")
    await bot.say(ALICE, ALICE, "/subscribe csto", language_code="ru")
    (alert,) = await news(bot, ALICE, [csto("ОДКБ: учения в Таджикистане", 1)])
    assert [b["text"] for b in alert.buttons] == ["🔗 Открыть", "🔇 Отключить Azattyk", "🚫 Отписаться: ОДКБ"]
    assert alert.buttons[0]["url"] == "https://news.example/c1"
    mute, unsubscribe = alert.callback_data

    bot.fake.press_button(ALICE, ALICE, alert.message_id, mute)
    alert = await redrawn(bot, ALICE, alert.message_id, 0)
    assert "🔊 Включить Azattyk" in [b["text"] for b in alert.buttons]
    assert "Azattyk отключён здесь" in bot.fake.callback_answers[-1]["text"]
    assert await news(bot, ALICE, [csto("ОДКБ: только у Azattyk", 2)]) == []
    (settings,) = await bot.say(ALICE, ALICE, "/settings", language_code="ru")
    assert "Отключённые источники: Azattyk" in settings.plain_text
    assert "🔊 Включить Azattyk" in [b["text"] for b in settings.buttons]
    (shared,) = await news(bot, ALICE, [csto("ОДКБ: и у DW", 3)], source="DW")
    assert "DW" in shared.plain_text

    bot.fake.press_button(ALICE, ALICE, alert.message_id, alert.callback_data[0])  # unmute
    alert = await redrawn(bot, ALICE, alert.message_id, 1)
    assert [m.plain_text.count("снова у Azattyk") for m in await news(bot, ALICE, [csto("ОДКБ: снова у Azattyk", 4)])] == [1]

    bot.fake.press_button(ALICE, ALICE, alert.message_id, unsubscribe)
    alert = await redrawn(bot, ALICE, alert.message_id, 2)
    assert subscription(bot, ALICE, "csto") is None
    assert alert.buttons[-1]["text"] == "➕ Подписаться: ОДКБ"
    bot.fake.press_button(ALICE, ALICE, alert.message_id, alert.callback_data[-1])
    await redrawn(bot, ALICE, alert.message_id, 3)
    assert subscription(bot, ALICE, "csto") is not None


async def test_each_topic_has_its_own_delivery_mode_and_sound(bot):
    await bot.say(BOB, BOB, "/subscribe csto", language_code="uk")
    await bot.say(BOB, BOB, "/subscribe kazakhstan", language_code="uk")
    (menu,) = await bot.say(BOB, BOB, "/settings csto instant kazakhstan silent", language_code="uk")
    assert "ОДКБ: миттєві сповіщення" in menu.plain_text
    assert "Казахстан: як у чату: дайджест щодня о 08:00 (UTC), без звуку" in menu.plain_text
    (alert,) = await news(bot, BOB, [
        csto("ОДКБ: засідання ради", 1),
        {"title": "Токаев подписал указ", "url": "https://news.example/k1", "topics": {"kazakhstan": ["Токаев"]}},
    ])
    assert "ОДКБ: засідання ради" in alert.plain_text and not alert.silent
    assert "Токаев" not in alert.plain_text  # kazakhstan waits for its daily digest
    with bot.sessions.begin() as session:
        for row in session.scalars(select(Subscription)):
            row.digest_since = row.digest_since.replace(year=2020)
    before = len(bot.fake.messages(BOB))
    await bot.run_job("digests")
    (digest,) = bot.fake.messages(BOB)[before:]
    assert "Токаев подписал указ" in digest.plain_text and "засідання ради" not in digest.plain_text
    assert digest.silent  # every topic in it is silent


async def test_the_settings_buttons_set_a_topics_mode_and_sound_and_mark_them(bot):
    await bot.say(ALICE, ALICE, "/subscribe csto")
    (menu,) = await bot.say(ALICE, ALICE, "/settings")
    assert "set:topic:csto" in menu.callback_data
    steps = ["set:topic:csto", "set:tm:csto:instant", "set:ts:csto:on"]
    for edits, data in enumerate(steps):
        bot.fake.press_button(ALICE, ALICE, menu.message_id, data)
        menu = await redrawn(bot, ALICE, menu.message_id, edits)
    labels = [b["text"] for b in menu.buttons]
    assert "✓ ⚡ Instant" in labels and "🔔 With sound" in labels and "As the chat (daily digest at 08:00 (UTC))" in labels
    row = subscription(bot, ALICE, "csto")
    assert (row.mode, row.silent) == ("instant", True)
    (alert,) = await news(bot, ALICE, [csto("ОДКБ: тихое оповещение", 9)])
    assert alert.silent
    with bot.sessions() as session:
        assert chat_store.delivery_mode(session.get(Chat, row.chat_pk), row) == "instant"


async def test_a_topic_is_named_in_settings_by_its_title_in_any_language(bot):
    await bot.say(BOB, BOB, "/subscribe kazakhstan", language_code="kk")
    (menu,) = await bot.say(BOB, BOB, "/settings Қазақстан instant", language_code="kk")
    assert subscription(bot, BOB, "kazakhstan").mode == "instant"
    assert "Қазақстан" in menu.plain_text  # titled in the reader's language
