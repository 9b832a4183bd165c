"""Narratives through the real bot: admins keep them like topics, volunteers chart them per source label."""
from __future__ import annotations

from datetime import timedelta

import pytest

from storage.models import Source, utcnow
from tests.botharness import dozor_bot, seed_items

ADMIN, ALICE = 1001, 2001
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
async def bot(fake_telegram, sqlite_url, parse_pool):
    async with dozor_bot(fake_telegram, sqlite_url, parse_pool, admin_ids=[ADMIN]) as running:
        yield running


def seed_shift(bot) -> None:
    """Kazinform (state-kz) tells of terrorists for three days, then of a coup; DW (international) of both."""
    today = utcnow().replace(hour=9, minute=0, second=0, microsecond=0)
    rows = []
    for day in range(6, 0, -1):
        narrative = "terrorists" if day > 3 else "coup"
        for n in range(3):
            rows.append({"title": f"Заявление {day}-{n}", "url": f"https://inform.example/{day}/{n}",
                         "published": today - timedelta(days=day, minutes=n),
                         "topics": {"kazakhstan": ["Казахстан"], narrative: ["x"]}})
    seed_items(bot.sessions, rows, source="Kazinform")
    seed_items(bot.sessions, [{"title": f"DW {day}", "url": f"https://dw.example/{day}",
                               "published": today - timedelta(days=day), "topics": {"kazakhstan": ["Kazakhstan"]}}
                              for day in range(6, 0, -1)], source="DW")
    with bot.sessions.begin() as session:
        for source in session.query(Source):
            source.label = {"Kazinform": "state-kz", "DW": "international"}[source.name]


async def test_narratives_chart_and_summary_report_a_shift(bot):
    seed_shift(bot)
    (chart,) = await bot.say(ALICE, ALICE, "/narratives kazakhstan 7d")
    assert chart.method == "sendPhoto" and chart.file.data.startswith(PNG) and len(chart.file.data) > 10_000
    text = chart.plain_text
    assert text.startswith("🧭 Kazakhstan, last 7d: 24 items")
    assert "state-kz (18): Coup attempt 50%, Terrorists trained abroad 50%" in text
    assert "international (6): none of the narratives" in text
    shift_day = (utcnow() - timedelta(days=3)).strftime("%d.%m")
    assert f"↪ state-kz: from «Terrorists trained abroad» to «Coup attempt» since {shift_day}" in text


async def test_narratives_usage_and_quiet_topics(bot):
    (usage,) = await bot.say(ALICE, ALICE, "/narratives weather")
    assert usage.plain_text.startswith("Narratives in which topic?")
    (period,) = await bot.say(ALICE, ALICE, "/narratives csto 500d")
    assert period.plain_text.startswith("Narratives in which topic?")
    (quiet,) = await bot.say(ALICE, ALICE, "/narratives csto")
    assert quiet.plain_text == "No items about CSTO (ОДКБ) in the last 30d."


async def test_admins_keep_narratives_with_the_topic_rule_commands(bot):
    known, usage = await bot.say(ADMIN, ADMIN, "/addnarrative", count=2)
    assert "Narratives: coup, external-forces, maidan, peacekeepers, terrorists." in known.plain_text
    (added,) = await bot.say(ADMIN, ADMIN, "/addnarrative sanctions Western sanctions")
    assert added.plain_text.startswith("Narrative Western sanctions (sanctions) added.")
    (rule,) = await bot.say(ADMIN, ADMIN, "/addkw sanctions санкци* OR sanction*")
    assert "sanctions" in rule.plain_text
    (bad,) = await bot.say(ADMIN, ADMIN, "/addkw sanctions (санкции OR")
    assert "error at position" in bad.plain_text
    seed_items(bot.sessions, [{"title": "Новые санкции против банков", "url": "https://n.example/1"}])
    (dry,) = await bot.say(ADMIN, ADMIN, "/testrule sanctions санкци* OR sanction* OR эмбарго")
    assert "on 1 items stored in the last 7 days" in dry.plain_text
    (rules,) = await bot.say(ADMIN, ADMIN, "/keywords sanctions")
    assert "1. санкци* OR sanction*" in rules.plain_text
    (subscribe,) = await bot.say(ADMIN, ADMIN, "/subscribe sanctions")
    assert "sanctions" in subscribe.plain_text and "Topics:" in subscribe.plain_text or "no topic" in subscribe.plain_text.lower()
