"""Apply the Alembic migrations shipped with the package."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK = 0x646F7A6F726D  # "dozorm": processes starting together migrate one after the other


def alembic_config() -> Config:
    """An Alembic config pointing at storage/migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the database schema up to `revision`."""
    config = alembic_config()
    with engine.connect() as connection:
        # SQLite changes a table by copying it and dropping the old one; with foreign keys on, that drop
        # deletes its rows first and cascades (a chats change would delete every subscription).
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, "OFF")
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, "ON")


def _sqlite_foreign_keys(connection, state: str) -> None:
    # Outside any transaction (SQLite ignores this pragma inside one), so straight on the driver's connection.
    connection.connection.driver_connection.execute(f"PRAGMA foreign_keys={state}")


def autogenerate(engine: Engine, message: str) -> None:
    """Write a new revision from the models (a developer tool)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
