"""Forged and stale button presses: a short answer to the presser, nothing changed, nothing in the error log."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from storage.models import Chat

ADMIN, BOB = 1001, 1002

FORGED = [
    "set:tz:Nowhere/City", "set:tz:../../../etc/passwd", "set:tz:Europe", "set:tz:", "set:frobnicate", "set:",
    "top:nosuchtopic", "top:",
    "adm:af:ok", "adm:af:ok:", "adm:af:ok:zzzz", "adm:af:ok:0123456789ab", "adm:tr:maybe:0123456789ab", "adm:tr",
    "adm:cf:9:0123456789ab", "adm:cf:1:0123456789ab", "adm:cf:0:",
    "adm:xx:ok:0123456789ab", "sp:junk", "sp:0123456789ab:7", "garbage", "🙂" * 16,
    "set:menu:nowhere", "set:topic:csto", "set:tm:csto:weekly", "set:tm::instant", "set:ts:csto:maybe", "set:at:25:00",
    "set:at:", "set:q:23:00-25:00", "set:unmute:x", "set:silent:", "mute:99", "mute:abc", "unsub:nosuchtopic",
    "resub:", "unmute:" + "9" * 40, "stop:ok:0123456789ab", "forget:no:zzz", "life:maybe",
]


@pytest.fixture
def bot_settings():
    return {"admin_ids": [ADMIN]}


def chat_settings(bot, chat_id: int) -> tuple:
    with bot.sessions() as session:
        chat = session.scalar(select(Chat).where(Chat.chat_id == chat_id))
        return chat.mode, chat.timezone, chat.quiet_start


@pytest.mark.parametrize("user", [ADMIN, BOB])
async def test_forged_buttons_get_a_short_answer_and_change_nothing(bot, user, caplog):
    (menu,) = await bot.say(user, user, "/settings")
    before = chat_settings(bot, user)
    caplog.set_level(logging.WARNING)
    for data in FORGED:
        query = bot.fake.press_button(user, user, menu.message_id, data, forged=True)
        answer = await bot.fake.wait_for(
            lambda: next((a for a in bot.fake.callback_answers if a["callback_query_id"] == query["id"]), None),
            what=f"the answer to {data!r}",
        )
        assert answer["text"] and len(answer["text"]) <= 200, data
    assert chat_settings(bot, user) == before
    assert [m.plain_text for m in bot.fake.messages(user, after=menu.message_id)] == []  # no apology for an error
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_real_settings_button_still_works(bot):
    (menu,) = await bot.say(BOB, BOB, "/settings")
    bot.fake.press_button(BOB, BOB, menu.message_id, "set:menu:tz")
    await bot.fake.wait_for(lambda: "set:tz:Asia/Almaty" in bot.fake.messages(BOB)[-1].callback_data, what="zones")
    bot.fake.press_button(BOB, BOB, menu.message_id, "set:tz:Asia/Almaty")
    await bot.fake.wait_for(lambda: chat_settings(bot, BOB)[1] == "Asia/Almaty", what="the zone saved")
