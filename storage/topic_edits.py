"""Changing topics and their rules: add, remove, rename, and edit the rule list."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from storage.models import Rule, Topic
from storage.topics import NARRATIVE, TOPIC

# Short enough that "prefix:<id>" callback data stays far below Telegram's 64 bytes.
TOPIC_ID = re.compile(r"^[a-z0-9_-]{1,32}$")


class TopicEditError(ValueError):
    """A topic change that cannot be made, with the reason."""


def valid_topic_id(text: str) -> bool:
    """Whether `text` can be a topic id: lowercase letters, digits, _ and -, at most 32."""
    return TOPIC_ID.match(text) is not None


def get_topic(session: Session, topic_id: str) -> Topic | None:
    """The topic with its rules loaded."""
    return session.scalar(select(Topic).where(Topic.id == topic_id).options(selectinload(Topic.rules)))


def snapshot(topic: Topic | None) -> dict | None:
    """A topic (or narrative) as plain data for the audit log."""
    if topic is None:
        return None
    found = {"id": topic.id, "title": topic.title, "rules": [r.text for r in topic.rules]}
    return found if topic.kind != NARRATIVE else {**found, "kind": NARRATIVE}


def all_topics(session: Session, kind: str | None = TOPIC) -> list[Topic]:
    """Every topic (or narrative, by kind; both with None) with its rules, by id."""
    query = select(Topic).options(selectinload(Topic.rules)).order_by(Topic.id)
    if kind is not None:
        query = query.where(Topic.kind == kind)
    return list(session.scalars(query))


def add_topic(session: Session, topic_id: str, title: str, kind: str = TOPIC) -> Topic:
    """Create an empty topic or narrative; raise TopicEditError for a bad or taken id."""
    if not valid_topic_id(topic_id):
        raise TopicEditError(f"{topic_id!r} is not a valid id (lowercase letters, digits, _ and -, at most 32)")
    if session.get(Topic, topic_id) is not None:
        raise TopicEditError(f"{topic_id} exists already")
    topic = Topic(id=topic_id, title=title.strip()[:200] or topic_id, kind=kind, rules=[])
    session.add(topic)
    session.flush()
    return topic


def remove_topic(session: Session, topic_id: str) -> dict | None:
    """Delete a topic with its rules, matches and subscriptions; return what it was."""
    topic = get_topic(session, topic_id)
    if topic is None:
        return None
    before = snapshot(topic)
    session.delete(topic)
    session.flush()
    return before


def add_rule(session: Session, topic: Topic, text: str) -> int:
    """Append a rule; return its number (1-based); raise TopicEditError for a duplicate."""
    if any(rule.text == text for rule in topic.rules):
        raise TopicEditError("the topic has this rule already")
    position = max((rule.position for rule in topic.rules), default=-1) + 1
    topic.rules.append(Rule(position=position, text=text))
    session.flush()
    return len(topic.rules)


def find_rule(topic: Topic, text_or_number: str) -> int | None:
    """The 0-based index of a rule given by its exact text or its 1-based number."""
    texts = [rule.text for rule in topic.rules]
    if text_or_number in texts:
        return texts.index(text_or_number)
    if text_or_number.isdigit() and 1 <= int(text_or_number) <= len(texts):
        return int(text_or_number) - 1
    return None


def set_rules(session: Session, topic: Topic, texts: list[str]) -> None:
    """Replace the topic's rules with these, in this order."""
    topic.rules.clear()
    session.flush()
    topic.rules.extend(Rule(position=i, text=text) for i, text in enumerate(texts))
    session.flush()
