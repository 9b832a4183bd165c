"""Composing digests and alerts as Telegram HTML, packed into messages at item boundaries (bot.messages)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from bot.markup import link, short
from bot.messages import pack
from bot.texts import t
from storage.digests import MatchedItem

TITLE_LIMIT = 300
SAME_STORY_WINDOW = timedelta(days=1)
_PUNCTUATION = re.compile(r"[\W_]+", re.UNICODE)


@dataclass
class Story:
    """One or more items telling the same story (same URL or near-identical title within a day)."""

    first: MatchedItem
    sources: list[str]
    terms: list[str]


def _title_key(title: str) -> str:
    return _PUNCTUATION.sub(" ", title.casefold().replace("ё", "е")).strip()


def merge_stories(items: list[MatchedItem]) -> list[Story]:
    """Fold items with near-identical titles within a day into one story listing all sources."""
    stories: list[Story] = []
    by_title: dict[str, Story] = {}
    for item in sorted(items, key=lambda i: i.published_at, reverse=True):
        key = _title_key(item.title)
        story = by_title.get(key) if key else None
        if story and abs(story.first.published_at - item.published_at) <= SAME_STORY_WINDOW:
            story.sources.extend(s for s in item.sources if s not in story.sources)
            story.terms.extend(term for term in item.terms if term not in story.terms)
            continue
        story = Story(item, list(item.sources), list(item.terms))
        stories.append(story)
        if key:
            by_title[key] = story
    return stories


def render_story(story: Story, tz: ZoneInfo, analysis: str | None = None) -> str:
    """One item: linked title, sources, local time, matched terms in bold."""
    item = story.first
    title = link(item.url, escape(short(item.title or item.url or "(untitled)", TITLE_LIMIT), quote=False))
    when = item.published_at.astimezone(tz).strftime("%d.%m %H:%M")
    sources = escape(", ".join(story.sources), quote=False)
    line = f"• {title}\n  {sources} · {when}"
    if story.terms:
        line += " · " + ", ".join(f"<b>{escape(term, quote=False)}</b>" for term in story.terms[:5])
    if analysis:
        line += "\n  " + analysis
    return line


def compose_digest(
    items: list[MatchedItem], topic_titles: dict[str, str], tz: ZoneInfo, lang: str, analyses: dict[int, str] | None = None
) -> list[str]:
    """The digest's messages: grouped by topic, newest first; empty when there is nothing to say."""
    if not items:
        return []
    analyses = analyses or {}
    blocks = [f"<b>{t('digest_title', lang)}</b>"]
    by_topic: dict[str, list[MatchedItem]] = {}
    for item in items:
        by_topic.setdefault(item.topic, []).append(item)
    for topic in sorted(by_topic):
        stories = merge_stories(by_topic[topic])
        blocks.append(f"<b>{escape(topic_titles.get(topic, topic), quote=False)}</b> ({len(stories)})")
        blocks.extend(render_story(s, tz, analyses.get(s.first.item_id)) for s in stories)
    return pack(blocks)


def compose_alert(
    items: list[MatchedItem], topic_titles: dict[str, str], tz: ZoneInfo, lang: str, analyses: dict[int, str] | None = None
) -> list[str]:
    """An instant alert for new items (one message for a burst, split only if too long)."""
    if not items:
        return []
    analyses = analyses or {}
    topics = sorted({i.topic for i in items})
    names = ", ".join(topic_titles.get(topic, topic) for topic in topics)
    stories = merge_stories(_one_per_item(items))
    header = f"<b>{t('alert_title', lang, topics=names)}</b>"
    if len(stories) > 1:
        header += " · " + t("more_items", lang, n=len(stories))
    return pack([header, *(render_story(s, tz, analyses.get(s.first.item_id)) for s in stories)])


def _one_per_item(items: list[MatchedItem]) -> list[MatchedItem]:
    """An item matched to two subscribed topics is alerted once."""
    seen: dict[int, MatchedItem] = {}
    for item in items:
        if item.item_id in seen:
            seen[item.item_id].terms.extend(x for x in item.terms if x not in seen[item.item_id].terms)
        else:
            seen[item.item_id] = item
    return list(seen.values())


def local_time(moment: datetime, tz: ZoneInfo) -> str:
    """A short local date and time."""
    return moment.astimezone(tz).strftime("%d.%m.%Y %H:%M")
