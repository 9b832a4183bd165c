"""Channel posts keep their content: media said and linked, long posts excerpted, the channel's own title, /item whole."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from storage import sources as source_store
from storage.models import Item, utcnow
from tests.botharness import seed_items
from tests.telegram_pages import Channel

ALICE = 1001
BODY = " ".join(f"Слово{n} о ходе учений ОДКБ в регионе." for n in range(150))  # about 5,300 characters


def now() -> datetime:
    return datetime.now(timezone.utc)


async def collect_now(bot) -> None:
    with bot.sessions.begin() as session:
        source_store.mark_all_due(session, utcnow())
    await bot.run_job("collect")


async def test_channel_posts_are_alerted_with_their_media_text_and_channel_title(bot, feed_server):
    channel = Channel()
    feed_server.add_handler(channel.path, channel.serve)
    channel.publish(3, now() - timedelta(hours=3), timedelta(hours=1), text="Старый пост {id}")
    with bot.sessions.begin() as session:
        source_store.add_source(session, feed_server.url(channel.path), channel.name, "telegram")
    await bot.run_job("collect")  # the channel's history: backlog, never alerted
    await bot.say(ALICE, ALICE, "/settings instant", language_code="ru")
    await bot.say(ALICE, ALICE, "/subscribe csto", language_code="ru")
    before = len(bot.fake.messages(ALICE))
    album = channel.publish_album("ОДКБ: колонна техники на марше", now() - timedelta(minutes=10))
    (long_post,) = channel.publish(1, now() - timedelta(minutes=5), timedelta(minutes=1),
                                   text="ОДКБ: главное за утро\n" + BODY)
    await collect_now(bot)
    photo, long_alert = bot.fake.messages(ALICE)[before:]

    assert "Военное обозрение" in photo.plain_text and "topwar_official" not in photo.plain_text
    assert "📷 фото, 🎬 видео (альбом, постов: 3): смотреть пост" in photo.plain_text
    links = [e["url"] for e in photo.entities if e["type"] == "text_link"]
    assert f"https://t.me/{channel.name}/{album}" in links

    text = long_alert.plain_text
    assert "ОДКБ: главное за утро" in text and "Слово0 о ходе учений" in text and "Слово40" not in text
    assert text.rstrip().endswith("читать полностью") and 500 < len(text) < 1500
    assert long_alert.entities[-1]["url"] == f"https://t.me/{channel.name}/{long_post}"

    with bot.sessions() as session:
        item_id = session.scalar(select(Item.id).where(Item.url.like(f"%/{long_post}")))
    message = bot.fake.user_message(ALICE, ALICE, f"/item {item_id}", language_code="ru")
    parts = await bot.fake.wait_for_messages(ALICE, 2, after=message["message_id"])
    whole = "".join("".join(p.plain_text.split()) for p in parts)
    assert "".join(BODY.split()) in whole and "обрезан" not in whole


async def test_item_says_where_a_text_too_long_to_show_goes_on(bot):
    text = " ".join(f"Абзац {n}: ОДКБ и Казахстан." for n in range(900))  # about 24,000 characters
    (item_id,) = seed_items(bot.sessions, [{"title": "Длинный доклад", "url": "https://news.example/long",
                                            "text": text, "topics": {"csto": ["ОДКБ"]}}])
    message = bot.fake.user_message(ALICE, ALICE, f"/item {item_id}", language_code="uk")
    await bot.fake.wait_for(lambda: any("Повністю" in m.plain_text for m in bot.fake.messages(ALICE)), what="the note")
    parts = bot.fake.messages(ALICE, after=message["message_id"])
    note = parts[-1].plain_text
    assert f"з {len(text)} символів" in note and "https://news.example/long" in note
    assert all(len(p.plain_text) <= 4096 for p in parts) and "Абзац 500:" in "".join(p.plain_text for p in parts)
