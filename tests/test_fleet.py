"""Several Dozor processes on one PostgreSQL database share the work; on SQLite a second one is refused."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.delivery.outbox_writer import OutboxWriter
from bot.fleet.waking import wake_on_notifications
from feeds.sources.bootstrap import open_database
from storage import chats as chat_store
from storage import fleet, outbox
from storage import sources as source_store
from storage.fleet_models import FleetProcess
from storage.models import Chat, Item, ItemSource, Outbox, Source
from tests.conftest import _fresh_database_url
from tests.fake_telegram import FloodLimits
from tests.feedserver import FeedServer, respond

ROOT = Path(__file__).resolve().parents[1]
LEASE = 10  # seconds: the shortest DOZOR_LEASE_SECONDS allows
FEEDS_PER_HOST, ITEMS_PER_FEED = 30, 5
CHATS = 240
SERIES = {60_001: 4, 60_002: 4, -1_000_000_601: 3}  # chats with several messages: two private, one group
FLEET_RATE = 15  # messages/s for the whole fleet; two uncoordinated senders would send 30/s


def role_env(database_url: str, **settings: str) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DOZOR_", "TELEGRAM_"))}
    return {
        **clean,
        "DOZOR_DATABASE_URL": database_url,
        "DOZOR_DEFAULT_FEEDS": "0",
        "DOZOR_ALLOW_PRIVATE_NETWORKS": "1",
        "DOZOR_LEASE_SECONDS": str(LEASE),
        "DOZOR_TICK_SECONDS": "1",
        **settings,
    }


def start_role(env: dict, role: str, log: Path) -> subprocess.Popen:
    """`dozor run --role ROLE` as its own process, logging to a file."""
    out = log.open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--role", role], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
    )


def wait_until(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def process_id(sessions, pid: int) -> str | None:
    with sessions() as s:
        return s.scalar(select(FleetProcess.id).where(FleetProcess.pid == pid, FleetProcess.stopped_at.is_(None)))


def rss(n: int) -> bytes:
    items = "".join(
        f"<item><title>ОДКБ: новость {n}-{i}</title><link>https://news{n}.example/{i}</link><guid>n{n}-{i}</guid>"
        f"<description>Миротворцы ОДКБ в Алматы, сообщение {i}</description></item>"
        for i in range(ITEMS_PER_FEED)
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F{n}</title>{items}</channel></rss>'.encode()


def slow(body: bytes, seconds: float):
    def serve(request) -> None:
        time.sleep(seconds)
        respond(request, 200, body, {"Content-Type": "application/rss+xml; charset=utf-8"})

    return serve


@pytest.fixture
def pg_url(postgres, request, tmp_path) -> str:
    return _fresh_database_url("postgresql", request, tmp_path)


@pytest.fixture
def hosts():
    """Two loopback hosts serving feeds slowly, each counting the requests it serves at once."""
    servers = [FeedServer(f"127.0.0.{n}").start() for n in (1, 2)]
    yield servers
    for server in servers:
        server.close()


def seed_sources(sessions, hosts) -> int:
    count = 0
    with sessions.begin() as s:
        for h, server in enumerate(hosts):
            for k in range(FEEDS_PER_HOST):
                n = h * FEEDS_PER_HOST + k
                server.add_handler(f"/f{n}.xml", slow(rss(n), 0.3))
                source_store.add_source(s, server.url(f"/f{n}.xml"), f"feed {n}")
                count += 1
        s.execute(update(Source).values(backlog_done=True))
    return count


def seed_digests(sessions) -> list[int]:
    chat_ids = list(range(50_001, 50_001 + CHATS))
    with sessions.begin() as s:
        for chat_id in chat_ids:
            chat = chat_store.ensure_chat(s, chat_id, "private", None, "en")
            s.flush()
            outbox.enqueue(s, chat.id, f"digest:{chat_id}:fleet", "digest", [f"<b>Digest</b> for {chat_id}"])
        for chat_id, count in SERIES.items():
            chat = chat_store.ensure_chat(s, chat_id, "group" if chat_id < 0 else "private", None, "en")
            s.flush()
            for n in range(count):
                outbox.enqueue(s, chat.id, f"alert:{chat_id}:{n}", "alert", [f"<b>Alert</b> {n} for {chat_id}"])
    return chat_ids + list(SERIES)


def busiest_second(times: list[float]) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))


def test_three_collectors_and_two_senders_share_the_work_and_survive_a_kill(pg_url, hosts, fake_telegram, tmp_path):
    sessions = open_database(pg_url, seed_sources=False)
    sources = seed_sources(sessions, hosts)
    chat_ids = seed_digests(sessions)
    fake_telegram.enforce_flood_limits(FloodLimits())  # Telegram's own: 30/s overall, 1/s per chat
    env = role_env(pg_url, DOZOR_FETCH_LIMIT="4", DOZOR_PER_HOST_LIMIT="2")
    sender_env = {
        **env, "DOZOR_BOT_TOKEN": fake_telegram.token, "DOZOR_TELEGRAM_BASE_URL": fake_telegram.base_url,
        "DOZOR_SEND_PER_SECOND": str(FLEET_RATE),
    }
    collectors = [start_role(env, "collector", tmp_path / f"collector{n}.log") for n in range(3)]
    senders = [start_role(sender_env, "sender", tmp_path / f"sender{n}.log") for n in range(2)]
    everyone = collectors + senders
    try:
        # SIGKILL a collector while it holds sources it has not recorded yet.
        victim = collectors[0]
        victim_id = wait_until(lambda: process_id(sessions, victim.pid), 60, "the first collector to start")

        def holding() -> list[int]:
            with sessions() as s:
                return list(s.scalars(select(Source.id).where(Source.claimed_by == victim_id)))

        held = wait_until(holding, 60, "the first collector to claim sources")
        victim.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        assert victim.wait(timeout=10) == -signal.SIGKILL
        held = holding()  # what it claimed up to the kill

        # SIGKILL a sender while it holds messages.
        sender_victim = senders[0]
        sender_id = wait_until(lambda: process_id(sessions, sender_victim.pid), 60, "the first sender to start")

        def sender_holding():
            with sessions() as s:
                rows = s.execute(select(Outbox.status, Chat.chat_id).join(Chat).where(Outbox.claimed_by == sender_id)).all()
            return rows if len(fake_telegram.sent) >= 40 and rows else None

        wait_until(sender_holding, 60, "the first sender to hold messages after 40 sends")
        sender_victim.send_signal(signal.SIGKILL)
        assert sender_victim.wait(timeout=10) == -signal.SIGKILL
        with sessions() as s:
            on_the_wire = set(s.scalars(
                select(Outbox.text).where(Outbox.claimed_by == sender_id, Outbox.status == "sending")
            ))

        def all_polled() -> bool:
            with sessions() as s:
                return s.scalar(select(func.count()).where(Source.last_ok_at.is_not(None))) == sources

        wait_until(all_polled, 120, "every source to be polled")
        wait_until(lambda: len({m.chat_id for m in fake_telegram.sent}) == len(chat_ids), 120, "every chat to hear")
        wait_until(lambda: len({m.text for m in fake_telegram.sent}) == CHATS + sum(SERIES.values()), 120,
                   "every message to go")  # counted apart: a message on the wire at the kill may go twice
        assert time.monotonic() - killed_at >= LEASE * 0.9 or not held, "taken over before the lease ended"
        time.sleep(3)  # a heartbeat of the survivors carries their counters
    finally:
        for process in everyone:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in everyone:
            process.wait(timeout=30)

    with sessions() as s:
        stored = s.scalar(select(func.count()).select_from(Item))
        carried = s.scalar(select(func.count()).select_from(ItemSource))
        statuses = dict(s.execute(select(Outbox.status, func.count()).group_by(Outbox.status)).all())
        counters = Counter()
        for row in s.scalars(select(FleetProcess)):
            counters.update(row.counters or {})
    # Every item stored once, carried once by its source.
    assert stored == carried == sources * ITEMS_PER_FEED
    # The fleet never had more than the per-host limit in flight to one host.
    assert [server.peak_in_flight for server in hosts] == [2, 2]
    # No source was fetched twice within a lease: a second fetch is a take-over, after the lease.
    for server in hosts:
        times = defaultdict(list)
        for request in server.requests:
            times[request.path].append(request.at)
        gaps = [b - a for ts in times.values() for a, b in zip(ts, ts[1:])]
        assert all(gap >= LEASE - 1 for gap in gaps), gaps
    if held:
        assert counters['dozor_lease_takeovers_total{kind="source"}'] >= 1

    # Every message sent; only one whose request was on the wire at the kill may arrive twice.
    assert {m.chat_id for m in fake_telegram.sent} == set(chat_ids)
    copies = Counter(m.text for m in fake_telegram.sent)
    assert len(copies) == CHATS + sum(SERIES.values())
    assert {text for text, n in copies.items() if n > 1} <= on_the_wire
    assert statuses == {"sent": CHATS + sum(SERIES.values())}
    # The fleet kept its overall pace together, and Telegram never had to say 429.
    assert fake_telegram.flood_errors_served == 0
    # One chat's messages kept its pace across the senders: 1/s to a person, 20/min (one per 3 s) to a group.
    for chat_id in SERIES:
        times = sorted(m.sent_at for m in fake_telegram.sent if m.chat_id == chat_id)
        least = 3.0 if chat_id < 0 else 1.0
        assert all(b - a >= least * 0.95 for a, b in zip(times, times[1:])), (chat_id, times)
    busiest = busiest_second([m.sent_at for m in fake_telegram.sent])
    print(f"\nfleet: {len(held)} source(s) taken over from the killed collector; busiest second {busiest} "
          f"messages (fleet limit {FLEET_RATE}/s); {len(on_the_wire)} message(s) on the wire at the sender kill")
    assert busiest <= FLEET_RATE + 3


def test_a_second_writer_on_sqlite_is_refused(sqlite_url, tmp_path):
    env = role_env(sqlite_url)
    first = start_role(env, "collector", tmp_path / "first.log")
    try:
        sessions = open_database(sqlite_url, seed_sources=False)
        wait_until(lambda: process_id(sessions, first.pid), 60, "the first process to start")
        for args in (["run", "--role", "collector"], ["collect", "--once"], ["run"]):
            second = subprocess.run(
                [sys.executable, "-m", "bot.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
            )
            assert second.returncode == 1, second.stderr
            refusal = second.stderr.strip().splitlines()[-1]
            assert refusal.startswith("dozor: refusing to start: a `dozor run` process (collector)")
            assert "SQLite takes one writing process" in refusal and "Traceback" not in second.stderr
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=30)
    again = subprocess.run(
        [sys.executable, "-m", "bot.cli", "collect", "--once"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 0, again.stderr


async def test_a_message_written_to_the_outbox_wakes_the_senders_at_once(pg_url):
    """A collector's alert reaches the senders of other processes by NOTIFY, not at their next look."""
    sessions = open_database(pg_url, seed_sources=False)
    woken = asyncio.Event()
    listening = wake_on_notifications(pg_url, [fleet.OUTBOX_CHANNEL], woken.set)
    try:
        await asyncio.sleep(0.5)  # LISTEN is in place
        with sessions.begin() as s:
            chat = chat_store.ensure_chat(s, 7001, "private", None, "en")
            s.flush()
            outbox.enqueue(s, chat.id, "alert:7001:1", "alert", ["<b>ОДКБ</b>"])
        await asyncio.wait_for(woken.wait(), 10)
    finally:
        listening.cancel()


def test_two_bots_composing_digests_at_once_queue_each_digest_once(sessions):
    from storage import topics as topic_store
    from storage.models import Delivery, Subscription

    now = datetime(2022, 1, 6, 9, 0, tzinfo=timezone.utc)
    with sessions.begin() as s:
        topic_store.seed_topics(s, [("csto", "CSTO", ["ОДКБ"]), ("kazakhstan", "Kazakhstan", ["Казахстан"])])
    with sessions.begin() as s:
        for chat_id in range(1, 41):  # a daily digest of one topic and an hourly one of the other, both due
            chat = chat_store.ensure_chat(s, chat_id, "private", None, "en")
            s.flush()
            chat.mode, chat.daily_at = "daily", "08:00"
            chat_store.subscribe(s, chat.id, "csto")
            chat_store.subscribe(s, chat.id, "kazakhstan")
        s.flush()
        s.execute(update(Subscription).values(digest_since=now - timedelta(days=1)))
        s.execute(update(Subscription).where(Subscription.topic_id == "kazakhstan").values(mode="hourly"))
    _seed_matched_item(sessions, now - timedelta(hours=2), "csto", "ОДКБ")
    _seed_matched_item(sessions, now - timedelta(hours=2), "kazakhstan", "Казахстан")
    writers = [OutboxWriter(sessions), OutboxWriter(sessions)]
    start = threading.Barrier(2)
    counts = []

    def compose(writer, at):
        start.wait()
        counts.append(writer.scheduled_digests(at))

    threads = [threading.Thread(target=compose, args=(w, now + timedelta(seconds=i))) for i, w in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    def queued_and_received():
        with sessions() as s:
            digests = Counter(s.scalars(select(Outbox.chat_pk).where(Outbox.kind == "digest")))
            received = Counter(s.scalars(select(Delivery.chat_pk)))
        return digests, received

    digests, received = queued_and_received()
    assert sum(counts) == 40 and len(digests) == 40 and set(digests.values()) == {1}  # one digest per chat
    assert len(received) == 40 and set(received.values()) == {2}  # each chat received both items, once
    # A second attempt at the same periods (a retry after a crash) adds nothing either.
    with sessions.begin() as s:
        s.execute(update(Subscription).values(digest_since=now - timedelta(days=1)))
    OutboxWriter(sessions).scheduled_digests(now + timedelta(minutes=1))
    assert queued_and_received() == (digests, received)


def _seed_matched_item(sessions, fetched_at, topic: str = "csto", term: str = "ОДКБ") -> None:
    from tests.botharness import seed_items

    [item_id] = seed_items(sessions, [{"title": term, "url": f"https://a.example/{topic}", "topics": {topic: [term]}}])
    with sessions.begin() as s:
        s.execute(update(Item).where(Item.id == item_id).values(fetched_at=fetched_at))


async def test_host_slots_hold_the_limit_across_processes_and_release_every_lock(postgres):
    import psycopg

    from storage.host_slots import FleetHostSlots

    fleet_slots = [FleetHostSlots(postgres.url(), 2), FleetHostSlots(postgres.url(), 2)]  # two collectors
    in_flight: Counter = Counter()
    peak: Counter = Counter()

    async def fetch(slots, host: str) -> None:
        async with slots.hold(host):
            in_flight[host] += 1
            peak[host] = max(peak[host], in_flight[host])
            await asyncio.sleep(0.01)
            in_flight[host] -= 1

    await asyncio.gather(*(fetch(fleet_slots[n % 2], f"host{n % 3}") for n in range(300)))
    async with await psycopg.AsyncConnection.connect(fleet_slots[0].dsn) as connection:
        left = await (await connection.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).fetchone()
    for slots in fleet_slots:
        await slots.aclose()
    assert max(peak.values()) == 2
    assert left[0] == 0  # a leaked lock would shrink that host's slots for good


async def test_a_fetch_waiting_for_a_busy_host_leaves_its_process_slot_to_a_fetch_elsewhere(postgres):
    from storage.host_slots import FleetHostSlots

    other, mine = FleetHostSlots(postgres.url(), 1), FleetHostSlots(postgres.url(), 1)
    process_slots = asyncio.Semaphore(1)  # this collector fetches one thing at a time
    busy, done = asyncio.Event(), asyncio.Event()

    async def other_collector_fetching_a() -> None:
        async with other.hold("a.example"):
            busy.set()
            await done.wait()

    holder = asyncio.ensure_future(other_collector_fetching_a())
    await busy.wait()
    waiting = asyncio.ensure_future(mine.hold("a.example", beside=process_slots).__aenter__())
    await asyncio.sleep(0.1)  # it has found a.example busy and waits
    async def fetch_b() -> None:
        async with mine.hold("b.example", beside=process_slots):
            pass

    try:
        await asyncio.wait_for(fetch_b(), 10)  # not behind the fetch waiting for a.example
        assert not waiting.done()
    finally:
        done.set()
        await holder
        await waiting
        process_slots.release()
        for slots in (other, mine):
            await slots.aclose()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_operator_sees_the_fleet_in_dozor_status_and_the_metrics_endpoint(pg_url, tmp_path):
    import json
    import urllib.request

    server = FeedServer().start()
    try:
        server.add_handler("/news.xml", slow(rss(1), 0.0))
        sessions = open_database(pg_url, seed_sources=False)
        with sessions.begin() as s:
            source_store.add_source(s, server.url("/news.xml"), "news")
        port = free_port()
        collector = start_role(role_env(pg_url, DOZOR_METRICS_PORT=str(port)), "collector", tmp_path / "collector.log")
        try:
            collector_id = wait_until(lambda: process_id(sessions, collector.pid), 60, "the collector to start")

            def scraped() -> str | None:
                text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
                polled = f"dozor_items_stored_total {float(ITEMS_PER_FEED)}" in text
                return text if polled and "dozor_sources_due 0.0" in text else None  # the database's figures: cached 5 s

            metrics = wait_until(scraped, 60, "the metrics to count the poll")
            assert 'dozor_fetches_total{code="",result="ok"} 1.0' in metrics
            assert 'dozor_outbox_messages{state="pending"}' in metrics
            assert f'dozor_process_info{{id="{collector_id}",roles="collector"}} 1.0' in metrics
            health = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10).read())
            assert health["healthy"] is True and health["process"] == collector_id

            def status() -> dict:
                shown = subprocess.run([sys.executable, "-m", "bot.cli", "status", "--json"], env=role_env(pg_url),
                                       cwd=ROOT, capture_output=True, text=True, timeout=60)
                assert shown.returncode == 0, shown.stderr
                return json.loads(shown.stdout)

            counted = wait_until(lambda: (r := status())["counters"].get("dozor_items_stored_total") and r, 60,
                                 "a heartbeat to carry the counters")
            [seen] = counted["processes"]
            assert (seen["id"], seen["roles"], seen["alive"]) == (collector_id, ["collector"], True)
            assert counted["sources"]["active"] == 1 and counted["sources"]["due"] == 0
            assert counted["counters"]["dozor_items_stored_total"] == ITEMS_PER_FEED
        finally:
            collector.send_signal(signal.SIGTERM)
            assert collector.wait(timeout=30) == 0
        [stopped] = status()["processes"]
        assert stopped["alive"] is False and stopped["stopped_at"] is not None
    finally:
        server.close()


def test_two_collectors_storing_one_story_at_once_place_it_in_one_story(pg_url):
    from feeds.stories import regroup
    from storage import items as item_store
    from storage import stories as story_store
    from storage.items import NewItem

    sessions = open_database(pg_url, seed_sources=False)
    at = datetime(2022, 1, 5, 19, 50, tzinfo=timezone.utc)
    reports = [
        ("Kazinform", "Токаев обратился к главам государств ОДКБ за помощью",
         "Касым-Жомарт Токаев заявил, что страну атаковали террористические банды, и попросил ОДКБ помочь."),
        ("Azattyk", "Токаев обратился к главам государств ОДКБ за помощью",
         "Президент Касым-Жомарт Токаев попросил ОДКБ помочь: страну, по его словам, атаковали террористы."),
    ]
    with sessions.begin() as s:
        source_ids = [source_store.add_source(s, f"https://{name.lower()}.example/rss", name).id for name, _, _ in reports]
    first_placed = threading.Event()
    stored: list[int] = []

    def store(n: int) -> None:
        name, title, text = reports[n]
        item = NewItem(f"{name}-1", title, text, at + timedelta(minutes=n), canonical_url=f"https://{name}.example/1", lang="ru")
        with sessions.begin() as s:
            ids = item_store.store_items(s, source_ids[n], [item])
            regroup.place_new(s, ids)
            stored.extend(ids)
            if n == 0:
                first_placed.set()
                time.sleep(1)  # the first collector's transaction is still open while the second places its item

    first = threading.Thread(target=store, args=(0,))
    first.start()
    first_placed.wait(10)
    store(1)
    first.join()
    with sessions() as s:
        assert len(set(story_store.story_ids(s, stored).values())) == 1
