"""Topics and their rules."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.models import Rule, Topic


def topic_rules(session: Session) -> dict[str, list[str]]:
    """Topic id -> its rule texts, in order."""
    topics = session.scalars(select(Topic).options(selectinload(Topic.rules)).order_by(Topic.id)).all()
    return {t.id: [r.text for r in t.rules] for t in topics}


def seed_topics(session: Session, topics: Iterable[tuple[str, str, list[str]]]) -> int:
    """Create these topics (id, title, rules) when the database has none; return how many."""
    if session.scalar(select(Topic.id).limit(1)) is not None:
        return 0
    count = 0
    for topic_id, title, rules in topics:
        session.add(Topic(id=topic_id, title=title, rules=[Rule(position=i, text=r) for i, r in enumerate(rules)]))
        count += 1
    return count
