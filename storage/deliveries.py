"""What each chat has received (so no digest or alert repeats it), and what a capped message left out."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.db import in_chunks
from storage.models import Delivery, Overflow
from storage.story_models import StoryMember

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def record(session: Session, chat_pk: int, item_ids: Iterable[int], now: datetime) -> None:
    """The chat received these items (again is fine: the first time stays)."""
    rows = [{"chat_pk": chat_pk, "item_id": item_id, "delivered_at": now} for item_id in sorted(set(item_ids))]
    if rows:
        insert = _INSERTS[session.get_bind().dialect.name]
        session.execute(insert(Delivery).on_conflict_do_nothing(index_elements=["chat_pk", "item_id"]), rows)


def received(session: Session, chat_pks: list[int], item_ids: Iterable[int]) -> dict[int, set[int]]:
    """Chat id -> which of these items it received already."""
    found: dict[int, set[int]] = {pk: set() for pk in chat_pks}
    for chunk in in_chunks(sorted(set(item_ids))):
        query = select(Delivery.chat_pk, Delivery.item_id).where(
            Delivery.chat_pk.in_(chat_pks), Delivery.item_id.in_(chunk)
        )
        for chat_pk, item_id in session.execute(query):
            found[chat_pk].add(item_id)
    return found


def received_since(session: Session, chat_pks: list[int], since: datetime) -> dict[int, set[int]]:
    """Chat id -> the items it received after `since` (an item fetched after `since` can only be received after)."""
    found: dict[int, set[int]] = {pk: set() for pk in chat_pks}
    for chunk in in_chunks(chat_pks):
        query = select(Delivery.chat_pk, Delivery.item_id).where(Delivery.chat_pk.in_(chunk), Delivery.delivered_at > since)
        for chat_pk, item_id in session.execute(query):
            found[chat_pk].add(item_id)
    return found


def stories_received(session: Session, chat_pk: int, story_ids: Iterable[int]) -> set[int]:
    """Which of these stories the chat received an item of already."""
    found: set[int] = set()
    for chunk in in_chunks(sorted(set(story_ids))):
        query = (
            select(StoryMember.story_id)
            .join(Delivery, Delivery.item_id == StoryMember.item_id)
            .where(Delivery.chat_pk == chat_pk, StoryMember.story_id.in_(chunk))
            .distinct()
        )
        found.update(session.scalars(query))
    return found


def left_out(session: Session, topic_id: str, item_ids: list[int], now: datetime) -> int:
    """Keep the items of the stories a message left out of one topic; return the id its button names."""
    row = Overflow(topic_id=topic_id, item_ids=list(item_ids), created_at=now)
    session.add(row)
    session.flush()
    return row.id


def overflow(session: Session, overflow_id: int) -> Overflow | None:
    """What a "more" button stands for (None once it is pruned)."""
    return session.get(Overflow, overflow_id)


def prune(session: Session, before: datetime) -> int:
    """Forget deliveries and left-out stories older than `before`; return how many rows went."""
    gone = session.execute(delete(Delivery).where(Delivery.delivered_at < before)).rowcount
    return gone + session.execute(delete(Overflow).where(Overflow.created_at < before)).rowcount
