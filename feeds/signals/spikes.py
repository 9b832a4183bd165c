"""Spikes: a topic's last hour far above its usual level for that hour of the day.

The usual level is the median of the same hour on each of the previous BASELINE_DAYS days, and
its spread the median absolute deviation (MAD, scaled to a standard deviation), both robust to
the odd busy day. An hour is a spike when it holds at least FLOOR items (a quiet topic does not
alarm on three), at least RATIO times the usual level, and MADS spreads above it.
"""
from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from storage import signals as signal_store

BASELINE_DAYS = 28
FLOOR = 10
RATIO = 3.0
MADS = 4.0
MAD_TO_SIGMA = 1.4826
COOLDOWN = timedelta(hours=6)  # at most one spike alert per topic in this long
HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Baseline:
    """The usual count of an hour, and how far counts usually stray from it."""

    median: float
    spread: float

    def threshold(self) -> float:
        """The count at or above which an hour is a spike."""
        return max(FLOOR, RATIO * max(self.median, 1.0), self.median + MADS * max(self.spread, 1.0))


def baseline(history: list[int]) -> Baseline:
    """Median and scaled MAD of the same hour on previous days (missing days count as 0)."""
    if not history:
        return Baseline(0.0, 0.0)
    median = statistics.median(history)
    mad = statistics.median(abs(count - median) for count in history)
    return Baseline(float(median), MAD_TO_SIGMA * mad)


@dataclass(frozen=True)
class Spike:
    topic: str
    hour_end: datetime
    count: int
    usual: Baseline


def windows(now: datetime, days: int = BASELINE_DAYS) -> list[tuple[datetime, datetime]]:
    """The last hour, then the same hour on each of the previous `days` days."""
    return [(now - timedelta(days=d) - HOUR, now - timedelta(days=d)) for d in range(days + 1)]


def spike_of(topic: str, now: datetime, counts: list[int]) -> Spike | None:
    """A spike if the last hour (counts[0]) is far above the previous days' same hour (counts[1:])."""
    usual = baseline(counts[1:])
    return Spike(topic, now, counts[0], usual) if counts[0] >= usual.threshold() else None


def find_spike(session: Session, topic: str, now: datetime) -> Spike | None:
    """The topic's spike in the hour before `now`, unless one was announced less than COOLDOWN ago."""
    last = signal_store.last_sent(session, "spike", topic)
    if last is not None and last > now - COOLDOWN:
        return None
    return spike_of(topic, now, signal_store.counts_in_windows(session, topic, windows(now)))
