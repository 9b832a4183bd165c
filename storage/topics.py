"""Topics and narratives (rule sets of the same language) and the one way a user names one (by id or title).

A topic is what subscribers follow; a narrative (kind "narrative") is a way of telling a story,
matched like a topic and counted inside a topic's items by /narratives.
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.language_models import TopicTitle
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
    """The id of the topic (or narrative, by kind) a user named by id or title in any language, or None."""
    return topic_named(topic_titles(session, kind), name) or translated_topic(session, name, kind)


def titles_in(session: Session, language: str, kind: str | None = TOPIC) -> dict[str, str]:
    """Topic id -> its title in `language` where one is stored, else its own title; in id order."""
    titles = topic_titles(session, kind)
    translated = select(TopicTitle.topic_id, TopicTitle.title).where(
        TopicTitle.language == language, TopicTitle.topic_id.in_(list(titles))
    )
    titles.update(session.execute(translated).all())
    return titles


def translations(session: Session, topic_id: str) -> dict[str, str]:
    """A topic's titles by language."""
    rows = select(TopicTitle.language, TopicTitle.title).where(TopicTitle.topic_id == topic_id)
    return dict(session.execute(rows.order_by(TopicTitle.language)).all())


def set_title(session: Session, topic_id: str, language: str, title: str | None) -> None:
    """Give a topic its title in `language`; None or an empty title removes it."""
    row = session.get(TopicTitle, (topic_id, language))
    if not title:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(TopicTitle(topic_id=topic_id, language=language, title=title[:200]))
    else:
        row.title = title[:200]


def translated_topic(session: Session, name: str, kind: str | None = TOPIC) -> str | None:
    """The id of the topic whose title in some language is `name` (or a part of it in parentheses), or None."""
    for language in session.scalars(select(TopicTitle.language).distinct()):
        found = topic_named(titles_in(session, language, kind), name)
        if found is not None:
            return found
    return None


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
