"""Deciding what each subscriber is due and writing it to the outbox (no Telegram calls here)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.delivery.analysis_lines import analysis_lines
from bot.delivery.buttons import LABEL_NAME_CHARS, MORE, alert_buttons, button
from bot.delivery.change_alert import compose_change
from bot.delivery.digest import Composed, Layout, compose_alert, compose_digest, merge_stories
from bot.delivery.due import due_topics, in_quiet_hours
from bot.markup import short
from bot.messages import pack
from bot.texts import pause_reason, problem, t
from bot.zones import zone_of
from storage import analyses as analysis_store
from storage import chats as chat_store
from storage import deliveries
from storage import digests as digest_store
from storage import outbox
from storage import sources as source_store
from storage import topics as topic_store
from storage import versions
from storage.digests import MatchedItem
from storage.failures import StorageFailure
from storage.models import Chat, Source, utcnow
from storage.timeline import stories_by_id

BURST = 5  # up to this many new stories are alerted one message each; more make one message
DIGEST_BATCH = 500  # chats per transaction when many digests fall due at once


def without_muted(items: list[MatchedItem], muted: set[int]) -> list[MatchedItem]:
    """The items with the muted sources left out; an item only muted sources carry is left out itself."""
    if not muted:
        return items
    kept = []
    for item in items:
        pairs = [(i, name) for i, name in zip(item.source_ids, item.sources) if i not in muted]
        if pairs:
            ids, names = zip(*pairs)
            kept.append(replace(item, source_ids=list(ids), sources=list(names)))
    return kept


@dataclass
class _Due:
    """What one chat's digest covers: each topic since when, the topics whose late items only, and what to skip."""

    since: dict[str, datetime]
    late_only: set[str]
    muted: set[int]
    received: set[int]


class _DigestComposer:
    """Composes the digests of many chats from one read of the items, once per distinct content."""

    def __init__(self, session: Session, topics: set[str], since: datetime, until: datetime, layout: Layout) -> None:
        self.session = session
        self.layout = layout
        self.pool = digest_store.matched_between(session, topics, since, until) if topics else []
        self._titles: dict[str, dict[str, str]] = {}  # language -> topic titles in it
        self._composed: dict[tuple, Composed] = {}

    def titles_in(self, language: str) -> dict[str, str]:
        """Topic titles in `language`, read once."""
        if language not in self._titles:
            self._titles[language] = topic_store.titles_in(self.session, language)
        return self._titles[language]

    def compose(self, due: _Due, zone: str, language: str) -> Composed:
        """The digest of what is due and not received yet."""
        items = [
            i for i in self.pool
            if i.topic in due.since and i.fetched_at > due.since[i.topic] and i.item_id not in due.received
            and (i.topic not in due.late_only or self.layout.late(i))
        ]
        items = without_muted(items, due.muted)
        key = (tuple((i.item_id, i.topic, tuple(i.source_ids)) for i in items), zone, language)
        if key not in self._composed:
            copies = [_copy(i) for i in items]
            analyses = _analyses(self.session, copies, language)
            views = story_views(self.session, copies)
            self._composed[key] = compose_digest(
                copies, self.titles_in(language), zone_of(zone), language, analyses, self.layout, views
            )
        return self._composed[key]


class OutboxWriter:
    """Writes digests and alerts to the outbox, each item to each chat once (storage.deliveries)."""

    def __init__(self, sessions: sessionmaker[Session], layout: Layout = Layout()) -> None:
        self.sessions = sessions
        self.layout = layout

    def scheduled_digests(self, now: datetime) -> int:
        """Enqueue every digest that is due; return how many chats got one."""
        with self.sessions() as session:
            due = [c.id for c, subs in chat_store.receiving(session) if due_topics(c, subs, now)]
        count = 0
        for start in range(0, len(due), DIGEST_BATCH):
            pks = due[start : start + DIGEST_BATCH]
            with self.sessions.begin() as session:
                chats = _lock_chats(session, pks)
                subs = chat_store.subscription_rows(session, [c.id for c in chats])  # read again under the lock
                chosen = {c.id: due_topics(c, subs.get(c.id, []), now) for c in chats}
                chats = [c for c in chats if chosen[c.id]]  # another process composed the others meanwhile
                if chats:
                    count += self._digests(session, chats, subs, chosen, now, on_demand=False)
        return count

    def digest_now(self, chat_pk: int, now: datetime) -> int:
        """Enqueue this chat's digest of every topic it follows: what it has not received since each one's last."""
        with self.sessions.begin() as session:
            chat = session.get(Chat, chat_pk, with_for_update=True)  # a scheduled digest of it composes after, or before
            subs = chat_store.subscription_rows(session, [chat_pk])
            if not subs:
                return 0
            return self._digests(session, [chat], subs, subs, now, on_demand=True)

    def _digests(self, session: Session, chats: list[Chat], subs: dict[int, list], chosen: dict[int, list],
                 now: datetime, on_demand: bool) -> int:
        """Write the digests of the chosen subscriptions of these chats; return how many chats got one."""
        since = min(s.digest_since for rows in chosen.values() for s in rows)
        topics = {s.topic_id for rows in chosen.values() for s in rows}
        composer = _DigestComposer(session, topics, since, now, self.layout)
        muted = chat_store.muted_by_chat(session, [c.id for c in chats])
        received = deliveries.received_since(session, [c.id for c in chats], since)  # alerted before a switch too
        messages = []
        for chat in chats:
            rows = chosen[chat.id]
            late_only = set() if on_demand else {s.topic_id for s in rows if chat_store.delivery_mode(chat, s) == "instant"}
            due = _Due({s.topic_id: s.digest_since for s in rows}, late_only, muted[chat.id], received.get(chat.id, set()))
            messages.append(self._digest(session, chat, rows, due, now, composer, records_deliveries(chat, subs[chat.id])))
        by_topic: dict[str, list[int]] = {}
        for chat in chats:
            for row in chosen[chat.id]:
                by_topic.setdefault(row.topic_id, []).append(chat.id)
        chat_store.digested(session, by_topic, now)
        outbox.enqueue_many(session, [m for m in messages if m])
        return sum(1 for m in messages if m)

    def _digest(self, session: Session, chat: Chat, subs: list, due: _Due, now: datetime, composer: _DigestComposer,
                record: bool) -> outbox.NewMessage | None:
        """The digest of these subscriptions, or None if empty; with `record`, its items are noted as received."""
        composed = composer.compose(due, chat.timezone, chat.language)
        if not composed.parts:
            return None
        if record:
            deliveries.record(session, chat.id, composed.item_ids, now)
        buttons = self._more_buttons(session, chat, composed, now, composer.titles_in(chat.language))
        silent = {s.topic for s in composed.sections} <= {s.topic_id for s in subs if s.silent}
        key = digest_key(chat.id, due.since)
        return outbox.NewMessage(chat.id, key, "digest", composed.parts, buttons=buttons or None, silent=silent)

    @staticmethod
    def _more_buttons(session: Session, chat: Chat, composed: Composed, now: datetime, titles: dict[str, str]) -> list:
        """A "more" button for each topic the message cut, naming the stories it left out (stored once per content)."""
        if composed.more_buttons is None:
            composed.more_buttons = []
            for topic, item_ids in composed.overflow().items():
                left = next(len(s.rest) for s in composed.sections if s.topic == topic)
                kept = deliveries.left_out(session, topic, item_ids, now)
                composed.more_buttons.append([more_button(kept, 0, left, titles.get(topic, topic), chat.language)])
        return list(composed.more_buttons)

    def alerts(self, now: datetime) -> int:
        """Enqueue instant alerts for new matched items; a burst becomes one message."""
        count = 0
        with self.sessions() as session:
            chats = [
                (chat.id, instant)
                for chat, subs in chat_store.receiving(session)
                if not in_quiet_hours(chat, now)
                and (instant := [s.topic_id for s in subs if chat_store.delivery_mode(chat, s) == "instant"])
            ]
        for chat_pk, topics in chats:
            with self.sessions.begin() as session:
                chat = session.get(Chat, chat_pk, with_for_update=True)  # another collector waits, then sees the move
                count += self._alert(session, chat, topics, topic_store.titles_in(session, chat.language), now)
        return count

    def _alert(self, session: Session, chat: Chat, topics: list[str], titles: dict[str, str], now: datetime) -> int:
        items = digest_store.matched_after(session, topics, chat.alerted_through)
        latest = max([chat.alerted_through, *(i.item_id for i in items)])
        chat.alerted_through = max(latest, digest_store.latest_item_id(session)) if not items else latest
        items = [i for i in items if not self.layout.late(i)]  # an old item newly seen waits for a digest
        items = without_muted(items, chat_store.muted_by_chat(session, [chat.id])[chat.id])
        received = deliveries.received(session, [chat.id], [i.item_id for i in items])[chat.id]
        items = [i for i in items if i.item_id not in received]
        stories = self._untold(session, chat, items, now)
        if not stories:
            return 0
        zone = zone_of(chat.timezone)
        silent_topics = {s.topic_id for s in chat.topics if s.silent}
        groups = [[i for story in stories for i in story]] if len(stories) > BURST else stories
        analyses = _analyses(session, items, chat.language)
        views = story_views(session, items)
        for group in groups:
            ids = sorted({i.item_id for i in group})
            key = f"alert:{chat.id}:{ids[0]}-{ids[-1]}" if len(ids) > 1 else f"alert:{chat.id}:{ids[0]}"
            composed = compose_alert(group, titles, zone, chat.language, analyses, self.layout, views)
            deliveries.record(session, chat.id, composed.item_ids, now)
            shown = [story for section in composed.sections for story in section.shown]
            buttons = self._more_buttons(session, chat, composed, now, titles)
            buttons += alert_buttons(shown, titles, chat.language)
            silent = {i.topic for i in group} <= silent_topics
            outbox.enqueue(session, chat.id, key, "alert", composed.parts, buttons=buttons, silent=silent)
        return len({i.item_id for story in stories for i in story})

    @staticmethod
    def _untold(session: Session, chat: Chat, items: list[MatchedItem], now: datetime) -> list[list[MatchedItem]]:
        """The new items by story, as digests group them; a story the chat received already is not told again."""
        told = deliveries.stories_received(session, chat.id, [i.story_id for i in items if i.story_id is not None])
        again = [i.item_id for i in items if i.story_id in told]
        deliveries.record(session, chat.id, again, now)  # told already, by another outlet or link
        untold = [i for i in items if i.story_id not in told]
        groups = [[i for i in untold if i.item_id in set(story.item_ids)] for story in merge_stories(untold)]
        return sorted(groups, key=lambda group: min(i.item_id for i in group))  # in the order they came

    def change_alerts(self, now: datetime) -> int:
        """Enqueue an "Edited" or "Deleted" alert per change of an item of a topic the chat asked them for."""
        with self.sessions() as session:
            chats = [(c.id, c.changes_alerted_through, c.language, topics)
                     for c, topics in chat_store.change_subscribers(session) if not in_quiet_hours(c, now)]
            if not chats:
                return 0
            changes, last = versions.changes_after(session, min(after for _, after, _, _ in chats), limit=CHANGES_BATCH)
            titles = {language: topic_store.titles_in(session, language) for _, _, language, _ in chats}
        count = 0
        for chat_pk, after, language, topics in chats:
            if after >= last:
                continue  # nothing recorded since this chat's last pass: no transaction for it
            with self.sessions.begin() as session:
                chat = session.get(Chat, chat_pk, with_for_update=True)  # another collector waits, then sees the move
                count += self._changes(session, chat, set(topics), changes, titles[language], last)
        return count

    def _changes(
        self, session: Session, chat: Chat, topics: set[str], changes: list, titles: dict[str, str], last: int
    ) -> int:
        """Enqueue this chat's change alerts after its watermark, each under a key of its own event."""
        mine = [c for c in changes if c.event_id > chat.changes_alerted_through and topics & set(c.topics)]
        if mine:
            muted = chat_store.muted_by_chat(session, [chat.id])[chat.id]
            mine = [c for c in mine if not (c.source_ids and c.source_ids <= muted)]  # only muted sources carry it
        zone = zone_of(chat.timezone)
        silent_topics = {s.topic_id for s in chat.topics if s.silent}
        messages = [
            outbox.NewMessage(chat.id, f"change:{chat.id}:{c.event_id}", "alert",
                              compose_change(c, titles, zone, chat.language), silent=topics & set(c.topics) <= silent_topics)
            for c in mine
        ]
        outbox.enqueue_many(session, messages)
        chat.changes_alerted_through = max(chat.changes_alerted_through, last)
        return len(messages)


def records_deliveries(chat: Chat, subscriptions: list) -> bool:
    """Whether the chat's deliveries are recorded: alerts and digests, or digests on two schedules, both send to it.

    A chat whose topics all come in one digest schedule needs no record of its deliveries: each digest
    covers the time since the last (digest_since), so none repeats another.
    """
    modes = {chat_store.delivery_mode(chat, s) for s in subscriptions}
    return "instant" in modes or len(modes) > 1


def more_button(overflow_id: int, offset: int, left: int, topic: str, language: str) -> dict:
    """The button that shows what a message left out of a topic, `offset` stories on."""
    label = t("btn_more", language, n=left, topic=short(topic, LABEL_NAME_CHARS))
    return button(label, data=f"{MORE}:{overflow_id}:{offset}")

CHANGES_BATCH = 500  # events read per pass; the rest follow in the next


def _lock_chats(session: Session, chat_pks: list[int]) -> list[Chat]:
    """Lock these chats for composing their digests, skipping those another process is composing now.

    Their subscriptions are read after the lock: a digest another process composed meanwhile moved them on.
    """
    query = select(Chat).where(Chat.id.in_(chat_pks)).order_by(Chat.id).with_for_update(skip_locked=True)
    return list(session.scalars(query))


def digest_key(chat_pk: int, since: dict[str, datetime]) -> str:
    """The idempotency key of a digest: the chat and the period of each topic it covers.

    Whoever composes the same period again gets the same key, and the outbox adds nothing.
    """
    period = ",".join(f"{topic}@{at.isoformat()}" for topic, at in sorted(since.items()))
    return f"digest:{chat_pk}:{hashlib.blake2b(period.encode(), digest_size=10).hexdigest()}"


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
    for chat in chats:
        titles = topic_store.titles_in(session, chat.language)
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


def _copy(item: MatchedItem) -> MatchedItem:
    return replace(item, sources=list(item.sources), terms=list(item.terms), source_ids=list(item.source_ids))


def story_views(session: Session, items) -> dict:
    """Story id -> the whole story (its first report and every source so far) of these items."""
    story_ids = sorted({i.story_id for i in items if i.story_id is not None})
    return {view.id: view for view in stories_by_id(session, story_ids)}

