"""Telling people about edits and deletions: change alerts opted into per topic, /history, /item, /search is:, /feed."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from storage import chats as chat_store
from storage import sources as source_store
from storage.models import Chat, Item, Source
from storage.versions import Seen, record_deletion, revise
from tests.botharness import dozor_bot, seed_items
from tests.telegram_pages import Channel

ALICE, BOB, ADMIN = 1001, 1002, 9001


@pytest.fixture
async def bot(fake_telegram, database_url, parse_pool):
    async with dozor_bot(fake_telegram, database_url, parse_pool, admin_ids=[ADMIN]) as running:
        yield running


def now() -> datetime:
    return datetime.now(timezone.utc)


async def collect_now(bot) -> None:
    """The collect job, with every source due (as after its interval)."""
    with bot.sessions.begin() as s:
        source_store.mark_all_due(s, now())
    await bot.run_job("collect")


def item_at(bot, url: str) -> Item:
    with bot.sessions() as s:
        return s.scalars(select(Item).where(Item.url == url)).one()


async def test_a_deleted_matched_post_gives_exactly_one_deleted_alert_and_a_flaky_page_none(bot, feed_server):
    channel = Channel()
    channel.publish(30, now() - 30 * timedelta(minutes=10), timedelta(minutes=10), text="ОДКБ: сводка {id}")
    feed_server.add_handler(channel.path, channel.serve)
    with bot.sessions.begin() as s:
        source_store.add_source(s, feed_server.url(channel.path), "Военное обозрение", "telegram")
    await bot.say(ALICE, ALICE, "/subscribe csto")
    (reply,) = await bot.say(ALICE, ALICE, "/settings changes on csto")
    assert "CSTO" in reply.plain_text.split("Edited and deleted items told for:")[1].splitlines()[0]
    await bot.say(BOB, BOB, "/subscribe csto")  # follows the topic, without change alerts
    await bot.run_job("collect")  # the channel's history, stored as backlog: no alert of any kind
    alice_before, bob_before = len(bot.fake.messages(ALICE)), len(bot.fake.messages(BOB))
    channel.flaky = {22}
    channel.publish(1, now(), timedelta(minutes=1))
    await collect_now(bot)
    assert bot.fake.messages(ALICE)[alice_before:] == []  # a post missing from one fetch is no deletion
    assert item_at(bot, "https://t.me/topwar_official/22").deleted_at is None
    channel.delete(22)
    channel.publish(1, now(), timedelta(minutes=1))
    await collect_now(bot)
    await collect_now(bot)
    (alert,) = bot.fake.messages(ALICE)[alice_before:]
    assert alert.plain_text.startswith("🗑 Deleted · Военное обозрение · CSTO")
    assert "ОДКБ: сводка 22" in alert.plain_text and "gone from the channel" in alert.plain_text
    post = item_at(bot, "https://t.me/topwar_official/22")
    assert f"/history_{post.id}" in alert.plain_text
    assert bot.fake.messages(BOB)[bob_before:] == []
    (history,) = await bot.say(ALICE, ALICE, f"/history_{post.id}")
    assert "Version 1" in history.plain_text and "Deleted on" in history.plain_text
    assert "missing from" in history.plain_text
    (found,) = await bot.say(ALICE, ALICE, "/search сводка is:deleted")
    assert "ОДКБ: сводка 22" in found.plain_text and "сводка 21" not in found.plain_text
    (every,) = await bot.say(ALICE, ALICE, "/search is:deleted")  # every deleted item, no word needed
    assert "ОДКБ: сводка 22" in every.plain_text and "сводка 21" not in every.plain_text
    (item,) = await bot.say(ALICE, ALICE, f"/item {post.id}")
    assert "🗑 deleted on" in item.plain_text and "gone from the channel" in item.plain_text
    await collect_now(bot)
    assert len(bot.fake.messages(ALICE)) == alice_before + 5  # the alert, /history, 2 /search, /item: told once


async def test_an_edited_matched_post_gives_one_edited_alert_with_the_words_that_changed(bot, feed_server):
    channel = Channel()
    channel.publish(30, now() - 30 * timedelta(minutes=10), timedelta(minutes=10), text="ОДКБ: сводка {id}")
    feed_server.add_handler(channel.path, channel.serve)
    with bot.sessions.begin() as s:
        source_store.add_source(s, feed_server.url(channel.path), "Военное обозрение", "telegram")
    await bot.say(ALICE, ALICE, "/subscribe csto")
    await bot.say(ALICE, ALICE, "/settings changes on")  # every topic the chat follows
    await bot.run_job("collect")
    before = len(bot.fake.messages(ALICE))
    channel.edit(25, "ОДКБ: сводка 25, <уточнённая> & исправленная")
    await collect_now(bot)
    (alert,) = bot.fake.messages(ALICE)[before:]
    assert alert.plain_text.startswith("✏️ Edited · Военное обозрение · CSTO")
    assert "<b>25, &lt;уточнённая&gt; &amp; исправленная</b>" in alert.text and "<s>25</s>" in alert.text
    post = item_at(bot, "https://t.me/topwar_official/25")
    assert f"/history_{post.id}" in alert.plain_text
    await collect_now(bot)  # the same page again: nothing new to tell
    assert len(bot.fake.messages(ALICE)) == before + 1
    (item,) = await bot.say(ALICE, ALICE, f"/item {post.id}")
    assert "edited once" in item.plain_text


async def test_a_huge_edit_of_long_titles_and_markup_gives_one_valid_alert_within_the_limits(bot):
    title = "Заявление <b>& " + "очень длинный заголовок " * 40
    words = [f"слово{n}" for n in range(3000)]
    edited = [w.upper() if n % 7 == 0 else w for n, w in enumerate(words)]
    (item_id,) = seed_items(bot.sessions, [{
        "title": title, "url": "https://akorda.example/2", "text": " ".join(words) + " " + "x" * 9000,
        "topics": {"kazakhstan": ["Алматы"]},
    }])
    await bot.say(ALICE, ALICE, "/subscribe kazakhstan")
    await bot.say(ALICE, ALICE, "/settings changes on kazakhstan")
    with bot.sessions.begin() as s:
        new_title, new_text = title.replace("Заявление", "Опровержение"), " ".join(edited) + " " + "y" * 9000
        revise(s, [Seen(item_id, new_title, new_text)], now())
    before = len(bot.fake.messages(ALICE))
    await bot.run_job("collect")
    (alert,) = bot.fake.messages(ALICE)[before:]  # accepted by the Bot API: valid HTML, at most 4096 characters
    assert alert.plain_text.startswith("✏️ Edited") and "Title was: Заявление <b>&" in alert.plain_text
    assert alert.text.count("<s>") <= 10 and len(alert.plain_text) <= 4096
    (history,) = await bot.say(ALICE, ALICE, f"/history {item_id}")
    assert history.plain_text.startswith(f"History of #{item_id}: 2 versions")


async def test_an_edit_alert_shows_the_old_and_new_title_and_a_short_diff(bot):
    (item_id,) = seed_items(bot.sessions, [{
        "title": "Токаев: Алматы атаковали 20 тысяч террористов", "url": "https://akorda.example/1",
        "text": "Президент заявил, что 20 000 террористов атаковали Алматы <script>", "topics": {"kazakhstan": ["Алматы"]},
    }])
    await bot.say(ALICE, ALICE, "/subscribe kazakhstan")
    (settings,) = await bot.say(ALICE, ALICE, "/settings")
    assert "Edited and deleted items told for: none" in settings.plain_text
    bot.fake.press_button(ALICE, ALICE, settings.message_id, "set:topic:kazakhstan")
    await bot.fake.wait_for(lambda: "set:tc:kazakhstan:on" in bot.fake.messages(ALICE)[-1].callback_data,
                            what="the topic's menu")
    assert "✏️ Edits and deletions: off" in [b["text"] for b in bot.fake.messages(ALICE)[-1].buttons]
    bot.fake.press_button(ALICE, ALICE, settings.message_id, "set:tc:kazakhstan:on")
    told = "Edited and deleted items told for: Kazakhstan"
    await bot.fake.wait_for(lambda: told in bot.fake.messages(ALICE)[-1].plain_text, what="the settings redrawn")
    assert "✏️ Edits and deletions: on" in [b["text"] for b in bot.fake.messages(ALICE)[-1].buttons]
    with bot.sessions.begin() as s:
        revise(s, [Seen(item_id, "Токаев: Алматы атаковали террористы", "Президент заявил, что террористы атаковали Алматы <script>")], now())
    before = len(bot.fake.messages(ALICE))
    await bot.run_job("collect")
    (alert,) = bot.fake.messages(ALICE)[before:]
    assert alert.plain_text.startswith("✏️ Edited")
    assert "Title was: Токаев: Алматы атаковали 20 тысяч террористов" in alert.plain_text
    assert "now: Токаев: Алматы атаковали террористы" in alert.plain_text
    assert "<s>20 000 террористов</s> <b>террористы</b>" in alert.text and "&lt;script&gt;" in alert.text
    await bot.run_job("collect")
    assert len(bot.fake.messages(ALICE)) == before + 1  # each change is told once
    (item,) = await bot.say(ALICE, ALICE, f"/item {item_id}")
    assert "edited once" in item.plain_text and f"/history_{item_id}" in item.plain_text
    (history,) = await bot.say(ALICE, ALICE, f"/history {item_id}")
    assert "Version 1" in history.plain_text and "Version 2" in history.plain_text
    (found,) = await bot.say(ALICE, ALICE, "/search Алматы is:edited")
    assert "Токаев" in found.plain_text
    (bad,) = await bot.say(ALICE, ALICE, "/search Алматы is:famous")
    assert "is:edited, is:deleted" in bad.plain_text


async def test_change_alerts_are_per_topic_and_start_from_now(bot):
    old, other = seed_items(bot.sessions, [
        {"title": "ОДКБ: старое", "url": "https://a.example/1", "topics": {"csto": ["ОДКБ"]}},
        {"title": "Казахстан: новое", "url": "https://a.example/2", "topics": {"kazakhstan": ["Казахстан"]}},
    ])
    with bot.sessions.begin() as s:
        record_deletion(s, old, "http_404", "HTTP 404", now())  # before the chat asked: not told
    await bot.say(ALICE, ALICE, "/subscribe csto")
    await bot.say(ALICE, ALICE, "/subscribe kazakhstan")
    await bot.say(ALICE, ALICE, "/settings changes on csto")
    with bot.sessions.begin() as s:
        record_deletion(s, other, "http_410", "HTTP 410", now())  # kazakhstan: not asked for
    before = len(bot.fake.messages(ALICE))
    await bot.run_job("collect")
    assert bot.fake.messages(ALICE)[before:] == []
    (refused,) = await bot.say(ALICE, ALICE, "/settings changes on weather")
    assert "do not follow a topic 'weather'" in refused.plain_text
    await bot.say(ALICE, ALICE, "/settings kazakhstan changes on")  # the topic named first, as for its mode
    (shown,) = await bot.say(ALICE, ALICE, "/settings")
    assert "Edited and deleted items told for: CSTO (ОДКБ), Kazakhstan" in shown.plain_text
    await bot.say(ALICE, ALICE, "/settings changes off")  # every followed topic
    (shown,) = await bot.say(ALICE, ALICE, "/settings")
    assert "Edited and deleted items told for: none" in shown.plain_text


async def test_feed_shows_and_sets_the_full_text_mode(bot):
    with bot.sessions.begin() as s:
        source = source_store.add_source(s, "https://outlet.example/rss", "Outlet")
        source.extract_failures, source.extracted = 2, 5
        source.last_extract_error, source.last_extract_at = "extract.too_short: a paywall?", now()
        source_id = source.id
    (details,) = await bot.say(ADMIN, ADMIN, f"/feed {source_id}")
    assert "Full text: auto · extracted 5, failed 2" in details.plain_text
    assert "extract.too_short: a paywall?" in details.plain_text
    (done,) = await bot.say(ADMIN, ADMIN, f"/feed {source_id} fulltext always")
    assert "full text is now always" in done.plain_text
    with bot.sessions() as s:
        assert s.get(Source, source_id).full_text == "always"
    (bad,) = await bot.say(ADMIN, ADMIN, f"/feed {source_id} fulltext sometimes")
    assert "fulltext auto|always|never" in bad.plain_text
    (audit,) = await bot.say(ADMIN, ADMIN, "/audit 1")
    assert "full_text: auto → always" in audit.plain_text


async def test_an_item_whose_link_now_points_elsewhere_is_told_as_an_edit_with_the_new_link(bot, feed_server):
    def rss(link: str) -> bytes:
        return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title><item>'
                f"<title>ОДКБ: учения в Алматы</title><link>{link}</link><guid isPermaLink=\"false\">odkb-1</guid>"
                "<description>Учения ОДКБ начались.</description></item></channel></rss>").encode()

    feed_server.add_file("/rss", rss("https://outlet.example/news/1"))
    with bot.sessions.begin() as s:
        source_store.add_source(s, feed_server.url("/rss"), "Outlet", full_text="never")
    await bot.say(ALICE, ALICE, "/subscribe csto")
    await bot.say(ALICE, ALICE, "/settings changes on csto")
    await bot.run_job("collect")
    before = len(bot.fake.messages(ALICE))
    feed_server.add_file("/rss", rss("https://outlet.example/news/1-corrected"))
    await collect_now(bot)
    (alert,) = bot.fake.messages(ALICE)[before:]
    assert alert.plain_text.startswith("✏️ Edited · Outlet · CSTO")
    assert "Now links to: https://outlet.example/news/1-corrected" in alert.plain_text
    item = item_at(bot, "https://outlet.example/news/1-corrected")
    (history,) = await bot.say(ALICE, ALICE, f"/history_{item.id}")
    assert "Version 2" in history.plain_text
    assert "Now links to: https://outlet.example/news/1-corrected" in history.plain_text


async def test_change_alerts_skip_a_muted_source_and_a_paused_chat(bot):
    (quiet,) = seed_items(bot.sessions, [{"title": "ОДКБ: заявление", "url": "https://noisy.example/1",
                                          "topics": {"csto": ["ОДКБ"]}}], source="Noisy")
    (told,) = seed_items(bot.sessions, [{"title": "ОДКБ: сводка", "url": "https://azattyk.example/1",
                                         "topics": {"csto": ["ОДКБ"]}}])
    await bot.say(ALICE, ALICE, "/subscribe csto")
    await bot.say(ALICE, ALICE, "/settings changes on csto")
    with bot.sessions.begin() as s:
        noisy = next(source for source, _ in source_store.list_sources(s) if source.name == "Noisy")
        chat = s.scalars(select(Chat).where(Chat.chat_id == ALICE)).one()
        chat_store.mute_source(s, chat.id, noisy.id)
        record_deletion(s, quiet, "http_404", "HTTP 404", now())
        record_deletion(s, told, "http_410", "HTTP 410", now())
    before = len(bot.fake.messages(ALICE))
    await bot.run_job("collect")
    (alert,) = bot.fake.messages(ALICE)[before:]  # only the item a source the chat did not mute carries
    assert "ОДКБ: сводка" in alert.plain_text
    await bot.say(ALICE, ALICE, "/pause")
    with bot.sessions.begin() as s:
        revise(s, [Seen(told, "ОДКБ: сводка, исправленная", "")], now())
    before = len(bot.fake.messages(ALICE))
    await bot.run_job("collect")
    assert bot.fake.messages(ALICE)[before:] == []  # paused: nothing, and nothing held back for later
    await bot.say(ALICE, ALICE, "/resume")
    await bot.run_job("collect")
    assert len(bot.fake.messages(ALICE)) == before + 1  # the /resume reply only
