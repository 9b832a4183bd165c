"""Search benchmark: synthetic multilingual items on SQLite and PostgreSQL.

Loads N items in bulk (executemany on SQLite, COPY on PostgreSQL), builds the search index,
then times 100 queries (single words, phrases, filters) as /search runs them: one page of 5
with its total and snippets, then 20 more in the newer syntax (OR, prefixes, sort:relevance).
Prints the index build time, database size, p50 and p95 of each mix.

Run: .venv/bin/python bench/search_bench.py [--items 1000000] [--backend sqlite|postgresql|both]
"""
from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage.db import make_engine, session_factory  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.search.execute import search  # noqa: E402
from storage.search.index import rebuild_index  # noqa: E402
from storage.search.query import parse_query  # noqa: E402

START = datetime(2021, 1, 1, tzinfo=timezone.utc)
SPAN_SECONDS = 3 * 365 * 24 * 3600
SOURCES, TOPICS = 200, ("csto", "kazakhstan", "ukraine", "energy", "elections")
LANGS = (("ru", 0.5), ("uk", 0.2), ("kk", 0.15), ("en", 0.15))
CHUNK = 10_000

# Real words in several forms, so stemming has work and the queries can ask for them.
REAL = {
    "ru": "Казахстан Казахстана Казахстане Казахстану ОДКБ президент президента Токаев Токаева протесты протестов "
    "Алматы миротворцы миротворческие силы сил газ газа цены цен правительство правительства отставка".split(),
    "uk": "Казахстан Казахстану Казахстані Україна України Україні Токаєв президент президента уряд уряду протести "
    "протестів ціни газу миротворці сили".split(),
    "kk": "Қазақстан Қазақстанда Қазақстанның Тоқаев Тоқаевтың Алматыда үкімет үкіметі бағасы газ наразылық "
    "бейбітшілік күштері".split(),
    "en": "Kazakhstan Kazakhstan's CSTO peacekeepers peacekeeping president government protests protesters fuel "
    "prices gas Almaty resigned withdrawal troops".split(),
}
LETTERS = {
    "ru": "абвгдежзиклмнопрстуфхцчшщыэюя",
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "kk": "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшыіэюя",
    "en": "abcdefghijklmnopqrstuvwxyz",
}
ENDINGS = {"ru": ["", "а", "у", "е", "ом", "ов", "ы", "ами"], "uk": ["", "а", "у", "і", "ою", "ів", "и"],
           "kk": ["", "да", "ның", "ға", "дан", "лар"], "en": ["", "s", "ed", "ing"]}
VOCAB = 30_000  # synthetic stems per language, drawn with a Zipf-like law


def make_vocabularies(rng: random.Random) -> dict[str, tuple[list[str], list[float]]]:
    """Per language: words (real ones first, the most frequent) and cumulative Zipf weights."""
    vocab = {}
    for lang, letters in LETTERS.items():
        words = list(REAL[lang])
        seen = set(words)
        while len(words) < VOCAB:
            word = "".join(rng.choice(letters) for _ in range(rng.randint(3, 9)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        # The real words sit at ranks 20..60, common but not the commonest.
        words = words[len(REAL[lang]) : len(REAL[lang]) + 20] + words[: len(REAL[lang])] + words[len(REAL[lang]) + 20 :]
        cumulative, total = [], 0.0
        for rank in range(1, len(words) + 1):
            total += 1 / rank
            cumulative.append(total)
        vocab[lang] = (words, cumulative)
    return vocab


def sentence(rng: random.Random, vocab, lang: str, n: int) -> str:
    words, cumulative = vocab[lang]
    chosen = rng.choices(words, cum_weights=cumulative, k=n)
    endings = ENDINGS[lang]
    return " ".join(w + rng.choice(endings) if w[0].islower() else w for w in chosen).capitalize()


def generate(n: int, seed: int = 7):
    """Yield (id, title, text, published_at, lang, source_id, topics) for n items."""
    rng = random.Random(seed)
    vocab = make_vocabularies(rng)
    langs, weights = zip(*LANGS)
    for item_id in range(1, n + 1):
        lang = rng.choices(langs, weights)[0]
        title = sentence(rng, vocab, lang, rng.randint(6, 12))
        body = ". ".join(sentence(rng, vocab, lang, rng.randint(8, 16)) for _ in range(rng.randint(3, 6))) + "."
        published = START + timedelta(seconds=rng.randrange(SPAN_SECONDS))
        topics = [t for t in TOPICS if rng.random() < 0.02]
        yield item_id, title, body, published, lang, rng.randint(1, SOURCES), topics


def load_sqlite(engine, n: int) -> None:
    with engine.begin() as conn:
        _sources_and_topics(conn)
        rows, origins, matches = [], [], []
        for item_id, title, body, published, lang, source_id, topics in generate(n):
            stamp = published.replace(tzinfo=None).isoformat(sep=" ")
            rows.append((item_id, f"https://n.example/{item_id}", title, body, stamp, stamp, lang))
            origins.append((item_id, source_id, str(item_id), stamp))
            matches.extend((item_id, t, "[]", stamp) for t in topics)
            if len(rows) >= CHUNK:
                _flush_sqlite(conn, rows, origins, matches)
                rows, origins, matches = [], [], []
        _flush_sqlite(conn, rows, origins, matches)


def _flush_sqlite(conn, rows, origins, matches) -> None:
    if not rows:
        return
    conn.exec_driver_sql(
        "INSERT INTO items (id, canonical_url, url, title, text, published_at, fetched_at, lang, backlog) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)",
        [(i, url, url, t, b, p, f, lang) for i, url, t, b, p, f, lang in rows],
    )
    conn.exec_driver_sql(
        "INSERT INTO item_sources (item_id, source_id, dedup_key, seen_at) VALUES (?, ?, ?, ?)", origins
    )
    if matches:
        conn.exec_driver_sql("INSERT INTO matches (item_id, topic_id, hits, matched_at) VALUES (?, ?, ?, ?)", matches)


def load_postgres(engine, n: int) -> None:
    with engine.begin() as conn:
        _sources_and_topics(conn)
        cursor = conn.connection.driver_connection.cursor()
        rows, origins, matches = [], [], []
        for item_id, title, body, published, lang, source_id, topics in generate(n):
            url = f"https://n.example/{item_id}"
            rows.append((item_id, url, url, title, body, published, published, lang, False))
            origins.append((item_id, source_id, str(item_id), published))
            matches.extend((item_id, t, "[]", published) for t in topics)
            if len(rows) >= CHUNK:
                _flush_postgres(cursor, rows, origins, matches)
                rows, origins, matches = [], [], []
        _flush_postgres(cursor, rows, origins, matches)
        conn.execute(text("SELECT setval(pg_get_serial_sequence('items', 'id'), (SELECT max(id) FROM items))"))


def _flush_postgres(cursor, rows, origins, matches) -> None:
    if not rows:
        return
    for sql, data in (
        ("COPY items (id, canonical_url, url, title, text, published_at, fetched_at, lang, backlog) FROM STDIN", rows),
        ("COPY item_sources (item_id, source_id, dedup_key, seen_at) FROM STDIN", origins),
        ("COPY matches (item_id, topic_id, hits, matched_at) FROM STDIN", matches),
    ):
        with cursor.copy(sql) as copy:
            for row in data:
                copy.write_row(row)


def _sources_and_topics(conn) -> None:
    now = datetime.now(timezone.utc)
    for n in range(1, SOURCES + 1):
        conn.execute(
            text(
                "INSERT INTO sources (id, name, url, kind, status, interval_seconds, next_check_at, error_count, "
                "backlog_done, created_at) VALUES (:id, :name, :url, 'rss', 'active', 900, :now, 0, false, :now)"
            ),
            {"id": n, "name": f"Outlet {n}", "url": f"https://outlet{n}.example/rss", "now": now},
        )
    for topic in TOPICS:
        conn.execute(
            text("INSERT INTO topics (id, title, created_at) VALUES (:id, :id, :now)"), {"id": topic, "now": now}
        )


def queries(rng: random.Random) -> list[str]:
    """100 queries: single words of every frequency, phrases, and filters."""
    vocab = make_vocabularies(random.Random(7))
    out = []
    for lang in ("ru", "uk", "kk", "en"):
        words = vocab[lang][0]
        out += [words[r] for r in (0, 3, 25, 30, 200, 2000)]  # commonest .. rare synthetic words
        out += rng.sample(REAL[lang], 4)  # real words, often inflected
    for lang in ("ru", "uk", "kk", "en"):
        words = vocab[lang][0]
        for _ in range(6):
            a, b = rng.randrange(1, 300), rng.randrange(1, 300)
            out.append(f'"{words[a]} {words[b]}"')
    filters = [
        "topic:csto", "topic:kazakhstan lang:ru", "source:\"Outlet 17\"", "lang:kk", "lang:en",
        "since:2022-01-05 until:2022-01-10", "since:2023-06-01", "until:2021-03-01",
        "topic:energy since:2022-01-01", "source:\"Outlet 5\" since:2021-06-01 until:2021-12-31",
    ]
    real = REAL["ru"] + REAL["uk"] + REAL["kk"] + REAL["en"]
    for n in range(36):
        word = rng.choice(real)
        extra = f" -{rng.choice(REAL['ru'])}" if n % 4 == 0 else ""
        out.append(f"{word}{extra} {filters[n % len(filters)]}")
    return out[:100]


# OR, parentheses, prefixes and sort:relevance, timed apart so the first mix stays comparable.
NEWER_SYNTAX = [
    "Казахстан OR Україна", "(Токаев OR Тоқаев) -протесты", "ОДКБ OR CSTO OR миротворцы", "миротвор*", "protest*",
    "прези* lang:ru", "Қазақ*", '"Казахстан президент" OR CSTO', "газ OR цены since:2022-01-01", "Kazakhstan lang:kk",
    "Казахстан sort:relevance", "газ sort:relevance", "президент sort:relevance lang:uk", "Алматы sort:relevance",
    "протесты OR отставка sort:relevance", "Tokayev sort:relevance", "ціни sort:relevance", "fuel OR gas prices",
    "(уряд OR правительство) -газ", "Токаева sort:relevance topic:csto",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def time_queries(sessions, mix: list[str]) -> tuple[list[float], list[tuple[float, str, int]]]:
    with sessions() as s:
        for q in mix:  # warm-up pass
            search(s, parse_query(q))
        times, slow = [], []
        for q in mix:
            started = time.perf_counter()
            page = search(s, parse_query(q))
            elapsed = (time.perf_counter() - started) * 1000
            times.append(elapsed)
            slow.append((elapsed, q, page.total))
    return times, sorted(slow, reverse=True)[:5]


def database_size(engine, path: Path | None) -> str:
    if path is not None:
        return _sqlite_size(path)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one()
        parts = conn.execute(
            text(
                "SELECT c, pg_total_relation_size(c) FROM unnest(ARRAY['items', 'item_search', "
                "'ix_item_search_document', 'item_sources', 'matches']) AS c"
            )
        ).all()
    detail = ", ".join(f"{name} {size / 2**20:.0f} MiB" for name, size in parts)
    return f"{total / 2**20:.0f} MiB ({detail})"


def _sqlite_size(path: Path) -> str:
    """The file's size after a checkpoint, and its biggest tables and indexes."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        total = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        try:
            parts = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8").fetchall()
        except sqlite3.Error:  # dbstat is an optional part of SQLite
            parts = []
    finally:
        conn.close()
    detail = ", ".join(f"{name} {size / 2**20:.0f} MiB" for name, size in parts)
    return f"{total / 2**20:.0f} MiB ({detail})"


def run(backend: str, n: int) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="dozor-search-bench-"))
    server = None
    path = None
    if backend == "sqlite":
        path = workdir / "bench.sqlite3"
        url = f"sqlite:///{path}"
    else:
        from tests.pgserver import PostgresServer

        server = PostgresServer()
        server.start()
        url = server.url()
    try:
        engine = make_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        (load_sqlite if backend == "sqlite" else load_postgres)(engine, n)
        print(f"[{backend}] loaded {n:,} items in {time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        with engine.begin() as conn:
            indexed = rebuild_index(conn)
        build = time.perf_counter() - started
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE" if backend == "sqlite" else "VACUUM ANALYZE"))  # as autovacuum would
        print(f"[{backend}] index built for {indexed:,} items in {build:.0f} s ({indexed / build:,.0f} items/s)")
        print(f"[{backend}] database size: {database_size(engine, path)}")
        for name, mix in (("queries", queries(random.Random(11))), ("newer-syntax queries", NEWER_SYNTAX)):
            times, slowest = time_queries(session_factory(engine), mix)
            print(
                f"[{backend}] {len(times)} {name}: p50 {percentile(times, 0.5):.1f} ms, "
                f"p95 {percentile(times, 0.95):.1f} ms, max {max(times):.1f} ms, mean {statistics.mean(times):.1f} ms"
            )
            for elapsed, q, total in slowest:
                print(f"[{backend}]   slowest: {elapsed:.1f} ms  {q!r} ({total} hits)")
        engine.dispose()
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args.items)


if __name__ == "__main__":
    main()
