"""Fleet collector benchmark: 5,000 sources on 50 loopback hosts answering in 200-300 ms, polled by 1, 2 and 4
`dozor run --role collector` processes (20 fetches at once each, 2 per host across the fleet) on one PostgreSQL.

For each fleet size it times one full poll, warm (every feed answers 304: the fetches alone) and, with
--polls cold,warm, cold (every feed new: fetch, parse, match, store), and reports CPU use (machine, collectors with their parsers, PostgreSQL) and the
database's share: sources claimed and stores per second, transactions, and lock waits seen by sampling.
Run: .venv/bin/python bench/fleet_collect_bench.py [--sources 5000] [--fleets 1,2,4]
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, insert, select, text, update  # noqa: E402

from feeds.sources.bootstrap import open_database  # noqa: E402
from storage.fleet_models import FleetProcess  # noqa: E402
from storage.models import Source  # noqa: E402
from tests.pgserver import PostgresServer  # noqa: E402

HOSTS, ITEMS = 50, 3
FETCH_LIMIT, PER_HOST = 20, 2
TICKS = os.sysconf("SC_CLK_TCK")


def feed(n: int) -> bytes:
    items = "".join(
        f"<item><title>Новость {n}-{i}: ОДКБ и Казахстан</title><link>https://outlet{n}.example/{i}</link>"
        f"<guid>o{n}-{i}</guid><description>Сообщение {i} источника {n} о миротворцах ОДКБ.</description></item>"
        for i in range(ITEMS)
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>O{n}</title>{items}</channel></rss>'.encode()


def serve(sources: int, url_queue) -> None:
    """The feeds, from their own process: each answer (200 or 304) after 200-300 ms."""
    from tests.feedserver import FeedServer, respond

    servers = [FeedServer(f"127.0.0.{h + 1}").start() for h in range(HOSTS)]
    urls = []
    for n in range(sources):
        body, etag = feed(n), f'"v{n}"'

        def handler(request, body=body, etag=etag) -> None:
            time.sleep(random.uniform(0.2, 0.3))
            if request.headers.get("If-None-Match") == etag:
                respond(request, 304, headers={"ETag": etag})
            else:
                respond(request, 200, body, {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": etag})

        server = servers[n % HOSTS]
        server.add_handler(f"/f{n}.xml", handler)
        urls.append(server.url(f"/f{n}.xml"))
    url_queue.put((urls, os.getpid()))
    while True:
        time.sleep(3600)


def proc_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (FileNotFoundError, IndexError, ProcessLookupError):
        return 0


def children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (FileNotFoundError, IndexError, ProcessLookupError):
                continue
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def tree_pids(roots: list[int]) -> list[int]:
    tree, found, todo = children_of(), [], list(roots)
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(tree.get(pid, []))
    return found


def cpu_seconds(pids: list[int]) -> float:
    return sum(proc_ticks(p) for p in pids) / TICKS


def machine_busy() -> tuple[float, float]:
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) / TICKS, idle / TICKS


class LockSampler(threading.Thread):
    """Samples pg_stat_activity every 20 ms: how often some backend waited on a lock, and advisory locks held."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.engine = create_engine(url)
        self.samples = self.with_waits = self.max_waiting = self.max_advisory = 0
        self.kinds: Counter = Counter()  # (lock wait event, query start) -> samples
        self.stop = threading.Event()

    def run(self) -> None:
        with self.engine.connect() as conn:
            while not self.stop.is_set():
                waits = conn.execute(text(
                    "SELECT wait_event, left(query, 40) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                )).all()
                waiting = len(waits)
                self.kinds.update(waits)
                advisory = conn.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).scalar()
                conn.commit()
                self.samples += 1
                self.with_waits += waiting > 0
                self.max_waiting = max(self.max_waiting, waiting)
                self.max_advisory = max(self.max_advisory, advisory)
                time.sleep(0.02)


def db_counters(engine) -> dict[str, int]:
    with engine.connect() as conn:
        row = conn.execute(text(
            "SELECT xact_commit, tup_inserted, tup_updated FROM pg_stat_database WHERE datname = current_database()"
        )).one()
    return {"commits": row[0], "inserted": row[1], "updated": row[2]}


def start_collectors(count: int, url: str, logs: Path) -> list[subprocess.Popen]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOZOR_", "TELEGRAM_"))}
    env.update(
        DOZOR_DATABASE_URL=url, DOZOR_DEFAULT_FEEDS="0", DOZOR_ALLOW_PRIVATE_NETWORKS="1", DOZOR_TICK_SECONDS="1",
        DOZOR_FETCH_LIMIT=str(FETCH_LIMIT), DOZOR_PER_HOST_LIMIT=str(PER_HOST), DOZOR_LEASE_SECONDS="300",
    )
    return [
        subprocess.Popen([sys.executable, "-m", "bot.cli", "run", "--role", "collector"], env=env, cwd=ROOT,
                         stdout=(logs / f"c{count}-{n}.log").open("w"), stderr=subprocess.STDOUT)
        for n in range(count)
    ]


def poll_once(sessions, engine, url: str, collectors: list[subprocess.Popen], postgres_pid: int, server_pid: int, cold: bool) -> dict:
    """Make every source due (cold: forgetting validators and items), time until each is polled once."""
    with sessions.begin() as s:
        if cold:
            s.execute(text("TRUNCATE items, item_sources, matches CASCADE"))
            s.execute(update(Source).values(etag=None, last_modified=None, body_hash=None))
        else:
            s.execute(update(Source).values(etag=func.concat('"v', func.substr(Source.name, 2), '"')))
        s.execute(update(Source).values(next_check_at=func.now(), claimed_by=None, last_checked_at=None))
    with sessions() as s:
        total = s.scalar(select(func.count()).select_from(Source))
    collector_pids = tree_pids([p.pid for p in collectors])
    postgres_pids = tree_pids([postgres_pid])
    before = (cpu_seconds(collector_pids), cpu_seconds(postgres_pids), cpu_seconds([server_pid]), machine_busy(), db_counters(engine))
    sampler = LockSampler(url)
    sampler.start()
    started = time.perf_counter()
    while True:
        with sessions() as s:
            done = s.scalar(select(func.count()).where(Source.last_checked_at.is_not(None)))
        if done >= total:
            break
        time.sleep(0.2)
    took = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    collector_pids = tree_pids([p.pid for p in collectors])
    after = (cpu_seconds(collector_pids), cpu_seconds(postgres_pids), cpu_seconds([server_pid]), machine_busy(), db_counters(engine))
    wall = after[3][0] - before[3][0]
    busy = 1 - (after[3][1] - before[3][1]) / wall
    db = {k: after[4][k] - before[4][k] for k in after[4]}
    with sessions() as s:
        failed = s.scalar(select(func.count()).where(Source.error_count > 0))
    return {
        "seconds": took, "sources": total, "failed": failed, "machine_busy": busy,
        "collectors_cpu": after[0] - before[0], "postgres_cpu": after[1] - before[1], "server_cpu": after[2] - before[2],
        "commits": db["commits"], "inserted": db["inserted"], "updated": db["updated"],
        "lock_wait_share": sampler.with_waits / max(1, sampler.samples), "max_lock_waiters": sampler.max_waiting,
        "max_advisory": sampler.max_advisory, "lock_kinds": sampler.kinds.most_common(3),
    }


def host_waits(sessions, pids: list[int]) -> int:
    """How often the fleet's fetches found their host's slots all held and waited (the stopped processes' counters)."""
    with sessions() as s:
        counters = s.scalars(select(FleetProcess.counters).where(FleetProcess.pid.in_(pids))).all()
    return int(sum((c or {}).get("dozor_host_slot_waits_total", 0) for c in counters))


def running_collectors(sessions) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(FleetProcess).where(FleetProcess.stopped_at.is_(None)))


def report(fleet: int, kind: str, r: dict, base: float | None) -> None:
    speedup = "" if base is None else f", {base / r['seconds']:.2f}x the single collector"
    print(f"  {fleet} collector(s), {kind}: {r['seconds']:.1f} s for {r['sources']} sources "
          f"({r['sources'] / r['seconds']:.0f} polls/s{speedup}); {r['failed']} failed")
    print(f"    CPU: machine {r['machine_busy'] * 100:.0f}% of {os.cpu_count()} cores; collectors+parsers "
          f"{r['collectors_cpu']:.1f} s ({r['collectors_cpu'] / r['seconds'] * 100:.0f}% of a core), PostgreSQL "
          f"{r['postgres_cpu']:.1f} s ({r['postgres_cpu'] / r['seconds'] * 100:.0f}%), feed server {r['server_cpu']:.1f} s")
    print(f"    database: {r['sources'] / r['seconds']:.0f} sources claimed/s, {r['commits'] / r['seconds']:.0f} commits/s, "
          f"{r['inserted'] / r['seconds']:.0f} rows inserted/s, {r['updated'] / r['seconds']:.0f} rows updated/s; "
          f"some backend waiting on a lock in {r['lock_wait_share'] * 100:.1f}% of samples (at most {r['max_lock_waiters']} "
          f"at once); advisory locks held at most {r['max_advisory']}")
    if r["lock_kinds"]:
        print("    lock waits seen: " + "; ".join(f"{event} in {query!r}: {n}" for (event, query), n in r["lock_kinds"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=5000)
    parser.add_argument("--fleets", default="1,2,4")
    parser.add_argument("--polls", default="warm", help="warm (every feed answers 304), cold (all new), or both: cold,warm")
    args = parser.parse_args()
    polls = args.polls.split(",")
    fleets = [int(n) for n in args.fleets.split(",")]

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    server = context.Process(target=serve, args=(args.sources, queue), daemon=True)
    server.start()
    urls, server_pid = queue.get(timeout=120)
    postgres = PostgresServer()
    postgres.start()
    try:
        admin = create_engine(postgres.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE bench"))
        postmaster = int(Path(postgres.data / "postmaster.pid").read_text().split()[0])
        url = postgres.url("bench")
        sessions = open_database(url, seed_sources=False)
        engine = sessions.kw["bind"]
        with sessions.begin() as s:
            # Validators as a first poll leaves them, so a warm poll needs no cold one before it.
            rows = [{"url": u, "name": f"o{n}", "kind": "rss", "backlog_done": True, "etag": f'"v{n}"'} for n, u in enumerate(urls)]
            s.execute(insert(Source), rows)
            s.execute(update(Source).values(next_check_at=func.now() + text("interval '1 day'")))
        print(f"{args.sources} sources on {HOSTS} loopback hosts, {ITEMS} items each, answers after 200-300 ms; "
              f"each collector fetches {FETCH_LIMIT} at once, the fleet {PER_HOST} per host")
        results: dict[tuple[int, str], dict] = {}
        with tempfile.TemporaryDirectory() as logs:
            for fleet in fleets:
                collectors = start_collectors(fleet, url, Path(logs))
                try:
                    deadline = time.monotonic() + 120
                    while running_collectors(sessions) < fleet:
                        if time.monotonic() > deadline:
                            raise RuntimeError("collectors did not start")
                        time.sleep(0.2)
                    time.sleep(3)  # parser workers up
                    for kind in polls:
                        results[(fleet, kind)] = poll_once(sessions, engine, url, collectors, postmaster, server_pid, kind == "cold")
                        base = results.get((fleets[0], kind), {}).get("seconds") if fleet != fleets[0] else None
                        report(fleet, kind, results[(fleet, kind)], base)
                finally:
                    for process in collectors:
                        process.send_signal(signal.SIGTERM)
                    for process in collectors:
                        process.wait(timeout=60)
                    waits = host_waits(sessions, [p.pid for p in collectors])
                    print(f"    host slots: a fetch found its host's {PER_HOST} slots held by the fleet and waited {waits} times "
                          f"({waits / args.sources:.2f} per source, over the whole run)", flush=True)
                    with sessions.begin() as s:
                        s.execute(update(FleetProcess).values(stopped_at=func.now()))
                        s.execute(update(Source).values(next_check_at=func.now() + text("interval '1 day'")))
        engine.dispose()
        admin.dispose()
    finally:
        postgres.stop()
        server.terminate()


if __name__ == "__main__":
    main()
