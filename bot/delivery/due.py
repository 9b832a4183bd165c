"""When a chat is due what: quiet hours, and each topic's scheduled digest by its own mode."""
from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.zones import zone_of
from storage import chats as chat_store
from storage.models import Chat, Subscription


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def in_quiet_hours(chat: Chat, now: datetime) -> bool:
    """Whether `now` falls in the chat's quiet hours (which may span midnight)."""
    if not chat.quiet_start or not chat.quiet_end:
        return False
    local = now.astimezone(zone_of(chat.timezone)).time()
    start, end = _clock(chat.quiet_start), _clock(chat.quiet_end)
    return start <= local < end if start <= end else local >= start or local < end


def digest_due(chat: Chat, mode: str, since: datetime, now: datetime) -> bool:
    """Whether a scheduled digest in `mode` (hourly or daily) is due now for a topic last digested at `since`."""
    if mode == "instant" or in_quiet_hours(chat, now):
        return False
    if mode == "hourly":
        return now.replace(minute=0, second=0, microsecond=0) > since
    zone = zone_of(chat.timezone)
    local_now = now.astimezone(zone)
    slot = datetime.combine(local_now.date(), _clock(chat.daily_at), zone)
    if slot > local_now:
        slot -= timedelta(days=1)
    return since < slot


def due_topics(chat: Chat, subscriptions: list[Subscription], now: datetime) -> list[Subscription]:
    """The subscriptions whose scheduled digest is due now; an instant topic's late items come daily."""
    due = []
    for subscription in subscriptions:
        mode = chat_store.delivery_mode(chat, subscription)
        if digest_due(chat, "daily" if mode == "instant" else mode, subscription.digest_since, now):
            due.append(subscription)
    return due
