"""/stop pauses after asking, with subscriptions kept; /start, /resume or a button resume; deleting all is asked apart."""
from __future__ import annotations

from sqlalchemy import select

from storage import chats as chat_store
from storage.models import Chat
from tests.botharness import seed_items

ALICE, BOB = 1001, 1002
GROUP = -4001


def stored(bot, chat_id: int) -> Chat:
    with bot.sessions() as session:
        return session.scalar(select(Chat).where(Chat.chat_id == chat_id))


def topics_of(bot, chat_id: int) -> list[str]:
    with bot.sessions() as session:
        return chat_store.subscribed(session, stored(bot, chat_id).id)


async def press(bot, chat_id: int, message, data: str):
    """Press a button and wait until its message is redrawn; return the message as it reads now."""
    def now():
        return next(m for m in bot.fake.messages(chat_id) if m.message_id == message.message_id)

    edits = now().edits
    bot.fake.press_button(chat_id, chat_id, message.message_id, data)
    await bot.fake.wait_for(lambda: now().edits > edits, what=f"the message redrawn after {data}")
    return now()


async def collect(bot, title: str) -> None:
    """An item about the topic is stored and the collector's job runs."""
    seed_items(bot.sessions, [{"title": title, "url": f"https://news.example/{abs(hash(title))}",
                               "topics": {"csto": ["ОДКБ"]}}])
    await bot.run_job("collect")


def received(bot, chat_id: int, title: str) -> int:
    return sum(title in m.plain_text for m in bot.fake.messages(chat_id))


async def test_stop_asks_then_pauses_keeping_subscriptions_and_start_resumes(bot):
    await bot.say(ALICE, ALICE, "/settings instant", language_code="ru")
    await bot.say(ALICE, ALICE, "/subscribe csto", language_code="ru")
    await bot.say(ALICE, ALICE, "/subscribe kazakhstan", language_code="ru")
    (question,) = await bot.say(ALICE, ALICE, "/stop", language_code="ru")
    assert question.plain_text.startswith("Приостановить все сообщения здесь?")
    assert "ОДКБ, Казахстан" in question.plain_text and "/resume" in question.plain_text
    assert stored(bot, ALICE).paused_at is None  # nothing happens before the answer
    ok, keep = question.callback_data
    kept = await press(bot, ALICE, question, keep)
    assert "Ничего не изменилось" in kept.plain_text and stored(bot, ALICE).paused_at is None

    (question,) = await bot.say(ALICE, ALICE, "/stop", language_code="ru")
    paused = await press(bot, ALICE, question, question.callback_data[0])
    assert paused.plain_text.startswith("⏸ Приостановлено") and [b["text"] for b in paused.buttons] == [
        "▶ Возобновить", "🗑 Удалить всё"]
    assert topics_of(bot, ALICE) == ["csto", "kazakhstan"] and stored(bot, ALICE).paused_at is not None
    await collect(bot, "ОДКБ: пока на паузе")
    assert received(bot, ALICE, "ОДКБ: пока на паузе") == 0

    (welcome,) = await bot.say(ALICE, ALICE, "/start", language_code="ru")
    assert welcome.plain_text.startswith("▶ Возобновлено") and stored(bot, ALICE).paused_at is None
    await collect(bot, "ОДКБ: снова в эфире")
    assert received(bot, ALICE, "ОДКБ: снова в эфире") == 1
    assert received(bot, ALICE, "ОДКБ: пока на паузе") == 0  # what came during the pause is not sent


async def test_pause_and_resume_commands_and_the_resume_button(bot):
    await bot.say(BOB, BOB, "/subscribe csto", language_code="uk")
    (paused,) = await bot.say(BOB, BOB, "/pause", language_code="uk")
    assert paused.plain_text.startswith("⏸ Призупинено")
    (again,) = await bot.say(BOB, BOB, "/pause", language_code="uk")
    assert "уже призупинено" in again.plain_text
    resumed = await press(bot, BOB, paused, "life:resume")
    assert resumed.plain_text.startswith("▶ Відновлено") and stored(bot, BOB).paused_at is None
    (not_paused,) = await bot.say(BOB, BOB, "/resume", language_code="uk")
    assert "не призупинено" in not_paused.plain_text
    await bot.say(BOB, BOB, "/pause", language_code="uk")
    (back,) = await bot.say(BOB, BOB, "/resume", language_code="uk")
    assert back.plain_text.startswith("▶ Відновлено") and topics_of(bot, BOB) == ["csto"]


async def test_deleting_everything_is_a_separate_confirmed_choice(bot):
    await bot.say(ALICE, ALICE, "/settings hourly")
    await bot.say(ALICE, ALICE, "/subscribe csto")
    (paused,) = await bot.say(ALICE, ALICE, "/pause")
    question = await press(bot, ALICE, paused, "life:forget")
    assert "cannot be undone" in question.plain_text and topics_of(bot, ALICE) == ["csto"]
    no = question.callback_data[1]
    back = await press(bot, ALICE, question, no)
    assert back.plain_text.startswith("⏸ Paused") and topics_of(bot, ALICE) == ["csto"]
    question = await press(bot, ALICE, back, "life:forget")
    gone = await press(bot, ALICE, question, question.callback_data[0])
    assert "Deleted" in gone.plain_text and "/start" in gone.plain_text
    row = stored(bot, ALICE)
    assert topics_of(bot, ALICE) == [] and row.mode == "daily" and row.paused_at is None


async def test_in_a_group_only_its_administrators_pause_it(bot):
    bot.fake.set_admins(GROUP, [ALICE])
    await bot.say(GROUP, ALICE, "/subscribe csto", chat_type="group")
    (refused,) = await bot.say(GROUP, BOB, "/pause", chat_type="group")
    assert "administrators" in refused.plain_text and stored(bot, GROUP).paused_at is None
    (paused,) = await bot.say(GROUP, ALICE, "/pause", chat_type="group")
    assert paused.plain_text.startswith("⏸ Paused")
    await bot.say(GROUP, BOB, "/start", chat_type="group")
    assert stored(bot, GROUP).paused_at is not None  # a member's /start does not resume the group
