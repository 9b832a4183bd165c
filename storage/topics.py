"""Topics and their rules, and the one way a user names a topic (by id or title)."""
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


def topic_named(titles: dict[str, str], name: str) -> str | None:
    """The topic called `name`: its id, its title, or a part of the title such as ОДКБ in "CSTO (ОДКБ)"."""
    wanted = name.strip().casefold()
    if not wanted:
        return None
    for topic_id, title in titles.items():
        parts = {topic_id, title, *title.replace(")", "(").split("(")}
        if wanted in {part.strip().casefold() for part in parts if part.strip()}:
            return topic_id
    return None


def topic_titles(session: Session) -> dict[str, str]:
    """Topic id -> title, in id order."""
    return dict(session.execute(select(Topic.id, Topic.title).order_by(Topic.id)).all())


def find_topic(session: Session, name: str) -> str | None:
    """The id of the topic a user named by id or title (case-insensitively), or None."""
    return topic_named(topic_titles(session), name)
