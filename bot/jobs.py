"""Repeating jobs on PTB's JobQueue: the collector tick (which hands new items on to alerts), and scheduled digests."""
from __future__ import annotations

import asyncio
import logging

from bot import metrics
from bot.context import DozorContext
from feeds.schedule import JOB_OPTIONS
from storage.models import utcnow

log = logging.getLogger("dozor.jobs")


async def collect(context: DozorContext) -> None:
    """Poll due sources (the tick links what is new and writes alerts and notices), then wake the sender."""
    summary = await context.services.collector.tick()
    metrics.record_tick(summary)
    wake_sender(context.services)


async def digests(context: DozorContext) -> None:
    """Write every digest that is due to the outbox."""
    services = context.services
    count = await asyncio.to_thread(services.outbox_writer.scheduled_digests, utcnow())
    if count:
        log.info("queued digests for %d chats", count)
    wake_sender(services)


def wake_sender(services) -> None:
    """Have the sender look at the outbox now (there is none before the bot has started)."""
    if services.sender is not None:
        services.sender.wake()


def schedule(application, tick_seconds: int, collecting: bool = True) -> None:
    """Register the repeating jobs: the collector tick (unless collectors run in other processes) and digests."""
    queue = application.job_queue
    if collecting:
        queue.run_repeating(collect, interval=tick_seconds, first=1, name="collect", job_kwargs=JOB_OPTIONS)
    queue.run_repeating(digests, interval=60, first=5, name="digests", job_kwargs=JOB_OPTIONS)
