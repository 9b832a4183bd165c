"""Big-item benchmark: one feed whose only item is ~10 MB repeating a topic word, through a real collect.

Prints the collector process's peak RSS, the parser worker's peak RSS and how much the database grew.
Targets: collector under 400 MB peak, database growth of at most a few MB.

Run: .venv/bin/python bench/big_item_bench.py [--mb 9.5]
"""
from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feeds.sources.bootstrap import open_database  # noqa: E402
from feeds.collector import Collector  # noqa: E402
from feeds.fetch import FetchPolicy  # noqa: E402
from storage import sources as source_store  # noqa: E402

WORD = "ОДКБ "  # a term of the default "csto" topic


def make_feed(megabytes: float) -> bytes:
    """An RSS document with one item whose title and description repeat WORD to the given size."""
    repeats = int(megabytes * 1e6 / len(WORD.encode()) / 2)
    text = WORD * repeats
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Big</title>'
        f"<item><title>{text}</title><link>https://big.example/1</link><guid>big-1</guid>"
        f"<description>{text}</description></item></channel></rss>"
    ).encode()


def serve(megabytes: float, url_queue) -> None:
    """Serve the feed from a separate process, so its memory is not counted as the collector's."""
    from tests.feedserver import FeedServer

    server = FeedServer().start()
    body = make_feed(megabytes)
    server.add_file("/big.xml", body)
    url_queue.put((server.url("/big.xml"), len(body)))
    while True:
        time.sleep(3600)


def peak_rss_mb(pid: int) -> float:
    """A live process's peak resident memory (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def database_bytes(folder: Path) -> int:
    """The SQLite database's size on disk, write-ahead log included."""
    return sum(path.stat().st_size for path in folder.glob("bench.sqlite3*"))


async def collect(sessions):
    collector = Collector(sessions, FetchPolicy(allow_private_networks=True, deadline_seconds=60))
    try:
        started = time.perf_counter()
        summary = await collector.tick(everything=True)
        elapsed = time.perf_counter() - started
        workers = [peak_rss_mb(pid) for pid in collector.pool.worker_pids()]
        return elapsed, summary, workers
    finally:
        await collector.aclose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=9.5, help="size of the feed in MB (the fetcher stops at 10 MiB)")
    megabytes = parser.parse_args().mb
    queue = multiprocessing.get_context("spawn").Queue()
    server = multiprocessing.get_context("spawn").Process(target=serve, args=(megabytes, queue), daemon=True)
    server.start()
    url, size = queue.get(timeout=60)
    with tempfile.TemporaryDirectory() as tmp:
        sessions = open_database(f"sqlite:///{tmp}/bench.sqlite3", seed_sources=False)
        with sessions.begin() as s:
            source_store.add_source(s, url, "big")
        before = database_bytes(Path(tmp))
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        elapsed, summary, workers = asyncio.run(collect(sessions))
        grown = database_bytes(Path(tmp)) - before
    server.terminate()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"feed: one item, {size / 1e6:.1f} MB, repeating {WORD.strip()!r}; collected in {elapsed:.1f} s")
    print(f"  {summary.line()}")
    print(f"peak RSS: collector process {own:.0f} MB (before the collect {baseline:.0f} MB; target < 400 MB)")
    print(f"peak RSS: parser worker(s) {', '.join(f'{w:.0f}' for w in workers) or 'n/a'} MB")
    print(f"database growth: {grown / 1e6:.2f} MB (target: a few MB)")


if __name__ == "__main__":
    main()
