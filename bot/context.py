"""The typed context through which handlers reach Dozor's services."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session, sessionmaker
from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.delivery.outbox_writer import OutboxWriter
from bot.roles import Roles
from bot.settings import Settings
from feeds.collector import Collector
from storage.db import read_only


@dataclass
class Services:
    """What handlers and jobs use; built before the bot starts, closed after it stops."""

    settings: Settings
    sessions: sessionmaker[Session]
    collector: Collector | None  # None when collectors run in other processes
    outbox_writer: OutboxWriter
    sender: object | None = None  # bot.delivery.sender.OutboxSender, created in post_init (it needs the bot)
    websub: object | None = None  # bot.websub.WebSub in webhook mode, started in post_init
    tasks: list = field(default_factory=list)
    reads: sessionmaker[Session] = field(init=False)  # sessions that only read (no write lock, no row created)
    roles: Roles = field(init=False)
    member: object | None = None  # bot.fleet.process.FleetMember: this process in the fleet (None in tests)
    process_roles: tuple[str, ...] = ("collector", "sender", "bot")  # bot.fleet.roles.ALL

    def __post_init__(self) -> None:
        self.reads = read_only(self.sessions)
        self.roles = Roles(self.sessions, self.settings.admin_ids)

    async def is_admin(self, update: Update) -> bool:
        """Whether the person behind this update is a Dozor admin."""
        return await self.roles.update_is_admin(update)


class DozorApplication(Application):
    """A PTB Application that carries Dozor's services."""

    services: Services


class DozorContext(CallbackContext[ExtBot, dict, dict, dict]):
    """CallbackContext with `services`."""

    @property
    def services(self) -> Services:
        return self.application.services
