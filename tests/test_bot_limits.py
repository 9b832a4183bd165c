"""Whatever a stored item or a command's argument holds, every reply reaches Telegram within its limits."""
from __future__ import annotations

import pytest

from tests.botharness import dozor_bot, seed_items

ADMIN, ALICE = 1001, 2001
LONG_URL = "https://news.example/" + "a" * 5000


@pytest.fixture
async def bot(fake_telegram, sqlite_url, parse_pool):
    async with dozor_bot(fake_telegram, sqlite_url, parse_pool, admin_ids=[ADMIN]) as running:
        yield running


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
