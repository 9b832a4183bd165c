"""Composing digests and deciding when they are due (pure functions, no Telegram, no database)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.delivery.digest import Layout, compose_alert, compose_digest, merge_stories
from bot.delivery.due import digest_due, in_quiet_hours
from storage.digests import MatchedItem
from storage.timeline import StoryItem, StoryView
from storage.models import Chat
from tests.fake_telegram import parse_html, utf16_len

NOW = datetime(2022, 1, 6, 9, 0, tzinfo=timezone.utc)
TITLES = {"csto": "CSTO", "kazakhstan": "Kazakhstan"}


def item(n: int, title: str, topic: str = "csto", source: str = "Azattyk", minutes: int = 0, url: str | None = None,
         story: int | None = None):
    return MatchedItem(
        n, topic, title, url or f"https://news.example/{n}", NOW - timedelta(minutes=minutes), NOW, [source], ["ОДКБ"],
        story_id=story,
    )


def view(story_id: int, *items: MatchedItem) -> StoryView:
    ordered = sorted(items, key=lambda i: i.published_at)
    return StoryView(story_id, [StoryItem(i.item_id, i.published_at, i.title, i.url, "ru", tuple(i.sources)) for i in ordered])


def test_a_story_appears_once_saying_who_reported_it_first_and_who_then():
    first = item(1, "Токаев обратился к ОДКБ", source="Azattyk", minutes=300, story=7, url="https://azattyk.example/1")
    later = [item(2, "Kazakhstan asks CSTO for help", source="DW", minutes=120, story=7, url="https://dw.example/2"),
             item(3, "Токаєв звернувся до ОДКБ", source="LIGA.net", minutes=60, story=7, url="https://liga.example/3")]
    other = item(4, "Миротворцы ОДКБ прибыли в Алматы", source="RBC", minutes=30)  # in no story yet: its own
    stories = merge_stories(later + [other], {7: view(7, first, *later)})
    assert [s.first.item_id for s in stories] == [4, 3]  # newest first; item 1 came before this digest's period
    (message,) = compose_digest(later + [other], TITLES, ZoneInfo("Asia/Almaty"), "en", views={7: view(7, first, *later)}).parts
    text, entities = parse_html(message)
    assert "(2)" in text and text.count("Токаєв звернувся до ОДКБ") == 1 and "Kazakhstan asks CSTO" not in text
    assert "first: Azattyk 10:00, then DW, LIGA.net" in text  # 04:00 UTC is 10:00 in Almaty
    urls = [e["url"] for e in entities if e["type"] == "text_link"]
    assert {"https://azattyk.example/1", "https://dw.example/2", "https://liga.example/3"} <= set(urls)
    (russian,) = compose_alert(later, TITLES, ZoneInfo("UTC"), "ru", views={7: view(7, first, *later)}).parts
    assert "первым: Azattyk 04:00, затем DW, LIGA.net" in parse_html(russian)[0]


def test_digest_is_grouped_by_topic_newest_first_and_escaped():
    items = [
        item(1, "Older <b>bold</b> & co", minutes=50),
        item(2, "Newest", minutes=5),
        item(3, "Токаев выступил", topic="kazakhstan"),
    ]
    (message,) = compose_digest(items, TITLES, ZoneInfo("Asia/Almaty"), "en").parts
    text, entities = parse_html(message)  # raises on HTML Telegram would refuse
    assert text.index("CSTO") < text.index("Newest") < text.index("Older <b>bold</b> & co") < text.index("Kazakhstan")
    assert "06.01.2022 14:55" in text  # 08:55 UTC is 14:55 in Almaty (UTC+6 in 2022), and not this year
    assert any(e["type"] == "text_link" and e["url"] == "https://news.example/2" for e in entities)


def test_empty_digest_is_not_sent():
    assert compose_digest([], TITLES, ZoneInfo("UTC"), "en").parts == []


def test_long_digests_split_at_item_boundaries_within_the_limit():
    items = [item(n, f"Событие {n} " + "очень длинный заголовок " * 10) for n in range(80)]
    messages = compose_digest(items, TITLES, ZoneInfo("UTC"), "ru", layout=Layout(cap=100)).parts
    assert len(messages) > 1
    for message in messages:
        text, _ = parse_html(message)
        assert utf16_len(text) <= 4096
    joined = "".join(messages)
    assert all(f"Событие {n} " in joined for n in range(80))


def test_an_alert_for_two_topics_names_the_item_once():
    first, second = item(7, "ОДКБ и Казахстан"), item(7, "ОДКБ и Казахстан", topic="kazakhstan")
    (message,) = compose_alert([first, second], TITLES, ZoneInfo("UTC"), "en").parts
    text, _ = parse_html(message)
    assert text.count("ОДКБ и Казахстан") == 1 and "CSTO, Kazakhstan" in text


def chat(**settings) -> Chat:
    defaults = {"mode": "daily", "daily_at": "08:00", "timezone": "UTC", "quiet_start": None, "quiet_end": None}
    return Chat(**{**defaults, **settings})


@pytest.mark.parametrize(
    "settings,now,due",
    [
        ({"daily_at": "08:00"}, NOW, True),  # 09:00 UTC, last digest yesterday
        ({"daily_at": "10:00", "digest_since": NOW - timedelta(hours=22)}, NOW, False),  # yesterday's 10:00 sent
        ({"daily_at": "10:00"}, NOW, True),  # yesterday's 10:00 digest was missed (last one at 09:00)
        ({"daily_at": "08:00", "digest_since": NOW.replace(hour=8, minute=1)}, NOW, False),  # sent today already
        ({"daily_at": "08:00", "timezone": "Asia/Almaty"}, NOW, True),  # 14:00 or 15:00 local
        ({"daily_at": "13:00", "timezone": "UTC+05:00", "digest_since": NOW - timedelta(hours=2)}, NOW, True),
        ({"daily_at": "15:00", "timezone": "UTC+05:00", "digest_since": NOW - timedelta(hours=2)}, NOW, False),
        ({"daily_at": "23:00", "timezone": "Asia/Almaty", "digest_since": NOW - timedelta(hours=2)}, NOW, False),
        ({"mode": "hourly", "digest_since": NOW - timedelta(minutes=61)}, NOW, True),
        ({"mode": "hourly", "digest_since": NOW - timedelta(minutes=5)}, NOW, True),  # on the hour
        ({"mode": "hourly", "digest_since": NOW}, NOW + timedelta(minutes=59), False),
        ({"mode": "instant"}, NOW, False),
        ({"daily_at": "08:00", "quiet_start": "08:30", "quiet_end": "10:00"}, NOW, False),
    ],
)
def test_when_a_digest_is_due(settings, now, due):
    since = settings.pop("digest_since", NOW - timedelta(days=1))
    mode = settings.pop("mode", "daily")
    assert digest_due(chat(**settings), mode, since, now) is due


@pytest.mark.parametrize(
    "start,end,hour,quiet",
    [("23:00", "07:00", 2, True), ("23:00", "07:00", 8, False), ("23:00", "07:00", 23, True), ("12:00", "13:00", 12, True)],
)
def test_quiet_hours_may_span_midnight(start, end, hour, quiet):
    assert in_quiet_hours(chat(quiet_start=start, quiet_end=end), NOW.replace(hour=hour)) is quiet
