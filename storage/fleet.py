"""The fleet in the database: processes and their heartbeats, short exclusive sections, notifications, state.

Several `dozor run` processes may share one PostgreSQL database. Each writes a heartbeat row; one
whose heartbeat is older than the lease is dead, and what it held (outbox rows) goes to the others.
On SQLite only one writing process runs (see storage.single_writer), so these functions stay cheap there.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, text, type_coerce, update
from sqlalchemy.orm import Session

from storage.fleet_models import FleetProcess
from storage.models import Outbox, Source, UTCDateTime

OUTBOX_CHANNEL = "dozor_outbox"  # new messages wait in the outbox
KEEP_STOPPED = timedelta(days=1)  # how long `dozor status` still lists a process that stopped
OUTBOX_STATES = ("pending", "claimed", "sending", "sent", "dropped")


@dataclass(frozen=True)
class ProcessSeen:
    """One process as the database saw it."""

    id: str
    roles: list[str]
    host: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime
    stopped_at: datetime | None
    alive: bool
    counters: dict


def beat(session: Session, process_id: str, roles: list[str], host: str, pid: int, now: datetime, counters: dict) -> None:
    """Record that the process is alive (creating its row the first time), with its counters so far."""
    row = session.get(FleetProcess, process_id)
    if row is None:
        row = FleetProcess(id=process_id, roles=",".join(roles), host=host[:200], pid=pid, started_at=now)
        session.add(row)
    row.heartbeat_at, row.stopped_at, row.counters = now, None, counters


def stopped(session: Session, process_id: str, now: datetime, counters: dict) -> None:
    """Record a clean stop: the process holds nothing any more."""
    session.execute(
        update(FleetProcess).where(FleetProcess.id == process_id).values(stopped_at=now, heartbeat_at=now, counters=counters)
    )
    session.execute(delete(FleetProcess).where(FleetProcess.heartbeat_at < now - KEEP_STOPPED))


def alive_ids(session: Session, now: datetime, lease: timedelta) -> set[str]:
    """The processes that have not stopped and beat within the lease."""
    query = select(FleetProcess.id).where(FleetProcess.stopped_at.is_(None), FleetProcess.heartbeat_at > now - lease)
    return set(session.scalars(query))


def processes_seen(session: Session, now: datetime, lease: timedelta) -> list[ProcessSeen]:
    """Every process seen in the last day, newest first."""
    rows = session.scalars(
        select(FleetProcess).where(FleetProcess.heartbeat_at > now - KEEP_STOPPED).order_by(FleetProcess.started_at.desc())
    )
    return [
        ProcessSeen(
            row.id, row.roles.split(","), row.host, row.pid, row.started_at, row.heartbeat_at, row.stopped_at,
            row.stopped_at is None and row.heartbeat_at > now - lease, dict(row.counters or {}),
        )
        for row in rows
    ]


def lock_key(name: str) -> int:
    """A stable 64-bit advisory lock key for a name."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def exclusive(session: Session, name: str) -> bool:
    """Whether this transaction may do the fleet-wide job `name` now (False: another process is doing it).

    PostgreSQL: a transaction-level advisory lock, released at commit. SQLite: one writer, always True.
    """
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": lock_key(name)}))


def wait_exclusive(session: Session, name: str) -> None:
    """Wait until this transaction alone does the job `name` (PostgreSQL; nothing to wait for on SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(name)})


def notify(session: Session, channel: str) -> None:
    """Tell listening processes, when this transaction commits, that `channel` has news (PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_notify(channel, "")))


@dataclass(frozen=True)
class WorkState:
    """What waits in the database: due sources, sources being polled, and the outbox by state."""

    active_sources: int
    due_sources: int
    oldest_due_seconds: float
    leased_sources: int
    outbox: dict[str, int]


def work_state(session: Session, now: datetime) -> WorkState:
    """The work waiting in the database now."""
    active = Source.status == "active"
    oldest_due = type_coerce(func.min(Source.next_check_at), UTCDateTime)
    due = session.execute(select(func.count(), oldest_due).where(active, Source.next_check_at <= now)).one()
    total = session.scalar(select(func.count()).where(active))
    leased = session.scalar(select(func.count()).where(active, Source.claimed_by.is_not(None), Source.next_check_at > now))
    outbox = dict(session.execute(select(Outbox.status, func.count()).group_by(Outbox.status)).all())
    oldest = max(0.0, (now - due[1]).total_seconds()) if due[1] is not None else 0.0
    return WorkState(total, due[0], oldest, leased, {state: outbox.get(state, 0) for state in OUTBOX_STATES} | outbox)
