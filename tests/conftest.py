"""Shared fixtures and builders: databases on SQLite and on a real PostgreSQL server the tests start
themselves, feed documents, the loopback feed server, the fake Bot API and the real bot on it."""
from __future__ import annotations

import ipaddress
import itertools
import re
import shutil
import socket
import sqlite3
from contextlib import closing
from datetime import datetime
from html import escape
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


UTF8_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'
RSS_DATE = "Thu, 06 Jan 2022 10:00:00 GMT"


def rss(*items: str | tuple, title: str = "Test feed", declaration: str = UTF8_DECLARATION) -> str:
    """An RSS 2.0 document (encode it as the test needs). An item is `<item>` XML, or a tuple
    (title, link) or (title, link, published datetime) whose link is also its guid."""
    body = "".join(item if isinstance(item, str) else _rss_item(*item) for item in items)
    return f'{declaration}<rss version="2.0"><channel><title>{title}</title>{body}</channel></rss>'


def _rss_item(title: str, link: str, published: datetime | None = None) -> str:
    date = published.strftime("%a, %d %b %Y %H:%M:%S +0000") if published else RSS_DATE
    return f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid><pubDate>{date}</pubDate></item>"


def rss_with_texts(*items: tuple[str, str, str]) -> bytes:
    """RSS of (title, link, description) items, escaped, each link its guid, all published on 7 January 2022."""
    body = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        f"<pubDate>Fri, 07 Jan 2022 10:00:00 +0000</pubDate><description>{escape(text)}</description></item>"
        for title, link, text in items
    )
    return rss(body).encode()


def feed_before(path: Path, newest: int) -> bytes:
    """A real RSS file (items newest first) as it was before its `newest` items were published."""
    body = path.read_bytes()
    items = list(_ITEM.finditer(body))
    return body[: items[0].start()] + body[items[newest].start() :]


_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
_real_getaddrinfo = socket.getaddrinfo


def _loopback_only_getaddrinfo(host, *args, **kwargs):
    """Resolve local names and IP literals only: any other name fails as an unknown host would."""
    name = host.decode() if isinstance(host, bytes) else host
    if name is None or name.lower() in _LOCAL_NAMES or _is_ip_literal(name):
        return _real_getaddrinfo(host, *args, **kwargs)
    raise socket.gaierror(socket.EAI_NONAME, f"tests resolve no outside names ({name})")


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]").split("%")[0])
    except ValueError:
        return False
    return True


@pytest.fixture(autouse=True)
def no_outside_names(monkeypatch):
    """No test reaches the network: made-up hosts such as azattyk.example never go to a resolver."""
    monkeypatch.setattr(socket, "getaddrinfo", _loopback_only_getaddrinfo)


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
    return _postgres_database(request, "")


def _postgres_database(request, options: str) -> str:
    """A new database on the run's server, dropped when the test is over (a thousand copies fill gigabytes)."""
    server = request.getfixturevalue("postgres")
    name = f"test_{next(_db_numbers)}"
    _as_admin(server, f'CREATE DATABASE "{name}" {options}')
    request.addfinalizer(lambda: _as_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return server.url(name)


def _as_admin(server, statement: str) -> None:
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(statement))
    admin.dispose()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite database migrated once for the run: each test gets a copy (migrating costs more than most tests)."""
    path = tmp_path_factory.mktemp("template") / "dozor.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the one file that is copied
    return path


@pytest.fixture(scope="session")
def migrated_postgres(postgres) -> str:
    """A PostgreSQL database migrated once for the run, the template of each test's database."""
    name = "dozor_migrated"
    admin = create_engine(postgres.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = make_engine(postgres.url(name))
    upgrade(engine)
    engine.dispose()  # a template must have no connections when it is copied
    return name


def _migrated_database_url(kind: str, request, tmp_path: Path) -> str:
    """A database at today's schema, empty: a copy of the run's migrated one."""
    if kind == "sqlite":
        path = tmp_path / "dozor.sqlite3"
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), path)
        return f"sqlite:///{path}"
    return _postgres_database(request, f'TEMPLATE "{request.getfixturevalue("migrated_postgres")}"')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """A migrated, empty database URL: once on SQLite, once on PostgreSQL."""
    return _migrated_database_url(request.param, request, tmp_path)


@pytest.fixture
def postgres_url(request, tmp_path) -> str:
    """A fresh, empty PostgreSQL database URL (for tests that need a database every process can see fail)."""
    return _fresh_database_url("postgresql", request, tmp_path)


@pytest.fixture
def sqlite_url(request, tmp_path) -> str:
    """A migrated, empty SQLite database URL (for tests that need only one backend)."""
    return _migrated_database_url("sqlite", request, tmp_path)


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


@pytest.fixture
def bot_settings() -> dict:
    """Settings for the `bot` fixture (beyond the harness's own); a test module overrides this fixture."""
    return {}


@pytest.fixture
async def bot(fake_telegram, sqlite_url, parse_pool, bot_settings):
    """The real Dozor application on a fresh SQLite database, polling the fake Bot API (a RunningBot)."""
    from tests.botharness import dozor_bot

    async with dozor_bot(fake_telegram, sqlite_url, parse_pool, **bot_settings) as running:
        yield running


@pytest.fixture
async def telegram_bot(fake_telegram):
    """PTB's real Bot pointed at the fake Bot API."""
    from telegram import Bot

    urls = {"base_url": fake_telegram.base_url, "base_file_url": fake_telegram.base_file_url}
    async with Bot(fake_telegram.token, **urls) as bot:
        yield bot
