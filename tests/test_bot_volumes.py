"""End to end at a real afternoon's volume: outlets publish dozens of matched items a collect, read, matched and
stored by the real collector, delivered by the real bot to subscribers in four languages, across a restart.

Nobody gets a flood (one message a collect, at most 10 stories a topic), and no item reaches a chat twice.
"""
from __future__ import annotations

import json
import random
import re
import threading
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from pathlib import Path

from sqlalchemy import distinct, func, select

from storage import sources as source_store
from storage.models import Chat, Item, Match, Subscription, utcnow
from tests.botharness import dozor_bot
from tests.feedserver import respond

LABELED = Path(__file__).resolve().parent / "data" / "labeled_items.jsonl"
ALICE, BOB, AIGUL = 1001, 1002, 1003  # ru instant, uk daily, kk (the English catalogue for now) instant
GROUP = -1001234567890  # a supergroup with an hourly digest, en
COLLECTS = 6
PER_COLLECT = 80  # items an outlet pair publishes between two collects, about 55 of them matched


class Outlet:
    """An RSS feed that grows as the test publishes; served fresh on every request."""

    def __init__(self, name: str) -> None:
        self.name, self.entries, self.lock = name, [], threading.Lock()

    def publish(self, rows: list[dict], published: datetime) -> None:
        with self.lock:
            for row in rows:
                n = len(self.entries)
                title = f"{row['title']}: {row['text']}"[:150]
                self.entries.append((f"https://{self.name}.example/news/{n}", title, row["text"], published))

    def serve(self, request) -> None:
        with self.lock:
            items = "".join(
                f"<item><title>{escape(title)}</title><link>{url}</link><guid>{url}</guid>"
                f"<description>{escape(text)}</description><pubDate>{format_datetime(when)}</pubDate></item>"
                for url, title, text, when in reversed(self.entries[-200:])
            )
        body = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{self.name}</title>{items}</channel></rss>'
        respond(request, 200, body.encode(), {"Content-Type": "application/rss+xml; charset=utf-8"})


def linked(messages) -> list[str]:
    """The title links of the stories in these messages (one per story shown; not its "first: ..., then" links)."""
    found = []
    for message in messages:
        text = message.plain_text.encode("utf-16-le")  # entity offsets count UTF-16 code units
        found += [e["url"] for e in message.entities if e["type"] == "text_link" and "/news/" in e["url"]
                  and text[2 * e["offset"] - 4 : 2 * e["offset"]].decode("utf-16-le") == "• "]
    return found


def bullets_per_topic(text: str) -> list[int]:
    """How many stories each topic section shows."""
    sections = re.split(r"\n\n(?=[^\n•]+ \(\d+\)\n)", text)
    return [part.count("\n• ") + part.startswith("• ") for part in sections]


async def collect(bot) -> None:
    with bot.sessions.begin() as session:
        source_store.mark_all_due(session, utcnow())
    await bot.run_job("collect")


async def test_an_afternoon_of_collects_floods_nobody_and_repeats_nothing(fake_telegram, sqlite_url, parse_pool, feed_server):
    rows = [json.loads(line) for line in LABELED.read_text("utf-8").splitlines()]
    random.Random(7).shuffle(rows)  # each collect a mix of languages, topics and unmatched news
    outlets = [Outlet("outlet-a"), Outlet("outlet-b")]
    for outlet in outlets:
        feed_server.add_handler(f"/{outlet.name}.rss", outlet.serve)
    now = datetime.now(timezone.utc)
    received: dict[int, list[str]] = {ALICE: [], AIGUL: []}
    per_collect: list[int] = []

    async with dozor_bot(fake_telegram, sqlite_url, parse_pool) as bot:
        with bot.sessions.begin() as session:
            for outlet in outlets:
                source_store.add_source(session, feed_server.url(f"/{outlet.name}.rss"), outlet.name)
        for outlet in outlets:
            outlet.publish(rows[:5], now - timedelta(hours=5))
        await collect(bot)  # a new source's first fetch is backlog
        for chat, language in ((ALICE, "ru"), (AIGUL, "kk")):
            await bot.say(chat, chat, "/settings instant Asia/Almaty", language_code=language)
            await bot.say(chat, chat, "/subscribe csto", language_code=language)
            await bot.say(chat, chat, "/subscribe kazakhstan", language_code=language)
        await bot.say(BOB, BOB, "/subscribe csto", language_code="uk")
        await bot.say(BOB, BOB, "/subscribe kazakhstan", language_code="uk")
        fake_telegram.set_admins(GROUP, [ALICE])
        await bot.say(GROUP, ALICE, "/subscribe kazakhstan", chat_type="supergroup")
        await bot.say(GROUP, ALICE, "/settings hourly", chat_type="supergroup")

    batches = [rows[5 + n * PER_COLLECT : 5 + (n + 1) * PER_COLLECT] for n in range(COLLECTS)]
    for half in (batches[: COLLECTS // 2], batches[COLLECTS // 2 :]):  # a restart halfway through
        async with dozor_bot(fake_telegram, sqlite_url, parse_pool) as bot:
            for batch in half:
                published = now - timedelta(minutes=10 * (COLLECTS - len(per_collect)))
                outlets[0].publish(batch[: PER_COLLECT // 2], published)
                outlets[1].publish(batch[PER_COLLECT // 2 :], published)
                before = {chat: len(fake_telegram.messages(chat)) for chat in received}
                await collect(bot)
                for chat in received:
                    sent = fake_telegram.messages(chat)[before[chat]:]
                    assert len(sent) <= 2, [m.plain_text[:100] for m in sent]  # one alert, in two parts at most
                    assert all(count <= 10 for m in sent for count in bullets_per_topic(m.plain_text))
                    received[chat] += linked(sent)
                per_collect.append(len(linked(fake_telegram.messages(ALICE)[before[ALICE]:])))

    with bot.sessions() as session:
        matched = session.scalar(select(func.count(distinct(Match.item_id))).join(Item).where(Item.backlog.is_(False)))
    assert matched >= COLLECTS * 40  # dozens of matched items a collect
    assert all(10 <= shown <= 20 for shown in per_collect), per_collect  # ten stories a topic, the rest counted
    for chat, links in received.items():
        assert len(links) == len(set(links)), chat  # no story twice to one chat, across the restart too

    async with dozor_bot(fake_telegram, sqlite_url, parse_pool) as bot:
        (nothing,) = await bot.say(ALICE, ALICE, "/digest", language_code="ru")
        assert nothing.plain_text.startswith("По вашим темам ничего нового")  # the alerts delivered everything
        with bot.sessions.begin() as session:
            for row in session.scalars(select(Subscription)):
                row.digest_since = now - timedelta(hours=3)
            # a daily time passed within those three hours, whatever the time of day the test runs
            session.scalar(select(Chat).where(Chat.chat_id == BOB)).daily_at = (now - timedelta(hours=1)).strftime("%H:%M")
        before = {chat: len(fake_telegram.messages(chat)) for chat in (BOB, GROUP)}
        await bot.run_job("digests")
        for chat in (BOB, GROUP):
            sent = fake_telegram.messages(chat)[before[chat]:]
            assert 1 <= len(sent) <= 2 and all(len(m.plain_text) <= 4096 for m in sent)
            assert all(count <= 10 for m in sent for count in bullets_per_topic(m.plain_text))
            links = linked(sent)
            assert len(links) == len(set(links)) and len(links) <= 20
            assert any(b["text"].startswith("➕") for m in sent for b in m.buttons)  # the rest a button away
        assert fake_telegram.messages(BOB)[before[BOB]].plain_text.startswith("Дайджест Dozor")
