"""Running the real Dozor Application against the fake Bot API, and seeding what it reports on."""
from __future__ import annotations

from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import count

from bot.app import build_application, running
from bot.collecting import build_collector
from bot.settings import Settings
from feeds.sources.bootstrap import open_database
from feeds.stories.regroup import place_new
from storage import items as item_store
from storage import sources as source_store
from storage.items import NewItem

_keys = count(1)


@dataclass
class RunningBot:
    """The application, its database and the fake Telegram it talks to."""

    application: object
    sessions: object
    fake: object

    @property
    def services(self):
        return self.application.services

    async def say(self, chat_id: int, user_id: int, text: str, *, count: int = 1, **options) -> list:
        """A user writes; wait for `count` replies in that chat and return them."""
        message = self.fake.user_message(chat_id, user_id, text, **options)
        return await self.fake.wait_for_messages(chat_id, count, after=message["message_id"])

    def hold_jobs(self) -> None:
        """Keep the repeating jobs from running on their own (the first collect runs a second after start)."""
        for job in self.application.job_queue.jobs():
            job.enabled = False

    async def run_job(self, name: str) -> None:
        """Run one of the repeating jobs now."""
        (job,) = self.application.job_queue.get_jobs_by_name(name)
        await job.run(self.application)
        await self.services.sender.drain()


@asynccontextmanager
async def dozor_bot(fake, database_url: str, parse_pool, **settings):
    """The real Application, polling the fake, on a fresh database with the default topics."""
    config = Settings(
        bot_token=fake.token,
        telegram_base_url=fake.base_url,
        database_url=database_url,
        default_feeds=False,
        allow_private_networks=True,
        tick_seconds=3600,
        **settings,
    )
    sessions = open_database(database_url, seed_sources=False)
    collector = build_collector(config, sessions, pool=parse_pool)
    application = build_application(config, sessions, collector)
    try:
        async with running(application):
            yield RunningBot(application, sessions, fake)
    finally:
        sessions.kw["bind"].dispose()


def seed_items(sessions, items: list[dict], source: str = "Azattyk", backlog: bool = False) -> list[int]:
    """Store items as the collector would (matched and placed into stories): dicts with title, url (raw_url if the
    feed's link differs), topics, published, lang."""
    with sessions.begin() as session:
        existing = [s for s, _ in source_store.list_sources(session) if s.name == source]
        source_id = existing[0].id if existing else source_store.add_source(session, f"https://{source.lower()}.example/rss", source).id
        rows = [
            NewItem(
                dedup_key=f"seed-{next(_keys)}",
                title=item["title"],
                text=item.get("text", ""),
                published_at=item.get("published", datetime.now(timezone.utc)),
                url=item.get("raw_url", item.get("url")),
                canonical_url=item.get("url"),
                lang=item.get("lang", "ru"),
                backlog=backlog,
                matches={topic: [{"term": term} for term in terms] for topic, terms in item.get("topics", {}).items()},
            )
            for item in items
        ]
        ids = item_store.store_items(session, source_id, rows)
        place_new(session, ids)
        return ids
