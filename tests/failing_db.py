"""A real database that refuses writes as one on a full disk does: no mocks, the database's own error."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

_PG_FILL = """
CREATE FUNCTION dozor_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'could not extend file "base/16384/16385": No space left on device' USING ERRCODE = 'disk_full';
END $$;
CREATE TRIGGER dozor_disk_full BEFORE INSERT ON items FOR EACH STATEMENT EXECUTE FUNCTION dozor_disk_full();
"""
_PG_FREE = "DROP TRIGGER dozor_disk_full ON items; DROP FUNCTION dozor_disk_full();"


@contextmanager
def disk_full(engine):
    """Inside, SQLite may not grow its file (its own "database or disk is full", through this engine's
    connections), and PostgreSQL refuses to store items with `disk_full` (for every client)."""
    fill(engine)
    try:
        yield
    finally:
        free(engine)


def fill(engine) -> None:
    """Start refusing writes."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _no_new_pages)
        engine.dispose()
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql(_PG_FILL)


def free(engine) -> None:
    """Take writes again."""
    if engine.dialect.name == "sqlite":
        event.remove(engine, "connect", _no_new_pages)
        engine.dispose()
    else:
        with engine.begin() as connection:
            connection.exec_driver_sql(_PG_FREE)


def _no_new_pages(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    pages = cursor.execute("PRAGMA page_count").fetchone()[0]
    cursor.execute(f"PRAGMA max_page_count = {pages}")
    cursor.close()
