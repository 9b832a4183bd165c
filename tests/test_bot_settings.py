"""/settings typed and on buttons: zones however typed, the wrong part named, the zone always shown, choices marked."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import Chat

ALICE, BOB = 1001, 1002


def stored(bot, chat_id: int) -> Chat:
    with bot.sessions() as session:
        return session.scalar(select(Chat).where(Chat.chat_id == chat_id))


async def test_the_default_daily_digest_names_its_zone(bot):
    (reply,) = await bot.say(ALICE, ALICE, "/subscribe csto")
    assert "daily digest at 08:00 (UTC)" in reply.plain_text
    (menu,) = await bot.say(ALICE, ALICE, "/settings")
    assert "Delivery: daily digest at 08:00 (UTC)" in menu.plain_text and "Time zone: UTC" in menu.plain_text


@pytest.mark.parametrize(
    "typed,zone",
    [("Europe/Moscow", "Europe/Moscow"), ("europe/kyiv", "Europe/Kyiv"), ("Kyiv", "Europe/Kyiv"),
     ("UTC+5", "UTC+05:00"), ("tz Алматы", "Asia/Almaty"), ("daily 07:30 New York", "America/New_York")],
)
async def test_a_zone_is_accepted_however_it_is_typed_and_named_in_the_answer(bot, typed, zone):
    (reply,) = await bot.say(ALICE, ALICE, f"/settings {typed}")
    assert stored(bot, ALICE).timezone == zone
    assert f"Time zone: {zone}" in reply.plain_text


@pytest.mark.parametrize(
    "typed,language,says",
    [
        ("daily 25:00", "en", "'25:00' is not a time of day"),
        ("daily 25:00", "ru", "«25:00» — такого времени нет"),
        ("daily 8am", "uk", "«8am» — не час вигляду 08:00"),
        ("daily 08:00 Mars/Olympus", "en", "'Mars/Olympus' is not a time zone"),
        ("UTC+15", "en", "'UTC+15' is not a time zone"),
        ("quiet 23:00-25:00", "en", "'25:00' is not a time of day"),
        ("weekly", "ru", "Неизвестная настройка «weekly»"),
        ("csto instant", "en", "You do not follow CSTO (ОДКБ): /subscribe csto first"),
        ("tz", "en", "Which time zone?"),
    ],
)
async def test_the_wrong_part_is_named(bot, typed, language, says):
    await bot.say(ALICE, ALICE, "/settings hourly Asia/Bishkek")
    (reply,) = await bot.say(ALICE, ALICE, f"/settings {typed}", language_code=language)
    assert says in reply.plain_text, reply.plain_text
    row = stored(bot, ALICE)
    assert (row.mode, row.timezone, row.quiet_start) == ("hourly", "Asia/Bishkek", None)  # nothing half-applied


async def test_digest_time_and_quiet_hours_are_buttons_with_the_current_choice_marked(bot):
    (menu,) = await bot.say(BOB, BOB, "/settings", language_code="ru")
    labels = [b["text"] for b in menu.buttons]
    assert "✓ 📰 Ежедневно" in labels and "🕗 Дайджест в 08:00 ›" in labels and "🌍 UTC ›" in labels

    async def press(data: str):
        edits = bot.fake.messages(BOB)[-1].edits
        bot.fake.press_button(BOB, BOB, menu.message_id, data)
        await bot.fake.wait_for(lambda: bot.fake.messages(BOB)[-1].edits > edits, what=f"after {data}")
        return bot.fake.messages(BOB)[-1]

    times = await press("set:menu:time")
    assert "✓ 08:00" in [b["text"] for b in times.buttons] and "Время по UTC" in times.plain_text
    main = await press("set:at:09:00")
    assert "🕗 Дайджест в 09:00 ›" in [b["text"] for b in main.buttons] and stored(bot, BOB).daily_at == "09:00"
    quiet = await press("set:menu:quiet")
    assert "✓ Без тихих часов" in [b["text"] for b in quiet.buttons]
    main = await press("set:q:23:00-07:00")
    assert "Тихие часы: 23:00-07:00 (UTC)" in main.plain_text
    quiet = await press("set:menu:quiet")
    assert "✓ 23:00-07:00" in [b["text"] for b in quiet.buttons]
    await press("set:menu:main")
    zones = await press("set:menu:tz")
    assert "✓ UTC" in [b["text"] for b in zones.buttons] and "/settings UTC+5" in zones.plain_text
    main = await press("set:tz:Europe/Kyiv")
    assert "Часовой пояс: Europe/Kyiv" in main.plain_text and "Тихие часы: 23:00-07:00 (Europe/Kyiv)" in main.plain_text
    assert bot.fake.callback_answers[-1]["text"] == "Сохранено"
