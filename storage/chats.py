"""Chats that receive messages: their subscriptions, delivery choices, muted sources and pauses."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from storage.models import NEW_CHAT_TIMEZONE, Chat, MutedSource, Outbox, Source, Subscription

DEFAULTS = {"mode": "daily", "daily_at": "08:00", "quiet_start": None, "quiet_end": None}


def delivery_mode(chat: Chat, subscription: Subscription) -> str:
    """How a topic is delivered to the chat: its own choice, else the chat's (instant | hourly | daily)."""
    return subscription.mode or chat.mode


def get_chat(session: Session, chat_id: int) -> Chat | None:
    """The chat with this Telegram id."""
    return session.scalar(select(Chat).where(Chat.chat_id == chat_id))


def timezone_of(session: Session, chat_id: int) -> str:
    """The chat's time zone; a chat never seen has the one a new chat gets."""
    return session.scalar(select(Chat.timezone).where(Chat.chat_id == chat_id)) or NEW_CHAT_TIMEZONE


def ensure_chat(session: Session, chat_id: int, kind: str, title: str | None, language: str) -> Chat:
    """The chat with this Telegram id, created (or reactivated) on first contact."""
    chat = get_chat(session, chat_id)
    if chat is None:
        chat = Chat(chat_id=chat_id, kind=kind, title=title, language=language)
        session.add(chat)
        session.flush()
    elif not chat.active:
        chat.active, chat.inactive_reason = True, None
    return chat


def subscribed(session: Session, chat_pk: int) -> list[str]:
    """The topic ids a chat follows."""
    query = select(Subscription.topic_id).where(Subscription.chat_pk == chat_pk).order_by(Subscription.topic_id)
    return list(session.scalars(query))


def subscriptions(session: Session, chat_pk: int) -> list[Subscription]:
    """The chat's subscriptions with their choices, by topic id."""
    query = select(Subscription).where(Subscription.chat_pk == chat_pk).order_by(Subscription.topic_id)
    return list(session.scalars(query))


def subscribe(session: Session, chat_pk: int, topic_id: str) -> bool:
    """Follow a topic; False if already followed."""
    if session.get(Subscription, (chat_pk, topic_id)) is not None:
        return False
    session.add(Subscription(chat_pk=chat_pk, topic_id=topic_id))
    return True


def unsubscribe(session: Session, chat_pk: int, topic_id: str | None) -> int:
    """Stop following one topic, or all with None; return how many were removed."""
    query = delete(Subscription).where(Subscription.chat_pk == chat_pk)
    if topic_id is not None:
        query = query.where(Subscription.topic_id == topic_id)
    return session.execute(query).rowcount


def _drop_unsent(session: Session, chat_pk: int, reason: str) -> None:
    session.execute(
        update(Outbox)
        .where(Outbox.chat_pk == chat_pk, Outbox.status.in_(("pending", "claimed")))  # not one on the wire
        .values(status="dropped", error=reason)
    )


def pause(session: Session, chat_pk: int, now: datetime) -> bool:
    """Stop the chat's messages, keeping its subscriptions; drop what is not sent yet. False if paused already."""
    chat = session.get(Chat, chat_pk)
    if chat.paused_at is not None:
        return False
    chat.paused_at = now
    _drop_unsent(session, chat_pk, "the chat paused its messages")
    return True


def resume(session: Session, chat_pk: int, now: datetime, latest_item_id: int, latest_event_id: int) -> bool:
    """Messages again, from now on (no item or change that came while paused is sent); False if not paused."""
    chat = session.get(Chat, chat_pk)
    if chat.paused_at is None:
        return False
    chat.paused_at = None
    chat.alerted_through = max(chat.alerted_through, latest_item_id)
    chat.changes_alerted_through = max(chat.changes_alerted_through, latest_event_id)
    session.execute(update(Subscription).where(Subscription.chat_pk == chat_pk).values(digest_since=now))
    return True


def forget(session: Session, chat_pk: int) -> None:
    """Delete every subscription, muted source and choice of the chat, and what it has not been sent."""
    unsubscribe(session, chat_pk, None)
    session.execute(delete(MutedSource).where(MutedSource.chat_pk == chat_pk))
    _drop_unsent(session, chat_pk, "the chat deleted its subscriptions")
    chat = session.get(Chat, chat_pk)
    for name, value in DEFAULTS.items():
        setattr(chat, name, value)
    chat.paused_at = None


def mute_source(session: Session, chat_pk: int, source_id: int) -> bool:
    """Stop sending the chat what only this source carries; False if muted already (or no such source)."""
    if session.get(Source, source_id) is None or session.get(MutedSource, (chat_pk, source_id)) is not None:
        return False
    session.add(MutedSource(chat_pk=chat_pk, source_id=source_id))
    return True


def unmute_source(session: Session, chat_pk: int, source_id: int) -> bool:
    """Send the chat this source's items again; False if it was not muted."""
    query = delete(MutedSource).where(MutedSource.chat_pk == chat_pk, MutedSource.source_id == source_id)
    return session.execute(query).rowcount > 0


def muted_sources(session: Session, chat_pk: int) -> list[Source]:
    """The sources the chat muted, by name."""
    query = select(Source).join(MutedSource, MutedSource.source_id == Source.id).where(MutedSource.chat_pk == chat_pk)
    return list(session.scalars(query.order_by(Source.name)))


def muted_by_chat(session: Session, chat_pks: list[int]) -> dict[int, set[int]]:
    """Chat id -> the ids of the sources it muted, for these chats."""
    found: dict[int, set[int]] = {pk: set() for pk in chat_pks}
    for chat_pk, source_id in session.execute(
        select(MutedSource.chat_pk, MutedSource.source_id).where(MutedSource.chat_pk.in_(chat_pks))
    ):
        found[chat_pk].add(source_id)
    return found


def subscription_rows(session: Session, chat_pks: list[int] | None = None) -> dict[int, list]:
    """Chat id -> its subscriptions as read-only rows (topic_id, mode, silent, digest_since), cheaper than objects."""
    query = select(
        Subscription.chat_pk, Subscription.topic_id, Subscription.mode, Subscription.silent, Subscription.digest_since
    ).order_by(Subscription.chat_pk, Subscription.topic_id)
    if chat_pks is not None:
        query = query.where(Subscription.chat_pk.in_(chat_pks))
    found: dict[int, list] = {}
    for row in session.execute(query):
        found.setdefault(row.chat_pk, []).append(row)
    return found


def receiving(session: Session) -> list[tuple[Chat, list]]:
    """Every active, unpaused chat that follows at least one topic, with its subscriptions (as rows)."""
    chats = session.scalars(select(Chat).where(Chat.active.is_(True), Chat.paused_at.is_(None)).order_by(Chat.id))
    rows = subscription_rows(session)
    return [(chat, rows[chat.id]) for chat in chats if chat.id in rows]


def digested(session: Session, chats_by_topic: dict[str, list[int]], now: datetime) -> None:
    """These chats' subscriptions to these topics were digested through `now`."""
    for topic, chat_pks in chats_by_topic.items():
        session.execute(
            update(Subscription)
            .where(Subscription.topic_id == topic, Subscription.chat_pk.in_(chat_pks))
            .values(digest_since=now)
            .execution_options(synchronize_session=False)
        )


def change_subscribers(session: Session) -> list[tuple[Chat, list[str]]]:
    """Every active, unpaused chat with change alerts on for some topic, with those topics."""
    rows = session.execute(
        select(Chat, Subscription.topic_id)
        .join(Subscription, Subscription.chat_pk == Chat.id)
        .where(Chat.active.is_(True), Chat.paused_at.is_(None), Subscription.change_alerts.is_(True))
        .order_by(Chat.id, Subscription.topic_id)
    )
    grouped: dict[int, tuple[Chat, list[str]]] = {}
    for chat, topic in rows:
        grouped.setdefault(chat.id, (chat, []))[1].append(topic)
    return list(grouped.values())


def followers(session: Session, topic_id: str) -> list[Chat]:
    """The active chats that subscribed to a topic themselves (not the channels an admin has Dozor post into)."""
    query = (
        select(Chat)
        .join(Subscription, Subscription.chat_pk == Chat.id)
        .where(Subscription.topic_id == topic_id, Chat.active.is_(True), Chat.added_by.is_(None))
        .order_by(Chat.id)
    )
    return list(session.scalars(query))


def posted_into(session: Session) -> list[tuple[Chat, list[str]]]:
    """The channels and groups an admin has Dozor post into, with the topics of each, oldest first."""
    chats = session.scalars(select(Chat).where(Chat.added_by.is_not(None)).order_by(Chat.id))
    return [(chat, subscribed(session, chat.id)) for chat in chats]


def posted_chat(session: Session, name: str | None, chat_id: int | None) -> Chat | None:
    """The channel or group Dozor posts into, by its @username (any case, without @) or its chat id."""
    query = select(Chat).where(Chat.added_by.is_not(None))
    if name:
        return session.scalar(query.where(func.lower(Chat.username) == name.lower()))
    return session.scalar(query.where(Chat.chat_id == chat_id))
