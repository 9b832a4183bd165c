"""Spike and narrative-shift alerts for the subscribers who opted in, written to the outbox once each."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from html import escape
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.due import in_quiet_hours
from bot.markup import link, short
from bot.texts import t
from feeds.signals import spikes
from feeds.signals.narratives import topic_shares
from storage import chats as chat_store
from storage import fleet
from storage import outbox
from storage import signals as signal_store
from storage import stories as story_store
from storage import topics as topic_store
from storage.models import Chat
from storage.timeline import stories_by_id

TOP_STORIES = 5
TITLE_CHARS = 140
SHIFT_DAYS = 7  # shifts are looked for in this many complete days
FRESH_SHIFT = timedelta(days=3)  # a shift older than this is history, not news
SHIFT_EVERY = timedelta(hours=1)
UTC = ZoneInfo("UTC")


class SignalWriter:
    """Checks the opted-in subscribers' topics for spikes (every tick) and shifts (hourly)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        self._shifts_checked: datetime | None = None

    def _followers(self, session: Session, flag: str, now: datetime) -> dict[str, list[Chat]]:
        """Topic -> the opted-in chats following it (not in their quiet hours)."""
        found: dict[str, list[Chat]] = {}
        for chat, subscriptions in chat_store.receiving(session):  # paused chats are left out
            if getattr(chat, flag) and not in_quiet_hours(chat, now):
                for subscription in subscriptions:
                    found.setdefault(subscription.topic_id, []).append(chat)
        return found

    def spikes(self, now: datetime) -> int:
        """Enqueue a spike alert for each followed topic whose last hour is a spike; return messages queued."""
        queued = 0
        with self.sessions.begin() as session:
            fleet.wait_exclusive(session, "spikes")  # one collector at a time: the next sees the spike announced
            followers = self._followers(session, "spike_alerts", now)
            titles = topic_store.topic_titles(session)
            for topic, chats in followers.items():
                spike = spikes.find_spike(session, topic, now)
                if spike is None:
                    continue
                key = f"spike:{topic}:{now:%Y-%m-%dT%H:%M}"
                signal_store.record_sent(session, key, "spike", topic, now, f"{spike.count} vs {spike.usual.median:g}")
                stories = _top_stories(session, topic, now)
                for chat in chats:
                    text = _spike_text(spike, titles.get(topic, topic), stories, chat.language)
                    queued += outbox.enqueue(session, chat.id, f"{key}:{chat.id}", "alert", [text])
        return queued

    def shifts(self, now: datetime) -> int:
        """Enqueue an alert for each new narrative shift in a followed topic (checked at most hourly)."""
        if self._shifts_checked and now - self._shifts_checked < SHIFT_EVERY:
            return 0
        self._shifts_checked = now
        queued = 0
        today = datetime.combine(now.astimezone(timezone.utc).date(), time(), timezone.utc)
        with self.sessions.begin() as session:
            fleet.wait_exclusive(session, "shifts")  # one collector at a time: the next sees the shift announced
            followers = self._followers(session, "shift_alerts", now)
            titles = topic_store.topic_titles(session, kind=None)
            for topic, chats in followers.items():
                found = topic_shares(session, topic, today - timedelta(days=SHIFT_DAYS), today - timedelta(microseconds=1), UTC)
                for shift in found.shifts():
                    key = f"shift:{topic}:{shift.label}:{shift.day.isoformat()}:{shift.after}"
                    if today.date() - shift.day > FRESH_SHIFT or signal_store.was_sent(session, key):
                        continue
                    signal_store.record_sent(session, key, "shift", topic, now, f"{shift.before} -> {shift.after}")
                    for chat in chats:
                        text = t("shift_alert", chat.language, topic=titles.get(topic, topic), topic_id=topic,
                                 label=shift.label, before=titles.get(shift.before, shift.before),
                                 after=titles.get(shift.after, shift.after), day=shift.day.strftime("%d.%m.%Y"))
                        queued += outbox.enqueue(session, chat.id, f"{key}:{chat.id}", "alert", [text])
        return queued


def _top_stories(session: Session, topic: str, now: datetime):
    """The stories of the last hour's items, the most told first."""
    item_ids = signal_store.recent_item_ids(session, topic, now - spikes.HOUR, now)
    counts: dict[int, int] = {}
    for story_id in story_store.story_ids(session, item_ids).values():
        counts[story_id] = counts.get(story_id, 0) + 1
    ranked = sorted(counts, key=lambda story_id: (-counts[story_id], story_id))[:TOP_STORIES]
    return stories_by_id(session, ranked)


def _spike_text(spike: spikes.Spike, title: str, stories, language: str) -> str:
    lines = [t("spike_alert", language, topic=title, count=spike.count, usual=f"{spike.usual.median:g}")]
    if stories:
        lines += ["", t("spike_top", language)]
    for story in stories:
        head = link(story.first.url, escape(short(story.title, TITLE_CHARS), quote=False))
        lines.append(f"• {head}\n  {escape(', '.join(story.sources), quote=False)} ({len(story.items)})")
    return "\n".join(lines)
