"""What the commands share: settings, the database and the collector."""
from __future__ import annotations

import argparse
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.collecting import build_collector
from bot.settings import Settings, load_settings
from feeds.collector import Collector
from feeds.sources.bootstrap import open_database
from storage import single_writer
from storage import topics as topic_store
from storage.db import DatabaseUnavailable, failure_reason


def settings() -> Settings:
    """The settings, read once per command."""
    return load_settings()


def database(config: Settings) -> sessionmaker[Session]:
    """The migrated, seeded database of these settings (DatabaseUnavailable, saying why, if it cannot be)."""
    try:
        return open_database(config.database_url, seed_sources=config.default_feeds)
    except SQLAlchemyError as exc:
        where = shown_url(config.database_url)
        raise DatabaseUnavailable(f"cannot open the database {where}: {failure_reason(exc)}") from None


def shown_url(url: str) -> str:
    """The database URL without its password."""
    return make_url(url).render_as_string(hide_password=True)


def collector(config: Settings, sessions: sessionmaker[Session], owner: str | None = None) -> Collector:
    """The collector of these settings (claiming for process `owner`), with start-up's objects left out of GC."""
    built = build_collector(config, sessions, owner=owner)
    # Modules, ORM metadata and settings live as long as the process: without this every full
    # collection walks them again (0.24 of 3 CPU-seconds in bench/collect_bench.py's cold collect).
    gc.freeze()
    return built


MAX_ID = 2**63 - 1  # ids are BIGINT


def record_id(text: str) -> int:
    """An argparse type for a row id: a whole number from 1 to 2^63-1."""
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID):
        raise argparse.ArgumentTypeError(f"{text!r} is not an id (a whole number from 1 to {MAX_ID})")
    return int(text)


@contextmanager
def writing(config: Settings, who: str) -> Iterator[None]:
    """Hold the SQLite database's one writer lock while the block runs (nothing to hold on PostgreSQL)."""
    try:
        lock = single_writer.hold(config.database_url, who)
    except single_writer.WriterBusy as busy:
        raise CommandError(f"refusing to start: {busy}") from None
    try:
        yield
    finally:
        if lock is not None:
            lock.release()


@contextmanager
def role_process(config: Settings, roles: tuple[str, ...]) -> Iterator[tuple[sessionmaker[Session], object]]:
    """The database and this process's place in the fleet (heartbeat, metrics, log tag) while the block runs."""
    from bot.fleet.process import FleetMember, name_the_process_in_logs
    from bot.metrics import MetricsPortBusy

    with writing(config, f"a `dozor run` process ({', '.join(roles)})"):
        sessions = database(config)
        member = FleetMember(config, sessions, roles)
        name_the_process_in_logs(member.id, roles)
        try:
            member.start()
        except MetricsPortBusy as busy:
            raise CommandError(str(busy), exit_code=2) from None
        try:
            yield sessions, member
        finally:
            member.stop()


class CommandError(Exception):
    """A failure to report as one line, without a traceback."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code


def iso_time(text: str, flag: str) -> datetime:
    """An ISO 8601 date or time given to `flag` (UTC unless it says otherwise); CommandError if it is none."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CommandError(f"{flag} {text!r} is not an ISO 8601 date (try 2022-01-05 or 2022-01-05T10:00Z)", 2) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def topic_id(session: Session, name: str) -> str:
    """The topic a user named by id or title; CommandError listing the topics if there is none."""
    titles = topic_store.topic_titles(session)
    found = topic_store.topic_named(titles, name)
    if found is None:
        raise CommandError(f"no topic {name!r}; topics: {', '.join(titles) or 'none'}", 2)
    return found
