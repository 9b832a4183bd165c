"""Fleet delivery benchmark: one digest for each of N subscribers on PostgreSQL, drained by 1 and then by 2
`dozor run --role sender` processes into a fake Bot API (own process) enforcing Telegram's flood limits.

Reports, for each fleet size, the rate Telegram saw (average and slowest 10 s; target 27-30/s for the whole
fleet), the busiest second, the 429s served (target 0), and the CPU the senders, the fake and PostgreSQL
used while messages went out (the machine's other load included: on 2 shared cores it decides the rate).
Run: .venv/bin/python bench/fleet_delivery_bench.py [--chats 20000] [--fleets 1,2] [--seconds 120]
(--seconds stops each fleet that long after its first send, the rest of the outbox left to claim from:
20,000 digests take 11 minutes per fleet at 30/s.)
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import create_engine, delete, func, insert, select, text  # noqa: E402

from delivery_bench import FIRST_CHAT, digest_text, slowest_window  # noqa: E402
from fleet_collect_bench import cpu_seconds, machine_busy, tree_pids  # noqa: E402
from storage import outbox  # noqa: E402
from storage.db import make_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.models import Chat, Outbox  # noqa: E402
from tests.pgserver import PostgresServer  # noqa: E402

PARTIAL_INDEXES = ("ix_outbox_pending", "ix_outbox_unsent_by_chat", "ix_outbox_sent_by_chat")


def serve(queue, commands, results) -> None:
    """The fake Bot API with Telegram's limits; on "report", the send times seen since the last report."""
    from tests.fake_telegram import FakeTelegram, FloodLimits

    fake = FakeTelegram().start()
    fake.enforce_flood_limits(FloodLimits())
    queue.put((fake.base_url, fake.token))
    seen = 0
    while commands.get() == "report":
        sent = fake.sent
        results.put(([m.sent_at for m in sent[seen:]], fake.flood_errors_served))
        seen = len(sent)
    fake.stop()


def fill_outbox(sessions, chats: int, round_: int) -> None:
    """N private chats (made once), each with one pending digest for this round."""
    with sessions.begin() as s:
        if not s.scalar(select(func.count()).select_from(Chat)):
            s.execute(insert(Chat), [{"chat_id": FIRST_CHAT + n, "kind": "private"} for n in range(chats)])
    with sessions.begin() as s:
        messages = [
            outbox.NewMessage(pk, f"digest:{chat_id}:round{round_}", "digest", [digest_text(chat_id)])
            for pk, chat_id in s.execute(select(Chat.id, Chat.chat_id))
        ]
        for start in range(0, len(messages), 1000):
            outbox.enqueue_many(s, messages[start : start + 1000])


def drain(
    count: int, url: str, base_url: str, token: str, logs: Path, sessions, chats: int, watched: dict, seconds: float | None
) -> dict:
    """Start `count` senders, wait until the outbox is empty (or `seconds` after the first send); time and CPU used."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOZOR_", "TELEGRAM_"))}
    env.update(DOZOR_DATABASE_URL=url, DOZOR_DEFAULT_FEEDS="0", DOZOR_BOT_TOKEN=token, DOZOR_TELEGRAM_BASE_URL=base_url)
    senders = [
        subprocess.Popen([sys.executable, "-m", "bot.cli", "run", "--role", "sender"], env=env, cwd=ROOT,
                         stdout=(logs / f"s{count}-{n}.log").open("w"), stderr=subprocess.STDOUT)
        for n in range(count)
    ]
    watched = {**watched, "senders": [p.pid for p in senders]}
    started = time.monotonic()
    first = None
    printed = started
    try:
        while True:
            time.sleep(0.5)
            with sessions() as s:
                left = outbox.pending_count(s)
            if first is None and left < chats:
                first = (time.monotonic(), chats - left, cpu_use(watched))
            if time.monotonic() - printed >= 30:
                printed = time.monotonic()
                print(f"    {printed - started:5.0f} s: {chats - left} sent", flush=True)
            if left == 0 or (first and seconds and time.monotonic() - first[0] >= seconds):
                last = (time.monotonic(), chats - left, cpu_use(watched))
                return {"seconds": last[0] - started, "window": last[0] - first[0], "sent": last[1] - first[1],
                        "cpu": {k: last[2][k] - first[2][k] for k in last[2]}}
    finally:
        for process in senders:
            process.send_signal(signal.SIGTERM)
        for process in senders:
            process.wait(timeout=60)


def cpu_use(watched: dict) -> dict[str, float]:
    """CPU seconds so far of each watched group of processes (with their children), and of the machine."""
    used = {name: cpu_seconds(tree_pids(pids)) for name, pids in watched.items()}
    used["machine"], used["idle"] = machine_busy()
    return used


def report_cpu(r: dict) -> str:
    cpu, window = r["cpu"], r["window"]
    busy = 1 - cpu["idle"] / cpu["machine"]
    share = ", ".join(f"{name} {cpu[name] / window * 100:.0f}%" for name in ("senders", "fake", "postgres"))
    return (f"CPU while sending: machine {busy * 100:.0f}% busy of {os.cpu_count()} cores; {share} of a core; "
            f"senders {cpu['senders'] / r['sent'] * 1000:.1f} ms of CPU per message")


def claim_cost(sessions, sent_rows: int, indexed: bool, pending_rows: int = 200, tries: int = 10) -> float:
    """Milliseconds one fleet sender's claim of 20 rows takes (the median of `tries`) with `sent_rows` sent rows
    and `pending_rows` pending ones: the state of a long-running outbox. Measured in a transaction rolled back
    (which also brings back the partial indexes dropped when not `indexed`)."""
    from datetime import timedelta

    from storage.models import utcnow
    from storage.outbox import ChatSpacing

    spacing = ChatSpacing(timedelta(seconds=1), timedelta(seconds=3))
    with sessions() as s:
        chats = list(s.scalars(select(Chat.id).order_by(Chat.id)))
        s.execute(delete(Outbox))
        if not indexed:
            for name in PARTIAL_INDEXES:
                s.execute(text(f"DROP INDEX {name}"))
        hour_ago = utcnow() - timedelta(hours=1)
        for start in range(0, sent_rows, 5000):
            s.execute(insert(Outbox), [
                {"chat_pk": chats[n % len(chats)], "key": f"old:{n}", "kind": "digest", "text": "x", "status": "sent",
                 "sent_at": hour_ago, "next_attempt_at": hour_ago}
                for n in range(start, min(sent_rows, start + 5000))
            ])
        s.execute(insert(Outbox), [
            {"chat_pk": chats[n % len(chats)], "key": f"new:{n}", "kind": "digest", "text": "x", "status": "pending"}
            for n in range(pending_rows)
        ])
        s.execute(text("ANALYZE outbox"))
        timings = []
        for _ in range(tries):
            s.execute(text("SAVEPOINT claim"))
            began = time.perf_counter()
            outbox.claim(s, utcnow(), 20, "bench", spacing)
            timings.append((time.perf_counter() - began) * 1000)
            s.execute(text("ROLLBACK TO SAVEPOINT claim"))
        s.rollback()
    return sorted(timings)[len(timings) // 2]


def report_claim_cost(sessions, chats: int) -> None:
    """The claim's cost in an outbox of many sent rows and a few pending, with the partial indexes and without."""
    fill_outbox(sessions, chats, -1)  # makes the chats
    sent = 10 * chats
    with_indexes, without = claim_cost(sessions, sent, indexed=True), claim_cost(sessions, sent, indexed=False)
    with sessions.begin() as s:
        s.execute(delete(Outbox))
    print(f"claiming 20 of 200 pending rows beside {sent} sent ones: {with_indexes:.1f} ms with the partial indexes, "
          f"{without:.1f} ms without", flush=True)


def busiest_second(times: list[float]) -> int:
    times, best, j = sorted(times), 0, 0
    for i, start in enumerate(times):
        while j < len(times) and times[j] < start + 1.0:
            j += 1
        best = max(best, j - i)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=20_000)
    parser.add_argument("--fleets", default="1,2")
    parser.add_argument("--seconds", type=float, help="stop each fleet this long after its first send")
    parser.add_argument("--claim-only", action="store_true", help="only time the claim, with and without the partial indexes")
    args = parser.parse_args()
    context = multiprocessing.get_context("spawn")
    queue, commands, results = context.Queue(), context.Queue(), context.Queue()
    server = context.Process(target=serve, args=(queue, commands, results), daemon=True)
    server.start()
    base_url, token = queue.get(timeout=60)
    postgres = PostgresServer()
    postgres.start()
    try:
        admin = create_engine(postgres.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE bench"))
        admin.dispose()
        url = postgres.url("bench")
        postmaster = int(Path(postgres.data / "postmaster.pid").read_text().split()[0])
        watched = {"fake": [server.pid], "postgres": [postmaster]}
        engine = make_engine(url)
        upgrade(engine)
        sessions = session_factory(engine)
        report_claim_cost(sessions, args.chats)
        if args.claim_only:
            return
        print(f"{args.chats} subscribers, one digest of {len(digest_text(FIRST_CHAT))} characters each; "
              "the fake enforces 30/s overall, 1/s per chat")
        floods_before = 0
        with tempfile.TemporaryDirectory() as logs:
            for round_, count in enumerate(int(n) for n in args.fleets.split(",")):
                fill_outbox(sessions, args.chats, round_)
                print(f"  {count} sender(s):", flush=True)
                drained = drain(count, url, base_url, token, Path(logs), sessions, args.chats, watched, args.seconds)
                commands.put("report")
                times, floods = results.get(timeout=120)
                rate = (len(times) - 1) / (max(times) - min(times))
                slowest = slowest_window(times)
                print(f"  {count} sender(s): {len(times)} messages in {drained['seconds']:.0f} s; at the fake {rate:.1f}/s on average, "
                      f"{slowest:.1f}/s in the slowest 10 s, {busiest_second(times)} in the busiest second; "
                      f"429 answers: {floods - floods_before}", flush=True)
                floods_before = floods
                with sessions.begin() as s:
                    left = dict(s.execute(select(Outbox.status, func.count()).group_by(Outbox.status)).all())
                    s.execute(delete(Outbox).where(Outbox.status == "pending"))  # what a timed run left: not the next fleet's
                print(f"    outbox: {left}")
                print(f"    {report_cpu(drained)}")
        engine.dispose()
    finally:
        commands.put("stop")
        postgres.stop()
        server.join(timeout=10)


if __name__ == "__main__":
    main()
