"""Inserting many rows at once and learning their ids, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session


def insert_returning_ids(session: Session, table: Table, rows: list[dict]) -> list[int]:
    """Insert rows in bulk into a table with an integer `id`; return their ids in the same order."""
    if not rows:
        return []
    if session.get_bind().dialect.name != "sqlite" or len(rows) == 1:
        result = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        return list(result.scalars())
    # SQLite runs RETURNING for many rows one row at a time. Our write transactions hold the
    # database's only write lock from their BEGIN IMMEDIATE, so the ids after the largest are ours to give.
    first = session.scalar(select(func.coalesce(func.max(table.c.id), 0))) + 1
    ids = list(range(first, first + len(rows)))
    session.execute(insert(table), [{**row, "id": item_id} for item_id, row in zip(ids, rows)])
    return ids
