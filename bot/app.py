"""Building and running the Telegram bot: handlers, commands, jobs, and the outbox sender."""
from __future__ import annotations

import asyncio
import logging
from contextlib import asynccontextmanager

from sqlalchemy.orm import Session, sessionmaker
from telegram import BotCommand, Update
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes, Defaults

from bot import jobs
from bot.context import DozorApplication, DozorContext, Services
from bot.dispatch import Dispatcher
from bot.handlers import subscriber
from bot.handlers.errors import on_error
from bot.settings import Settings
from bot.texts import LANGUAGES
from feeds.collector import Collector

log = logging.getLogger("dozor.bot")

COMMANDS = {
    "start": {"en": "what Dozor is", "ru": "что такое Dozor", "uk": "що таке Dozor"},
    "help": {"en": "all commands", "ru": "все команды", "uk": "усі команди"},
    "topics": {"en": "topics to follow", "ru": "темы для подписки", "uk": "теми для підписки"},
    "subscribe": {"en": "follow a topic", "ru": "подписаться на тему", "uk": "підписатися на тему"},
    "unsubscribe": {"en": "stop following a topic", "ru": "отписаться от темы", "uk": "відписатися від теми"},
    "settings": {"en": "alerts or digests, time zone", "ru": "оповещения или дайджест", "uk": "сповіщення або дайджест"},
    "digest": {"en": "my digest now", "ru": "мой дайджест сейчас", "uk": "мій дайджест зараз"},
    "stop": {"en": "stop all messages", "ru": "остановить все сообщения", "uk": "зупинити всі повідомлення"},
}


def register_handlers(application) -> None:
    """Every command and button of the bot, and the error handler."""
    commands = {
        "start": subscriber.start,
        "help": subscriber.help_command,
        "topics": subscriber.topics,
        "subscribe": subscriber.subscribe,
        "unsubscribe": subscriber.unsubscribe,
        "settings": subscriber.settings,
        "digest": subscriber.digest,
        "stop": subscriber.stop,
    }
    for name, handler in commands.items():
        application.add_handler(CommandHandler(name, handler))
    application.add_handler(CallbackQueryHandler(subscriber.topic_button, pattern=r"^top:"))
    application.add_handler(CallbackQueryHandler(subscriber.settings_button, pattern=r"^set:"))
    application.add_error_handler(on_error)


async def register_commands(application) -> None:
    """Publish the command list with descriptions in each language; carry on if Telegram refuses."""
    try:
        for language in LANGUAGES:
            commands = [BotCommand(name, texts[language]) for name, texts in COMMANDS.items()]
            await application.bot.set_my_commands(commands, language_code=None if language == "en" else language)
    except Exception as exc:
        log.warning("could not register the command list (%s); carrying on", exc)


async def post_init(application) -> None:
    """Start the services that need the bot: command list, outbox sender, jobs."""
    from bot.sender import OutboxSender

    services: Services = application.services
    await register_commands(application)
    services.sender = OutboxSender(application.bot, services.sessions)
    # Started before the application runs, so it is a plain task that post_shutdown awaits.
    services.tasks.append(asyncio.create_task(services.sender.run(), name="outbox-sender"))
    jobs.schedule(application, services.settings.tick_seconds)


async def post_shutdown(application) -> None:
    """Stop the sender and close the collector."""
    services: Services = application.services
    if services.sender is not None:
        services.sender.stop()
    if services.tasks:
        await asyncio.wait(services.tasks, timeout=10)
    await services.collector.aclose()


def build_application(settings: Settings, sessions: sessionmaker[Session], collector: Collector):
    """The PTB Application with Dozor's services attached."""
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
    application.services = Services(settings, sessions, collector, Dispatcher(sessions))
    register_handlers(application)
    return application


def run_bot(settings: Settings, sessions: sessionmaker[Session], collector: Collector) -> None:
    """Run the bot (long polling) and the collector until stopped."""
    application = build_application(settings, sessions, collector)
    log.info("bot starting (long polling)")
    application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)


@asynccontextmanager
async def running(application):
    """Run an application inside an existing event loop (as run_polling does), for tests and embedding."""
    await application.initialize()
    await post_init(application)
    await application.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=Update.ALL_TYPES)
    await application.start()
    try:
        yield application
    finally:
        await application.updater.stop()
        await application.stop()
        await application.shutdown()
        await post_shutdown(application)
