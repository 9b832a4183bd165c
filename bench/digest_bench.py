"""Digest composition benchmark: N subscribers of two topics, 50 matched items, every digest due at once.

Reports the time to compose all digests and write them to the outbox (target <= 10 s for 10,000) and peak RSS.
Run: .venv/bin/python bench/digest_bench.py [--chats 10000]
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from bot.delivery.outbox_writer import OutboxWriter  # noqa: E402
from feeds.sources.bootstrap import open_database  # noqa: E402
from storage import items as item_store  # noqa: E402
from storage import sources as source_store  # noqa: E402
from storage.items import NewItem  # noqa: E402
from storage.models import Chat, Outbox, Subscription  # noqa: E402

TITLES = [
    "Миротворческие силы ОДКБ начали выводить контингент из Алматы",
    "Президент Казахстана Токаев обратился к ОДКБ с просьбой о помощи",
    "CSTO peacekeepers began withdrawing from Kazakhstan on January 13",
    "Токаєв заявив про завершення миротворчої операції ОДКБ",
    "Қазақстан Президенті Тоқаев халыққа үндеу жасады",
]


def seed(sessions, chats: int, since: datetime, distinct: bool = False) -> None:
    """50 matched items across two topics, and `chats` daily subscribers of both, all due."""
    with sessions.begin() as session:
        source = source_store.add_source(session, "https://outlet.example/rss", "Outlet").id
        items = [
            NewItem(
                dedup_key=f"k{n}",
                title=f"{TITLES[n % len(TITLES)]} ({n})",
                text="",
                published_at=since + timedelta(minutes=n),
                url=f"https://outlet.example/news/{n}",
                canonical_url=f"https://outlet.example/news/{n}",
                matches={("csto" if n % 2 else "kazakhstan"): [{"term": "ОДКБ" if n % 2 else "Казахстан"}]},
            )
            for n in range(50)
        ]
        item_store.store_items(session, source, items)
        rows = [
            {"chat_id": 10_000_000 + n, "kind": "private", "language": ("ru", "uk", "en")[n % 3], "mode": "daily",
             "daily_at": "00:00", "timezone": ("Asia/Almaty", "Europe/Kyiv", "UTC")[n % 3], "active": True,
             "alerted_through": 0, "created_at": since}
            for n in range(chats)
        ]
        session.execute(insert(Chat), rows)
        ids = session.scalars(select(Chat.id).order_by(Chat.id)).all()
        session.execute(insert(Subscription), [
            {"chat_pk": i, "topic_id": t, "created_at": since, "silent": False,
             "digest_since": since + timedelta(seconds=n if distinct else 0)}
            for n, i in enumerate(ids) for t in ("csto", "kazakhstan")
        ])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--distinct", action="store_true", help="every chat's period differs: nothing is shared")
    args = parser.parse_args()
    since = datetime.now(timezone.utc) - timedelta(days=2)
    with tempfile.TemporaryDirectory() as tmp:
        sessions = open_database(f"sqlite:///{tmp}/digest.sqlite3", seed_sources=False)
        seed(sessions, args.chats, since, args.distinct)
        started = time.perf_counter()
        composed = OutboxWriter(sessions).scheduled_digests(datetime.now(timezone.utc))
        elapsed = time.perf_counter() - started
        with sessions() as session:
            messages = session.scalar(select(func.count()).select_from(Outbox))
            longest = session.scalar(select(func.max(func.length(Outbox.text))))
    shared = "each chat's period distinct, nothing shared" if args.distinct else "3 time zones/languages, same period"
    print(f"subscribers: {args.chats}, 50 items across 2 topics, daily digests all due ({shared})")
    print(f"composed and queued {composed} digests ({messages} messages, longest {longest} chars) in {elapsed:.2f} s "
          f"({composed / elapsed:,.0f} digests/s; target <= 10 s for 10,000)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
