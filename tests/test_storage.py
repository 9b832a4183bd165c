"""Storage on SQLite and PostgreSQL: sources, dedup, items of several sources, health."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, text

from storage import items as item_store
from storage import sources as source_store
from storage import topics as topic_store
from storage.items import NewItem

NOW = datetime(2022, 1, 6, 12, 0, tzinfo=timezone.utc)


def _item(key: str, url: str | None = None, **kw) -> NewItem:
    return NewItem(dedup_key=key, title=kw.pop("title", key), text="", published_at=NOW, canonical_url=url, url=url, **kw)


@pytest.fixture
def sessions(sessions):
    """The shared sessions fixture, with two topics in the database."""
    with sessions.begin() as s:
        topic_store.seed_topics(s, [("csto", "CSTO", ["ОДКБ"]), ("kazakhstan", "Kazakhstan", ["Казахстан"])])
    return sessions


def test_migrations_create_the_tables(engine):
    names = set(inspect(engine).get_table_names())
    assert {"sources", "topics", "rules", "items", "item_sources", "matches", "alembic_version"} <= names


def test_sqlite_runs_in_wal_mode(sqlite_url):
    from storage.db import make_engine

    with make_engine(sqlite_url).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_a_url_is_added_once(sessions):
    with sessions.begin() as s:
        first = source_store.add_source(s, "https://example.org/rss", "Example").id
    with sessions.begin() as s, pytest.raises(source_store.SourceExists) as err:
        source_store.add_source(s, "https://example.org/rss", "Again")
    assert err.value.source_id == first


def test_store_is_idempotent_per_source(sessions):
    with sessions.begin() as s:
        src = source_store.add_source(s, "https://a.example/rss", "A").id
    batch = [_item("k1", "https://a.example/1", matches={"csto": [{"term": "ОДКБ"}]}), _item("k2")]
    with sessions.begin() as s:
        assert len(item_store.store_items(s, src, batch)) == 2
    with sessions.begin() as s:
        assert item_store.store_items(s, src, batch) == []
    with sessions() as s:
        exported = [item_store.item_as_dict(i) for i in item_store.iter_items(s)]
    assert [e["topics"] for e in exported] == [["csto"], []]
    assert exported[0]["published"] == "2022-01-06T12:00:00Z"


def test_the_canonical_link_is_shown_and_exported_and_the_raw_one_kept(sessions):
    from storage import digests

    raw = "https://News.example/x?utm_source=tg&id=5&fbclid=abc#top"
    with sessions.begin() as s:
        src = source_store.add_source(s, "https://a.example/rss", "A").id
        item = NewItem("k", "ОДКБ", "", NOW, url=raw, canonical_url="https://news.example/x?id=5",
                       extra={"author": "Иван"}, matches={"csto": [{"term": "ОДКБ"}]})
        item_store.store_items(s, src, [item])
    with sessions() as s:
        (stored,) = list(item_store.iter_items(s))
        (matched,) = digests.matched_after(s, ["csto"], 0)
    assert item_store.item_as_dict(stored)["url"] == matched.url == "https://news.example/x?id=5"
    assert stored.extra == {"author": "Иван", "raw_url": raw}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_migration_makes_stored_links_canonical_and_bounds_stored_hits(kind, request, tmp_path):
    from sqlalchemy import column, select, table

    from storage.db import make_engine, session_factory
    from storage.migrate import upgrade
    from storage.models import Item, Match, Source
    from tests.conftest import _fresh_database_url

    engine = make_engine(_fresh_database_url(kind, request, tmp_path))
    upgrade(engine, "0007")
    hits = [{"topic": "csto", "term": "ОДКБ", "field": "text", "start": 5 * n, "end": 5 * n + 4} for n in range(1000)]
    hits.append({"topic": "csto", "term": "CSTO", "field": "text", "start": 5000, "end": 5004})
    sessions = session_factory(engine)
    with sessions.begin() as s:
        # Only the columns the schema had then: the models have more by now (topics.kind is added by 0012).
        s.execute(table("topics", column("id"), column("title"), column("created_at")).insert(),
                  {"id": "csto", "title": "CSTO", "created_at": NOW})
        s.execute(Source.__table__.insert().values(url="https://a.example/rss", name="A"))
        s.execute(Item.__table__.insert(), [
            dict(id=1, url="https://a.example/1?utm_source=rss", canonical_url="https://a.example/1", title="a",
                 published_at=NOW, extra={"author": "Иван"}),
            dict(id=2, url="https://a.example/2", canonical_url="https://a.example/2", title="b", published_at=NOW,
                 extra=None),
            dict(id=3, url=None, canonical_url=None, title="c", published_at=NOW, extra=None),
            dict(id=4, url="https://a.example/rss", canonical_url="https://a.example/rss", title="d", published_at=NOW,
                 extra=None),
        ])
        s.add(Match(item_id=1, topic_id="csto", hits=hits))
    upgrade(engine)
    with sessions() as s:
        links = {i.id: (i.url, i.extra) for i in s.scalars(select(Item))}
        stored = s.scalars(select(Match.hits)).one()
    engine.dispose()
    assert links == {
        1: ("https://a.example/1", {"author": "Иван", "raw_url": "https://a.example/1?utm_source=rss"}),
        2: ("https://a.example/2", None),
        3: (None, None),
        4: (None, None),  # a link-less item given its feed's URL
    }
    assert [h["term"] for h in stored] == ["ОДКБ"] * 20 + ["CSTO"]
    assert stored[19]["more"] == 980 and "more" not in stored[0] and "more" not in stored[20]


def test_same_url_from_two_sources_is_one_item_listing_both(sessions):
    with sessions.begin() as s:
        a = source_store.add_source(s, "https://a.example/rss", "Azattyk").id
        b = source_store.add_source(s, "https://b.example/rss", "DW").id
    with sessions.begin() as s:
        assert len(item_store.store_items(s, a, [_item("ka", "https://news.example/x")])) == 1
    with sessions.begin() as s:
        assert item_store.store_items(s, b, [_item("kb", "https://news.example/x")]) == []
    with sessions() as s:
        (only,) = list(item_store.iter_items(s))
        assert item_store.item_as_dict(only)["sources"] == ["Azattyk", "DW"]


def test_claim_due_takes_each_source_once(sessions):
    with sessions.begin() as s:
        source_store.add_source(s, "https://a.example/rss", "A")
        source_store.add_source(s, "https://b.example/rss", "B")
    later = datetime.now(timezone.utc) + timedelta(seconds=1)
    with sessions.begin() as s:
        assert len(source_store.claim_due(s, later)) == 2
    with sessions.begin() as s:
        assert source_store.claim_due(s, later) == []


def test_ten_failures_pause_a_source_and_keep_the_reason(sessions):
    with sessions.begin() as s:
        src = source_store.add_source(s, "https://a.example/rss", "A").id
    delays = []
    for _ in range(10):
        with sessions.begin() as s:
            row = source_store.record_failure(s, src, NOW, "fetch.http_404", "https://a.example/rss answered 404")
            delays.append(row.next_check_at - NOW)
    assert delays[1] > delays[0] and delays[2] > delays[1]
    assert max(delays) <= timedelta(hours=6)
    with sessions() as s:
        ((row, _count),) = source_store.list_sources(s)
        assert row.status == "paused" and row.error_count == 10
        assert (row.paused_reason, row.last_error_code) == (source_store.PAUSED_FAILURES, "fetch.http_404")


def test_success_resets_errors(sessions):
    with sessions.begin() as s:
        src = source_store.add_source(s, "https://a.example/rss", "A").id
    with sessions.begin() as s:
        source_store.record_failure(s, src, NOW, "fetch.timeout", "slow")
    with sessions.begin() as s:
        source_store.record_success(s, src, NOW, 3, etag='"v1"')
    with sessions() as s:
        ((row, _),) = source_store.list_sources(s)
        assert (row.error_count, row.last_error_code, row.etag, row.last_ok_at) == (0, None, '"v1"', NOW)


def test_retention_prunes_only_old_unmatched_items(sessions):
    with sessions.begin() as s:
        src = source_store.add_source(s, "https://a.example/rss", "A").id
        item_store.store_items(s, src, [_item("old"), _item("matched", matches={"csto": []})])
    with sessions.begin() as s:
        assert item_store.prune_unmatched(s, datetime.now(timezone.utc) + timedelta(days=31), 30) == 1
    with sessions() as s:
        assert [i.title for i in item_store.iter_items(s)] == ["matched"]


def test_bigint_ids_on_postgres(postgres):
    from sqlalchemy import create_engine

    from storage.db import make_engine
    from storage.migrate import upgrade

    admin = create_engine(postgres.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('CREATE DATABASE "bigint_check"'))
    admin.dispose()
    engine = make_engine(postgres.url("bigint_check"))
    upgrade(engine)
    with engine.connect() as conn:
        kind = conn.execute(
            text("select data_type from information_schema.columns where table_name='items' and column_name='id'")
        ).scalar()
    engine.dispose()
    assert kind == "bigint"


def test_read_only_sessions_read_beside_a_writer_and_refuse_to_write_on_postgresql(sessions):
    from sqlalchemy.exc import InternalError

    from storage.db import read_only
    from storage.meta import get_meta, set_meta

    reads = read_only(sessions)
    with sessions.begin() as writer:  # holds SQLite's write lock until it commits
        set_meta(writer, "written", "yes")
        writer.flush()
        with reads() as session:  # a read does not wait for it (busy_timeout is 30 s) and sees the committed state
            assert get_meta(session, "written") is None
    with reads() as session:
        assert get_meta(session, "written") == "yes"
        if session.get_bind().dialect.name == "postgresql":
            set_meta(session, "sneaked", "in")
            with pytest.raises(InternalError, match="read-only transaction"):
                session.flush()
    with sessions.begin() as session:  # the pool's connections are writable again
        set_meta(session, "after", "yes")


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_migration_turns_stored_pause_sentences_into_codes(kind, request, tmp_path):
    from sqlalchemy import select

    from storage.db import make_engine, session_factory
    from storage.migrate import upgrade
    from storage.models import Source
    from tests.conftest import _fresh_database_url

    engine = make_engine(_fresh_database_url(kind, request, tmp_path))
    upgrade(engine, "0014")
    sessions = session_factory(engine)
    reasons = {
        "https://a.example/rss": "paused after 10 failures in a row; last: fetch.http_404: answered HTTP 404",
        "https://b.example/rss": "paused by Alice (1001)",
        "https://c.example/rss": "paused in the configuration",
        "https://d.example/rss": None,
    }
    with sessions.begin() as s:
        for url, reason in reasons.items():
            s.execute(Source.__table__.insert().values(url=url, name=url[8], status="paused", paused_reason=reason))
    upgrade(engine)
    with sessions() as s:
        stored = dict(s.execute(select(Source.url, Source.paused_reason)).all())
    engine.dispose()
    assert [stored[url] for url in reasons] == ["failures", "admin:Alice (1001)", "config", None]


def test_upgrading_an_sqlite_database_keeps_every_subscription(tmp_path):
    """Migration 0017 rebuilds chats; with foreign keys on, SQLite's drop of the old table cascaded to subscriptions."""
    from sqlalchemy import text

    from storage.db import make_engine
    from storage.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    upgrade(engine, "0016")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO topics (id, title, kind, created_at) VALUES ('kz', 'Kazakhstan', 'topic', '2022-01-01')"))
        connection.execute(text(
            "INSERT INTO chats (chat_id, kind, language, mode, daily_at, timezone, digest_since, alerted_through, created_at,"
            " active, spike_alerts, shift_alerts) VALUES (5, 'private', 'en', 'instant', '08:00', 'UTC', '2022-01-01', 0,"
            " '2022-01-01', 1, 0, 0)"
        ))
        connection.execute(text("INSERT INTO subscriptions (chat_pk, topic_id, created_at) SELECT id, 'kz', '2022-01-01' FROM chats"))
    upgrade(engine)
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT count(*) FROM subscriptions")).scalar()
        foreign_keys = connection.execute(text("PRAGMA foreign_keys")).scalar()
    engine.dispose()
    assert kept == 1
    assert foreign_keys == 1  # and the pooled connection enforces foreign keys again
