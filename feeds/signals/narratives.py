"""Narrative shares: of a topic's items from sources with a label, the share that tells each narrative, per day.

A label's leading narrative on a day is the one with the largest share, if at least MIN_ITEMS of
its items tell it. A leader is established once it leads two days in a row; a shift is a change
from one established leader to another that holds: the new one leads on the day it took the lead
and the next day too. Days with no leader break a run but keep the established one.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from storage import narratives as narrative_store
from storage.narratives import HourCount
from storage import topics as topic_store
from storage.sources import UNLABELED

MIN_ITEMS = 2


@dataclass
class DayCount:
    """One label's items on one day, and how many of them tell each narrative."""

    items: int = 0
    narratives: dict[str, int] = field(default_factory=dict)

    def share(self, narrative: str) -> float:
        return self.narratives.get(narrative, 0) / self.items if self.items else 0.0

    def leader(self, min_items: int = MIN_ITEMS) -> str | None:
        """The narrative with the largest share (the first by name among equals), if enough items tell it."""
        ranked = sorted(self.narratives.items(), key=lambda pair: (-pair[1], pair[0]))
        return ranked[0][0] if ranked and ranked[0][1] >= min_items else None


@dataclass(frozen=True)
class Shift:
    """A label's leading narrative changed from `before` to `after` on `day`, and held."""

    label: str
    day: date
    before: str
    after: str


@dataclass
class Shares:
    """Per label, per day: the topic's items and their narratives."""

    days: list[date]
    narratives: list[str]
    by_label: dict[str, dict[date, DayCount]]

    def labels(self) -> list[str]:
        """Labels with the most items first."""
        return sorted(self.by_label, key=lambda label: (-self.items(label), label))

    def items(self, label: str) -> int:
        return sum(c.items for c in self.by_label[label].values())

    def period_share(self, label: str, narrative: str) -> float:
        """The narrative's share of the label's items over the whole period."""
        counts = self.by_label[label].values()
        total = sum(c.items for c in counts)
        return sum(c.narratives.get(narrative, 0) for c in counts) / total if total else 0.0

    def series(self, label: str, narrative: str) -> list[float]:
        """The narrative's daily share for one label (NaN on days the label has no items: a gap, not 0%)."""
        counts = self.by_label[label]
        return [counts[day].share(narrative) if day in counts else math.nan for day in self.days]

    def leaders(self, label: str) -> list[str | None]:
        counts = self.by_label[label]
        return [counts[day].leader() if day in counts else None for day in self.days]

    def shifts(self) -> list[Shift]:
        """Every shift of every label, in time order."""
        found = [shift for label in self.labels() for shift in shifts(label, self.days, self.leaders(label))]
        return sorted(found, key=lambda s: (s.day, s.label))


def local_days(since: datetime, until: datetime, tz: ZoneInfo) -> list[date]:
    """The local days from the one holding `since` to the one holding `until`."""
    first, last = since.astimezone(tz).date(), until.astimezone(tz).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def shares(hours: list[HourCount], narratives: list[str], since: datetime, until: datetime, tz: ZoneInfo) -> Shares:
    """Fold the hourly counts (storage.narratives) into local days, per label."""
    by_label: dict[str, dict[date, DayCount]] = defaultdict(dict)
    for hour, label, items, told in hours:
        count = by_label[label or UNLABELED].setdefault(hour.astimezone(tz).date(), DayCount())
        count.items += items
        for narrative, n in told.items():
            count.narratives[narrative] = count.narratives.get(narrative, 0) + n
    return Shares(local_days(since, until, tz), sorted(narratives), dict(by_label))


def shifts(label: str, days: list[date], leaders: list[str | None]) -> list[Shift]:
    """The shifts in one label's daily leaders: a new leader on two days in a row (a day without one breaks a run)."""
    found: list[Shift] = []
    established: str | None = None
    previous: str | None = None
    for index, leader in enumerate(leaders):
        if leader is not None and leader == previous and leader != established:
            if established is not None:  # the first leader of the period is where it starts, not a shift
                found.append(Shift(label, days[index - 1], established, leader))
            established = leader
        previous = leader
    return found


def topic_shares(session: Session, topic: str, since: datetime, until: datetime, tz: ZoneInfo) -> Shares:
    """Every narrative's daily share of the topic's items in [since, until], per source label."""
    narratives = list(topic_store.topic_titles(session, topic_store.NARRATIVE))
    hours = narrative_store.counts_per_hour(session, topic, narratives, since, until)
    return shares(hours, narratives, since, until, tz)
