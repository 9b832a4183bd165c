"""What the commands share: settings, the database and the collector."""
from __future__ import annotations

import gc

from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings, load_settings
from feeds.collector import Collector
from feeds.fetch import FetchPolicy
from feeds.sources.bootstrap import open_database


def settings() -> Settings:
    """The settings, read once per command."""
    return load_settings()


def database(config: Settings) -> sessionmaker[Session]:
    """The migrated, seeded database of these settings."""
    return open_database(config.database_url, seed_sources=config.default_feeds)


def fetch_policy(config: Settings) -> FetchPolicy:
    """The fetch limits of these settings."""
    return FetchPolicy(
        allow_private_networks=config.allow_private_networks,
        deadline_seconds=config.fetch_deadline_seconds,
        per_host_limit=config.per_host_limit,
    )


def collector(config: Settings, sessions: sessionmaker[Session]) -> Collector:
    """The collector of these settings, with start-up's objects left out of garbage collection."""
    built = Collector(sessions, fetch_policy(config), retention_days=config.retention_days)
    # Modules, ORM metadata and settings live as long as the process: without this every full
    # collection walks them again (0.24 of 3 CPU-seconds in bench/collect_bench.py's cold collect).
    gc.freeze()
    return built


class CommandError(Exception):
    """A failure to report as one line, without a traceback."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code
