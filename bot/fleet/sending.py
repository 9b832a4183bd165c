"""Building the outbox sender for this process: alone on SQLite, one of a fleet on PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot

from bot.delivery.outbox_writer import notify_channel_lost
from bot.delivery.ratelimit import Limits
from bot.delivery.sender import OutboxSender, SenderFleet
from bot.fleet.process import FleetMember
from bot.roles import Roles
from bot.settings import Settings
from storage.outbox import ChatSpacing


def limits(settings: Settings) -> Limits:
    """Telegram's flood limits as configured."""
    return Limits(settings.send_per_second, settings.send_per_chat_per_second, settings.send_per_group_per_minute)


def sender_fleet(settings: Settings, sessions: sessionmaker[Session], member: FleetMember | None) -> SenderFleet | None:
    """How this process's sender shares the work: on PostgreSQL with every other sender, on SQLite with none."""
    if member is None:
        return None
    if sessions.kw["bind"].dialect.name != "postgresql":
        return SenderFleet(owner=member.id)
    configured = limits(settings)
    spacing = ChatSpacing(
        private=timedelta(seconds=configured.chat_interval(1)), group=timedelta(seconds=configured.chat_interval(-1))
    )
    return SenderFleet(member.id, member.alive, spacing, shared_pace=True, takeover_seconds=member.beat_seconds)


def build_sender(
    bot: Bot, settings: Settings, sessions: sessionmaker[Session], member: FleetMember | None, roles: Roles
) -> OutboxSender:
    """The sender of this process (the bot initialized); the admins hear of a channel it can no longer post to."""

    def channel_lost(session: Session, chat_pk: int, reason: str) -> None:
        notify_channel_lost(session, roles.admin_ids_in(session), chat_pk, reason, bot.username)

    return OutboxSender(
        bot, sessions, limits(settings), fleet=sender_fleet(settings, sessions, member), on_chat_lost=channel_lost
    )
