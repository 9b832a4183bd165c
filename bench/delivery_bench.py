"""Delivery benchmark: one digest for each of N subscribers, sent through the outbox to a fake Bot API
that enforces Telegram's flood limits (30/s overall, 1/s per chat, 20/min per group).

Reports the sustained delivery rate (target >= 27 messages/s), the 429s served (target 0) and peak RSS.
Run: .venv/bin/python bench/delivery_bench.py [--chats 10000]   (10,000 take about 6 minutes)
"""
from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import tempfile
import time
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402
from telegram import Bot  # noqa: E402

from bot.delivery.ratelimit import Limits  # noqa: E402
from bot.delivery.sender import OutboxSender  # noqa: E402
from storage import outbox  # noqa: E402
from storage.db import make_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Chat  # noqa: E402

FIRST_CHAT = 100_000_000
TITLES = [
    "Миротворческие силы ОДКБ начали выводить контингент из Алматы",
    "Президент Казахстана обратился к ОДКБ с просьбой о помощи",
    "CSTO peacekeepers began withdrawing from Kazakhstan on January 13",
    "Токаєв заявив про завершення миротворчої операції ОДКБ",
]


def digest_text(n: int) -> str:
    """A digest message of about 3 KB in the HTML the composer produces: topics, linked titles, sources."""
    lines = []
    for topic in ("ОДКБ / CSTO", "Казахстан"):
        lines.append(f"<b>{escape(topic)}</b>")
        for i in range(9):
            title = escape(TITLES[(n + i) % len(TITLES)])
            url = escape(f"https://outlet{i}.example/news/{n}-{i}?from=rss&id={i}", quote=True)
            lines.append(f'• <a href="{url}">{title}</a> — outlet{i}.example, 09:{i:02d} (<b>ОДКБ</b>)')
        lines.append("")
    return "\n".join(lines)


def serve(queue, results) -> None:
    """Run the fake Bot API in its own process with Telegram's flood limits; report what it saw on request."""
    from tests.fake_telegram import FakeTelegram, FloodLimits

    fake = FakeTelegram().start()
    fake.enforce_flood_limits(FloodLimits())
    queue.put((fake.base_url, fake.token))
    queue.get()  # the benchmark is done
    results.put(([m.sent_at for m in fake.sent], len({m.chat_id for m in fake.sent}), fake.flood_errors_served))
    fake.stop()


def fill_outbox(sessions, chats: int) -> None:
    """N private chats, each with one pending digest."""
    with sessions.begin() as s:
        s.execute(insert(Chat), [{"chat_id": FIRST_CHAT + n, "kind": "private"} for n in range(chats)])
    with sessions.begin() as s:
        for pk, chat_id in s.execute(select(Chat.id, Chat.chat_id)):
            outbox.enqueue(s, pk, f"digest:{chat_id}:2022-01-06", "digest", [digest_text(chat_id)])


async def deliver(sessions, base_url: str, token: str, chats: int) -> float:
    """Drain the outbox with the default limits, printing progress; return the seconds it took."""
    async with Bot(token, base_url=base_url) as bot:
        sender = OutboxSender(bot, sessions, Limits())
        started = time.monotonic()
        task = asyncio.create_task(sender.drain())
        while not task.done():
            await asyncio.wait({task}, timeout=30)
            with sessions() as s:
                left = outbox.pending_count(s)
            elapsed = time.monotonic() - started
            print(f"  {elapsed:5.0f} s: {chats - left} sent, {(chats - left) / elapsed:.1f}/s", flush=True)
        await task
        return time.monotonic() - started


def slowest_window(times: list[float], seconds: float = 10.0) -> float | None:
    """The lowest rate over any `seconds` window between the first and last send (None for a shorter run)."""
    times = sorted(times)
    lowest, j = float("inf"), 0
    for i, start in enumerate(times):
        if start + seconds > times[-1]:
            break
        while times[j] < start + seconds:
            j += 1
        lowest = min(lowest, (j - i) / seconds)
    return None if lowest == float("inf") else lowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000, help="subscribers, one digest each")
    args = parser.parse_args()

    context = multiprocessing.get_context("spawn")
    queue, results = context.Queue(), context.Queue()
    server = context.Process(target=serve, args=(queue, results), daemon=True)
    server.start()
    base_url, token = queue.get(timeout=30)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.sqlite3")
        upgrade(engine)
        sessions = session_factory(engine)
        started = time.perf_counter()
        fill_outbox(sessions, args.chats)
        print(f"outbox filled in {time.perf_counter() - started:.1f} s")
        size = len(digest_text(FIRST_CHAT))
        print(f"{args.chats} subscribers, one digest of {size} characters each; the fake enforces 30/s, 1/s per chat")
        took = asyncio.run(deliver(sessions, base_url, token, args.chats))
        engine.dispose()
    queue.put("done")
    times, chats_reached, floods = results.get(timeout=60)
    server.join(timeout=10)

    rate = (len(times) - 1) / (max(times) - min(times))
    print(f"delivered {len(times)} messages to {chats_reached} chats in {took:.1f} s")
    slowest = slowest_window(times)
    window = "n/a (shorter run)" if slowest is None else f"{slowest:.1f}/s"
    print(f"rate at the fake: {rate:.1f} messages/s on average, {window} in the slowest 10 s (target >= 27)")
    print(f"429 answers: {floods} (target 0)")
    print(f"peak RSS of the sender process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
