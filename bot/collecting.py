"""The collector as Dozor runs it, with the bot or without: the settings' fetch limits, and what it
stores handed on to alerts and admin notices in the outbox (sent by the bot, now or once it starts)."""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.digest import Layout
from bot.delivery.outbox_writer import OutboxWriter, notify_paused, notify_storage_failure
from bot.delivery.signals_writer import SignalWriter
from bot.roles import Roles
from bot.settings import Settings
from feeds.channel_pager import PagingPolicy
from feeds.collector import AfterStore, Collector, TickSummary
from feeds.fetch import FetchPolicy
from feeds.parse_pool import ParsePool
from storage.failures import STORAGE_ERRORS
from storage.host_slots import FleetHostSlots
from storage.models import utcnow

log = logging.getLogger("dozor.collecting")


def fetch_policy(config: Settings) -> FetchPolicy:
    """The fetch limits of these settings."""
    return FetchPolicy(
        allow_private_networks=config.allow_private_networks,
        deadline_seconds=config.fetch_deadline_seconds,
        per_host_limit=config.per_host_limit,
        global_limit=config.fetch_limit,
    )


def paging_policy(config: Settings) -> PagingPolicy:
    """How far Telegram channels are paged back, by these settings; one refresh pages for one fetch deadline."""
    return PagingPolicy(
        gap_days=config.channel_gap_days,
        gap_posts=config.channel_gap_posts,
        backfill_days=config.channel_backfill_days,
        round_seconds=config.fetch_deadline_seconds,
    )


def delivery_layout(config: Settings) -> Layout:
    """How many stories a topic a digest or alert shows, and when an item is late, by these settings."""
    return Layout(config.stories_per_topic, timedelta(days=config.late_after_days))


def delivery_stages(sessions: sessionmaker[Session], roles: Roles, layout: Layout = Layout()) -> list[AfterStore]:
    """The bot's stages after each tick: a notice of a failing database, instant alerts, change alerts, notices
    of paused sources, and the opt-in spike and narrative-shift alerts."""
    writer = OutboxWriter(sessions, layout)
    signals = SignalWriter(sessions)

    def storage_notice(summary: TickSummary) -> None:
        """Tell every admin the database refuses writes; while it cannot be written, a later tick tries again."""
        if summary.storage_failure:
            try:
                notify_storage_failure(sessions, roles.all_admin_ids(), summary.storage_failure)
            except STORAGE_ERRORS:
                log.warning("admins are told about the storage failure once the database takes writes again")

    def alerts(summary: TickSummary) -> None:
        """Alert instant subscribers about items matched since each one's last alert."""
        writer.alerts(utcnow())

    def change_alerts(summary: TickSummary) -> None:
        """Tell those who asked for them about edits and deletions of their topics' items since their last."""
        writer.change_alerts(utcnow())

    def paused_notices(summary: TickSummary) -> None:
        """Tell every admin about the sources paused since they were last told, by this process or another."""
        try:
            notify_paused(sessions, roles.all_admin_ids())
        except STORAGE_ERRORS:
            log.warning("admins are told about paused sources once the database takes writes again")

    def spikes_and_shifts(summary: TickSummary) -> None:
        """Alert who opted in about topics spiking in the last hour and narrative shifts that held."""
        now = utcnow()
        signals.spikes(now)
        signals.shifts(now)

    return [storage_notice, alerts, change_alerts, paused_notices, spikes_and_shifts]


def build_collector(
    config: Settings, sessions: sessionmaker[Session], pool: ParsePool | None = None, owner: str | None = None
) -> Collector:
    """The collector of these settings, handing each tick on to linking, alerts and notices.

    `owner` is the process id written on the sources it claims; on PostgreSQL the per-host limit
    holds for every collector sharing the database.
    """
    roles = Roles(sessions, config.admin_ids)
    on_postgres = sessions.kw["bind"].dialect.name == "postgresql"
    return Collector(
        sessions,
        fetch_policy(config),
        retention_days=config.retention_days,
        pool=pool,
        paging=paging_policy(config),
        parse_workers=config.parse_workers,
        parse_deadline_seconds=config.parse_deadline_seconds,
        after_store=delivery_stages(sessions, roles, delivery_layout(config)),
        owner=owner,
        lease=timedelta(seconds=config.lease_seconds),
        fleet_slots=FleetHostSlots(config.database_url, config.per_host_limit) if on_postgres else None,
    )
