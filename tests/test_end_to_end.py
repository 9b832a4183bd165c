"""One real feed from the HTTP server to what subscribers receive: fetch, parse, match, store, link,
alert and digest, through the bot's own jobs and the fake Bot API, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from storage import sources as source_store
from storage.models import Chat, Subscription, utcnow
from tests.botharness import dozor_bot
from tests.conftest import MEDUZA, feed_before

ADMIN, ALICE, BOB = 5001, 5002, 5003
RESIGNS = "Президент Киргизии ушел в отставку"
MAIN_POINTS = "Президент Киргизии ушел в отставку из-за массовых протестов. Главное"
CITED_URL = "https://meduza.io/news/2020/10/15/prezident-kirgizii-ushel-v-otstavku"


async def test_a_real_feed_reaches_an_instant_alert_and_a_daily_digest(
    fake_telegram, database_url, parse_pool, feed_server
):
    feed_server.add_file("/meduza.xml", feed_before(MEDUZA, newest=12))  # Kyrgyzstan's news is still to come
    # The captured feed is from October 2020, replayed as news: nothing in it counts as late (an old item newly seen).
    async with dozor_bot(fake_telegram, database_url, parse_pool, admin_ids=[ADMIN], late_after_days=10_000) as bot:
        bot.hold_jobs()  # the test runs them, so that each step sees the previous one finished
        await bot.say(ADMIN, ADMIN, "/addtopic kyrgyzstan Kyrgyzstan")
        await bot.say(ADMIN, ADMIN, "/addkw kyrgyzstan Киргизия OR Кыргызстан OR Бишкек OR Жээнбеков")
        with bot.sessions.begin() as session:
            source_store.add_source(session, feed_server.url("/meduza.xml"), "Meduza")
        for user in (ALICE, BOB):
            await bot.say(user, user, "/subscribe kyrgyzstan")
        await bot.say(ALICE, ALICE, "/settings instant")
        await bot.say(BOB, BOB, "/settings daily 00:00")
        seen = {user: len(bot.fake.messages(user)) for user in (ALICE, BOB)}

        await bot.run_job("collect")  # the source's first fetch: 18 items of backlog, alerted to nobody
        assert {user: len(bot.fake.messages(user)) for user in (ALICE, BOB)} == seen
        analysis = f"Кризис в Киргизии\nРазбор событий в Бишкеке.\n[1] {CITED_URL}"
        (added,) = await bot.say(ADMIN, ADMIN, f"/addanalysis https://analytics.example/kg 2020-10-16 {analysis}")
        assert added.plain_text.startswith("Analysis 1 added") and "0 of them stored items" in added.plain_text

        feed_server.add_file("/meduza.xml", MEDUZA.read_bytes())  # twelve new items, two about Kyrgyzstan
        with bot.sessions.begin() as session:
            source_store.mark_all_due(session, utcnow())
        await bot.run_job("collect")
        # Both items tell one story (the resignation): one alert shows it once, under its newest headline,
        # with the analysis that cites its first report.
        (alert,) = bot.fake.messages(ALICE)[seen[ALICE]:]
        assert len(bot.fake.messages(BOB)) == seen[BOB]
        assert alert.plain_text.startswith("New on Kyrgyzstan") and MAIN_POINTS + "\n" in alert.plain_text
        assert "Meduza · 15.10.2020 11:27 · Киргизия, Жээнбеков" in alert.plain_text
        assert "📚 Analysis: Кризис в Киргизии" in alert.plain_text  # linked by the tick before it alerted
        assert "https://analytics.example/kg" in [e.get("url") for e in alert.entities]

        with bot.sessions.begin() as session:  # a day passes for Bob
            bob = select(Chat.id).where(Chat.chat_id == BOB).scalar_subquery()
            session.execute(update(Subscription).where(Subscription.chat_pk == bob).values(digest_since=utcnow() - timedelta(days=1)))
        await bot.run_job("digests")
        (digest,) = bot.fake.messages(BOB)[seen[BOB]:]
        assert MAIN_POINTS + "\n" in digest.plain_text and RESIGNS + "\n" not in digest.plain_text  # one story, once
        assert "Kyrgyzstan" in digest.plain_text and "Собянин" not in digest.plain_text
        assert len(bot.fake.messages(ALICE)) == seen[ALICE] + 1  # an instant subscriber gets no digest
