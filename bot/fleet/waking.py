"""Waking a role at once when another process has news for it (PostgreSQL LISTEN/NOTIFY); polling stays the fallback."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from sqlalchemy.engine import make_url

from storage.listen import notifications

log = logging.getLogger("dozor.fleet")


def wake_on_notifications(database_url: str, channels: list[str], wake: Callable[[], object]) -> asyncio.Task | None:
    """A task calling `wake()` on every notification of these channels; None on SQLite (one process, nothing to hear)."""
    if make_url(database_url).get_backend_name() != "postgresql":
        return None
    return asyncio.create_task(_listen(database_url, channels, wake), name="listen-" + "-".join(channels))


async def _listen(database_url: str, channels: list[str], wake: Callable[[], object]) -> None:
    async for _ in notifications(database_url, channels):
        try:
            wake()
        except Exception:
            log.exception("waking on a notification failed")
