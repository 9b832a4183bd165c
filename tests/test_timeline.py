"""Timelines: a topic's stories in time order with numbered references, from the command line and the bot."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from feeds.sources.bootstrap import open_database
from bot.volunteer import timeline
from tests.botharness import dozor_bot
from tests.stories_seed import labeled_items, seed_labeled

ROOT = Path(__file__).resolve().parents[1]
ALICE = 2001
JANUARY = ["--since", "2022-01-01", "--until", "2022-01-31T23:59:59Z"]


@pytest.fixture
def seeded(database_url):
    sessions = open_database(database_url, seed_sources=False)
    ids = seed_labeled(sessions)
    yield database_url, ids
    sessions.kw["bind"].dispose()


def dozor(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {"DOZOR_DATABASE_URL": url, "DOZOR_DEFAULT_FEEDS": "0", "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", *args],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)


def by_label(ids: dict[str, int]) -> dict[int, dict]:
    return {ids[item["id"]]: item for item in labeled_items()}


def test_timeline_json_lists_stories_in_time_order_with_first_reporter_first(seeded):
    url, ids = seeded
    done = dozor(url, "timeline", "--topic", "csto", *JANUARY, "--format", "json")
    assert done.returncode == 0, done.stderr
    stories = json.loads(done.stdout)
    assert [s["first_seen"] for s in stories] == sorted(s["first_seen"] for s in stories)
    assert all({"first_seen", "title", "sources", "langs", "item_ids", "urls"} <= set(s) for s in stories)
    items = by_label(ids)
    asks = next(s for s in stories if items[s["item_ids"][0]]["story"] == "tokayev-asks-csto")
    assert asks["first_seen"] == "2022-01-05T19:50:00Z"
    assert asks["sources"] == ["Kazinform", "Azattyk", "DW", "LIGA.net"]  # Kazinform first, then as they came
    assert asks["title"] == "Токаев обратился к главам государств ОДКБ за помощью"
    assert set(asks["langs"]) == {"ru", "kk", "en", "uk"}
    assert {items[i]["story"] for i in asks["item_ids"]} == {"tokayev-asks-csto"} and len(asks["item_ids"]) == 5
    assert asks["urls"] == [items[i]["url"] for i in asks["item_ids"]]


def test_timeline_markdown_references_point_at_the_items_of_each_line(seeded):
    url, ids = seeded
    done = dozor(url, "timeline", "--topic", "kazakhstan", *JANUARY, "--format", "md")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    body, references = text.split("## References")
    urls = dict(re.findall(r"^(\d+)\\\. .*<(\S+)>$", references, re.M))
    stories = json.loads(dozor(url, "timeline", "--topic", "kazakhstan", *JANUARY, "--format", "json").stdout)
    assert sorted(urls.values()) == sorted(u for story in stories for u in story["urls"])  # each item cited once
    assert len(urls) > 60
    items_by_url = {item["url"]: item for item in labeled_items()}
    lines = [line for line in body.splitlines() if line.startswith("- ")]
    assert len(lines) >= 15
    for line in lines:
        cited = re.findall(r"([\w. ]+?) ((?:\[\d+\])+)", line.split(" · ", 2)[2])
        stories = set()
        for source, numbers in cited:
            for number in re.findall(r"\d+", numbers):
                item = items_by_url[urls[number]]
                assert item["source"] == source.strip()
                stories.add(item["story"])
        assert len(stories) == 1, line


def test_timeline_of_an_unknown_topic_or_an_empty_period_says_so(seeded):
    url, _ = seeded
    unknown = dozor(url, "timeline", "--topic", "weather", "--format", "json")
    assert unknown.returncode == 2 and "no topic 'weather'; topics: csto, kazakhstan" in unknown.stderr
    empty = dozor(url, "timeline", "--topic", "csto", "--since", "2021-01-01", "--until", "2021-02-01", "--format", "json")
    assert empty.returncode == 0 and json.loads(empty.stdout) == [] and "no stories about CSTO" in empty.stderr
    backwards = dozor(url, "timeline", "--topic", "csto", "--since", "2022-02-01", "--until", "2022-01-01")
    assert backwards.returncode == 2 and "is after --until" in backwards.stderr


def test_stories_jsonl_lists_every_story_with_its_items(seeded):
    url, ids = seeded
    done = dozor(url, "stories", "--format", "jsonl")
    assert done.returncode == 0, done.stderr
    stories = [json.loads(line) for line in done.stdout.splitlines()]
    placed = sorted(i for s in stories for i in s["item_ids"])
    assert placed == sorted(ids.values())
    items = by_label(ids)
    assert sum(len({items[i]["story"] for i in s["item_ids"]}) > 1 for s in stories) <= 1  # at most one mixed story
    regrouped = dozor(url, "stories", "--regroup", "--format", "jsonl")
    assert regrouped.returncode == 0 and "regrouped 79 items" in regrouped.stderr


async def test_bot_timeline_sends_a_long_one_as_a_markdown_file_and_a_short_one_as_a_message(
    fake_telegram, sqlite_url, parse_pool, monkeypatch
):
    async with dozor_bot(fake_telegram, sqlite_url, parse_pool) as bot:
        seed_labeled(bot.sessions)
        (file,) = await bot.say(ALICE, ALICE, "/timeline kazakhstan 01.01.2022 31.01.2022")
        assert file.method == "sendDocument" and file.file.filename == "timeline-kazakhstan-2022-01-01-2022-01-31.md"
        assert file.plain_text.startswith("🗓 Kazakhstan: ") and "The timeline is in the file." in file.plain_text
        document = file.file.data.decode("utf-8")
        assert document.startswith("# Timeline: Kazakhstan, 01.01.2022 to 31.01.2022") and "## References" in document
        (short,) = await bot.say(ALICE, ALICE, "/timeline csto 2022-01-13 2022-01-13")
        assert short.method == "sendMessage"
        assert "Миротворцы ОДКБ начали выводиться из Казахстана" in short.plain_text
        assert "13.01.2022 09:10 · Миротворцы ОДКБ начали выводиться из Казахстана · RBC [1], Kazinform [2], DW [3], " \
            "LIGA.net [4]" in short.plain_text
        assert "[1] rbc.ru · RBC · 13.01.2022 09:10" in short.plain_text
        assert [e["url"] for e in short.entities if e["type"] == "text_link"][0] == "https://www.rbc.ru/ru/csto-withdrawal-1"
        (none,) = await bot.say(ALICE, ALICE, "/timeline csto 2021-01-01 2021-01-02")
        assert none.plain_text == "No stories about CSTO (ОДКБ) from 01.01.2021 to 02.01.2021."
        (usage,) = await bot.say(ALICE, ALICE, "/timeline weather")
        assert usage.plain_text.startswith("Timeline of which topic?")
        (bad,) = await bot.say(ALICE, ALICE, "/timeline csto 2022-02-30")
        assert bad.plain_text.startswith("I cannot read the period: 2022-02-30.")
        monkeypatch.setattr(timeline, "CHAT_STORIES", 3)  # thousands of stories: the file lists the first and says so
        (capped,) = await bot.say(ALICE, ALICE, "/timeline kazakhstan 01.01.2022 31.01.2022")
        document = capped.file.data.decode("utf-8")
        assert "Only the first 3 of" in document and document.count("\n- ") == 3


def test_a_timeline_period_is_the_last_days_or_a_range_of_days(seeded):
    url, _ = seeded
    sessions = open_database(url, seed_sources=False)
    now = datetime(2022, 1, 20, 12, tzinfo=timezone.utc)
    with sessions() as session:
        last = timeline.timeline_request(session, ["kazakhstan", "30d"], now, timezone.utc)
        days = timeline.timeline_request(session, ["csto", "2022-01-05..2022-01-10"], now, timezone.utc)
    sessions.kw["bind"].dispose()
    assert (last.since, last.until) == (now - timedelta(days=30), now)
    assert (days.since, days.until) == (datetime(2022, 1, 5, tzinfo=timezone.utc), datetime(2022, 1, 11, tzinfo=timezone.utc))
