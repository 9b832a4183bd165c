"""Chats that receive messages, their subscriptions and delivery settings."""
from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from storage.models import NEW_CHAT_TIMEZONE, Chat, Outbox, Subscription


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


def stop(session: Session, chat_pk: int) -> None:
    """Unsubscribe from everything and drop messages not yet sent."""
    unsubscribe(session, chat_pk, None)
    session.execute(
        update(Outbox)
        .where(Outbox.chat_pk == chat_pk, Outbox.status.in_(("pending", "claimed")))  # not one on the wire
        .values(status="dropped", error="the chat sent /stop")
    )


def subscribers_with_topics(session: Session) -> list[tuple[Chat, list[str]]]:
    """Every active chat that follows at least one topic, with its topics."""
    rows = session.execute(
        select(Chat, Subscription.topic_id)
        .join(Subscription, Subscription.chat_pk == Chat.id)
        .where(Chat.active.is_(True))
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
