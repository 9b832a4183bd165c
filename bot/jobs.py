"""Repeating jobs on PTB's JobQueue: the collector tick, alerts after it, and scheduled digests."""
from __future__ import annotations

import asyncio
import logging

from bot.context import DozorContext
from bot.delivery.outbox_writer import notify_paused, notify_storage_failure
from feeds.analyses import linking
from feeds.schedule import JOB_OPTIONS
from storage.failures import STORAGE_ERRORS
from storage.models import utcnow

log = logging.getLogger("dozor.jobs")


async def collect(context: DozorContext) -> None:
    """Poll due sources, link what is new to analyses, alert instant subscribers about it, tell admins of pauses."""
    services = context.services
    summary = await services.collector.tick()
    if summary.storage_failure:
        await _tell_about_storage(services, summary.storage_failure)
    await after_store(services)
    await _tell_about_pauses(services)


async def _tell_about_pauses(services) -> None:
    """Queue the admins' notices of sources paused since the last tick, here or by another collecting process."""
    try:
        admins = await asyncio.to_thread(services.roles.all_admin_ids)
        queued = await asyncio.to_thread(notify_paused, services.sessions, admins)
    except STORAGE_ERRORS:
        log.warning("admins are told about paused sources once the database takes writes again")
        return
    if queued:
        _wake(services)


async def after_store(services) -> None:
    """What follows new items, polled or pushed: link them to analyses, alert instant subscribers, send."""
    try:
        await asyncio.to_thread(linking.after_collect, services.sessions)
    except Exception:  # alerts must still go out if linking fails
        log.exception("linking new items to analyses failed")
    async with services.alerting:
        await asyncio.to_thread(services.outbox_writer.alerts, utcnow())
    _wake(services)


async def _tell_about_storage(services, failure) -> None:
    """Queue the admins' notice of a failing database; while it cannot be written, the next tick tries again."""
    try:
        admins = await asyncio.to_thread(services.roles.all_admin_ids)
        await asyncio.to_thread(notify_storage_failure, services.sessions, admins, failure)
    except STORAGE_ERRORS:
        log.warning("admins are told about the storage failure once the database takes writes again")


async def digests(context: DozorContext) -> None:
    """Write every digest that is due to the outbox."""
    services = context.services
    count = await asyncio.to_thread(services.outbox_writer.scheduled_digests, utcnow())
    if count:
        log.info("queued digests for %d chats", count)
    _wake(services)


def _wake(services) -> None:
    if services.sender is not None:
        services.sender.wake()


def schedule(application, tick_seconds: int) -> None:
    """Register the repeating jobs."""
    queue = application.job_queue
    queue.run_repeating(collect, interval=tick_seconds, first=1, name="collect", job_kwargs=JOB_OPTIONS)
    queue.run_repeating(digests, interval=60, first=5, name="digests", job_kwargs=JOB_OPTIONS)
