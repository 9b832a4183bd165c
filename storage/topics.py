"""Topics and narratives (rule sets of the same language) and the one way a user names one (by id or title).

A topic is what subscribers follow; a narrative (kind "narrative") is a way of telling a story,
matched like a topic and counted inside a topic's items by /narratives.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.models import Rule, Topic


TOPIC, NARRATIVE = "topic", "narrative"


def topic_rules(session: Session, kind: str | None = TOPIC) -> dict[str, list[str]]:
    """Topic id -> its rule texts, in order (narratives with kind=NARRATIVE; both, as the collector matches, with None)."""
    query = select(Topic).options(selectinload(Topic.rules)).order_by(Topic.id)
    if kind is not None:
        query = query.where(Topic.kind == kind)
    return {t.id: [r.text for r in t.rules] for t in session.scalars(query).all()}


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


def topic_titles(session: Session, kind: str | None = TOPIC) -> dict[str, str]:
    """Topic id -> title, in id order (narratives with kind=NARRATIVE, both with kind=None)."""
    query = select(Topic.id, Topic.title).order_by(Topic.id)
    if kind is not None:
        query = query.where(Topic.kind == kind)
    return dict(session.execute(query).all())


def find_topic(session: Session, name: str, kind: str | None = TOPIC) -> str | None:
    """The id of the topic (or narrative, by kind) a user named by id or title (case-insensitively), or None."""
    return topic_named(topic_titles(session, kind), name)


def seed_narratives(session: Session, narratives: Iterable[tuple[str, str, list[str]]]) -> int:
    """Add these narratives (id, title, rules) where no rule set has their id yet; return how many."""
    known = set(session.scalars(select(Topic.id)))
    count = 0
    for narrative_id, title, rules in narratives:
        if narrative_id in known:
            continue
        rows = [Rule(position=i, text=r) for i, r in enumerate(rules)]
        session.add(Topic(id=narrative_id, title=title, kind=NARRATIVE, rules=rows))
        count += 1
    return count
