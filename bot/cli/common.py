"""What the commands share: settings and the database."""
from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings, load_settings
from feeds.bootstrap import open_database
from feeds.fetch import FetchPolicy


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


class CommandError(Exception):
    """A failure to report as one line, without a traceback."""

    def __init__(self, message: str, exit_code: int = 1):
        super().__init__(message)
        self.exit_code = exit_code
