"""Listening for PostgreSQL notifications (storage.fleet.notify) on a connection of its own."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import psycopg
from psycopg import sql

from storage.host_slots import psycopg_dsn

log = logging.getLogger(__name__)
RECONNECT_SECONDS = 5.0
RECONNECTED = ""  # yielded after a reconnection: notifications sent meanwhile were missed


async def notifications(database_url: str, channels: list[str]) -> AsyncIterator[str]:
    """Yield the channel of every notification, forever; after a lost connection, reconnect and yield RECONNECTED."""
    first = True
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(psycopg_dsn(database_url), autocommit=True) as connection:
                for channel in channels:
                    await connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
                if not first:
                    yield RECONNECTED
                first = False
                async for notification in connection.notifies():
                    yield notification.channel
        except psycopg.OperationalError as error:
            log.warning("listening for notifications failed (%s); polling meanwhile, reconnecting in %.0f s",
                        error, RECONNECT_SECONDS)
            first = False
            await asyncio.sleep(RECONNECT_SECONDS)
