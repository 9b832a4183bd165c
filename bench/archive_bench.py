"""/timeline and /narratives over 90 days of an archive of 1,000,000 items: p95 of each (target: under 2 s).

Items come from bench/synthetic_news.py (events told by several labeled outlets in ru/uk/kk/en);
a third match the topic, and a share of those a narrative. Stories are written as the generator's
events (grouping itself is measured by bench/stories_bench.py). Each request runs as the bot runs
it: the storage reads, then the Markdown timeline (capped at CHAT_STORIES stories) or the chart.
Narrative counts of whole hours come from narrative_hours, brought up to date first as the collector
does after each tick (an archive from before migration 0016 is filled by the migration).
Run: .venv/bin/python bench/archive_bench.py [--items 1000000] [--runs 20] [--url sqlite:////tmp/archive.sqlite3]
(seeding takes minutes; --url keeps the archive for the next run). Wall times on a loaded machine say
little: the CPU time of a request is close to its time on an idle core.
"""
from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import insert, select  # noqa: E402

from bot.volunteer import narratives as narrative_views  # noqa: E402
from bot.volunteer import timeline as timeline_views  # noqa: E402
from bot.volunteer.trend import Period  # noqa: E402
from feeds.collector import RECOUNT_HOURS  # noqa: E402
from feeds.sources.bootstrap import open_database  # noqa: E402
from storage import narratives as narrative_store  # noqa: E402
from storage.models import Item, ItemSource, Match, Source  # noqa: E402
from storage.story_models import Story, StoryMember  # noqa: E402
from storage.timeline import topic_timeline  # noqa: E402
from synthetic_news import SOURCES, Generator  # noqa: E402

DAYS = 90
NARRATIVES = ["coup", "external-forces", "maidan", "peacekeepers", "terrorists"]
TZ = ZoneInfo("Asia/Almaty")


def seed(sessions, count: int, start: datetime) -> None:
    """`count` items over DAYS days: sources, matches, narratives and stories written directly."""
    rng = random.Random(3)
    with sessions.begin() as session:
        session.execute(insert(Source), [{"name": n, "url": f"https://{n.lower().replace(' ', '')}.example/rss",
                                          "label": label} for n, label in SOURCES])
        source_ids = dict(session.execute(select(Source.name, Source.id)).all())
    per_day = count // DAYS
    story_of_event: dict[int, int] = {}
    batch: dict[str, list] = {"items": [], "links": [], "matches": [], "stories": [], "members": []}
    with sessions.begin() as session:
        for n, item in enumerate(Generator(start, per_day).items(count), 1):
            batch["items"].append({"id": n, "canonical_url": f"{item.url}/{n}", "url": f"{item.url}/{n}",
                                   "title": item.title, "text": item.text, "published_at": item.published_at,
                                   "fetched_at": item.published_at, "lang": item.lang, "backlog": False})
            batch["links"].append({"item_id": n, "source_id": source_ids[item.source], "dedup_key": f"k{n}"})
            if item.event % 3 == 0:
                batch["matches"].append({"item_id": n, "topic_id": "kazakhstan", "hits": []})
                if rng.random() < 0.3:
                    batch["matches"].append({"item_id": n, "topic_id": rng.choice(NARRATIVES), "hits": []})
            story = story_of_event.get(item.event)
            if story is None:
                story = story_of_event[item.event] = len(story_of_event) + 1
                batch["stories"].append({"id": story, "first_item_id": n, "first_seen_at": item.published_at,
                                         "created_at": item.published_at})
            batch["members"].append({"item_id": n, "story_id": story, "published_at": item.published_at,
                                     "title_key": "", "names": "", "concepts": "", "name_norm": 0.0})
            if n % 20_000 == 0:
                _flush(session, batch)
        _flush(session, batch)


def _flush(session, batch: dict[str, list]) -> None:
    for name, model in (("items", Item), ("links", ItemSource), ("matches", Match), ("stories", Story),
                        ("members", StoryMember)):
        if batch[name]:
            session.execute(insert(model.__table__), batch[name])
            batch[name].clear()


def timed(function, runs: int) -> tuple[float, float, float, float, object]:
    """Median and p95 of wall seconds, the same of CPU seconds (SQLite works in this process), and the last result."""
    timings, cpu, result = [], [], None
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        result = function()
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    return (statistics.median(timings), _p95(timings), statistics.median(cpu), _p95(cpu), result)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(len(ordered) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--url", help="an existing database URL to use instead of a new SQLite file (seeded if empty)")
    args = parser.parse_args()
    now = datetime.now(timezone.utc).replace(microsecond=0)
    start = now - timedelta(days=DAYS)
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{folder}/archive.sqlite3"
        sessions = open_database(url, seed_sources=False)
        with sessions() as session:
            empty = session.scalar(select(Item.id).limit(1)) is None
        if empty:
            started = time.perf_counter()
            seed(sessions, args.items, start)
            print(f"seeded {args.items} items over {DAYS} days in {time.perf_counter() - started:.0f} s")
        started, used = time.perf_counter(), time.process_time()
        with sessions.begin() as session:  # as the collector does after each tick
            stale = narrative_store.recount_stale(session)
        print(f"narrative counts of {stale} stale hours counted again in {time.perf_counter() - started:.1f} s "
              f"({time.process_time() - used:.1f} s of CPU)")
        request = timeline_views.TimelineRequest("kazakhstan", "Kazakhstan", start, now)

        def timeline():
            with sessions() as session:
                found = topic_timeline(session, "kazakhstan", start, now, timeline_views.CHAT_STORIES)
            return found, timeline_views.render_markdown(request, found, TZ, "en")

        median, p95, cpu, cpu_p95, (found, text) = timed(timeline, args.runs)
        print(f"/timeline kazakhstan 90d: median {median:.2f} s ({cpu:.2f} s of CPU), p95 {p95:.2f} s "
              f"({cpu_p95:.2f} s of CPU) "
              f"({found.total} stories, "
              f"{len(found.stories)} in the file, {len(text) // 1024} KB) (target p95: 2 s)")
        wanted = narrative_views.NarrativesRequest("kazakhstan", "Kazakhstan", Period(length=timedelta(days=DAYS)))

        def narratives():
            with sessions() as session:
                shares, titles = narrative_views.narrative_shares(session, wanted, now, TZ)
            text = narrative_views.summary(wanted, shares, titles, "90d", "en")
            return shares, narrative_views.render_chart(shares, titles, "Kazakhstan · 90d", "en"), text

        median, p95, cpu, cpu_p95, (shares, chart, _) = timed(narratives, args.runs)
        items = sum(shares.items(label) for label in shares.labels())
        print(f"/narratives kazakhstan 90d: median {median:.2f} s ({cpu:.2f} s of CPU), p95 {p95:.2f} s "
              f"({cpu_p95:.2f} s of CPU) "
              f"({items} topic items by label, "
              f"chart {len(chart) // 1024} KB) (target p95: 2 s); load average {os.getloadavg()[0]:.1f}")
        relabeled(sessions, wanted, now)


def relabeled(sessions, wanted, now: datetime) -> None:
    """A relabel makes every hour of the source's items stale: the storage read then, and a tick's recount (undone)."""
    with sessions() as session:
        source = session.scalar(select(Source).order_by(Source.id).limit(1))
        name, source.label = source.name, "relabeled"
        session.flush()
        used = time.process_time()
        narrative_views.narrative_shares(session, wanted, now, TZ)
        read = time.process_time() - used
        used = time.process_time()
        hours = narrative_store.recount_stale(session, most=RECOUNT_HOURS)
        recount = time.process_time() - used
        session.rollback()
    print(f"after relabeling {name}: the /narratives storage read takes {read:.2f} s of CPU (every hour "
          f"stale), the collector's recount of the latest {hours} hours {recount:.2f} s of CPU")


if __name__ == "__main__":
    main()
