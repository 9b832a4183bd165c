"""Running the collector tick on a schedule when there is no bot (the bot uses PTB's JobQueue)."""
from __future__ import annotations

import asyncio
import logging
import signal

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from feeds.collector import Collector
from storage.models import utcnow

log = logging.getLogger(__name__)

# A tick may overrun its interval on a slow network; run the next one late rather than drop it.
JOB_OPTIONS = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 300}


async def safe_tick(collector: Collector) -> None:
    """One tick whose errors are logged, never raised into the scheduler."""
    try:
        await collector.tick()
    except asyncio.CancelledError:  # stopping: what the tick had not finished is polled at the next start
        log.info("collector tick stopped")
    except Exception:
        log.exception("collector tick failed")


async def run_standalone(collector: Collector, tick_seconds: int) -> None:
    """Tick every `tick_seconds` until SIGINT or SIGTERM."""
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(safe_tick, "interval", seconds=tick_seconds, args=[collector], next_run_time=utcnow(), **JOB_OPTIONS)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    scheduler.start()
    log.info("collector running, checking for due sources every %d s", tick_seconds)
    try:
        await stop.wait()
    finally:
        scheduler.shutdown(wait=False)
        await collector.aclose()
        log.info("collector stopped")
