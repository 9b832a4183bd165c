"""Narratives through the real bot: admins keep them like topics, volunteers chart them per source label."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.delivery.signals_writer import SignalWriter
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
    assert text.startswith("🧭 Kazakhstan, in the last 7d: 24 items")
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
    assert "on 1 item published in the last 7 days" in dry.plain_text
    (rules,) = await bot.say(ADMIN, ADMIN, "/keywords sanctions")
    assert "1. санкци* OR sanction*" in rules.plain_text
    (subscribe,) = await bot.say(ADMIN, ADMIN, "/subscribe sanctions")  # a narrative is no topic to follow
    assert subscribe.plain_text == "There is no topic sanctions. Topics: csto, kazakhstan."


def outbox_texts(bot, kind: str = "alert") -> list[str]:
    from storage.models import Outbox

    with bot.sessions() as session:
        return [row.text for row in session.query(Outbox).filter(Outbox.kind == kind).order_by(Outbox.id)]


async def test_opted_in_subscribers_get_one_spike_alert_with_the_top_stories(bot):
    await bot.say(ALICE, ALICE, "/subscribe kazakhstan")
    (settings,) = await bot.say(ALICE, ALICE, "/settings spikes on")
    assert "Spike alerts: on · narrative shift alerts: off" in settings.plain_text
    assert "📈 Spikes: on" in [b["text"] for b in settings.buttons]
    now = utcnow()
    seed_items(bot.sessions, [{"title": f"Митинг в Жанаозене: {n}", "url": f"https://a.example/{n}",
                               "published": now - timedelta(minutes=5 + n), "topics": {"kazakhstan": ["x"]}}
                              for n in range(11)])
    seed_items(bot.sessions, [{"title": "Митинг в Жанаозене: 11", "url": "https://dw.example/z",
                               "published": now - timedelta(minutes=3), "topics": {"kazakhstan": ["x"]}}], source="DW")
    await bot.run_job("collect")
    spikes = [text for text in outbox_texts(bot) if text.startswith("📈")]
    assert len(spikes) == 1
    assert spikes[0].startswith("📈 <b>Spike: Kazakhstan</b>: 12 items in the last hour; usually about 0 at this hour.")
    assert "Top stories:" in spikes[0] and '<a href="https://' in spikes[0]
    await bot.run_job("collect")
    assert len([text for text in outbox_texts(bot) if text.startswith("📈")]) == 1  # once per topic per six hours


async def test_opted_in_subscribers_get_a_narrative_shift_alert_once(bot):
    await bot.say(ALICE, ALICE, "/subscribe kazakhstan")
    (settings,) = await bot.say(ALICE, ALICE, "/settings shifts on")
    assert "narrative shift alerts: on" in settings.plain_text
    seed_shift(bot)
    await bot.run_job("collect")
    shifts = [text for text in outbox_texts(bot) if text.startswith("🧭")]
    day = (utcnow() - timedelta(days=3)).strftime("%d.%m.%Y")
    assert shifts == [f"🧭 <b>Narrative shift: Kazakhstan</b>: sources labeled <b>state-kz</b> now lead with «Coup attempt» "
                      f"instead of «Terrorists trained abroad» since {day}. See /narratives kazakhstan"]
    SignalWriter(bot.sessions).shifts(utcnow())  # checked again, as after a restart: the shift is not news twice
    assert len([text for text in outbox_texts(bot) if text.startswith("🧭")]) == 1
