"""Running the collector and sender roles without the Telegram Application, until SIGINT or SIGTERM."""
from __future__ import annotations

import asyncio
import logging
import signal

from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot

from bot.fleet.collecting import collect_until
from bot.fleet.process import FleetMember
from bot.fleet.roles import SENDER
from bot.fleet.sending import build_sender
from bot.fleet.waking import wake_on_notifications
from bot.roles import Roles
from bot.settings import Settings
from feeds.collector import Collector
from storage import fleet

log = logging.getLogger("dozor")


async def run_headless(
    settings: Settings, sessions: sessionmaker[Session], member: FleetMember, collector: Collector | None
) -> None:
    """Run this process's collector and sender roles until asked to stop."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    tasks = []
    if collector is not None:
        tasks.append(asyncio.create_task(collect_until(stop, collector, settings.tick_seconds), name="collector"))
    try:
        if SENDER in member.roles:
            async with Bot(settings.bot_token, base_url=settings.telegram_base_url) as bot:
                sender = build_sender(bot, settings, sessions, member, Roles(sessions, settings.admin_ids))
                sending = asyncio.create_task(sender.run(), name="outbox-sender")
                waking = wake_on_notifications(settings.database_url, [fleet.OUTBOX_CHANNEL], sender.wake)
                await stop.wait()
                sender.stop()
                if waking is not None:
                    waking.cancel()
                await sending
        else:
            await stop.wait()
        await _finish(tasks)
    finally:
        if collector is not None:
            await collector.aclose()
        log.info("stopped")


async def _finish(tasks: list[asyncio.Task], grace: float = 10.0) -> None:
    """Let a tick under way finish for a while; what it leaves claimed goes to the others after the lease."""
    if not tasks:
        return
    _, late = await asyncio.wait(tasks, timeout=grace)
    for task in late:
        task.cancel()
    await asyncio.gather(*late, return_exceptions=True)
