"""Per-host fetch slots shared by every collector on PostgreSQL: session advisory locks, N per host.

Slot k of a host is the advisory lock (hash of the host, k). A collector holds its slots on one
connection of its own, so a collector that dies (even by SIGKILL) loses them the moment its
connection closes, with no lease to wait for. The whole fleet then never has more than N
fetches to one host in flight.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

# One slot per statement: in `SELECT ... WHERE pg_try_advisory_lock(...) LIMIT 1` PostgreSQL may lock
# more rows than it returns (its docs warn of it), and a lock nobody knows of is never released.
_TRY = "SELECT pg_try_advisory_lock(%s, %s)"
_RELEASE = "SELECT pg_advisory_unlock(%s, %s)"
FIRST_WAIT, LONGEST_WAIT = 0.01, 0.1  # a fetch lasts a few tenths of a second: a longer wait would idle the slot


def psycopg_dsn(database_url: str) -> str:
    """The libpq connection string of a SQLAlchemy PostgreSQL URL."""
    return make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)


def host_key(host: str) -> int:
    """A signed 32-bit key for a host name."""
    return int.from_bytes(hashlib.blake2b(host.lower().encode(), digest_size=4).digest(), "big", signed=True)


class FleetHostSlots:
    """Holds at most `limit` slots per host across the fleet; `hold(host)` waits for one."""

    def __init__(self, database_url: str, limit: int) -> None:
        self.dsn = psycopg_dsn(database_url)
        self.limit = limit
        self._connection: psycopg.AsyncConnection | None = None
        self._lock = asyncio.Lock()
        self._held: dict[int, set[int]] = {}
        self._last_released: dict[int, int] = {}  # host key -> the slot this process released last
        self._offset = os.getpid() % limit
        self.waits = 0  # times a slot was busy fleet-wide and this process waited

    @asynccontextmanager
    async def hold(self, host: str, beside: asyncio.Semaphore | None = None) -> AsyncIterator[None]:
        """Wait for a free slot of `host` anywhere in the fleet, hold it while the block runs.

        `beside` (the process's own fetch slots) is held with it, but not while the fleet's slots are
        busy: a fetch waiting for a busy host must not keep a fetch to another host from starting.
        """
        key = host_key(host)
        slot, connection = await self._acquire(key, beside)
        try:
            yield
        finally:
            try:
                await self._release(key, slot, connection)
            finally:
                if beside is not None:
                    beside.release()

    async def _acquire(self, key: int, beside: asyncio.Semaphore | None) -> tuple[int, psycopg.AsyncConnection]:
        wait = FIRST_WAIT
        while True:
            if beside is not None:
                await beside.acquire()
            try:
                got = await self._try_once(key)
            except BaseException:
                if beside is not None:
                    beside.release()
                raise
            if got is not None:
                return got
            if beside is not None:
                beside.release()
            self.waits += 1
            await asyncio.sleep(wait)
            wait = min(LONGEST_WAIT, wait * 2)

    async def _try_once(self, key: int) -> tuple[int, psycopg.AsyncConnection] | None:
        async with self._lock:
            connection = await self._connected()
            taken = self._held.setdefault(key, set())
            try:
                slot = await self._try_slots(connection, key, taken)
            except psycopg.OperationalError:
                await self._drop(connection)
                raise
            if slot is None:
                return None
            taken.add(slot)
            return slot, connection

    async def _try_slots(self, connection: psycopg.AsyncConnection, key: int, taken: set[int]) -> int | None:
        """A slot of the host this process does not hold and could lock, or None.

        The slot this process gave back last is tried first (it was free then), else this process's own
        first slot: collectors that all began with slot 0 would each pay a failed round trip for it.
        """
        first = self._last_released.get(key, self._offset)
        for slot in ((first + n) % self.limit for n in range(self.limit)):
            if slot not in taken:
                row = await (await connection.execute(_TRY, (key, slot))).fetchone()
                if row[0]:
                    return slot
        return None

    async def _release(self, key: int, slot: int, connection: psycopg.AsyncConnection) -> None:
        async with self._lock:
            if connection is not self._connection:  # the connection closed, and its locks with it
                return
            self._held.get(key, set()).discard(slot)
            if not self._held.get(key):
                self._held.pop(key, None)
            try:
                await connection.execute(_RELEASE, (key, slot))
                self._last_released[key] = slot
            except psycopg.Error:
                log.warning("releasing a host slot failed; its connection is dropped, which releases it")
                await self._drop(connection)

    async def _connected(self) -> psycopg.AsyncConnection:
        if self._connection is None or self._connection.closed:
            self._connection = await psycopg.AsyncConnection.connect(self.dsn, autocommit=True)
            self._held.clear()
        return self._connection

    async def _drop(self, connection: psycopg.AsyncConnection) -> None:
        if connection is self._connection:
            self._connection = None
            self._held.clear()
        await connection.close()

    async def aclose(self) -> None:
        """Close the connection, releasing every slot."""
        if self._connection is not None:
            await self._connection.close()
            self._connection = None
