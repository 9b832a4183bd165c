"""/narratives without Telegram: each narrative's daily share of a topic's items per source label, as a chart and a summary."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.texts import plain, t
from bot.volunteer.trend import Period, TrendInputError, parse_period
from feeds.signals.narratives import Shares, topic_shares
from storage import topics as topic_store

DEFAULT_PERIOD = Period(timedelta(days=30))
SHOWN_LEADERS = 3
MAX_LABEL_LINES = 12  # labels shown in the summary (and lines per chart panel), the busiest first
MAX_PANELS = 12  # narratives charted, the most told first: 1000 x 2700 px at most, within Telegram's photo limits


class NarrativesInputError(ValueError):
    """/narratives arguments that name no topic, or a period out of range."""


@dataclass(frozen=True)
class NarrativesRequest:
    topic: str
    title: str
    period: Period


def narratives_request(session: Session, args: list[str]) -> NarrativesRequest:
    """Read /narratives <topic> [7d|30d|90d|2022-01-01..2022-01-20]."""
    words = list(args)
    try:
        period = parse_period(words[-1]) if words else None
    except TrendInputError:
        raise NarrativesInputError(words[-1]) from None
    if period is not None:
        words.pop()
    titles = topic_store.topic_titles(session)
    topic = topic_store.topic_named(titles, " ".join(words))
    if topic is None:
        raise NarrativesInputError("")
    return NarrativesRequest(topic, titles[topic], period or DEFAULT_PERIOD)


def narrative_shares(session: Session, request: NarrativesRequest, now: datetime, tz: ZoneInfo) -> tuple[Shares, dict]:
    """The shares over the request's period, and narrative id -> title."""
    since, until = request.period.bounds(now, tz)
    found = topic_shares(session, request.topic, since, until, tz)
    return found, topic_store.topic_titles(session, topic_store.NARRATIVE)


def summary(request: NarrativesRequest, found: Shares, titles: dict[str, str], period: str, lang: str) -> str:
    """The caption: per label its leading narratives over the period, then the shifts."""
    items = sum(found.items(label) for label in found.labels())
    lines = [t("narratives_title", lang, topic=request.title, period=period, items=items)]
    for label in found.labels()[:MAX_LABEL_LINES]:
        ranked = sorted(((found.period_share(label, n), n) for n in found.narratives), key=lambda p: (-p[0], p[1]))
        leaders = [f"{titles.get(n, n)} {share:.0%}" for share, n in ranked[:SHOWN_LEADERS] if share > 0]
        key = "narratives_label" if leaders else "narratives_label_none"
        lines.append(t(key, lang, label=label, items=found.items(label), leaders=", ".join(leaders)))
    shifts = found.shifts()
    lines.append("")
    lines += [t("narratives_shift", lang, label=s.label, before=titles.get(s.before, s.before),
                after=titles.get(s.after, s.after), day=s.day.strftime("%d.%m")) for s in shifts[-8:]]
    if not shifts:
        lines.append(t("narratives_no_shift", lang))
    return "\n".join(lines)


def render_chart(found: Shares, titles: dict[str, str], heading: str, lang: str) -> bytes:
    """One panel per narrative that occurs, one line per label, share of the label's items per day (PNG)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import DateFormatter
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    weight = {n: sum(found.period_share(label, n) for label in found.labels()) for n in found.narratives}
    told = sorted((n for n in found.narratives if weight[n]), key=lambda n: -weight[n])[:MAX_PANELS] or found.narratives[:1]
    labels = found.labels()[:MAX_LABEL_LINES]
    figure = Figure(figsize=(10, 1.2 + 2.1 * len(told)), dpi=100)
    FigureCanvasAgg(figure)
    axes_list = figure.subplots(len(told), 1, sharex=True, squeeze=False)[:, 0]
    days = [datetime.combine(day, datetime.min.time()) for day in found.days]
    marker = "o" if len(days) <= 40 else None
    for axes, narrative in zip(axes_list, told):
        for label in labels:
            axes.plot(days, found.series(label, narrative), marker=marker, markersize=3, linewidth=1.4, label=label)
        axes.set_title(titles.get(narrative, narrative), fontsize=10, loc="left")
        axes.set_ylim(0, 1)
        axes.yaxis.set_major_formatter(PercentFormatter(1.0))
        axes.grid(alpha=0.3)
    axes_list[0].legend(loc="upper right", fontsize=8, ncol=min(4, len(labels)) or 1)
    axes_list[-1].xaxis.set_major_formatter(DateFormatter("%d.%m"))
    axes_list[len(told) // 2].set_ylabel(plain("narratives_chart_axis", lang))
    figure.suptitle(heading)
    for label in axes_list[-1].get_xticklabels():
        label.set_rotation(30)
        label.set_horizontalalignment("right")
    # Fixed margins: tight_layout measured every label again and took a third of the time.
    figure.subplots_adjust(left=0.08, right=0.98, top=1 - 0.6 / figure.get_figheight(), bottom=0.5 / figure.get_figheight(),
                           hspace=0.35)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def as_json(request: NarrativesRequest, found: Shares, since: datetime, until: datetime) -> dict:
    """Per day, per label, each narrative's share (and the label's item count), with the shifts."""
    days = []
    for day in found.days:
        labels = {}
        for label in found.labels():
            count = found.by_label[label].get(day)
            if count and count.items:
                labels[label] = {"items": count.items, "shares": {n: round(count.share(n), 4) for n in found.narratives}}
        days.append({"day": day.isoformat(), "labels": labels})
    return {
        "topic": request.topic,
        "since": since.isoformat().replace("+00:00", "Z"),
        "until": until.isoformat().replace("+00:00", "Z"),
        "narratives": found.narratives,
        "days": days,
        "shifts": [{"label": s.label, "day": s.day.isoformat(), "from": s.before, "to": s.after} for s in found.shifts()],
    }

