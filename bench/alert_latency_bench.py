"""Time to alert: from an item appearing at a loopback feed server to its alert in the outbox.

Pushed: a local WebSub hub delivers the feed as soon as the item appears; the time runs until the
alert row is committed (hub POST -> callback -> signature -> parse in a worker -> match -> store ->
alert), measured end to end, `--trials` times: on an idle Dozor, then while `--load` other feeds,
each bringing 50 new items a poll, are collected back to back.

Polled: the wait for the next poll cannot be measured in real time (minutes to hours), so it is
simulated with Dozor's own schedule (storage.sources.adapted_interval, 5 min .. 6 h, a tick every
DOZOR_TICK_SECONDS) over 30 days of Poisson publishing at several rates; to each wait a real poll's
processing time is added (tick -> fetch -> parse -> match -> store -> alert), measured on the same
loopback server.

Run: .venv/bin/python bench/alert_latency_bench.py
"""
from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bench.collect_bench import make_feed  # noqa: E402
from bot.collecting import delivery_stages  # noqa: E402
from bot.roles import Roles  # noqa: E402
from feeds.collector import Collector  # noqa: E402
from feeds.fetch import FetchPolicy  # noqa: E402
from feeds.sources.bootstrap import open_database  # noqa: E402
from feeds.websub.callback import CallbackServer  # noqa: E402
from feeds.websub.receiver import Receiver  # noqa: E402
from feeds.websub.subscriber import Subscriber  # noqa: E402
from storage import chats as chat_store  # noqa: E402
from storage import sources as source_store  # noqa: E402
from storage.models import Outbox  # noqa: E402
from storage.sources import MAX_INTERVAL, MIN_INTERVAL, adapted_interval  # noqa: E402
from tests.feedserver import FeedServer  # noqa: E402
from tests.websub_hub import LocalHub  # noqa: E402

TICK_SECONDS = 60
START_INTERVAL = 900
SIMULATED_DAYS = 30
RATES_PER_DAY = (144, 24, 4)  # a busy outlet (one item every 10 min), an hourly one, a quiet one


def feed(hub: str, topic: str, items: list[str]) -> bytes:
    """An Atom feed naming its hub, newest items last; each title carries its marker."""
    entries = "".join(
        f"<entry><id>urn:bench:{marker}</id><title>Учения ОДКБ: сводка {marker}</title>"
        f'<link href="https://news.example/{marker}"/><updated>2024-05-02T10:00:00Z</updated>'
        f"<summary>Колонна техники ОДКБ прибыла на полигон в Казахстане ({marker}).</summary></entry>"
        for marker in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Bench</title>'
        f'<link rel="hub" href="{hub}"/><link rel="self" href="{topic}"/>{entries}</feed>'
    ).encode()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def alerted(sessions, marker: str) -> bool:
    with sessions() as session:
        return session.scalar(select(Outbox.id).where(Outbox.text.contains(marker)).limit(1)) is not None


async def until_alerted(sessions, marker: str, started: float, timeout: float = 60) -> float:
    """Seconds from `started` until an alert naming `marker` is in the outbox."""
    deadline = time.perf_counter() + timeout
    while not await asyncio.to_thread(alerted, sessions, marker):
        if time.perf_counter() > deadline:
            raise TimeoutError(f"no alert for {marker} within {timeout} s")
        await asyncio.sleep(0.005)
    return time.perf_counter() - started


class Bench:
    """One SQLite database with an instant subscriber, a feed server, a hub and Dozor's collector and callback."""

    def __init__(self, tmp: str) -> None:
        self.sessions = open_database(f"sqlite:///{tmp}/bench.sqlite3", seed_sources=False)
        with self.sessions.begin() as s:
            chat = chat_store.ensure_chat(s, 1001, "private", None, "ru")
            chat.mode = "instant"
            chat_store.subscribe(s, chat.id, "csto")
        self.server = FeedServer().start()
        self.hub = LocalHub(lease_seconds=86400).start()
        self.items: list[str] = ["first"]
        # Ticks and pushes hand what they store on to the bot's stages (linking, alerts), as in Dozor.
        stages = delivery_stages(self.sessions, Roles(self.sessions, []))
        self.collector = Collector(self.sessions, FetchPolicy(allow_private_networks=True), after_store=stages)

    @property
    def topic(self) -> str:
        return self.server.url("/bench.atom")

    def publish_item(self, marker: str) -> bytes:
        """The item appears at the feed server; the document now served."""
        self.items.append(marker)
        body = feed(self.hub.url, self.topic, self.items[-20:])
        self.server.add_file("/bench.atom", body, content_type="application/atom+xml")
        return body

    async def start(self) -> None:
        self.publish_item("start")
        with self.sessions.begin() as s:
            source_store.add_source(s, self.topic, "Bench")
        first = await self.collector.tick(everything=True)  # the backlog, and the hub it names
        if first.ok != 1:
            raise RuntimeError(f"the first poll of the bench feed failed: {first.line()}")
        await self.collector.start_push_parser()  # as bot.websub.start does
        self.callback = CallbackServer(Receiver(self.sessions, self.collector.push), "/websub")
        port = await self.callback.start("127.0.0.1", 0)
        subscriber = Subscriber(self.sessions, self.collector.fetcher, f"http://127.0.0.1:{port}/websub")
        if await subscriber.run_once() != 1 or not self.hub.requests:
            raise RuntimeError("Dozor did not ask the local hub to subscribe")
        await asyncio.to_thread(self.hub.requests[-1].verified.wait, 30)
        if not self.hub.subscribers(self.topic):
            raise RuntimeError("the local hub did not verify the subscription")

    async def pushed_latency(self, marker: str) -> float:
        body = self.publish_item(marker)
        started = time.perf_counter()
        delivery = asyncio.create_task(asyncio.to_thread(self.hub.publish, self.topic, body))
        latency = await until_alerted(self.sessions, marker, started)
        await delivery
        return latency

    async def add_load(self, feeds: int) -> None:
        """Other sources whose every poll brings 50 new items, collected over and over while items are pushed."""
        from tests.feedserver import respond

        polls = iter(range(10**9))

        def changing(request, n: int) -> None:
            body = make_feed(n, random.Random(n)).replace(b"<guid>outlet", f"<guid>p{next(polls)}-outlet".encode())
            respond(request, 200, body, {"Content-Type": "application/rss+xml; charset=utf-8"})

        with self.sessions.begin() as s:
            for n in range(feeds):
                self.server.add_handler(f"/load/{n}.xml", lambda request, n=n: changing(request, n))
                source_store.add_source(s, self.server.url(f"/load/{n}.xml"), f"load{n}")

    async def keep_collecting(self, stop: asyncio.Event) -> int:
        """Ticks of every source, back to back, until `stop`; how many items they stored."""
        stored = 0
        while not stop.is_set():
            stored += (await self.collector.tick(everything=True)).new_items
        return stored

    async def poll_latency(self, marker: str) -> float:
        """A poll right after the item appears: the processing a polled item waits for besides the schedule."""
        self.publish_item(marker)
        started = time.perf_counter()
        await self.collector.tick(everything=True)
        return await until_alerted(self.sessions, marker, started)

    async def close(self) -> None:
        await self.callback.stop()
        await self.collector.aclose()
        self.hub.close()
        self.server.close()


def simulated_waits(rate_per_day: float, rng: random.Random) -> list[float]:
    """Seconds each item waits for the poll that finds it, under Dozor's adaptive schedule and ticks."""
    horizon = SIMULATED_DAYS * 86400
    published, moment = [], 0.0
    while moment < horizon:
        moment += rng.expovariate(rate_per_day / 86400)
        published.append(moment)
    waits, interval, poll, index = [], START_INTERVAL, rng.uniform(0, TICK_SECONDS), 0
    while index < len(published) and poll < horizon + MAX_INTERVAL:
        found = 0
        while index < len(published) and published[index] <= poll:
            waits.append(poll - published[index])
            index, found = index + 1, found + 1
        interval = adapted_interval(interval, found)
        due = poll + interval
        poll = (int(due // TICK_SECONDS) + 1) * TICK_SECONDS  # claimed by the first tick after it is due
    return waits


async def run(trials: int, load: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bench = Bench(tmp)
        try:
            await bench.start()
            pushed, polled = [], []
            for n in range(trials):
                pushed.append(await bench.pushed_latency(f"push-{n}"))
                await asyncio.sleep(random.uniform(0.05, 0.3))
            for n in range(trials):
                polled.append(await bench.poll_latency(f"poll-{n}"))
            loaded, stored = [], 0
            if load:
                await bench.add_load(load)
                stop = asyncio.Event()
                collecting = asyncio.create_task(bench.keep_collecting(stop))
                for n in range(trials):
                    await asyncio.sleep(random.uniform(0.2, 1.0))
                    loaded.append(await bench.pushed_latency(f"loaded-{n}"))
                stop.set()
                stored = await collecting
        finally:
            await bench.close()
    print(f"pushed (WebSub), {trials} items, end to end: p50 {percentile(pushed, 0.5):.3f} s, "
          f"p95 {percentile(pushed, 0.95):.3f} s, max {max(pushed):.3f} s (target p95 < 5 s)")
    if loaded:
        print(f"pushed while {load} other feeds are collected back to back ({stored:,} items stored meanwhile): "
              f"p50 {percentile(loaded, 0.5):.3f} s, p95 {percentile(loaded, 0.95):.3f} s, max {max(loaded):.3f} s")
    print(f"a poll's own processing (tick -> alert), {trials} polls: p50 {percentile(polled, 0.5):.3f} s, "
          f"p95 {percentile(polled, 0.95):.3f} s")
    rng, sampling = random.Random(2024), random.Random(7)
    print(f"polled at the adaptive interval ({MIN_INTERVAL // 60} min .. {MAX_INTERVAL // 3600} h, tick {TICK_SECONDS} s), "
          f"{SIMULATED_DAYS} days simulated:")
    for rate in RATES_PER_DAY:
        waits = simulated_waits(rate, rng)
        totals = [wait + sampling.choice(polled) for wait in waits]
        print(f"  {rate:>4} items/day: {len(totals)} items, p50 {percentile(totals, 0.5) / 60:.1f} min, "
              f"p95 {percentile(totals, 0.95) / 60:.1f} min, mean {statistics.fmean(totals) / 60:.1f} min")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=50, help="pushed items and polls to time")
    parser.add_argument("--load", type=int, default=100, help="other feeds collected while items are pushed (0: none)")
    args = parser.parse_args()
    asyncio.run(run(args.trials, args.load))


if __name__ == "__main__":
    main()
