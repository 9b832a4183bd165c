"""Stories benchmark: group 100,000 stored items into stories, then place new items one at a time.

Prints the regroup's time and peak RSS (targets: under 60 s and 500 MB on 2 cores), how well the
synthetic events were found again, and the time to place one new item in its own transaction
(target: under 5 ms), on SQLite.
Run: .venv/bin/python bench/stories_bench.py [--items 100000] [--new 300]
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import insert, select  # noqa: E402

from feeds.sources.bootstrap import open_database  # noqa: E402
from feeds.stories import regroup  # noqa: E402
from storage import items as item_store  # noqa: E402
from storage.items import NewItem  # noqa: E402
from storage.models import Item, ItemSource, Source  # noqa: E402
from storage.story_models import StoryMember  # noqa: E402
from synthetic_news import SOURCES, Generator  # noqa: E402

START = datetime(2022, 1, 1, tzinfo=timezone.utc)
PER_DAY = 3300


def seed(sessions, count: int) -> dict[int, int]:
    """Store `count` synthetic items directly (no search index needed here); item id -> event."""
    events: dict[int, int] = {}
    with sessions.begin() as session:
        session.execute(insert(Source), [{"name": n, "url": f"https://{n.lower()}.example/rss", "label": label}
                                         for n, label in SOURCES])
        source_ids = dict(session.execute(select(Source.name, Source.id)).all())
        batch, links = [], []
        for n, item in enumerate(Generator(START, PER_DAY).items(count), 1):
            batch.append({"id": n, "canonical_url": item.url, "url": item.url, "title": item.title, "text": item.text,
                          "published_at": item.published_at, "fetched_at": item.published_at, "lang": item.lang,
                          "backlog": False})
            links.append({"item_id": n, "source_id": source_ids[item.source], "dedup_key": f"k{n}"})
            events[n] = item.event
            if len(batch) == 5000:
                session.execute(insert(Item), batch)
                session.execute(insert(ItemSource), links)
                batch, links = [], []
        if batch:
            session.execute(insert(Item), batch)
            session.execute(insert(ItemSource), links)
    return events


def found_again(sessions, events: dict[int, int]) -> tuple[float, float]:
    """Pair precision and recall of the stories against the generator's events."""
    with sessions() as session:
        story_of = dict(session.execute(select(StoryMember.item_id, StoryMember.story_id)).all())
    by_event: dict[int, list[int]] = {}
    by_story: dict[int, list[int]] = {}
    for item, event in events.items():
        by_event.setdefault(event, []).append(item)
        by_story.setdefault(story_of[item], []).append(item)
    same_event = sum(len(v) * (len(v) - 1) // 2 for v in by_event.values())
    same_story = sum(len(v) * (len(v) - 1) // 2 for v in by_story.values())
    both = 0
    for members in by_story.values():
        counts: dict[int, int] = {}
        for item in members:
            counts[events[item]] = counts.get(events[item], 0) + 1
        both += sum(c * (c - 1) // 2 for c in counts.values())
    return both / same_story if same_story else 1.0, both / same_event if same_event else 1.0


def regroup_child(url: str) -> None:
    """Run in a fresh process so that its peak RSS is the regroup's own."""
    sessions = open_database(url, seed_sources=False)
    started, cpu = time.perf_counter(), time.process_time()
    result = regroup.regroup(sessions, START + timedelta(days=40))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{result.items} {result.stories} {elapsed:.2f} {cpu:.2f} {peak:.0f}")


def place_one_at_a_time(sessions, count: int, after: datetime) -> tuple[list[float], list[float]]:
    """Store `count` new items, each in its own transaction; the wall and CPU time each placement took, in ms."""
    timings, cpu = [], []
    generator = Generator(after, PER_DAY, seed=11)
    with sessions() as session:
        source_ids = dict(session.execute(select(Source.name, Source.id)).all())
    for n, item in enumerate(generator.items(count)):
        with sessions.begin() as session:
            url = f"{item.url}/new/{item.published_at.timestamp():.0f}"
            new = NewItem(f"new{n}-{url}", item.title, item.text, item.published_at, url=url, canonical_url=url,
                          lang=item.lang)
            ids = item_store.store_items(session, source_ids[item.source], [new])
            started, used = time.perf_counter(), time.process_time()
            regroup.place_new(session, ids)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - used) * 1000)
    return timings, cpu


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        regroup_child(sys.argv[2])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        sessions = open_database(url, seed_sources=False)
        started = time.perf_counter()
        events = seed(sessions, args.items)
        print(f"seeded {args.items} items ({len(set(events.values()))} events) in {time.perf_counter() - started:.1f} s")
        out = subprocess.run([sys.executable, __file__, "--child", url], capture_output=True, text=True, check=True)
        items, stories, elapsed, cpu, peak = out.stdout.split()
        print(f"regroup: {items} items into {stories} stories in {float(elapsed):.1f} s ({float(cpu):.1f} s of CPU), "
              f"peak RSS {peak} MB (targets: 60 s, 500 MB); load average {os.getloadavg()[0]:.1f}")
        precision, recall = found_again(sessions, events)
        print(f"synthetic events found again: pair precision {precision:.3f}, recall {recall:.3f}")
        last = max(events)
        with sessions() as session:
            newest = session.get(Item, last).published_at
        timings, cpu = place_one_at_a_time(sessions, args.new, newest)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"placing one new item: median {statistics.median(timings):.2f} ms ({statistics.median(cpu):.2f} ms of CPU), "
              f"p95 {p95:.2f} ms, max {timings[-1]:.2f} ms over {len(timings)} items (target: 5 ms); "
              f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
