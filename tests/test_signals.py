"""Narrative shares and shifts, on synthetic series with known answers and on the labeled set."""
from __future__ import annotations

import json
import math
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from feeds.signals.narratives import Shift, shares, shifts
from feeds.sources.bootstrap import open_database
from tests.stories_seed import seed_labeled

ROOT = Path(__file__).resolve().parents[1]
DAYS = [date(2022, 1, 1) + timedelta(days=n) for n in range(8)]
UTC = ZoneInfo("UTC")


@pytest.mark.parametrize("leaders, expected", [
    (["a", "a", "a", "b", "b", "b"], [(3, "a", "b")]),  # a new leader that holds
    (["a", "a", "b", "a", "a"], []),  # one day of b is no shift
    (["a", "a", None, "b", "b"], [(3, "a", "b")]),  # a quiet day keeps a as the leader
    (["b", "b", "b"], []),  # the first leader is where the period starts
    (["a", "a", "b", "b", "a", "a"], [(2, "a", "b"), (4, "b", "a")]),
    ([None, "a", "b", "b"], []),  # a never held, so b is the first leader
    (["a", "a", "b", None, "b", "b"], [(4, "a", "b")]),  # a run broken by a quiet day starts again
    ([], []),
])
def test_a_shift_is_a_new_leader_that_holds_for_a_day(leaders, expected):
    found = shifts("state-kz", DAYS[: len(leaders)], leaders)
    assert found == [Shift("state-kz", DAYS[day], before, after) for day, before, after in expected]


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2022, 1, 1 + day, hour, tzinfo=timezone.utc)


def test_shares_fold_hours_into_local_days_per_label():
    hours = [(_at(0), "state-kz", 2, {"terrorists": 2, "coup": 1}), (_at(0), "international", 1, {"coup": 1}),
             (_at(0, 21), None, 1, {}), (_at(1), "state-kz", 1, {"coup": 1})]  # 21:00 UTC is the next day in Almaty
    found = shares(hours, ["coup", "terrorists"], _at(0, 0), _at(1, 17), ZoneInfo("Asia/Almaty"))
    first, second = found.days[0], found.days[1]
    assert found.by_label["state-kz"][first].items == 2 and found.by_label["state-kz"][first].share("terrorists") == 1.0
    assert found.by_label["international"][first].share("coup") == 1.0
    assert found.by_label["unlabeled"][second].items == 1
    assert found.series("state-kz", "coup") == [0.5, 1.0]
    assert math.isnan(found.series("unlabeled", "coup")[0])  # no items that day: a gap in the chart, not 0%
    assert found.labels()[0] == "state-kz" and found.period_share("state-kz", "coup") == 2 / 3


def test_shares_find_the_shift_in_a_synthetic_month():
    hours = [(_at(day), "state-kz", 5, {"terrorists" if day < 6 else "coup": 3}) for day in range(10)]
    found = shares(hours, ["coup", "terrorists"], _at(0, 0), _at(9, 23), UTC)
    assert found.shifts() == [Shift("state-kz", date(2022, 1, 7), "terrorists", "coup")]


def test_an_item_counts_once_per_label_in_the_database(database_url):
    from storage import items as item_store
    from storage import narratives as narrative_store
    from storage import sources as source_store
    from storage.items import NewItem

    sessions = open_database(database_url, seed_sources=False)
    with sessions.begin() as session:
        kz1, kz2 = (source_store.add_source(session, f"https://kz{n}.example/rss", f"KZ{n}", label="state-kz").id for n in (1, 2))
        dw = source_store.add_source(session, "https://dw.example/rss", "DW", label="international").id
        item = NewItem("a", "Заявление", "", _at(0), canonical_url="https://x.example/1",
                       matches={"kazakhstan": [{"term": "x"}], "coup": [{"term": "x"}]})
        for source in (kz1, kz2, dw):
            item_store.store_items(session, source, [NewItem(**{**item.__dict__, "dedup_key": f"a{source}"})])
    with sessions() as session:
        hours = narrative_store.counts_per_hour(session, "kazakhstan", ["coup", "maidan"], _at(0, 0), _at(0, 23))
    sessions.kw["bind"].dispose()
    assert sorted(hours, key=str) == [(_at(0), "international", 1, {"coup": 1}), (_at(0), "state-kz", 1, {"coup": 1})]


def test_dozor_narratives_json_on_the_labeled_set(database_url):
    sessions = open_database(database_url, seed_sources=False)
    seed_labeled(sessions)
    sessions.kw["bind"].dispose()
    env = {"DOZOR_DATABASE_URL": database_url, "DOZOR_DEFAULT_FEEDS": "0", "PATH": "/usr/bin:/bin"}
    args = ["narratives", "--topic", "kazakhstan", "--days", "14", "--until", "2022-01-14T00:00:00Z", "--format", "json"]
    done = subprocess.run([sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", *args],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["narratives"] == ["coup", "external-forces", "maidan", "peacekeepers", "terrorists"]
    by_day = {d["day"]: d["labels"] for d in data["days"]}
    assert len(by_day) == 15
    asks = by_day["2022-01-05"]["state-kz"]
    assert asks["items"] >= 4 and asks["shares"]["terrorists"] > 0
    summit = by_day["2022-01-10"]
    assert summit["ru"]["shares"]["maidan"] == 1.0  # RBC: "майданные технологии"
    assert summit["state-kz"]["shares"]["coup"] > 0
    assert all(0 <= share <= 1 for day in data["days"] for label in day["labels"].values() for share in label["shares"].values())
