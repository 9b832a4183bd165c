"""/timeline and `dozor timeline` without Telegram: a topic's stories in time order with numbered references.

One line per story (its first report's time, a short title, the sources with the numbers of their
references), then the numbered references to the items' links, as the volunteers' analyses cite
their outlets: "[1] inform.kz", "[4] dw.com".
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import escape
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.markup import link, short
from bot.texts import plain, t
from bot.volunteer.trend import Period, TrendInputError, parse_period
from storage import topics as topic_store
from storage.timeline import StoryView, Timeline

DEFAULT_PERIOD = timedelta(days=7)
LONGEST_PERIOD = timedelta(days=366)
CHAT_STORIES = 500  # a timeline in the chat lists at most this many stories (the file says how many more)
MESSAGE_REFERENCES = 30  # more references than this go to a file (Telegram renders about 100 entities)
MESSAGE_CHARS = 3800
TITLE_CHARS = 110
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$|^(\d{2})\.(\d{2})\.(\d{4})$")
_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|])")


class TimelineInputError(ValueError):
    """/timeline arguments naming no topic (`reason` empty), or a period that cannot be read."""


@dataclass(frozen=True)
class TimelineRequest:
    """Which topic, from when to when (UTC)."""

    topic: str
    title: str
    since: datetime
    until: datetime


def parse_date(word: str) -> date | None:
    """2022-01-05 or 05.01.2022; None if the word is no date; TimelineInputError if it is an impossible one."""
    found = _DATE.match(word)
    if not found:
        return None
    year, month, day = (found[1], found[2], found[3]) if found[1] else (found[6], found[5], found[4])
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise TimelineInputError(word) from None


def timeline_request(session: Session, args: list[str], now: datetime, tz: ZoneInfo) -> TimelineRequest:
    """Read /timeline <topic> [since] [until] (dates, or one period such as 30d), in the chat's time zone."""
    words = list(args)
    dates: list[date] = []
    period = None
    while words and len(dates) < 2 and period is None:
        try:
            found = parse_date(words[-1])
            period = parse_period(words[-1]) if found is None and not dates else None
        except TrendInputError:
            raise TimelineInputError(words[-1]) from None
        if found is None and period is None:
            break
        if found is not None:
            dates.insert(0, found)
        words.pop()
    titles = topic_store.topic_titles(session)
    topic = topic_store.topic_named(titles, " ".join(words))
    if topic is None:
        raise TimelineInputError("")
    since, until = _period(dates, period, now, tz)
    return TimelineRequest(topic, titles[topic], since, until)


def _period(dates: list[date], period: Period | None, now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    if period is not None:
        return period.bounds(now, tz)
    if not dates:
        return now - DEFAULT_PERIOD, now
    since = datetime.combine(dates[0], time(), tz)
    until = datetime.combine(dates[1], time(), tz) + timedelta(days=1) - timedelta(microseconds=1) if len(dates) > 1 else now
    if since > until:
        raise TimelineInputError(f"{dates[0]} > {dates[-1] if len(dates) > 1 else now.date()}")
    if until - since > LONGEST_PERIOD:
        raise TimelineInputError(f"more than {LONGEST_PERIOD.days} days")
    return since, until


@dataclass(frozen=True)
class Reference:
    """A numbered link to one item."""

    number: int
    item_id: int
    url: str | None
    source: str
    published_at: datetime
    title: str


def numbered(stories: list[StoryView]) -> tuple[list[list[tuple[str, list[int]]]], list[Reference]]:
    """For each story, its sources with their reference numbers; and the references in order."""
    references: list[Reference] = []
    lines = []
    for story in stories:
        by_source: dict[str, list[int]] = {}
        for item in story.items:
            number = len(references) + 1
            references.append(Reference(number, item.id, item.url, (item.sources or ("?",))[0], item.published_at, item.title))
            for name in item.sources or ("?",):
                by_source.setdefault(name, []).append(number)
        lines.append(list(by_source.items()))
    return lines, references


def host(url: str | None) -> str:
    """The site of a link, without www."""
    netloc = urlsplit(url).hostname or "" if url else ""
    return netloc.removeprefix("www.")


def _when(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%d.%m.%Y %H:%M")


def _day(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%d.%m.%Y")


def md(text: str) -> str:
    """Text with Markdown's special characters escaped."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def render_markdown(request: TimelineRequest, timeline: Timeline, tz: ZoneInfo, lang: str) -> str:
    """The timeline as a Markdown document: a line per story, then the numbered references."""
    sources, references = numbered(timeline.stories)
    title = plain("timeline_title", lang, topic=request.title, since=_day(request.since, tz), until=_day(request.until, tz),
                  n=timeline.total)
    out = [f"# {md(title)}", ""]
    if len(timeline.stories) < timeline.total:
        out += [md(plain("timeline_capped", lang, shown=len(timeline.stories), total=timeline.total)), ""]
    for story, cited in zip(timeline.stories, sources):
        who = ", ".join(f"{md(name)} " + "".join(f"[{n}]" for n in numbers) for name, numbers in cited)
        out.append(f"- {_when(story.first_seen, tz)} · {md(short(story.title, TITLE_CHARS))} · {who} ({', '.join(story.langs)})")
    out += ["", f"## {md(plain('timeline_references', lang))}", ""]
    for ref in references:
        place = f"<{ref.url}>" if ref.url else ""
        out.append(f"{ref.number}\\. {md(host(ref.url) or ref.source)}, {md(ref.source)}, {_when(ref.published_at, tz)}: "
                   f"{md(short(ref.title, TITLE_CHARS))} {place}".rstrip())
    return "\n".join(out) + "\n"


def render_message(request: TimelineRequest, timeline: Timeline, tz: ZoneInfo, lang: str) -> str | None:
    """The timeline as one Telegram HTML message, or None when it is too long for one (send the file)."""
    sources, references = numbered(timeline.stories)
    if len(references) > MESSAGE_REFERENCES or len(timeline.stories) < timeline.total:
        return None
    title = t("timeline_title", lang, topic=request.title, since=_day(request.since, tz), until=_day(request.until, tz),
              n=timeline.total)
    lines = [f"🗓 <b>{title}</b>", ""]
    for story, cited in zip(timeline.stories, sources):
        who = ", ".join(f"{escape(name, quote=False)} " + "".join(f"[{n}]" for n in numbers) for name, numbers in cited)
        lines.append(f"{_when(story.first_seen, tz)} · {escape(short(story.title, TITLE_CHARS), quote=False)} · {who}")
    lines += ["", f"<b>{t('timeline_references', lang)}</b>"]
    for ref in references:
        site = escape(host(ref.url) or ref.source, quote=False)
        lines.append(f"[{ref.number}] {link(ref.url, site)} · {escape(ref.source, quote=False)} · {_when(ref.published_at, tz)}")
    text = "\n".join(lines)
    return text if len(text) <= MESSAGE_CHARS else None


def file_name(request: TimelineRequest, tz: ZoneInfo) -> str:
    """timeline-csto-2022-01-05-2022-01-12.md"""
    return (f"timeline-{request.topic}-{request.since.astimezone(tz):%Y-%m-%d}-"
            f"{request.until.astimezone(tz):%Y-%m-%d}.md")


def day_text(moment: datetime, tz: ZoneInfo) -> str:
    """A day as the timeline writes it."""
    return _day(moment, tz)


def reference_count(timeline: Timeline) -> int:
    """How many references the timeline cites."""
    return sum(len(story.items) for story in timeline.stories)
