"""/trend without Telegram: items per day (per hour for two days or less), one line per topic, as a PNG chart.

The period is the last N days or hours (`30d`, `48h`) or a range of local days (`2022-01-01..2022-01-20`).
Every figure counts items published in the period: an item matched to two topics is on both topics'
lines but counted once in the total, as /search counts it.
"""
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
LONGEST_PERIOD = timedelta(days=366)
HOURLY_UP_TO = timedelta(days=2)
WORD_ITEMS_CAP = 5000  # a word trend counts at most this many found items
_PERIOD = re.compile(r"(\d{1,3})([dh])", re.IGNORECASE)
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


class TrendInputError(ValueError):
    """/trend arguments that say no topic or word, or a period out of range."""


@dataclass(frozen=True)
class Period:
    """What to count over: the last `length` before now, or the local days `first` to `last` (both included)."""

    length: timedelta | None = None
    first: date | None = None
    last: date | None = None

    def bounds(self, now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """(since, until) as moments; a range ends at the end of its last day, or now if that is sooner."""
        if self.length is not None:
            return now - self.length, now
        since = datetime.combine(self.first, datetime.min.time(), tz)
        until = datetime.combine(self.last + timedelta(days=1), datetime.min.time(), tz)
        return since, min(until, now)

    @property
    def span(self) -> timedelta:
        """How long the period is."""
        return self.length if self.length is not None else self.last - self.first + timedelta(days=1)

    @property
    def hourly(self) -> bool:
        """Whether the chart goes by hour (two days or less)."""
        return self.span <= HOURLY_UP_TO


def parse_period(word: str) -> Period | None:
    """7d, 30d, 48h or 2022-01-01..2022-01-20, up to a year; None if the word is not a period."""
    if found := _PERIOD.fullmatch(word):
        amount, unit = int(found[1]), found[2].lower()
        period = Period(timedelta(days=amount) if unit == "d" else timedelta(hours=amount))
    elif found := _RANGE.fullmatch(word):
        try:
            period = Period(first=date.fromisoformat(found[1]), last=date.fromisoformat(found[2]))
        except ValueError:
            raise TrendInputError(word) from None
        if period.last < period.first:
            raise TrendInputError(word)
    else:
        return None
    if not timedelta(hours=1) <= period.span <= LONGEST_PERIOD:
        raise TrendInputError(word)
    return period


@dataclass(frozen=True)
class TrendRequest:
    """What to chart: some topics, or the items a search query finds (split by topic)."""

    label: str
    period: Period
    topics: tuple[str, ...] = ()
    query: str | None = None


@dataclass(frozen=True)
class Series:
    """Items per bucket (local hours or days): one line per label, and the items of all lines counted once."""

    label: str
    period: Period
    buckets: list[datetime]
    lines: dict[str, list[int]]
    items: list[int]  # per bucket, each item once whatever its lines
    total: int
    capped: bool = False

    @property
    def hourly(self) -> bool:
        return self.period.hourly

    def busiest(self) -> tuple[datetime, int]:
        """The bucket (hour or day) with the most items, the latest of equals."""
        count, bucket = max(zip(self.items, self.buckets))
        return bucket, count


def trend_request(session: Session, args: list[str]) -> TrendRequest:
    """Read /trend <topic or word...> [period]."""
    words = list(args)
    period = parse_period(words[-1]) if words else None
    if period is not None:
        words.pop()
    if not words:
        raise TrendInputError("")
    period = period or Period(DEFAULT_PERIOD)
    titles = topic_store.topic_titles(session)
    text = " ".join(words)
    whole = topic_store.topic_named(titles, text)
    topics = [whole] if whole else [topic_store.topic_named(titles, word) for word in words]
    if all(topics):
        return TrendRequest(", ".join(titles[t] for t in topics), period, topics=tuple(dict.fromkeys(topics)))
    parse_query(text)  # a QueryError tells the user what to fix
    return TrendRequest(text, period, query=text)


def trend_series(session: Session, request: TrendRequest, now: datetime, tz: ZoneInfo, no_topic: str) -> Series:
    """Count the items of the request's period in local buckets."""
    since, until = request.period.bounds(now, tz)
    titles = topic_store.topic_titles(session)
    capped = False
    if request.topics:
        found = browse.topic_match_times(session, request.topics, since, until)
        rows = [(item_id, moment, titles.get(topic, topic)) for item_id, moment, topic in found]
    else:
        rows, capped = _word_rows(session, request.query, since, until, titles, no_topic)
    return _bucketed(request, rows, since, until, tz, capped)


def _word_rows(session: Session, text: str, since: datetime, until: datetime, titles: dict[str, str], no_topic: str):
    """(item, published, topic title) of the items the query finds in [since, until], one row per topic."""
    utc_days = {"since": since.astimezone(timezone.utc).date(), "until": until.astimezone(timezone.utc).date()}
    page = search(session, replace(parse_query(text), **utc_days), limit=WORD_ITEMS_CAP, fold_similar=False)
    found = [(hit.item_id, hit.published_at) for hit in page.results if since <= hit.published_at <= until]
    topics = browse.topics_of_items(session, [item_id for item_id, _ in found])
    rows = [
        (item_id, published, titles[topic] if topic else no_topic)
        for item_id, published in found
        for topic in [t for t in topics.get(item_id, []) if t in titles] or [None]  # narratives are no lines here
    ]
    return rows, len(page.results) >= WORD_ITEMS_CAP


def _floor(moment: datetime, tz: ZoneInfo, hourly: bool) -> datetime:
    local = moment.astimezone(tz)
    if hourly:
        return local.replace(minute=0, second=0, microsecond=0)
    return datetime(local.year, local.month, local.day, tzinfo=tz)


def _buckets(since: datetime, until: datetime, tz: ZoneInfo, hourly: bool) -> list[datetime]:
    """Local hours or days from the one holding `since` to the one holding `until`."""
    found, at, last = [], _floor(since, tz, hourly), _floor(until, tz, hourly)
    while at <= last:
        found.append(at)
        # Days step on the wall clock (midnight to midnight); hours in real time, across DST changes.
        at = _floor(at.astimezone(timezone.utc) + timedelta(hours=1), tz, True) if hourly else at + timedelta(days=1)
    return found


def _bucketed(request: TrendRequest, rows, since: datetime, until: datetime, tz: ZoneInfo, capped: bool) -> Series:
    hourly = request.period.hourly
    buckets = _buckets(since, until, tz, hourly)
    index = {bucket: n for n, bucket in enumerate(buckets)}
    lines: dict[str, list[int]] = {}
    slots: dict[int, int] = {}  # item -> its bucket
    for item_id, moment, label in rows:
        slot = index.get(_floor(moment, tz, hourly))
        if slot is None:
            continue
        lines.setdefault(label, [0] * len(buckets))[slot] += 1
        slots[item_id] = slot
    per_bucket = Counter(slots.values())
    items = [per_bucket.get(n, 0) for n in range(len(buckets))]
    return Series(request.label, request.period, buckets, dict(sorted(lines.items())), items, len(slots), capped)


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
