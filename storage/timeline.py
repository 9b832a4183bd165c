"""Stories read back: a topic's stories in time order with their items, sources and languages."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Item, ItemSource, Match, Source, shown_source_name
from storage.story_models import Story, StoryMember

CHUNK = 500


@dataclass(frozen=True)
class StoryItem:
    """One item of a story, with the sources that carried it."""

    id: int
    published_at: datetime
    title: str
    url: str | None
    lang: str | None
    sources: tuple[str, ...]


@dataclass
class StoryView:
    """A story as a timeline shows it: its items oldest first, the first one being the first report."""

    id: int
    items: list[StoryItem] = field(default_factory=list)

    @property
    def first(self) -> StoryItem:
        return self.items[0]

    @property
    def first_seen(self) -> datetime:
        return self.first.published_at

    @property
    def title(self) -> str:
        return self.first.title

    @property
    def sources(self) -> list[str]:
        """Every source, the first reporter first, then in the order they reported."""
        return list(dict.fromkeys(name for item in self.items for name in item.sources))

    @property
    def langs(self) -> list[str]:
        return list(dict.fromkeys(item.lang for item in self.items if item.lang))

    def as_dict(self) -> dict:
        """The shape `dozor timeline --format json` and `dozor stories --format jsonl` print."""
        return {
            "id": self.id,
            "first_seen": self.first_seen.isoformat().replace("+00:00", "Z"),
            "title": self.title,
            "sources": self.sources,
            "langs": self.langs,
            "item_ids": [item.id for item in self.items],
            "urls": [item.url for item in self.items if item.url],
        }


@dataclass
class Timeline:
    """The stories of a topic in a period, in time order (at most `limit` of `total`)."""

    stories: list[StoryView]
    total: int


def topic_timeline(session: Session, topic: str, since: datetime, until: datetime, limit: int | None = None) -> Timeline:
    """The topic's stories (with an item of the topic) first reported in [since, until], oldest first.

    One pass finds them all (the total is their number); only the first `limit` are read in full.
    """
    query = (
        select(StoryMember.story_id, Story.first_seen_at)
        .join(Match, Match.item_id == StoryMember.item_id)
        .join(Story, Story.id == StoryMember.story_id)
        .where(Match.topic_id == topic, Story.first_seen_at >= since, Story.first_seen_at <= until)
        .distinct()
    )
    found = sorted(((sid, at) for sid, at in session.execute(query)), key=lambda row: (row[1], row[0]))
    story_ids = [story_id for story_id, _ in (found if limit is None else found[:limit])]
    return Timeline(stories_by_id(session, story_ids), len(found))


def stories_by_id(session: Session, story_ids: list[int]) -> list[StoryView]:
    """These stories with their items and sources, in the order given."""
    views = {story_id: StoryView(story_id) for story_id in story_ids}
    for start in range(0, len(story_ids), CHUNK):
        chunk = story_ids[start : start + CHUNK]
        rows = session.execute(
            select(StoryMember.story_id, Item.id, Item.published_at, Item.title, Item.url, Item.lang)
            .join(Item, Item.id == StoryMember.item_id)
            .where(StoryMember.story_id.in_(chunk))
        ).all()
        names = _source_names(session, [row[1] for row in rows])
        for story_id, item_id, published, title, url, lang in rows:
            views[story_id].items.append(StoryItem(item_id, published, title, url, lang, tuple(names.get(item_id, ()))))
    for view in views.values():
        view.items.sort(key=lambda item: (item.published_at, item.id))
    return [views[story_id] for story_id in story_ids if views[story_id].items]


def _source_names(session: Session, item_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for start in range(0, len(item_ids), CHUNK):
        rows = session.execute(
            select(ItemSource.item_id, Source.name, Source.url, Source.title)
            .join(Source, Source.id == ItemSource.source_id)
            .where(ItemSource.item_id.in_(item_ids[start : start + CHUNK]))
            .order_by(ItemSource.item_id, ItemSource.id)
        )
        for item_id, name, url, title in rows:
            found.setdefault(item_id, []).append(shown_source_name(name, url, title))
    return found
