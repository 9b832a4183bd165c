"""/trend without Telegram: matches per day (per hour for two days or less), one line per topic, as a PNG chart."""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from storage import browse
from storage import topics as topic_store
from storage.search.execute import search
from storage.search.query import parse_query

DEFAULT_PERIOD = timedelta(days=7)
LONGEST_PERIOD = timedelta(days=90)
HOURLY_UP_TO = timedelta(days=2)
WORD_ITEMS_CAP = 5000  # a word trend counts at most this many found items
_PERIOD = re.compile(r"(\d{1,3})([dh])", re.IGNORECASE)


class TrendInputError(ValueError):
    """/trend arguments that say no topic or word, or a period out of range."""


@dataclass(frozen=True)
class TrendRequest:
    """What to chart: some topics, or the items a search query finds (split by topic)."""

    label: str
    period: timedelta
    topics: tuple[str, ...] = ()
    query: str | None = None


@dataclass(frozen=True)
class Series:
    """Counts per bucket (local hours or days), one line per label."""

    label: str
    period: timedelta
    buckets: list[datetime]
    lines: dict[str, list[int]]
    daily: dict[date, int]
    capped: bool = False

    @property
    def hourly(self) -> bool:
        return self.period <= HOURLY_UP_TO

    @property
    def total(self) -> int:
        return sum(self.daily.values())

    def busiest_day(self) -> tuple[date, int]:
        """The day with the most matches (the latest of equals)."""
        return max(self.daily.items(), key=lambda pair: (pair[1], pair[0]))


def parse_period(word: str) -> timedelta | None:
    """7d, 30d, 90d, 48h...: a period up to 90 days; None if the word is not a period."""
    found = _PERIOD.fullmatch(word)
    if not found:
        return None
    amount, unit = int(found[1]), found[2].lower()
    period = timedelta(days=amount) if unit == "d" else timedelta(hours=amount)
    if not timedelta(hours=1) <= period <= LONGEST_PERIOD:
        raise TrendInputError(word)
    return period


def trend_request(session: Session, args: list[str]) -> TrendRequest:
    """Read /trend <topic or word...> [period]."""
    words = list(args)
    period = parse_period(words[-1]) if words else None
    if period is not None:
        words.pop()
    if not words:
        raise TrendInputError("")
    titles = topic_store.topic_titles(session)
    text = " ".join(words)
    whole = topic_store.topic_named(titles, text)
    topics = [whole] if whole else [topic_store.topic_named(titles, word) for word in words]
    if all(topics):
        return TrendRequest(", ".join(titles[t] for t in topics), period or DEFAULT_PERIOD, topics=tuple(dict.fromkeys(topics)))
    parse_query(text)  # a QueryError tells the user what to fix
    return TrendRequest(text, period or DEFAULT_PERIOD, query=text)


def trend_series(session: Session, request: TrendRequest, now: datetime, tz: ZoneInfo, no_topic: str) -> Series:
    """Count the matches of the request's period in local buckets."""
    since = now - request.period
    titles = topic_store.topic_titles(session)
    capped = False
    if request.topics:
        rows = [(moment, titles.get(t, t)) for moment, t in browse.topic_match_times(session, request.topics, since, now)]
    else:
        rows, capped = _word_rows(session, request.query, since, titles, no_topic)
    return _bucketed(request, rows, since, now, tz, capped)


def _word_rows(session: Session, text: str, since: datetime, titles: dict[str, str], no_topic: str):
    """(published, topic title) of the items the query finds since `since`, one row per topic."""
    query = replace(parse_query(text), since=since.date(), until=None)
    page = search(session, query, limit=WORD_ITEMS_CAP, fold_similar=False)
    found = [(hit.item_id, hit.published_at) for hit in page.results if hit.published_at >= since]
    topics = browse.topics_of_items(session, [item_id for item_id, _ in found])
    rows = [
        (published, titles.get(topic, topic)) for item_id, published in found for topic in topics.get(item_id) or [None]
    ]
    rows = [(published, label or no_topic) for published, label in rows]
    return rows, len(page.results) >= WORD_ITEMS_CAP


def _floor(moment: datetime, tz: ZoneInfo, hourly: bool) -> datetime:
    local = moment.astimezone(tz)
    if hourly:
        return local.replace(minute=0, second=0, microsecond=0)
    return datetime(local.year, local.month, local.day, tzinfo=tz)


def _buckets(since: datetime, now: datetime, tz: ZoneInfo, hourly: bool) -> list[datetime]:
    """Local hours or days from the one holding `since` to the one holding `now`."""
    found, at, last = [], _floor(since, tz, hourly), _floor(now, tz, hourly)
    while at <= last:
        found.append(at)
        # Days step on the wall clock (midnight to midnight); hours in real time, across DST changes.
        at = _floor(at.astimezone(timezone.utc) + timedelta(hours=1), tz, True) if hourly else at + timedelta(days=1)
    return found


def _bucketed(request: TrendRequest, rows, since: datetime, now: datetime, tz: ZoneInfo, capped: bool) -> Series:
    hourly = request.period <= HOURLY_UP_TO
    buckets = _buckets(since, now, tz, hourly)
    index = {bucket: n for n, bucket in enumerate(buckets)}
    lines: dict[str, list[int]] = {}
    daily: Counter = Counter()
    for moment, label in rows:
        slot = index.get(_floor(moment, tz, hourly))
        if slot is None:
            continue
        lines.setdefault(label, [0] * len(buckets))[slot] += 1
        daily[moment.astimezone(tz).date()] += 1
    return Series(request.label, request.period, buckets, dict(sorted(lines.items())), dict(daily), capped)


def render_chart(series: Series, tz: ZoneInfo, title: str, ylabel: str) -> bytes:
    """The series as a PNG line chart (matplotlib's Agg backend, no pyplot state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import DateFormatter
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(10, 5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    marker = "o" if len(series.buckets) <= 40 else None
    for label, counts in series.lines.items():
        axes.plot(series.buckets, counts, marker=marker, markersize=3, linewidth=1.6, label=label)
    axes.set_title(title)
    axes.set_ylabel(ylabel)
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(alpha=0.3)
    axes.xaxis.set_major_formatter(DateFormatter("%d.%m %H:%M" if series.hourly else "%d.%m", tz=tz))
    axes.legend(loc="upper left")
    figure.autofmt_xdate()
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Title": title, "Description": ylabel})  # what the image shows, in words
    return buffer.getvalue()
