"""Subscriptions and delivery settings of a chat (a person's, a group's, or a channel an admin added),
independent of Telegram."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.settings import zone_exists
from bot.texts import t
from storage import chats as chat_store
from storage import digests as digest_store
from storage import topics as topic_store
from storage.models import Chat

CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
QUIET = re.compile(r"^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$")


class SettingsInputError(ValueError):
    """A /settings argument that does not parse: `code` says why, `given` is what the user typed (bot.texts.explain)."""

    def __init__(self, code: str, given: str | None = None, **params):
        super().__init__(code)
        self.code, self.given, self.params = code, given, params


@dataclass
class TopicChoice:
    """A topic as shown on a button: id, title, and whether the chat follows it."""

    id: str
    title: str
    subscribed: bool


def topic_choices(session: Session, chat_pk: int, language: str = "en") -> list[TopicChoice]:
    """Every topic, titled in `language`, with the chat's subscription state."""
    mine = set(chat_store.subscribed(session, chat_pk))
    return [TopicChoice(i, title, i in mine) for i, title in topic_store.titles_in(session, language).items()]


def subscribe(session: Session, chat_pk: int, topic_id: str) -> bool:
    """Follow a topic from now on (nothing stored before now is alerted)."""
    added = chat_store.subscribe(session, chat_pk, topic_id)
    if added:
        chat = session.get(Chat, chat_pk)
        chat.alerted_through = max(chat.alerted_through, digest_store.latest_item_id(session))
    return added


def toggle(session: Session, chat_pk: int, topic_id: str) -> bool:
    """Subscribe or unsubscribe; return whether the chat now follows the topic."""
    if subscribe(session, chat_pk, topic_id):
        return True
    chat_store.unsubscribe(session, chat_pk, topic_id)
    return False


def mode_text(chat: Chat, lang: str) -> str:
    """The chat's delivery mode in words."""
    if chat.mode == "daily":
        return t("mode_daily", lang, at=chat.daily_at)
    return t(f"mode_{chat.mode}", lang)


def apply_settings(chat: Chat, words: list[str]) -> None:
    """Apply text arguments like `daily 08:00 Asia/Almaty`, `hourly`, `quiet 23:00-07:00`, `tz Europe/Kyiv`,
    `spikes on` (spike alerts), `shifts off` (narrative shift alerts)."""
    if not words:
        raise SettingsInputError("nothing")
    head, rest = words[0].lower(), words[1:]
    if head in ("instant", "hourly"):
        chat.mode = head
        rest = _maybe_zone(chat, rest)
    elif head == "daily":
        chat.mode = "daily"
        if rest and CLOCK.match(rest[0]):
            chat.daily_at = _clock(rest[0])
            rest = rest[1:]
        rest = _maybe_zone(chat, rest)
    elif head == "quiet":
        set_quiet(chat, rest[0] if rest else "")
        rest = rest[1:]
    elif head in ("tz", "timezone"):
        rest = _maybe_zone(chat, rest) if rest else _fail("no_zone")
    elif head in ("spikes", "shifts"):
        setattr(chat, f"{head[:-1]}_alerts", _switch(chat, head, rest[0] if rest else ""))
        rest = rest[1:]
    else:
        raise SettingsInputError("unknown", words[0])
    if rest:
        raise SettingsInputError("unexpected", " ".join(rest))


def change_settings(session: Session, chat_pk: int, words: list[str]) -> Chat:
    """Apply settings words to a chat; switching to instant alerts starts them from now."""
    chat = session.get(Chat, chat_pk)
    was_instant = chat.mode == "instant"
    apply_settings(chat, words)
    if chat.mode == "instant" and not was_instant:
        # Alerts start from now; what came before belongs to the digest that is no longer sent.
        chat.alerted_through = max(chat.alerted_through, digest_store.latest_item_id(session))
    return chat


def _switch(chat: Chat, head: str, word: str) -> bool:
    """on, off, or toggle (what the buttons send)."""
    current = getattr(chat, f"{head[:-1]}_alerts")
    choice = word.lower()
    if choice in ("on", "off", "toggle"):
        return not current if choice == "toggle" else choice == "on"
    raise SettingsInputError("on_off", word or None, setting=head)


def _fail(code: str):
    raise SettingsInputError(code)


def _clock(text: str) -> str:
    found = CLOCK.match(text)
    if not found:
        raise SettingsInputError("bad_clock", text)
    return f"{int(found.group(1)):02d}:{found.group(2)}"


def _maybe_zone(chat: Chat, rest: list[str]) -> list[str]:
    if not rest:
        return rest
    chat.timezone = valid_zone(rest[0])
    return rest[1:]


def valid_zone(name: str) -> str:
    """The IANA zone name, checked."""
    if not zone_exists(name):
        raise SettingsInputError("bad_zone", name)
    return name


def set_quiet(chat: Chat, text: str) -> None:
    """Set quiet hours from `23:00-07:00`, or clear them with `off`."""
    if text.lower() in ("off", "none", "no"):
        chat.quiet_start = chat.quiet_end = None
        return
    found = QUIET.match(text)
    if not found:
        raise SettingsInputError("bad_quiet")
    chat.quiet_start, chat.quiet_end = _clock(found.group(1)), _clock(found.group(2))
