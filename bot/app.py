"""Building and running the Telegram bot: handlers, commands, jobs, and the outbox sender."""
from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager

from sqlalchemy.orm import Session, sessionmaker
from telegram import Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, ContextTypes, Defaults

from bot import fallback, jobs, menu, websub
from bot.admin import analyses as adding_analyses
from bot.admin import handlers as admin
from bot.admin import topic_titles
from bot.collecting import delivery_layout
from bot.common import stale_button
from bot.context import DozorApplication, DozorContext, Services
from bot.delivery.outbox_writer import OutboxWriter
from bot.errors import on_error
from bot.fleet.roles import ALL, SENDER
from bot.fleet.sending import build_sender
from bot.fleet.waking import wake_on_notifications
from bot.settings import Settings
from bot.subscriber import handlers as subscriber
from bot.subscriber import languages
from bot.volunteer import analyses as reading_analyses
from bot.volunteer import handlers as volunteer
from bot.webhook import webhook_options, webhook_secret
from feeds.collector import Collector
from storage import fleet

log = logging.getLogger("dozor.bot")

# Each handler module has register(application), adding its handlers (and its commands to bot.commands);
# the fallback answers what none of the others takes.
HANDLER_MODULES = (
    languages, subscriber, admin, topic_titles, volunteer, reading_analyses, adding_analyses, fallback
)


def register_handlers(application) -> None:
    """Every command and button of the bot, an answer to buttons none of them knows, and the error handler."""
    for module in HANDLER_MODULES:
        module.register(application)
    application.add_handler(CallbackQueryHandler(stale_button))  # last in its group: reached only by unknown data
    application.add_error_handler(on_error)


async def post_init(application) -> None:
    """Start the services that need the bot: command list, outbox sender (if this process sends), jobs."""
    services: Services = application.services
    await menu.publish_all(application.bot, services.roles)
    if SENDER in services.process_roles:
        services.sender = build_sender(
            application.bot, services.settings, services.sessions, services.member, services.roles
        )
        # Started before the application runs, so it is a plain task that post_shutdown awaits.
        services.tasks.append(asyncio.create_task(services.sender.run(), name="outbox-sender"))
        _wake_on(services, fleet.OUTBOX_CHANNEL, services.sender.wake)
    jobs.schedule(application, services.settings.tick_seconds, collecting=services.collector is not None)
    if services.collector is not None:  # pushed items go through this process's collector
        await websub.start(application)


def _wake_on(services: Services, channel: str, wake) -> None:
    listening = wake_on_notifications(services.settings.database_url, [channel], wake)
    if listening is not None:
        services.tasks.append(listening)


async def post_shutdown(application) -> None:
    """Stop the WebSub callback and the sender, and close the collector."""
    services: Services = application.services
    await websub.stop(services)
    if services.sender is not None:
        services.sender.stop()
    for task in services.tasks:
        if task.get_name().startswith("listen-"):
            task.cancel()
    if services.tasks:
        await asyncio.wait(services.tasks, timeout=10)
    if services.collector is not None:
        await services.collector.aclose()


def build_application(
    settings: Settings,
    sessions: sessionmaker[Session],
    collector: Collector | None,
    member=None,
    process_roles: tuple[str, ...] = ALL,
):
    """The PTB Application with Dozor's services attached (`member`: this process in the fleet)."""
    application = (
        ApplicationBuilder()
        .application_class(DozorApplication)
        .token(settings.bot_token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_url.replace("/bot", "/file/bot"))
        .context_types(ContextTypes(context=DozorContext))
        .defaults(Defaults(tzinfo=settings.tz))
        .post_init(post_init)
        .post_shutdown(post_shutdown)
        .build()
    )
    application.services = Services(
        settings, sessions, collector, OutboxWriter(sessions, delivery_layout(settings)),
        member=member, process_roles=process_roles,
    )
    register_handlers(application)
    return application


def run_bot(
    settings: Settings,
    sessions: sessionmaker[Session],
    collector: Collector | None,
    member=None,
    process_roles: tuple[str, ...] = ALL,
) -> None:
    """Run the bot (long polling, or a webhook when DOZOR_WEBHOOK_URL is set), and the collector if given, until stopped."""
    application = build_application(settings, sessions, collector, member, process_roles)
    if settings.webhook_url:
        log.info("bot starting (webhook at %s)", settings.webhook_url)
        application.run_webhook(**webhook_options(settings, webhook_secret(settings, sessions)))
    else:
        log.info("bot starting (long polling)")
        application.run_polling(allowed_updates=Update.ALL_TYPES)


@asynccontextmanager
async def running(application):
    """Run an application inside an existing event loop (as run_polling/run_webhook do), for tests and embedding."""
    settings = application.services.settings
    await application.initialize()
    await post_init(application)
    if settings.webhook_url:
        secret = webhook_secret(settings, application.services.sessions)
        await application.updater.start_webhook(**webhook_options(settings, secret))
    else:
        await application.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES)
    await application.start()
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        await post_shutdown(application)
