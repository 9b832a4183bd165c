"""What spikes and shifts are found from and remembered in: counts in time windows, and the signals sent."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from storage.models import Item, Match
from storage.story_models import SignalSent


def counts_in_windows(session: Session, topic: str, windows: list[tuple[datetime, datetime]]) -> list[int]:
    """How many of the topic's items (backlog left out) were published in each (start, end] window."""
    if not windows:
        return []
    query = (
        select(Item.published_at)
        .join(Match, Match.item_id == Item.id)
        .where(Match.topic_id == topic, Item.backlog.is_(False),
               or_(*((Item.published_at > start) & (Item.published_at <= end) for start, end in windows)))
    )
    counts = [0] * len(windows)
    for (published,) in session.execute(query):
        for index, (start, end) in enumerate(windows):
            if start < published <= end:
                counts[index] += 1
                break
    return counts


def last_sent(session: Session, kind: str, topic: str) -> datetime | None:
    """When a signal of this kind was last announced for the topic."""
    return session.scalar(select(func.max(SignalSent.at)).where(SignalSent.kind == kind, SignalSent.topic_id == topic))


def was_sent(session: Session, key: str) -> bool:
    return session.get(SignalSent, key) is not None


def record_sent(session: Session, key: str, kind: str, topic: str, at: datetime, detail: str = "") -> None:
    """Remember that a signal was announced."""
    session.add(SignalSent(key=key, kind=kind, topic_id=topic, at=at, detail=detail))
    session.flush()


def recent_item_ids(session: Session, topic: str, since: datetime, until: datetime) -> list[int]:
    """The topic's items (no backlog) published in (since, until]."""
    query = (
        select(Item.id).join(Match, Match.item_id == Item.id)
        .where(Match.topic_id == topic, Item.backlog.is_(False), Item.published_at > since, Item.published_at <= until)
    )
    return list(session.scalars(query))
