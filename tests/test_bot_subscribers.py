"""Subscribers talk to the real bot (python-telegram-bot Application) through the fake Bot API."""
from __future__ import annotations

from sqlalchemy import select

from storage import chats as chat_store
from storage.models import Chat
from tests.botharness import dozor_bot, seed_items

ALICE, BOB = 1001, 1002
GROUP = -4001


def chat(bot, chat_id: int) -> Chat:
    with bot.sessions() as session:
        return session.scalar(select(Chat).where(Chat.chat_id == chat_id))


def topics_of(bot, chat_id: int) -> list[str]:
    with bot.sessions() as session:
        return chat_store.subscribed(session, chat(bot, chat_id).id)


async def test_start_explains_and_offers_topic_buttons(bot):
    (reply,) = await bot.say(ALICE, ALICE, "/start")
    assert "Dozor" in reply.plain_text and "/help" in reply.plain_text
    assert reply.callback_data == ["top:csto", "top:kazakhstan"]
    assert all(len(data.encode()) <= 64 for data in reply.callback_data)


async def test_command_list_is_registered_with_descriptions(bot):
    await bot.fake.wait_for(lambda: bot.fake.commands(), what="setMyCommands")
    names = [c["command"] for c in bot.fake.commands()]
    assert names[:8] == ["start", "help", "topics", "subscribe", "unsubscribe", "settings", "digest", "stop"]
    assert all(c["description"] for c in bot.fake.commands())
    assert bot.fake.commands(language_code="ru")[0]["description"] == "что такое Dozor"


async def test_help_lists_every_subscriber_command(bot):
    (reply,) = await bot.say(ALICE, ALICE, "/help")
    for command in ("/topics", "/subscribe", "/unsubscribe", "/settings", "/digest", "/stop"):
        assert command in reply.plain_text


async def test_topic_button_subscribes_and_redraws(bot):
    (menu,) = await bot.say(ALICE, ALICE, "/topics")
    bot.fake.press_button(ALICE, ALICE, menu.message_id, "top:csto")
    await bot.fake.wait_for(lambda: bot.fake.callback_answers, what="callback answer")
    assert topics_of(bot, ALICE) == ["csto"]
    await bot.fake.wait_for(lambda: bot.fake.messages(ALICE)[-1].edits, what="redrawn buttons")
    buttons = [b["text"] for b in bot.fake.messages(ALICE)[-1].buttons]
    assert buttons[0].startswith("✅") and buttons[1].startswith("➕")
    assert "csto" in bot.fake.callback_answers[0]["text"].lower() or "CSTO" in bot.fake.callback_answers[0]["text"]


async def test_subscribe_and_unsubscribe_by_name(bot):
    (reply,) = await bot.say(ALICE, ALICE, "/subscribe csto")
    assert reply.plain_text.startswith("Subscribed to")
    (again,) = await bot.say(ALICE, ALICE, "/subscribe CSTO")
    assert "already" in again.plain_text
    (unknown,) = await bot.say(ALICE, ALICE, "/subscribe weather")
    assert "no topic" in unknown.plain_text and "weather" in unknown.plain_text
    (usage,) = await bot.say(ALICE, ALICE, "/subscribe")
    assert "/subscribe" in usage.plain_text
    (gone,) = await bot.say(ALICE, ALICE, "/unsubscribe all")
    assert "all topics" in gone.plain_text and topics_of(bot, ALICE) == []


async def test_a_topic_is_named_by_a_part_of_its_title_as_in_latest(bot):
    (reply,) = await bot.say(ALICE, ALICE, "/subscribe ОДКБ")
    assert reply.plain_text.startswith("Subscribed to CSTO (ОДКБ)") and topics_of(bot, ALICE) == ["csto"]
    (gone,) = await bot.say(ALICE, ALICE, "/unsubscribe одкб")
    assert gone.plain_text.startswith("Unsubscribed from CSTO (ОДКБ)") and topics_of(bot, ALICE) == []


async def test_replies_in_the_users_language(bot):
    (reply,) = await bot.say(ALICE, ALICE, "/subscribe csto", language_code="ru")
    assert reply.plain_text.startswith("Вы подписались")
    (reply,) = await bot.say(BOB, BOB, "/help", language_code="uk")
    assert reply.plain_text.startswith("Команди")


async def test_settings_by_text_and_by_button(bot):
    (reply,) = await bot.say(ALICE, ALICE, "/settings daily 07:30 Asia/Almaty")
    assert "07:30" in reply.plain_text and "Asia/Almaty" in reply.plain_text
    stored = chat(bot, ALICE)
    assert (stored.mode, stored.daily_at, stored.timezone) == ("daily", "07:30", "Asia/Almaty")
    bot.fake.press_button(ALICE, ALICE, reply.message_id, "set:instant")
    await bot.fake.wait_for(lambda: chat(bot, ALICE).mode == "instant", what="instant mode")
    await bot.fake.wait_for(lambda: "instant" in bot.fake.messages(ALICE)[-1].plain_text, what="redrawn settings")
    (bad,) = await bot.say(ALICE, ALICE, "/settings daily 25:00")
    assert "did not understand" in bad.plain_text and "/settings daily 08:00" in bad.plain_text
    (zone,) = await bot.say(ALICE, ALICE, "/settings tz Mars/Olympus")
    assert "not a time zone" in zone.plain_text
    (russian,) = await bot.say(ALICE, ALICE, "/settings weekly", language_code="ru")
    assert "Неизвестная настройка «weekly»" in russian.plain_text


async def test_digest_now_sends_matched_items_once(bot):
    await bot.say(ALICE, ALICE, "/subscribe csto")
    seed_items(bot.sessions, [
        {"title": "Миротворцы ОДКБ & <партнёры> в Алматы", "url": "https://news.example/1", "topics": {"csto": ["ОДКБ"]}},
        {"title": "Погода", "url": "https://news.example/2"},
    ])
    seed_items(bot.sessions, [{"title": "Old backlog about ОДКБ", "url": "https://news.example/3", "topics": {"csto": ["ОДКБ"]}}], backlog=True)
    message = bot.fake.user_message(ALICE, ALICE, "/digest")
    (digest,) = await bot.fake.wait_for_messages(ALICE, 1, after=message["message_id"])
    assert digest.parse_mode == "HTML"
    assert "Миротворцы ОДКБ & <партнёры> в Алматы" in digest.plain_text
    assert "Погода" not in digest.plain_text and "backlog" not in digest.plain_text
    links = [e for e in digest.entities if e["type"] == "text_link"]
    assert links[0]["url"] == "https://news.example/1"
    assert any(e["type"] == "bold" and digest.plain_text[e["offset"]:e["offset"] + e["length"]] == "ОДКБ" for e in digest.entities)
    (empty,) = await bot.say(ALICE, ALICE, "/digest")
    assert empty.plain_text.startswith("Nothing new")


async def test_long_digest_is_split_at_item_boundaries(fake_telegram, sqlite_url, parse_pool):
    async with dozor_bot(fake_telegram, sqlite_url, parse_pool, stories_per_topic=50) as bot:
        await bot.say(ALICE, ALICE, "/subscribe kazakhstan")
        seed_items(bot.sessions, [
            {"title": f"Токаев: заявление номер {n} " + "о ситуации в Казахстане " * 8, "url": f"https://news.example/k{n}",
             "topics": {"kazakhstan": ["Токаев"]}}
            for n in range(50)
        ])
        message = bot.fake.user_message(ALICE, ALICE, "/digest")
        await bot.fake.wait_for_messages(ALICE, 2, after=message["message_id"])
        await bot.services.sender.drain()
        parts = bot.fake.messages(ALICE, after=message["message_id"])
        assert all(p.parse_mode == "HTML" and len(p.plain_text) <= 4096 for p in parts)
        text = "\n".join(p.plain_text for p in parts)
        assert all(f"номер {n} " in text for n in range(50))


async def test_group_subscription_is_for_its_admins(bot):
    bot.fake.set_admins(GROUP, [ALICE])
    (refused,) = await bot.say(GROUP, BOB, "/subscribe csto", chat_type="group")
    assert "administrators" in refused.plain_text
    (accepted,) = await bot.say(GROUP, ALICE, "/subscribe csto", chat_type="group")
    assert accepted.plain_text.startswith("Subscribed")
    assert topics_of(bot, GROUP) == ["csto"]
    (anonymous,) = await bot.say(GROUP, ALICE, "/unsubscribe csto", chat_type="group", anonymous_admin=True)
    assert anonymous.plain_text.startswith("Unsubscribed")


async def test_instant_alerts_after_a_collector_tick(bot):
    await bot.say(ALICE, ALICE, "/settings instant")
    await bot.say(ALICE, ALICE, "/subscribe csto")
    before = len(bot.fake.messages(ALICE))
    seed_items(bot.sessions, [{"title": "ОДКБ начала операцию", "url": "https://news.example/a1", "topics": {"csto": ["ОДКБ"]}}])
    await bot.run_job("collect")
    (alert,) = bot.fake.messages(ALICE)[before:]
    assert "ОДКБ начала операцию" in alert.plain_text
    await bot.run_job("collect")
    assert len(bot.fake.messages(ALICE)) == before + 1  # never twice


async def test_a_burst_of_alerts_becomes_one_message(bot):
    await bot.say(ALICE, ALICE, "/settings instant")
    await bot.say(ALICE, ALICE, "/subscribe csto")
    before = len(bot.fake.messages(ALICE))
    seed_items(bot.sessions, [
        {"title": f"ОДКБ: новость {n}", "url": f"https://news.example/b{n}", "topics": {"csto": ["ОДКБ"]}} for n in range(8)
    ])
    await bot.run_job("collect")
    (alert,) = bot.fake.messages(ALICE)[before:]
    assert all(f"новость {n}" in alert.plain_text for n in range(8))


async def test_scheduled_daily_digest(bot):
    await bot.say(ALICE, ALICE, "/subscribe csto")
    with bot.sessions.begin() as session:
        row = session.scalar(select(Chat).where(Chat.chat_id == ALICE))
        row.mode, row.daily_at = "daily", "00:00"
        for subscription in row.topics:
            subscription.digest_since = subscription.digest_since.replace(year=2020)
    seed_items(bot.sessions, [{"title": "Итоги дня: ОДКБ", "url": "https://news.example/d", "topics": {"csto": ["ОДКБ"]}}])
    before = len(bot.fake.messages(ALICE))
    await bot.run_job("digests")
    (digest,) = bot.fake.messages(ALICE)[before:]
    assert "Итоги дня: ОДКБ" in digest.plain_text
    await bot.run_job("digests")
    assert len(bot.fake.messages(ALICE)) == before + 1


async def test_webhook_mode_answers_updates_posted_by_telegram(fake_telegram, sqlite_url, parse_pool):
    import json
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hook"
    async with dozor_bot(
        fake_telegram, sqlite_url, parse_pool, webhook_url=url, webhook_listen="127.0.0.1", webhook_port=port,
        webhook_secret="s3cret",
    ) as running:
        assert fake_telegram.calls_to("setWebhook")[-1].params["url"] == url
        update = {
            "update_id": 1,
            "message": {
                "message_id": 7, "date": 1641456000, "text": "/help",
                "chat": {"id": ALICE, "type": "private"},
                "from": {"id": ALICE, "is_bot": False, "first_name": "Alice", "language_code": "en"},
                "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
            },
        }
        request = urllib.request.Request(
            url, json.dumps(update).encode(), {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "s3cret"}
        )
        import asyncio

        status = await asyncio.to_thread(lambda: urllib.request.urlopen(request, timeout=10).status)
        assert status == 200
        (reply,) = await running.fake.wait_for_messages(ALICE, 1)
        assert "/subscribe" in reply.plain_text


async def test_admins_are_told_when_a_source_is_paused(fake_telegram, sqlite_url, parse_pool, feed_server):
    from storage import sources as source_store
    from storage.models import Source

    feed_server.add_handler("/gone", lambda r: r.send_error(404))
    async with dozor_bot(fake_telegram, sqlite_url, parse_pool, admin_ids=[ALICE]) as running:
        with running.sessions.begin() as session:
            source = source_store.add_source(session, feed_server.url("/gone"), "Gone outlet")
            source.error_count = 9
        await running.run_job("collect")
        with running.sessions() as session:
            assert session.scalar(select(Source.status)) == "paused"
        (notice,) = fake_telegram.messages(ALICE)
        assert "Gone outlet" in notice.plain_text
        assert "10 failures in a row; the last: there is no page at this address (HTTP 404)" in notice.plain_text
        assert "/resumefeed" in notice.plain_text


async def test_admins_get_their_commands_in_the_menu(fake_telegram, sqlite_url, parse_pool):
    async with dozor_bot(fake_telegram, sqlite_url, parse_pool, admin_ids=[ALICE]):
        scope = {"type": "chat", "chat_id": ALICE}
        await fake_telegram.wait_for(lambda: fake_telegram.commands(scope=scope, language_code="uk"), what="admin menu")
        admin_menu = [c["command"] for c in fake_telegram.commands(scope=scope)]
        public_menu = [c["command"] for c in fake_telegram.commands()]
    assert "addfeed" in admin_menu and "addfeed" not in public_menu
    assert set(public_menu) < set(admin_menu)


async def test_switching_to_instant_does_not_replay_old_items(bot):
    await bot.say(ALICE, ALICE, "/subscribe csto")
    seed_items(bot.sessions, [{"title": "ОДКБ: вчерашняя новость", "url": "https://news.example/y", "topics": {"csto": ["ОДКБ"]}}])
    await bot.say(ALICE, ALICE, "/settings instant")
    before = len(bot.fake.messages(ALICE))
    await bot.run_job("collect")
    assert len(bot.fake.messages(ALICE)) == before
    today = {"title": "ОДКБ: сегодняшняя новость", "url": "https://news.example/t", "topics": {"csto": ["ОДКБ"]}}
    seed_items(bot.sessions, [today])
    await bot.run_job("collect")
    (alert,) = bot.fake.messages(ALICE)[before:]  # what is new does arrive
    assert "сегодняшняя новость" in alert.plain_text and "вчерашняя" not in alert.plain_text


async def test_alerts_go_out_when_linking_to_analyses_fails(bot):
    from feeds.analyses.linking import WATERMARK
    from storage.meta import set_meta

    await bot.say(ALICE, ALICE, "/settings instant")
    await bot.say(ALICE, ALICE, "/subscribe csto")
    with bot.sessions.begin() as session:
        set_meta(session, WATERMARK, "not a number")  # the linking stage raises on it
    before = len(bot.fake.messages(ALICE))
    seed_items(bot.sessions, [{"title": "ОДКБ: учения", "url": "https://news.example/l", "topics": {"csto": ["ОДКБ"]}}])
    await bot.run_job("collect")
    (alert,) = bot.fake.messages(ALICE)[before:]
    assert "ОДКБ: учения" in alert.plain_text
