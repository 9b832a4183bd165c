"""Composing digests and alerts as Telegram HTML, packed into messages at item boundaries (bot.messages).

A message groups its stories by topic, newest first: a story shows once, under the first of its
topics, naming the others. Past `Layout.cap` stories a topic, the rest are counted ("and 35 more")
and kept for a button; an item published long before it was first seen is marked late.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from html import escape

from bot.markup import link, short
from bot.messages import pack
from bot.texts import t
from feeds.normalize import clip
from storage.digests import MatchedItem
from storage.timeline import StoryView

TITLE_LIMIT = 300
ALERT_EXCERPT = 600  # characters of text under the title of a story alerted alone
POST_EXCERPT = 200  # under a channel post's title (only its first line) in a digest or a burst
MEDIA = ("photo", "video", "round_video", "voice", "document", "sticker", "poll")


@dataclass(frozen=True)
class Layout:
    """How much a message shows: stories per topic, and when an item counts as late."""

    cap: int = 10
    late_after: timedelta = timedelta(days=2)

    def late(self, item: MatchedItem) -> bool:
        """Whether the item was published long before it was first seen (an old item newly in a feed)."""
        return item.fetched_at - item.published_at > self.late_after


@dataclass
class Story:
    """The items of one story in a digest or alert, shown once; `view` is the whole story, earlier items too."""

    first: MatchedItem  # the newest of the story's items here: its title, link and time are shown
    sources: list[str]
    terms: list[str]
    view: StoryView | None = None
    topics: list[str] = field(default_factory=list)  # every topic its items matched, in id order
    items: list[MatchedItem] = field(default_factory=list)

    @property
    def item_ids(self) -> list[int]:
        """The story's items here, newest first."""
        return [item.item_id for item in self.items]

    def analysis(self, analyses: dict[int, str]) -> str | None:
        """The line of an analysis citing any of the story's items here (the newest's first)."""
        return next((analyses[i] for i in self.item_ids if i in analyses), None)


@dataclass
class Section:
    """A topic's stories in a message: those shown, and those past the cap (counted, kept for a button)."""

    topic: str
    shown: list[Story]
    rest: list[Story]


@dataclass
class Composed:
    """A digest or alert: its messages, and what it covers (shown or counted) per topic."""

    parts: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    more_buttons: list | None = None  # its "more" buttons, once the stories they name are stored

    @property
    def item_ids(self) -> set[int]:
        """Every item the message covers, shown or among its "and N more"."""
        return {i for s in self.sections for story in s.shown + s.rest for i in story.item_ids}

    def overflow(self) -> dict[str, list[int]]:
        """Topic -> the items of its stories past the cap, in order (only topics that have some)."""
        return {s.topic: [i for story in s.rest for i in story.item_ids] for s in self.sections if s.rest}


def merge_stories(items: list[MatchedItem], views: dict[int, StoryView] | None = None) -> list[Story]:
    """One entry per story, newest first (an item not yet placed into a story is its own).

    An item matched to several topics (one MatchedItem per topic) is one item of its story.
    """
    views = views or {}
    stories: list[Story] = []
    by_story: dict[int, Story] = {}
    by_item: dict[int, Story] = {}
    for item in sorted(items, key=lambda i: (i.published_at, i.item_id), reverse=True):
        story = by_item.get(item.item_id) or (by_story.get(item.story_id) if item.story_id is not None else None)
        if story is not None:
            _fold(story, item)
        else:
            story = Story(item, list(item.sources), list(item.terms), views.get(item.story_id), [item.topic], [item])
            stories.append(story)
            if item.story_id is not None:
                by_story[item.story_id] = story
        by_item[item.item_id] = story
    for story in stories:
        story.topics.sort()
    return stories


def _fold(story: Story, item: MatchedItem) -> None:
    story.sources.extend(s for s in item.sources if s not in story.sources)
    story.terms.extend(term for term in item.terms if term not in story.terms)
    if item.topic not in story.topics:
        story.topics.append(item.topic)
    if item.item_id not in story.item_ids:
        story.items.append(item)


def sections(items: list[MatchedItem], cap: int, views: dict[int, StoryView] | None = None) -> list[Section]:
    """The stories of these items by the first of their topics (topics in id order), each cut at `cap`."""
    placed: dict[str, list[Story]] = {}
    for story in merge_stories(items, views):
        placed.setdefault(story.topics[0], []).append(story)
    return [Section(topic, stories[:cap], stories[cap:]) for topic, stories in sorted(placed.items())]


def when(moment: datetime, tz: tzinfo, now: datetime | None = None) -> str:
    """A short local date and time; the year too when it is not this year."""
    local, this_year = moment.astimezone(tz), (now or datetime.now(timezone.utc)).astimezone(tz).year
    return local.strftime("%d.%m %H:%M" if local.year == this_year else "%d.%m.%Y %H:%M")


def _told_by(view: StoryView, tz: tzinfo, lang: str) -> str:
    """first: <Azattyk> 04:15, then <Kazinform>, <DW>: each source linked to its item."""
    first, *later = view.items
    named = []
    for item in later:
        for source in item.sources:
            if source not in first.sources and source not in [name for name, _ in named]:
                named.append((source, item.url))
    head = link(first.url, escape(first.sources[0] if first.sources else "?", quote=False))
    shown = first.published_at.astimezone(tz).strftime("%H:%M") if _same_day(view) else when(first.published_at, tz)
    text = f"{t('story_first', lang)} {head} {shown}"
    if named:
        text += f", {t('story_then', lang)} " + ", ".join(link(url, escape(name, quote=False)) for name, url in named)
    return text


def _same_day(view: StoryView) -> bool:
    return view.items[0].published_at.date() == view.items[-1].published_at.date()


def _excerpt(item: MatchedItem, limit: int, lang: str) -> str | None:
    """The text under the title, cut at a word near `limit` with a link to read it all; None if it adds nothing."""
    body = item.excerpt.strip()
    head = item.title.rstrip("…").strip()
    if head and body.startswith(head):
        body = body[len(head):].lstrip(" \n.:—–-")
    if limit <= 0 or len(body) < 20:
        return None
    shown = clip(" ".join(body.split()), limit)
    text = escape(shown, quote=False)
    if shown.endswith("…") or item.text_length > len(item.excerpt):
        text += " " + link(item.url, t("read_in_full", lang))
    return text


def _media(item: MatchedItem, lang: str) -> str | None:
    """What a channel post holds besides text (photo, video, ...), linked to the post where it can be seen."""
    kinds = [t(f"media_{kind}", lang) for kind in MEDIA if kind in item.media]
    if not kinds:
        return None
    what = ", ".join(kinds)
    if item.album > 1:
        what = t("media_album", lang, what=what, n=item.album)
    return f"{what}: " + link(item.url, t("media_open", lang))


@dataclass(frozen=True)
class _Context:
    """What rendering a story needs besides the story."""

    titles: dict[str, str]
    tz: tzinfo
    lang: str
    layout: Layout
    analyses: dict[int, str]


def render_story(story: Story, context: _Context, excerpt: int = 0) -> str:
    """One story: linked title, sources (or who reported it first and who then), local time, matched terms in bold,
    its other topics, lateness; then its text's start and media."""
    item, lang = story.first, context.lang
    title = link(item.url, escape(short(item.title or item.url or "(untitled)", TITLE_LIMIT), quote=False))
    if story.view is not None and len(story.view.sources) > 1:
        line = f"• {title}\n  {_told_by(story.view, context.tz, lang)}"
    else:
        line = f"• {title}\n  {escape(', '.join(story.sources), quote=False)} · {when(item.published_at, context.tz)}"
    if story.terms:
        line += " · " + ", ".join(f"<b>{escape(term, quote=False)}</b>" for term in story.terms[:5])
    if len(story.topics) > 1:
        line += " · " + t("also_in", lang, topics=", ".join(context.titles.get(x, x) for x in story.topics[1:]))
    if context.layout.late(item):
        line += " · " + t("late_mark", lang, seen=when(item.fetched_at, context.tz))
    limit = excerpt if excerpt else (POST_EXCERPT if item.channel_post else 0)
    for extra in (_excerpt(item, limit, lang), _media(item, lang), story.analysis(context.analyses)):
        if extra:
            line += "\n  " + extra
    return line


def _section_blocks(section: Section, context: _Context, header: bool, excerpt: int = 0) -> list[str]:
    total = len(section.shown) + len(section.rest)
    blocks = [f"<b>{escape(context.titles.get(section.topic, section.topic), quote=False)}</b> ({total})"] if header else []
    blocks += [render_story(story, context, excerpt) for story in section.shown]
    if section.rest:
        # /search's since: is a UTC day of publication
        since = min(i.published_at for story in section.rest for i in story.items).astimezone(timezone.utc)
        blocks.append(t("more_stories", context.lang, n=len(section.rest), topic=section.topic,
                        since=since.strftime("%Y-%m-%d")))
    return blocks


def compose_digest(
    items: list[MatchedItem], topic_titles: dict[str, str], tz: tzinfo, lang: str,
    analyses: dict[int, str] | None = None, layout: Layout = Layout(), views: dict[int, StoryView] | None = None,
) -> Composed:
    """The digest: by topic, a story once, newest first, at most `layout.cap` a topic; nothing when empty."""
    if not items:
        return Composed()
    context = _Context(topic_titles, tz, lang, layout, analyses or {})
    found = sections(items, layout.cap, views)
    blocks = [f"<b>{t('digest_title', lang)}</b>"]
    for section in found:
        blocks += _section_blocks(section, context, header=True)
    return Composed(pack(blocks), found)


def compose_alert(
    items: list[MatchedItem], topic_titles: dict[str, str], tz: tzinfo, lang: str,
    analyses: dict[int, str] | None = None, layout: Layout = Layout(), views: dict[int, StoryView] | None = None,
) -> Composed:
    """An instant alert: one story with the start of its text, or a burst laid out as a digest is."""
    if not items:
        return Composed()
    context = _Context(topic_titles, tz, lang, layout, analyses or {})
    found = sections(items, layout.cap, views)
    topics = sorted({topic for s in found for story in s.shown + s.rest for topic in story.topics})
    names = ", ".join(topic_titles.get(topic, topic) for topic in topics)
    count = sum(len(s.shown) + len(s.rest) for s in found)
    header = f"<b>{t('alert_title', lang, topics=names)}</b>"
    if count > 1:
        header += " · " + t("more_items", lang, n=count)
    excerpt = ALERT_EXCERPT if count == 1 else 0
    blocks = [header]
    for section in found:
        blocks += _section_blocks(section, context, header=len(found) > 1, excerpt=excerpt)
    return Composed(pack(blocks), found)


def compose_more(
    items: list[MatchedItem], topic: str, offset: int, topic_titles: dict[str, str], tz: tzinfo, lang: str,
    layout: Layout = Layout(), views: dict[int, StoryView] | None = None,
) -> tuple[list[str], bool]:
    """A page of the stories a message left out of a topic, from `offset`; and whether more follow."""
    context = _Context(topic_titles, tz, lang, layout, {})
    stories = merge_stories(items, views)
    page = stories[offset : offset + layout.cap]
    name = escape(topic_titles.get(topic, topic), quote=False)
    header = f"<b>{name}</b> · " + t("more_page", lang, first=offset + 1, last=offset + len(page), total=len(stories))
    return pack([header, *(render_story(story, context) for story in page)]), offset + len(page) < len(stories)


def local_time(moment: datetime, tz: tzinfo) -> str:
    """A short local date and time."""
    return moment.astimezone(tz).strftime("%d.%m.%Y %H:%M")
