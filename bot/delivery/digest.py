"""Composing digests and alerts as Telegram HTML, packed into messages at item boundaries (bot.messages)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.markup import link, short
from bot.messages import pack
from bot.texts import t
from storage.digests import MatchedItem
from storage.timeline import StoryView

TITLE_LIMIT = 300


@dataclass
class Story:
    """The items of one story in a digest or alert, shown once; `view` is the whole story, earlier items too."""

    first: MatchedItem  # the newest of the story's items here: its title, link and time are shown
    sources: list[str]
    terms: list[str]
    view: StoryView | None = None
    item_ids: list[int] = field(default_factory=list)  # the story's items here, newest first

    def analysis(self, analyses: dict[int, str]) -> str | None:
        """The line of an analysis citing any of the story's items here (the newest's first)."""
        return next((analyses[i] for i in self.item_ids if i in analyses), None)


def merge_stories(items: list[MatchedItem], views: dict[int, StoryView] | None = None) -> list[Story]:
    """One entry per story (an item not yet placed into a story is its own), newest first."""
    views = views or {}
    stories: list[Story] = []
    by_story: dict[int, Story] = {}
    for item in sorted(items, key=lambda i: i.published_at, reverse=True):
        story = by_story.get(item.story_id) if item.story_id is not None else None
        if story is not None:
            story.sources.extend(s for s in item.sources if s not in story.sources)
            story.terms.extend(term for term in item.terms if term not in story.terms)
            story.item_ids.append(item.item_id)
            continue
        story = Story(item, list(item.sources), list(item.terms), views.get(item.story_id), [item.item_id])
        stories.append(story)
        if item.story_id is not None:
            by_story[item.story_id] = story
    return stories


def _told_by(view: StoryView, tz: ZoneInfo, lang: str) -> str:
    """first: <Azattyk> 04:15, then <Kazinform>, <DW>: each source linked to its item."""
    first, *later = view.items
    named = []
    for item in later:
        for source in item.sources:
            if source not in first.sources and source not in [name for name, _ in named]:
                named.append((source, item.url))
    head = link(first.url, escape(first.sources[0] if first.sources else "?", quote=False))
    when = first.published_at.astimezone(tz).strftime("%H:%M" if _same_day(view) else "%d.%m %H:%M")
    text = f"{t('story_first', lang)} {head} {when}"
    if named:
        text += f", {t('story_then', lang)} " + ", ".join(link(url, escape(name, quote=False)) for name, url in named)
    return text


def _same_day(view: StoryView) -> bool:
    return view.items[0].published_at.date() == view.items[-1].published_at.date()


def render_story(story: Story, tz: ZoneInfo, analysis: str | None = None, lang: str = "en") -> str:
    """One story: linked title, sources (or who reported it first and who then), local time, matched terms in bold."""
    item = story.first
    title = link(item.url, escape(short(item.title or item.url or "(untitled)", TITLE_LIMIT), quote=False))
    when = item.published_at.astimezone(tz).strftime("%d.%m %H:%M")
    if story.view is not None and len(story.view.sources) > 1:
        line = f"• {title}\n  {_told_by(story.view, tz, lang)}"
    else:
        line = f"• {title}\n  {escape(', '.join(story.sources), quote=False)} · {when}"
    if story.terms:
        line += " · " + ", ".join(f"<b>{escape(term, quote=False)}</b>" for term in story.terms[:5])
    if analysis:
        line += "\n  " + analysis
    return line


def compose_digest(
    items: list[MatchedItem], topic_titles: dict[str, str], tz: ZoneInfo, lang: str, analyses: dict[int, str] | None = None,
    views: dict[int, StoryView] | None = None,
) -> list[str]:
    """The digest's messages: grouped by topic, a story once, newest first; empty when there is nothing to say."""
    if not items:
        return []
    analyses = analyses or {}
    blocks = [f"<b>{t('digest_title', lang)}</b>"]
    by_topic: dict[str, list[MatchedItem]] = {}
    for item in items:
        by_topic.setdefault(item.topic, []).append(item)
    for topic in sorted(by_topic):
        stories = merge_stories(by_topic[topic], views)
        blocks.append(f"<b>{escape(topic_titles.get(topic, topic), quote=False)}</b> ({len(stories)})")
        blocks.extend(render_story(s, tz, s.analysis(analyses), lang) for s in stories)
    return pack(blocks)


def compose_alert(
    items: list[MatchedItem], topic_titles: dict[str, str], tz: ZoneInfo, lang: str, analyses: dict[int, str] | None = None,
    views: dict[int, StoryView] | None = None,
) -> list[str]:
    """An instant alert for new items, a story once (one message for a burst, split only if too long)."""
    if not items:
        return []
    analyses = analyses or {}
    topics = sorted({i.topic for i in items})
    names = ", ".join(topic_titles.get(topic, topic) for topic in topics)
    stories = merge_stories(_one_per_item(items), views)
    header = f"<b>{t('alert_title', lang, topics=names)}</b>"
    if len(stories) > 1:
        header += " · " + t("more_items", lang, n=len(stories))
    return pack([header, *(render_story(s, tz, s.analysis(analyses), lang) for s in stories)])


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
