"""Whatever a stored item or a command's argument holds, every reply reaches Telegram within its limits."""
from __future__ import annotations

import pytest

from storage import topics as topic_store
from tests.botharness import seed_items

ADMIN, ALICE = 1001, 2001
LONG_URL = "https://news.example/" + "a" * 5000
HUGE = "x" * 10_000
ERROR = "Something went wrong"


@pytest.fixture
def bot_settings():
    return {"admin_ids": [ADMIN]}


def seed_long_url(bot) -> int:
    (item_id,) = seed_items(bot.sessions, [
        {"title": "ОДКБ: учения у границы", "url": LONG_URL, "text": "Подробности учений.", "topics": {"csto": ["ОДКБ"]}},
    ])
    return item_id


async def test_a_5000_character_url_breaks_no_reply(bot):
    await bot.say(ALICE, ALICE, "/subscribe csto")
    item_id = seed_long_url(bot)
    message = bot.fake.user_message(ALICE, ALICE, "/digest")
    (digest,) = await bot.fake.wait_for_messages(ALICE, 1, after=message["message_id"])
    assert digest.parse_mode == "HTML" and "ОДКБ: учения у границы" in digest.plain_text  # not the plain-text fallback
    (latest,) = await bot.say(ALICE, ALICE, "/latest")
    assert "ОДКБ: учения у границы" in latest.plain_text and f"/item_{item_id}" in latest.plain_text
    (full,) = await bot.say(ALICE, ALICE, f"/item {item_id}")
    assert full.plain_text.startswith("ОДКБ: учения у границы") and "Подробности учений." in full.plain_text
    (found,) = await bot.say(ALICE, ALICE, "/search учения")
    assert "ОДКБ: учения у границы" in found.plain_text
    for reply in (digest, latest, full, found):
        assert not any(e["type"] == "text_link" and len(e["url"]) > 1000 for e in reply.entities)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (f"/subscribe {HUGE}", "There is no topic xxx"),
        (f"/unsubscribe {HUGE}", "There is no topic xxx"),
        (f"/settings {HUGE}", "Unknown setting"),
        (f"/settings daily 08:00 {HUGE}", "is not a time zone"),
        (f"/latest {HUGE}", "/latest [topic] [N]"),
        (f"/search {HUGE}", "longer than 500 characters"),
        (f"/search ОДКБ topic:{'x' * 400}", "There is no topic xxx"),
        (f"/addtopic {HUGE}", "cannot be a topic id"),
        (f"/addfeed https://example.org/{HUGE}", "No feed added"),
        (f"/addfeed {HUGE}", "No feed added"),
        (f"/testrule csto {HUGE}", "at most 500 characters"),
        (f"/addkw csto {'учения ' * 1500}", "at most 500 characters"),
        (f"/keywords {HUGE}", "There is no topic xxx"),
        (f"/feed {'9' * 10_000}", "Usage: /feed"),
        (f"/audit {'9' * 10_000}", "Usage: /audit"),
        (f"/channel add {HUGE} csto alerts", "Usage: /channel"),
        (f"/channel add @dozor_kz {HUGE} alerts", "There is no topic xxx"),
        (f"/channel remove {'-' + '9' * 10_000}", "Usage: /channel"),
        (f"/reapply csto {'9' * 10_000}", "Usage: /reapply"),
        (f"/latest {'9' * 10_000}", "/latest [topic] [N]"),
        (f"/item {'9' * 10_000}", "/item 123"),
        (f"/analysis {'9' * 10_000}", "There is no analysis 999"),
        (f"/delkw csto {HUGE}", "has no rule xxx"),
        (f"/removetopic {HUGE}", "There is no topic xxx"),
        (f"/admins add {'9' * 10_000}", "not a Telegram user id"),
    ],
)
async def test_a_10000_character_argument_is_echoed_as_a_short_prefix(bot, command, expected):
    (reply,) = await bot.say(ADMIN, ADMIN, command)
    if reply.plain_text.startswith("Checking"):  # /addfeed edits its progress message
        await bot.fake.wait_for(lambda: "Checking" not in bot.fake.messages(ADMIN)[-1].plain_text, what="result")
        reply = bot.fake.messages(ADMIN)[-1]
    shown = reply.plain_text
    assert expected in shown and ERROR not in shown and len(shown) < 700, (len(shown), shown[:300])


async def test_an_overlong_rule_is_refused_and_topics_still_lists_the_rules(bot):
    (refused,) = await bot.say(ADMIN, ADMIN, "/addkw csto " + "учения " * 1500)
    assert "at most 500 characters" in refused.plain_text
    with bot.sessions() as session:
        assert all(len(rule) <= 500 for rule in topic_store.topic_rules(session)["csto"])
    (topics, rules) = await bot.say(ADMIN, ADMIN, "/topics", count=2)
    assert topics.callback_data and "Rules (admins only)" in rules.plain_text


async def test_addtopic_with_a_10000_character_title_keeps_and_shows_a_short_one(bot):
    (added,) = await bot.say(ADMIN, ADMIN, f"/addtopic weather {HUGE}")
    assert added.plain_text.startswith("Added topic xxx") and len(added.plain_text) < 700
