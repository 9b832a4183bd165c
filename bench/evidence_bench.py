"""Evidence benchmark: article extraction speed, the collector's memory with full text on, and the cost of versions.

1. Extraction: real-sized article pages (about 100 KB of HTML, with navigation, ads, counters,
   related links and comments) in ru/uk/kk/en, through feeds.extract in this process and
   through the parser processes.
2. Full text on for 200 loopback feeds of 50 items (their links on the feed's own site, so every
   short item wants its page): a cold collect (new sources: the 10 newest pages each), then a
   poll that brings 5 new items per feed; the collector process's peak RSS (target <= 200 MB).
3. Versions: the unchanged re-poll (304 or the same body, target >= 20x faster than cold) and a
   re-poll whose bodies changed but whose 10,000 items did not, which parses and compares them all.

Run: .venv/bin/python bench/evidence_bench.py [--feeds N] (200 by default, the target's size)
"""
from __future__ import annotations

import argparse
import asyncio
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feeds.collector import Collector  # noqa: E402
from feeds.entry import Entry  # noqa: E402
from feeds.extract import article_text  # noqa: E402
from feeds.fetch import FetchPolicy  # noqa: E402
from feeds.parse_pool import ParsePool  # noqa: E402
from feeds.sources.bootstrap import open_database  # noqa: E402
from storage import sources as source_store  # noqa: E402
from tests.article_pages import PARAGRAPHS, article_page  # noqa: E402

FEEDS, ITEMS, NEW_ITEMS = 200, 50, 5
PAGES = 100
PADDING = 720  # related links that bring a page to about 100 KB, as outlets' pages weigh


def page_for(n: int, i: int) -> bytes:
    """The article page of item i of feed n."""
    lang = sorted(PARAGRAPHS)[(n + i) % len(PARAGRAPHS)]
    paragraphs = [f"{p} ({n}-{i})" for p in PARAGRAPHS[lang]] * 3
    return article_page(f"Материал {n}-{i}", paragraphs, views=n * 100 + i, padding=PADDING)


def feed_for(n: int, base: str, items: int, revision: int) -> bytes:
    """Feed n with its newest `items` items; `revision` changes the body but no item."""
    start = datetime(2022, 1, 5, tzinfo=timezone.utc)
    entries = []
    for i in range(items):
        date = format_datetime(start + timedelta(minutes=n * 100 + i))
        entries.append(
            f"<item><title>Материал {n}-{i}</title><link>{base}/a/{n}/{i}</link><guid>outlet{n}-{i}</guid>"
            f"<pubDate>{date}</pubDate><description>{escape('Коротко: подробности в статье.')}</description></item>"
        )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Outlet {n}</title>'
        f"<lastBuildDate>{revision}</lastBuildDate>{''.join(entries)}</channel></rss>"
    ).encode()


def serve(url_queue, state, feeds: int) -> None:
    """Feeds and article pages from a separate process; `state` holds the item count and body revision."""
    from tests.feedserver import FeedServer, respond

    server = FeedServer().start()
    base = server.url("")

    def feed(request, n):
        respond(request, 200, feed_for(n, base, state["items"], state["revision"]), {"Content-Type": "application/rss+xml"})

    def article(request):
        _, _, n, i = request.path.split("?")[0].split("/")
        respond(request, 200, page_for(int(n), int(i)), {"Content-Type": "text/html; charset=utf-8"})

    for n in range(feeds):
        server.add_handler(f"/feed/{n}.xml", lambda r, n=n: feed(r, n))
        for i in range(ITEMS + NEW_ITEMS):
            server.add_handler(f"/a/{n}/{i}", article)
    url_queue.put([server.url(f"/feed/{n}.xml") for n in range(feeds)])
    while True:
        time.sleep(3600)


def extraction_speed() -> None:
    pages = [page_for(n, 0) for n in range(PAGES)]
    size = sum(map(len, pages)) / len(pages) / 1024
    article_text(pages[0], {}, "http://outlet.example/a")  # trafilatura's first call loads its tables
    started = time.perf_counter()
    for page in pages:
        article_text(page, {"content-type": "text/html; charset=utf-8"}, "http://outlet.example/a")
    inline = (time.perf_counter() - started) / len(pages)
    print(f"extraction: {PAGES} pages of {size:.0f} KB on average: {inline * 1000:.1f} ms a page in one process")

    async def through_pool() -> float:
        pool = ParsePool(deadline_seconds=30)
        entry = Entry("t", "x", datetime.now(timezone.utc), url="http://outlet.example/a")
        try:
            await asyncio.gather(*(pool.extract(pages[0], {}, url=entry.url, entry=entry, rules=()) for _ in range(pool.workers)))
            started = time.perf_counter()
            await asyncio.gather(*(pool.extract(p, {}, url=entry.url, entry=entry, rules=()) for p in pages))
            return time.perf_counter() - started, pool.workers
        finally:
            pool.close()

    took, workers = asyncio.run(through_pool())
    print(f"  through {workers} parser processes (with matching): {PAGES / took:.0f} pages/s, {took / PAGES * 1000:.1f} ms a page")


async def collect(sessions, state):
    collector = Collector(sessions, FetchPolicy(allow_private_networks=True, global_limit=32))
    try:
        now = datetime.now(timezone.utc)
        pool = collector.pool
        warm = page_for(0, 0)
        entry = Entry("t", "x", now, url="http://x/")
        await asyncio.gather(*(pool.extract(warm, {}, url="http://x/", entry=entry, rules=()) for _ in range(pool.workers)))
        timings = {}
        for name, change in (("cold", None), ("new items", "items"), ("unchanged", None), ("changed bodies", "revision")):
            if change == "items":
                state["items"] = ITEMS + NEW_ITEMS
            elif change == "revision":
                state["revision"] += 1
            started = time.perf_counter()
            summary = await collector.tick(everything=True)
            timings[name] = (time.perf_counter() - started, summary)
            print(f"  {name} collect: {timings[name][0]:.2f} s; {summary.line()}", flush=True)
        return timings
    finally:
        await collector.aclose()


def main() -> None:
    global FEEDS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=FEEDS, help="loopback feeds collected with full text on")
    FEEDS = parser.parse_args().feeds
    extraction_speed()
    manager = multiprocessing.get_context("spawn").Manager()
    state = manager.dict(items=ITEMS, revision=0)
    queue = multiprocessing.get_context("spawn").Queue()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(queue, state, FEEDS), daemon=True)
    server.start()
    urls = queue.get(timeout=120)
    print(f"full text on for {FEEDS} feeds x {ITEMS} items, every item short and on the feed's site:", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        sessions = open_database(f"sqlite:///{tmp}/bench.sqlite3", seed_sources=False)
        with sessions.begin() as s:
            for n, url in enumerate(urls):
                source_store.add_source(s, url, f"outlet{n}", full_text="auto")
        timings = asyncio.run(collect(sessions, state))
        with sessions() as s:
            extracted = sum(source.extracted for source, _ in source_store.list_sources(s))
    server.terminate()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cold, _ = timings["cold"]
    print(f"  article pages extracted: {extracted}")
    unchanged, _ = timings["unchanged"]
    changed, _ = timings["changed bodies"]
    print(f"unchanged collect {cold / unchanged:.0f}x faster than cold (target >= 20x)")
    print(f"changed bodies, same {FEEDS * (ITEMS + NEW_ITEMS)} items (parsed and compared): {changed:.2f} s, "
          f"{cold / changed:.1f}x faster than cold")
    print(f"peak RSS of the collector process: {own:.0f} MB (target <= 200 MB)")


if __name__ == "__main__":
    main()
