"""Spikes: a robust baseline of the same hour over previous weeks, a floor, and at most one alert per topic in hours."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from feeds.signals import spikes
from feeds.sources.bootstrap import open_database
from feeds.signals.spikes import baseline, spike_of
from storage import items as item_store
from storage import signals as signal_store
from storage import sources as source_store
from storage.items import NewItem

NOW = datetime(2022, 1, 20, 15, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize("last_hour, history, spike", [
    (30, [5, 4, 6, 5, 7, 3, 5] * 4, True),  # six times the usual
    (12, [5, 4, 6, 5, 7, 3, 5] * 4, False),  # above, but not far above
    (3, [0] * 28, False),  # a quiet topic does not alarm on three items
    (10, [0] * 28, True),  # ...but does on the floor
    (60, [20, 5, 35, 10, 30, 15, 25] * 4, False),  # a noisy topic needs more than three times its median
    (90, [20, 5, 35, 10, 30, 15, 25] * 4, True),
    (40, [5] * 27 + [400], True),  # one freak day in the history does not raise the bar
])
def test_spike_needs_the_floor_the_ratio_and_the_spread(last_hour, history, spike):
    assert (spike_of("kazakhstan", NOW, [last_hour, *history]) is not None) is spike


def test_baseline_is_median_and_scaled_mad():
    usual = baseline([4, 5, 6, 5, 5])
    assert usual.median == 5 and usual.spread == pytest.approx(0.0)
    assert baseline([1, 2, 3, 4, 100]).median == 3 and baseline([1, 2, 3, 4, 100]).spread == pytest.approx(1.4826)


def _store(sessions, times: list[datetime], backlog: bool = False) -> None:
    with sessions.begin() as session:
        known = [s for s, _ in source_store.list_sources(session)]
        source = known[0].id if known else source_store.add_source(session, "https://kz.example/rss", "KZ").id
        rows = [NewItem(f"k{backlog}{n}{at.isoformat()}", f"Новость {n}", "", at, canonical_url=f"https://kz.example/{backlog}/{n}/{at:%j%H%M}",
                        backlog=backlog, matches={"kazakhstan": [{"term": "Казахстан"}]}) for n, at in enumerate(times)]
        item_store.store_items(session, source, rows)


def test_counts_come_from_the_same_hour_on_previous_days_and_skip_backlog(database_url):
    sessions = open_database(database_url, seed_sources=False)
    _store(sessions, [NOW - timedelta(minutes=m) for m in range(1, 13)])  # 12 in the last hour
    _store(sessions, [NOW - timedelta(days=d, minutes=20) for d in range(1, 29)])  # one a day at this hour
    _store(sessions, [NOW - timedelta(hours=3)] * 3)  # another hour
    _store(sessions, [NOW - timedelta(minutes=5)] * 30, backlog=True)  # a new source's backlog is no news
    with sessions() as session:
        counts = signal_store.counts_in_windows(session, "kazakhstan", spikes.windows(NOW))
        assert counts == [12] + [1] * 28
        spike = spikes.find_spike(session, "kazakhstan", NOW)
    assert spike is not None and spike.count == 12 and spike.usual.median == 1
    with sessions.begin() as session:
        signal_store.record_sent(session, "spike:kazakhstan:x", "spike", "kazakhstan", NOW)
    with sessions() as session:
        assert spikes.find_spike(session, "kazakhstan", NOW + timedelta(hours=2)) is None  # at most once in six hours
        assert spikes.find_spike(session, "kazakhstan", NOW + timedelta(hours=7)) is None  # the hour is quiet by then
    sessions.kw["bind"].dispose()
