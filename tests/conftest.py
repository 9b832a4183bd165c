"""Shared fixtures: databases on SQLite and on a real PostgreSQL server the tests start themselves."""
from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from storage.db import make_engine, session_factory
from storage.migrate import upgrade
from tests.pgserver import PostgresServer

CORPUS = Path(__file__).resolve().parent / "corpus"  # third-party material, see corpus/README.md
MEDUZA = CORPUS / "real/meduza.xml"  # 30 items of 14-15 Oct 2020, newest first; two about Kyrgyzstan's president
_db_numbers = itertools.count()
_ITEM = re.compile(rb"<item>.*?</item>\s*", re.DOTALL)


def feed_before(path: Path, newest: int) -> bytes:
    """A real RSS file (items newest first) as it was before its `newest` items were published."""
    body = path.read_bytes()
    items = list(_ITEM.finditer(body))
    return body[: items[0].start()] + body[items[newest].start() :]


@pytest.fixture(scope="session")
def postgres():
    """One PostgreSQL server for the whole run."""
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


def _fresh_database_url(kind: str, request, tmp_path: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'dozor.sqlite3'}"
    server = request.getfixturevalue("postgres")
    name = f"test_{next(_db_numbers)}"
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server.url(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """A migrated, empty database URL: once on SQLite, once on PostgreSQL."""
    url = _fresh_database_url(request.param, request, tmp_path)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def postgres_url(request, tmp_path) -> str:
    """A fresh, empty PostgreSQL database URL (for tests that need a database every process can see fail)."""
    return _fresh_database_url("postgresql", request, tmp_path)


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A migrated, empty SQLite database URL (for tests that need only one backend)."""
    url = f"sqlite:///{tmp_path / 'dozor.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="session")
def parse_pool():
    """One set of parser processes for the whole run."""
    from feeds.parse_pool import ParsePool

    pool = ParsePool(workers=2, deadline_seconds=20)
    yield pool
    pool.close()


@pytest.fixture
def engine(database_url):
    """An engine on each backend."""
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine):
    """A sessionmaker on each backend."""
    return session_factory(engine)


@pytest.fixture
def feed_server():
    """A loopback HTTP server (`tests.feedserver.FeedServer`), closed after the test."""
    from tests.feedserver import FeedServer

    server = FeedServer().start()
    yield server
    server.close()


@pytest.fixture
def fake_telegram():
    """A running fake Telegram Bot API (`tests.fake_telegram.FakeTelegram`), stopped after the test."""
    from tests.fake_telegram import FakeTelegram

    with FakeTelegram() as server:
        yield server
