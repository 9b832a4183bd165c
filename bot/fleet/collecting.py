"""The collector role without the Telegram Application: tick after tick, counted for the metrics.

Each tick hands what it stored on to the stages bot.collecting builds (linking, alerts, admin
notices), which write to the outbox; the senders hear of it through LISTEN/NOTIFY.
"""
from __future__ import annotations

import asyncio
import logging

from bot import metrics
from feeds.collector import Collector, TickSummary

log = logging.getLogger("dozor.collector")


async def collect_until(stop: asyncio.Event, collector: Collector, tick_seconds: int) -> None:
    """Tick every `tick_seconds` (at once again while sources are still due) until `stop` is set."""
    while not stop.is_set():
        summary = await _tick(collector)
        if summary is not None:
            metrics.record_tick(summary)
            if summary.more_due:
                continue
        try:
            await asyncio.wait_for(stop.wait(), tick_seconds)
        except TimeoutError:
            pass


async def _tick(collector: Collector) -> TickSummary | None:
    try:
        return await collector.tick()
    except Exception:
        log.exception("collector tick failed")
        return None
