"""Collector benchmark: 200 loopback feeds of 50 multilingual items, cold and unchanged, against bare feedparser.

Run: .venv/bin/python bench/collect_bench.py
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from pathlib import Path

import feedparser

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feeds.collector import Collector  # noqa: E402
from feeds.fetch import FetchPolicy  # noqa: E402
from feeds.sources.bootstrap import open_database  # noqa: E402
from storage import sources as source_store  # noqa: E402

FEEDS, ITEMS = 200, 50
SENTENCES = [
    "Президент Казахстана Касым-Жомарт Токаев обратился к ОДКБ с просьбой о помощи.",
    "Миротворческие силы ОДКБ начали выводить контингент из Алматы.",
    "В Жанаозене возобновились протесты против роста цен на сжиженный газ.",
    "Президент Казахстану Токаєв заявив про завершення миротворчої операції ОДКБ.",
    "Қазақстан Республикасының Президенті Қасым-Жомарт Тоқаев халыққа үндеу жасады.",
    "Алматыда интернет байланысы қалпына келтірілді.",
    "Kazakhstan's government resigned after protests over fuel prices spread to Almaty.",
    "CSTO peacekeepers began withdrawing from Kazakhstan on January 13.",
    "Центробанк сохранил ключевую ставку, сообщает пресс-служба регулятора.",
    "Синоптики обещают снегопад и гололед на дорогах в выходные дни.",
    "Верховна Рада ухвалила законопроєкт про державний бюджет у першому читанні.",
    "The city council approved a new budget for public transport and schools.",
    "На фондовом рынке выросли акции энергетических компаний после новостей о нефти.",
    "Ученые представили результаты исследования климата в Центральной Азии.",
]


def make_feed(n: int, rng: random.Random) -> bytes:
    """One RSS document of 50 items with news-like text in ru, uk, kk and en."""
    start = datetime(2022, 1, 5, tzinfo=timezone.utc)
    items = []
    for i in range(ITEMS):
        title = rng.choice(SENTENCES)[:90]
        text = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(4, 10)))
        date = format_datetime(start + timedelta(minutes=n * ITEMS + i))
        items.append(
            f"<item><title>{escape(title)}</title><link>https://outlet{n}.example/news/{i}?utm_source=rss</link>"
            f"<guid>outlet{n}-{i}</guid><pubDate>{date}</pubDate>"
            f"<description><![CDATA[<p>{escape(text)}</p><p><a href='/x'>Подробнее</a></p>]]></description></item>"
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Outlet {n}</title>'
        f"<link>https://outlet{n}.example/</link>{''.join(items)}</channel></rss>"
    ).encode()


def serve(bodies: list[bytes], hosts: int, url_queue) -> None:
    """Serve the feeds from a separate process: even ones with validators (304), odd ones without."""
    from tests.feedserver import FeedServer, respond

    # Loopback addresses 127.0.0.1 .. 127.0.0.N: with N > 1 the per-host limit of 2 stops serializing the fetches.
    servers = [FeedServer(f"127.0.0.{h + 1}").start() for h in range(hosts)]
    urls = []
    for n, body in enumerate(bodies):
        server = servers[n % hosts]
        if n % 2 == 0:
            server.add_file(f"/feed/{n}.xml", body)
        else:
            server.add_handler(f"/feed/{n}.xml", lambda r, b=body: respond(r, 200, b, {"Content-Type": "application/rss+xml"}))
        urls.append(server.url(f"/feed/{n}.xml"))
    url_queue.put(urls)
    while True:
        time.sleep(3600)


def bare_parse(bodies: list[bytes]) -> float:
    started = time.perf_counter()
    for body in bodies:
        feedparser.parse(body, response_headers={"content-type": "application/rss+xml; charset=utf-8"})
    return time.perf_counter() - started


def peak_rss_mb(pid: int) -> float:
    """A live process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def collect(sessions):
    collector = Collector(sessions, FetchPolicy(allow_private_networks=True, global_limit=32))
    try:
        # Start every worker before timing, as a running collector has them: each starts with its first body.
        warm_up = make_feed(0, random.Random(0))
        now = datetime.now(timezone.utc)
        pool = collector.pool
        await asyncio.gather(*(pool.parse(warm_up, {}, kind="rss", url="http://x/", fetched_at=now) for _ in range(pool.workers)))
        gc.freeze()  # as bot.cli.common.collector() does once `dozor run` has started
        started = time.perf_counter()
        cold = await collector.tick(everything=True)
        cold_time = time.perf_counter() - started
        started = time.perf_counter()
        warm = await collector.tick(everything=True)
        warm_time = time.perf_counter() - started
        workers = [peak_rss_mb(pid) for pid in collector.pool.worker_pids()]
        return cold_time, cold, warm_time, warm, workers
    finally:
        await collector.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=1, help="loopback hosts to spread the feeds over (1-200)")
    hosts = parser.parse_args().hosts
    rng = random.Random(2022)
    bodies = [make_feed(n, rng) for n in range(FEEDS)]
    mb = sum(map(len, bodies)) / 1e6
    queue = multiprocessing.get_context("spawn").Queue()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(bodies, hosts, queue), daemon=True)
    server.start()
    urls = queue.get(timeout=30)
    with tempfile.TemporaryDirectory() as tmp:
        sessions = open_database(f"sqlite:///{tmp}/bench.sqlite3", seed_sources=False)
        with sessions.begin() as s:
            for n, url in enumerate(urls):
                source_store.add_source(s, url, f"outlet{n}")
        bare = bare_parse(bodies)
        cold_time, cold, warm_time, warm, workers = asyncio.run(collect(sessions))
    server.terminate()
    items = FEEDS * ITEMS
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"feeds: {FEEDS} x {ITEMS} items, {mb:.1f} MB of XML, on {hosts} loopback host(s)")
    print(f"bare feedparser.parse (one core, in-process): {bare:.2f} s, {items / bare:,.0f} items/s")
    print(f"cold collect: {cold_time:.2f} s, {items / cold_time:,.0f} items/s, ratio to bare parse {cold_time / bare:.2f}x (target <= 1.5x)")
    print(f"  {cold.line()}")
    print(f"unchanged collect: {warm_time:.3f} s, {cold_time / warm_time:.0f}x faster than cold (target >= 20x)")
    print(f"  {warm.line()}")
    print(
        f"peak RSS: collector process {own:.0f} MB (target <= 200 MB); "
        f"parser workers {', '.join(f'{w:.0f}' for w in workers)} MB (total {own + sum(workers):.0f} MB)"
    )


if __name__ == "__main__":
    main()
