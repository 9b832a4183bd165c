"""Narrative counts per hour stay right whether read from the kept summary or from the items, after any change."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from feeds.rematch import reapply
from feeds.sources.bootstrap import open_database
from storage import items as item_store
from storage import narratives as narrative_store
from storage import sources as source_store
from storage import topic_edits
from storage import topics as topic_store
from storage.items import NewItem

SINCE = datetime(2022, 1, 1, 10, 15, tzinfo=timezone.utc)  # mid-hour: the 10:00 hour counts from 10:15 on
UNTIL = datetime(2022, 1, 1, 13, 0, tzinfo=timezone.utc)
DAY_LATER = SINCE + timedelta(days=1)  # a period where the few hours read from the items are looked up by time
NARRATIVES = ["coup", "maidan"]
# key, title, published (hh:mm), sources, matches; the topic is kazakhstan where "kz" is listed
ITEMS = [
    ("a", "Попытка переворота", "10:20", ["kz1", "kz2", "dw"], ["kz", "coup"]),
    ("b", "Путч и майдан", "10:40", ["kz1"], ["kz", "coup", "maidan"]),
    ("c", "Погода", "11:05", ["dw"], ["kz"]),
    ("h", "Переворот", "11:45", ["kz2", "dw"], ["kz", "coup"]),
    ("d", "Майдан", "12:30", ["blog"], ["kz", "maidan"]),
    ("e", "Переворот", "09:50", ["kz1"], ["kz", "coup"]),  # before the period
    ("f", "Переворот", "13:10", ["kz1"], ["kz", "coup"]),  # after it
    ("g", "Путч", "11:30", ["kz1"], ["coup"]),  # not about the topic
]
LABELS = {"kz1": "state-kz", "kz2": "state-kz", "dw": "international", "blog": None}
EXPECTED = {
    (10, "state-kz"): (2, {"coup": 2, "maidan": 1}),  # a once, though two state-kz sources carried it
    (10, "international"): (1, {"coup": 1}),
    (11, "international"): (2, {"coup": 1}),
    (11, "state-kz"): (1, {"coup": 1}),
    (12, None): (1, {"maidan": 1}),
}


def _at(clock: str) -> datetime:
    hour, minute = map(int, clock.split(":"))
    return datetime(2022, 1, 1, hour, minute, tzinfo=timezone.utc)


def _store(session, source_ids: dict[str, int], key: str, source: str) -> None:
    title, clock, _, topics = next((t, c, s, m) for k, t, c, s, m in ITEMS if k == key)
    matches = {("kazakhstan" if topic == "kz" else topic): [{"term": "x"}] for topic in topics}
    item = NewItem(f"{key}-{source}", title, "", _at(clock), canonical_url=f"https://news.example/{key}", matches=matches)
    item_store.store_items(session, source_ids[source], [item])


def _seed(session) -> dict[str, int]:
    """The sources and items above; source name -> id."""
    ids = {name: source_store.add_source(session, f"https://{name}.example/rss", name, label=label).id
           for name, label in LABELS.items()}
    for key, _, _, sources, _ in ITEMS:
        for source in sources:
            _store(session, ids, key, source)
    return ids


def _counts(sessions, until: datetime = UNTIL) -> dict[tuple[int, str | None], tuple[int, dict[str, int]]]:
    with sessions() as session:
        hours = narrative_store.counts_per_hour(session, "kazakhstan", NARRATIVES, SINCE, until)
    found = {(hour.hour, label): (items, told) for hour, label, items, told in hours}
    assert len(found) == len(hours), "one line per hour and label"
    return found


def _recount(sessions) -> int:
    with sessions.begin() as session:
        return narrative_store.recount_stale(session)


def _recount_latest(sessions, most: int) -> int:
    with sessions.begin() as session:
        return narrative_store.recount_stale(session, most=most)


@pytest.fixture
def archive(database_url):
    sessions = open_database(database_url, seed_sources=False)
    with sessions.begin() as session:
        ids = _seed(session)
    yield sessions, ids
    sessions.kw["bind"].dispose()


def test_counts_from_the_summary_equal_those_from_the_items(archive):
    sessions, _ = archive
    assert _counts(sessions) == EXPECTED  # stored just now: every hour is counted from the items
    assert _recount(sessions) > 0
    assert _recount(sessions) == 0  # nothing changed since
    assert _counts(sessions) == EXPECTED  # the whole hours 11:00 and 12:00 read from the summary
    assert _counts(sessions, DAY_LATER) == {**EXPECTED, (13, "state-kz"): (1, {"coup": 1})}  # f, now in the period


def test_counts_stay_right_after_a_narrative_is_matched_again(archive):
    sessions, _ = archive
    _recount(sessions)
    run = reapply(sessions, "coup", ["путч*"], SINCE - timedelta(days=1))
    assert (run.added, run.removed) == (0, 4)  # a, h, e and f no longer tell "coup"; b and g still do
    expected = {
        (10, "state-kz"): (2, {"coup": 1, "maidan": 1}),
        (10, "international"): (1, {}),
        (11, "international"): (2, {}),
        (11, "state-kz"): (1, {}),
        (12, None): (1, {"maidan": 1}),
    }
    assert _counts(sessions) == expected
    assert _counts(sessions, DAY_LATER) == {**expected, (13, "state-kz"): (1, {})}
    _recount(sessions)
    assert _counts(sessions) == expected


def test_counts_stay_right_after_a_label_changes(archive):
    sessions, ids = archive
    _recount(sessions)
    with sessions.begin() as session:
        source_store.set_label(session, ids["dw"], "state-kz")
        source_store.set_label(session, ids["blog"], "independent")
    expected = {
        (10, "state-kz"): (2, {"coup": 2, "maidan": 1}),  # a counts once for its three state-kz sources now
        (11, "state-kz"): (2, {"coup": 1}),
        (12, "independent"): (1, {"maidan": 1}),
    }
    assert _counts(sessions) == expected
    _recount(sessions)
    assert _counts(sessions) == expected


def test_counts_stay_right_when_another_source_carries_an_item_or_a_topic_is_deleted(archive):
    sessions, ids = archive
    _recount(sessions)
    with sessions.begin() as session:
        _store(session, ids, "c", "kz1")  # the same canonical URL: one item, now with a state-kz source too
    expected = {**EXPECTED, (11, "state-kz"): (2, {"coup": 1})}
    assert _counts(sessions) == expected
    _recount(sessions)
    assert _counts(sessions) == expected
    with sessions.begin() as session:
        topic_edits.remove_topic(session, "maidan")
    expected = {key: (items, {n: c for n, c in told.items() if n != "maidan"}) for key, (items, told) in expected.items()}
    _recount(sessions)
    assert _counts(sessions) == expected


def test_the_migration_counts_an_existing_archive(database_url):
    """What migration 0016 runs on an archive stored before it (seeded at today's schema, since later
    migrations change the tables the seed writes): recount_all from no counts at all."""
    from sqlalchemy import text

    from storage.narratives import recount_all

    sessions = open_database(database_url, seed_sources=False)
    with sessions.begin() as session:
        _seed(session)
        session.execute(text("DELETE FROM narrative_hours"))
        session.execute(text("DELETE FROM narrative_stale_hours"))
    with sessions.begin() as session:
        recount_all(session.connection())
    try:
        assert _recount(sessions) == 0  # filled by the migration's count, nothing left stale
        assert _counts(sessions) == EXPECTED
    finally:
        sessions.kw["bind"].dispose()


def test_counts_stay_right_when_stale_hours_are_scattered_over_the_period(database_url):
    sessions = open_database(database_url, seed_sources=False)
    start = datetime(2022, 1, 2, tzinfo=timezone.utc)
    hours = 3 * narrative_store.MAX_RUNS
    with sessions.begin() as session:
        source = source_store.add_source(session, "https://kz.example/rss", "kz", label="state-kz").id
        item_store.store_items(session, source, [
            NewItem(f"k{n}", "Путч" if n % 2 else "Переворот", "", start + timedelta(hours=n, minutes=30),
                    canonical_url=f"https://news.example/{n}", matches={"kazakhstan": [], "coup": []})
            for n in range(hours)
        ])
    _recount(sessions)
    reapply(sessions, "coup", ["путч*"], start - timedelta(days=1))  # every other hour goes stale
    with sessions() as session:
        found = narrative_store.counts_per_hour(session, "kazakhstan", NARRATIVES, start, start + timedelta(hours=hours))
    sessions.kw["bind"].dispose()
    expected = [(start + timedelta(hours=n), "state-kz", 1, {"coup": 1} if n % 2 else {}) for n in range(hours)]
    assert sorted(found) == expected


def test_a_recount_of_the_latest_stale_hours_leaves_the_others_stale_and_right(archive):
    sessions, _ = archive
    assert _recount_latest(sessions, 2) == 2  # 12:00 and 13:10's hour
    assert _counts(sessions) == EXPECTED
    assert _recount(sessions) > 0
    assert _counts(sessions) == EXPECTED
