"""The volunteers' questions answered from storage, without Telegram: search pages, latest items, one item, sources."""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from storage import analyses as analysis_store
from storage import browse, source_health
from storage import sources as source_store
from storage import topics as topic_store
from storage.analyses import AnalysisRef
from storage.models import Item, Source
from storage.search.execute import PAGE_SIZE, SearchPage, search
from storage.search.query import parse_query

LATEST_DEFAULT = 10
LATEST_MOST = 50


class SavedQueries:
    """Recent search texts under short keys, so Prev/Next buttons fit in 64 bytes of callback data."""

    def __init__(self, store: OrderedDict[str, str], size: int = 2000) -> None:
        self.size = size
        self._texts = store

    def remember(self, text: str) -> str:
        """The key of this text (the same text always gets the same key)."""
        key = hashlib.blake2s(text.encode(), digest_size=6).hexdigest()
        self._texts[key] = text
        self._texts.move_to_end(key)
        while len(self._texts) > self.size:
            self._texts.popitem(last=False)
        return key

    def recall(self, key: str) -> str | None:
        """The text under this key, if still remembered."""
        return self._texts.get(key)


@dataclass(frozen=True)
class SearchResult:
    """One page of a search and the analyses linked to its items."""

    text: str
    page: SearchPage
    number: int
    pages: int
    analyses: dict[int, list[AnalysisRef]] = field(default_factory=dict)


def search_page(session: Session, text: str, number: int) -> SearchResult:
    """Page `number` (from 0) of a /search query; raise QueryError for a query the user must fix."""
    query = parse_query(text)
    page = search(session, query, limit=PAGE_SIZE, offset=number * PAGE_SIZE)
    refs = analysis_store.links_for_items(session, [hit.item_id for hit in page.results])
    return SearchResult(text, page, number, page.pages, refs)


class LatestInputError(ValueError):
    """/latest arguments that name no topic or count."""


@dataclass(frozen=True)
class Latest:
    """The newest matched items, their analyses and the topic titles to show."""

    topic: str | None
    items: list[Item]
    titles: dict[str, str]
    analyses: dict[int, list[AnalysisRef]]


def latest(session: Session, args: list[str], language: str = "en") -> Latest:
    """/latest [topic] [N]: the newest matched items (of a topic), topics titled in `language`."""
    titles = topic_store.titles_in(session, language)
    count, words = LATEST_DEFAULT, list(args)
    if words and words[-1].isascii() and words[-1].isdigit():
        word = words.pop()
        count = int(word) if len(word) <= 4 else 0
        if not 1 <= count <= LATEST_MOST:
            raise LatestInputError(word)
    topic = None
    if words:
        topic = topic_store.find_topic(session, " ".join(words))
        if topic is None:
            raise LatestInputError(" ".join(words))
    items = browse.latest_matched(session, topic, count)
    return Latest(topic, items, titles, analysis_store.links_for_items(session, [i.id for i in items]))


@dataclass(frozen=True)
class ItemView:
    """One item in full with everything linked to it."""

    item: Item
    titles: dict[str, str]
    analyses: list[AnalysisRef]


def item_view(session: Session, item_id: int, language: str = "en") -> ItemView | None:
    """/item <id>, its topics titled in `language`."""
    item = browse.item_in_full(session, item_id)
    if item is None:
        return None
    refs = analysis_store.links_for_items(session, [item_id], per_item=20).get(item_id, [])
    return ItemView(item, topic_store.titles_in(session, language), refs)


@dataclass(frozen=True)
class SourceHealth:
    """A source and how it is doing."""

    source: Source
    per_day: float


def sources_health(session: Session, now: datetime) -> list[SourceHealth]:
    """Every source with its items per day published over the last week."""
    per_day = source_health.items_per_day(session, now)
    return [SourceHealth(source, per_day.get(source.id, 0.0)) for source, _ in source_store.list_sources(session)]
