"""Deciding what each subscriber is due and writing it to the outbox (no Telegram calls here)."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.analysis_lines import analysis_lines
from bot.delivery.digest import compose_alert, compose_digest
from bot.messages import pack
from bot.texts import pause_reason, problem, t
from storage import analyses as analysis_store
from storage import chats as chat_store
from storage import digests as digest_store
from storage import outbox
from storage import sources as source_store
from storage import topics as topic_store
from storage.failures import StorageFailure
from storage.models import Chat, Source, utcnow
from storage.timeline import stories_by_id

BURST = 5


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def in_quiet_hours(chat: Chat, now: datetime) -> bool:
    """Whether `now` falls in the chat's quiet hours (which may span midnight)."""
    if not chat.quiet_start or not chat.quiet_end:
        return False
    local = now.astimezone(ZoneInfo(chat.timezone)).time()
    start, end = _clock(chat.quiet_start), _clock(chat.quiet_end)
    return start <= local < end if start <= end else local >= start or local < end


def digest_due(chat: Chat, now: datetime) -> bool:
    """Whether a scheduled digest is due for this chat now."""
    if chat.mode == "instant" or in_quiet_hours(chat, now):
        return False
    if chat.mode == "hourly":
        return now.replace(minute=0, second=0, microsecond=0) > chat.digest_since
    zone = ZoneInfo(chat.timezone)
    local_now = now.astimezone(zone)
    slot = datetime.combine(local_now.date(), _clock(chat.daily_at), zone)
    if slot > local_now:
        slot -= timedelta(days=1)
    return chat.digest_since < slot


DIGEST_BATCH = 500  # chats per transaction when many digests fall due at once


class _DigestComposer:
    """Composes the digests of many chats from one read of the items, once per distinct content."""

    def __init__(self, session: Session, topics: set[str], since: datetime, until: datetime) -> None:
        self.session = session
        self.pool = digest_store.matched_between(session, topics, since, until) if topics else []
        self.titles: dict[str, dict[str, str]] = {}  # language -> topic titles in it
        self._parts: dict[tuple, list[str]] = {}

    def parts(self, topics: tuple, since: datetime, zone: str, language: str) -> list[str]:
        """The digest messages for items of these topics fetched after `since`."""
        items = [i for i in self.pool if i.topic in topics and i.fetched_at > since]
        key = (tuple((i.item_id, i.topic) for i in items), zone, language)
        if key not in self._parts:
            copies = [_copy(i) for i in items]
            analyses = _analyses(self.session, copies, language)
            if language not in self.titles:
                self.titles[language] = topic_store.titles_in(self.session, language)
            views = _story_views(self.session, copies)
            self._parts[key] = compose_digest(copies, self.titles[language], ZoneInfo(zone), language, analyses, views)
        return self._parts[key]


class OutboxWriter:
    """Writes digests and alerts to the outbox, each period and item exactly once."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions

    def scheduled_digests(self, now: datetime) -> int:
        """Enqueue every digest that is due; return how many chats got one."""
        with self.sessions() as session:
            due = [(c.id, topics) for c, topics in chat_store.subscribers_with_topics(session) if digest_due(c, now)]
        count = 0
        for start in range(0, len(due), DIGEST_BATCH):
            batch = due[start : start + DIGEST_BATCH]
            with self.sessions.begin() as session, session.no_autoflush:
                chats = {c.id: c for c in session.scalars(select(Chat).where(Chat.id.in_([pk for pk, _ in batch])))}
                topics = {t for _, chat_topics in batch for t in chat_topics}
                composer = _DigestComposer(session, topics, min(c.digest_since for c in chats.values()), now)
                messages = [self._digest(chats[pk], topics, now, composer) for pk, topics in batch]
                outbox.enqueue_many(session, [m for m in messages if m])
                count += sum(1 for m in messages if m)
        return count

    def digest_now(self, chat_pk: int, now: datetime) -> int:
        """Enqueue this chat's digest for the period since its last one; return the number of messages."""
        with self.sessions.begin() as session:
            chat = session.get(Chat, chat_pk)
            topics = chat_store.subscribed(session, chat_pk)
            composer = _DigestComposer(session, set(topics), chat.digest_since, now)
            message = self._digest(chat, topics, now, composer)
            return outbox.enqueue_many(session, [message]) if message else 0

    def _digest(self, chat: Chat, topics: list[str], now: datetime, composer: _DigestComposer):
        """The chat's digest for (digest_since, now], or None if empty; moves digest_since to now."""
        parts = composer.parts(tuple(topics), chat.digest_since, chat.timezone, chat.language)
        chat.digest_since = now
        return outbox.NewMessage(chat.id, f"digest:{chat.id}:{now.isoformat()}", "digest", parts) if parts else None

    def alerts(self, now: datetime) -> int:
        """Enqueue instant alerts for new matched items; a burst becomes one message."""
        count = 0
        with self.sessions() as session:
            chats = [
                (c.id, topics)
                for c, topics in chat_store.subscribers_with_topics(session)
                if c.mode == "instant" and not in_quiet_hours(c, now)
            ]
        for chat_pk, topics in chats:
            with self.sessions.begin() as session:
                chat = session.get(Chat, chat_pk)
                count += self._alert(session, chat, topics, topic_store.titles_in(session, chat.language))
        return count

    def _alert(self, session: Session, chat: Chat, topics: list[str], titles: dict[str, str]) -> int:
        items = digest_store.matched_after(session, topics, chat.alerted_through)
        latest = max([chat.alerted_through, *(i.item_id for i in items)])
        told = digest_store.stories_alerted(session, (i.story_id for i in items if i.story_id), topics, chat.alerted_through)
        items = [i for i in items if i.story_id not in told]  # a story is alerted once, not again for each new outlet
        if not items:
            chat.alerted_through = max(latest, digest_store.latest_item_id(session))
            return 0
        zone = ZoneInfo(chat.timezone)
        by_story: dict[tuple, list] = {}  # the items of one story are alerted together, the story once
        for item in items:
            by_story.setdefault(("story", item.story_id) if item.story_id else ("item", item.item_id), []).append(item)
        analyses = _analyses(session, items, chat.language)
        views = _story_views(session, items)
        ids = [i.item_id for i in items]
        if len(by_story) > BURST:
            parts = compose_alert(items, titles, zone, chat.language, analyses, views)
            outbox.enqueue(session, chat.id, f"alert:{chat.id}:{min(ids)}-{max(ids)}", "alert", parts)
        else:
            for group in by_story.values():
                parts = compose_alert(group, titles, zone, chat.language, analyses, views)
                outbox.enqueue(session, chat.id, f"alert:{chat.id}:{min(i.item_id for i in group)}", "alert", parts)
        chat.alerted_through = latest
        return len({i.item_id for i in items})


def paused_notice(source: Source, language: str) -> str:
    """What admins are told when a source is paused."""
    reason = pause_reason(source, language) if source.paused_reason else problem(source.last_error_code, language)
    return t("source_paused_notice", language, name=source.name, id=source.id, reason=reason, url=source.url)


def notify_paused(sessions: sessionmaker[Session], admin_ids: list[int]) -> int:
    """Tell every admin, in a private chat, about sources paused by their errors since they were last told,
    by this process or any other (`dozor collect`, a second instance); return messages queued."""
    if not admin_ids:
        return 0  # kept due: the first admin hears of them
    queued = 0
    with sessions.begin() as session:
        for source in source_store.pauses_to_announce(session):
            for admin_id in admin_ids:
                chat = chat_store.ensure_chat(session, admin_id, "private", None, "en")
                key = f"notice:paused:{source.id}:{admin_id}:{source.error_count}:{source.last_checked_at.isoformat()}"
                queued += outbox.enqueue(session, chat.id, key, "notice", pack([paused_notice(source, chat.language)]))
            source.pause_notice_due = False
    return queued


def notify_storage_failure(sessions: sessionmaker[Session], admin_ids: list[int], failure: StorageFailure) -> int:
    """Tell every admin, once per failure, that the database refuses writes; return messages queued."""
    since = failure.since.strftime("%Y-%m-%d %H:%M")
    with sessions.begin() as session:
        queued = 0
        for admin_id in admin_ids:
            chat = chat_store.ensure_chat(session, admin_id, "private", None, "en")
            text = t("storage_failing", chat.language, since=since, error=failure.message)
            key = f"notice:storage:{failure.since.isoformat()}:{admin_id}"
            queued += outbox.enqueue(session, chat.id, key, "notice", pack([text]))
    return queued


def notify_topic_removed(session: Session, topic_id: str, title: str, chats: list[Chat], now: datetime) -> int:
    """Tell each chat that followed a topic, in its language, that the topic is gone and what it still follows."""
    queued = 0
    titles = topic_store.topic_titles(session)
    for chat in chats:
        rest = [titles[other] for other in chat_store.subscribed(session, chat.id) if other != topic_id and other in titles]
        remaining = ", ".join(rest) if rest else t("topic_removed_none_left", chat.language)
        text = t("topic_removed_notice", chat.language, title=title, remaining=remaining)
        key = f"notice:topic-removed:{topic_id}:{chat.id}:{now.isoformat()}"
        queued += outbox.enqueue(session, chat.id, key, "notice", pack([text]))
    return queued


def notify_channel_lost(session: Session, admin_ids: list[int], chat_pk: int, reason: str, bot_name: str) -> int:
    """Tell every admin that Dozor can no longer post into a channel or group an admin added (/channel)."""
    lost = session.get(Chat, chat_pk)
    if lost is None or lost.added_by is None:
        return 0  # a chat that subscribed itself: nobody else to tell
    queued = 0
    for admin_id in admin_ids:
        chat = chat_store.ensure_chat(session, admin_id, "private", None, "en")
        text = t("channel_lost_notice", chat.language, chat=lost.shown_name, reason=reason, bot=bot_name)
        key = f"notice:channel-lost:{lost.id}:{admin_id}:{utcnow().isoformat()}"
        queued += outbox.enqueue(session, chat.id, key, "notice", pack([text]))
    return queued


def _analyses(session: Session, items, language: str) -> dict[int, str]:
    """Item id -> the "Analysis: <title>" lines of the analyses linked to it, indented as a story's lines."""
    refs = analysis_store.links_for_items(session, [i.item_id for i in items])
    return {item_id: line.replace("\n", "\n  ") for item_id, line in analysis_lines(refs, language).items()}


def _story_views(session: Session, items) -> dict:
    """Story id -> the whole story (its first report and every source so far) of these items."""
    story_ids = sorted({i.story_id for i in items if i.story_id is not None})
    return {view.id: view for view in stories_by_id(session, story_ids)}


def _copy(item):
    from dataclasses import replace

    return replace(item, sources=list(item.sources), terms=list(item.terms))
