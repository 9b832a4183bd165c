"""Subscriptions and delivery choices (the chat's and each topic's) of a chat (a person's, a group's, or a
channel an admin added), independent of Telegram."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.texts import Html, t
from bot.zones import looks_like_zone, resolve_zone
from storage import chats as chat_store
from storage import digests as digest_store
from storage import topics as topic_store
from storage import versions
from storage.models import Chat, Source, Subscription

MODES = ("instant", "hourly", "daily")
CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})$")
QUIET = re.compile(r"^([^-–]+)[-–]([^-–]+)$")
OFF = ("off", "none", "no")
ON = ("on", "yes")
SIGNALS = {"spikes": "spike_alerts", "shifts": "shift_alerts"}  # opt-in alerts: /settings spikes on
KEYWORDS = {*MODES, "default", "quiet", "tz", "timezone", "zone", "silent", "sound", "changes", *SIGNALS}


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


@dataclass
class SettingsView:
    """What the settings message shows: the chat, its subscriptions, topic titles and muted sources."""

    chat: Chat
    subscriptions: list[Subscription]
    titles: dict[str, str]
    muted: list[Source]


def settings_view(session: Session, chat_pk: int, language: str = "en") -> SettingsView:
    """The chat's settings as the settings message shows them, topics titled in `language`."""
    chat = session.get(Chat, chat_pk)
    subs = chat_store.subscriptions(session, chat_pk)
    return SettingsView(chat, subs, topic_store.titles_in(session, language), chat_store.muted_sources(session, chat_pk))


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


def resume(session: Session, chat_pk: int, now: datetime) -> bool:
    """Messages again from now on; False if the chat was not paused."""
    latest_event = versions.latest_event_id(session)
    return chat_store.resume(session, chat_pk, now, digest_store.latest_item_id(session), latest_event)


def mode_text(chat: Chat, lang: str, mode: str | None = None) -> Html:
    """A delivery mode (the chat's by default) in words, naming the zone of a daily digest's time."""
    mode = mode or chat.mode
    if mode == "daily":
        return t("mode_daily", lang, at=chat.daily_at, tz=chat.timezone)
    return t(f"mode_{mode}", lang)


def mode_with_zone(chat: Chat, lang: str) -> Html:
    """The chat's delivery mode in words, always naming its zone (a daily digest's time names it already)."""
    text = mode_text(chat, lang)
    return text if chat.mode == "daily" else Html(f"{text} ({chat.timezone})")


def quiet_text(chat: Chat, lang: str) -> Html:
    """The chat's quiet hours in words."""
    if not chat.quiet_start:
        return t("quiet_none", lang)
    return t("quiet_hours", lang, start=chat.quiet_start, end=chat.quiet_end, tz=chat.timezone)


class _mode_changes:
    """Around a change of modes: a topic turning instant is alerted from now on (a digest never repeats an alert)."""

    def __init__(self, session: Session, chat: Chat) -> None:
        self.session, self.chat = session, chat

    def _modes(self) -> dict[str, str]:
        return {s.topic_id: chat_store.delivery_mode(self.chat, s) for s in self.chat.topics}

    def __enter__(self):
        self.before = self._modes()
        return self

    def __exit__(self, kind, value, trace) -> None:
        if kind is not None:
            return
        after = self._modes()
        changed = [topic for topic, mode in after.items() if self.before.get(topic) != mode]
        if any(after[topic] == "instant" for topic in changed):
            # Alerts start from now; what came before belongs to the digest that is no longer sent.
            latest = digest_store.latest_item_id(self.session)
            self.chat.alerted_through = max(self.chat.alerted_through, latest)


def apply_settings(session: Session, chat: Chat, words: list[str]) -> None:
    """Apply typed settings: `daily 08:00 Asia/Almaty`, `Kyiv`, `UTC+5`, `quiet 23:00-07:00`, `csto instant`,
    `changes on csto`...

    Each word is read for what it is (a mode, a time, a zone, a topic, ...); a word that is none of
    them is named in the error, as is the part of a time or a zone that is wrong.
    """
    if not words:
        raise SettingsInputError("nothing")
    with _mode_changes(session, chat):
        _Reader(session, chat, words).read()


def change_settings(session: Session, chat_pk: int, words: list[str]) -> Chat:
    """Apply settings words to a chat (see apply_settings) and return it."""
    chat = session.get(Chat, chat_pk)
    apply_settings(session, chat, words)
    return chat


class _Reader:
    """Reads /settings words one by one; a topic's name makes the mode and sound words after it that topic's."""

    def __init__(self, session: Session, chat: Chat, words: list[str]) -> None:
        self.session, self.chat, self.words = session, chat, list(words)
        self.topic: Subscription | None = None
        self.titles = topic_store.topic_titles(session)

    def read(self) -> None:
        after_schedule = False  # `daily 08:00 <zone>`: a word there that is no zone was meant as one
        while self.words:
            word = self.words.pop(0)
            folded = word.casefold()
            self._one(word, folded, "bad_zone" if after_schedule else "unknown")
            after_schedule = folded in MODES or bool(CLOCK.match(word))

    def _one(self, word: str, folded: str, unknown: str) -> None:
        if folded in MODES:
            self._mode(folded)
        elif folded == "default" and self.topic is not None:
            self.topic.mode = None
        elif CLOCK.match(word) or (word[:1].isdigit() and not looks_like_zone(word)):
            self.chat.daily_at = clock(word)
        elif folded == "quiet":
            self._quiet()
        elif folded in ("tz", "timezone", "zone"):
            if not self.words:
                raise SettingsInputError("no_zone")
            self.chat.timezone = self._zone(self.words.pop(0))
        elif folded in ("silent", "sound"):
            self._sound(folded == "silent")
        elif folded in SIGNALS:
            self._signal(folded)
        elif folded == "changes":
            self._changes()
        elif (topic_id := self._topic(word)) is not None:
            self.topic = self._subscription(topic_id, word)
        else:
            self.chat.timezone = self._zone(word, unknown)

    def _topic(self, word: str) -> str | None:
        """The topic `word` names: by its id or title, or by its title in any language."""
        return topic_store.topic_named(self.titles, word) or topic_store.translated_topic(self.session, word)

    def _mode(self, mode: str) -> None:
        if self.topic is not None:
            self.topic.mode = mode
        else:
            self.chat.mode = mode

    def _quiet(self) -> None:
        if not self.words:
            raise SettingsInputError("bad_quiet")
        text = self.words.pop(0)
        if text.casefold() in OFF:
            self.chat.quiet_start = self.chat.quiet_end = None
            return
        found = QUIET.match(text)
        if not found:
            raise SettingsInputError("bad_quiet")
        self.chat.quiet_start, self.chat.quiet_end = clock(found[1]), clock(found[2])

    def _sound(self, silent: bool) -> None:
        if self.words and self.words[0].casefold() in OFF + ON:
            silent = silent == (self.words.pop(0).casefold() in ON)
        for subscription in [self.topic] if self.topic is not None else self.chat.topics:
            subscription.silent = silent

    def _signal(self, name: str) -> None:
        """`spikes on|off|toggle` (spike alerts), `shifts ...` (narrative shift alerts); toggle is what buttons send."""
        word = self.words.pop(0).casefold() if self.words else ""
        if word not in OFF + ON + ("toggle",):
            raise SettingsInputError("on_off", word or None, setting=name)
        current = getattr(self.chat, SIGNALS[name])
        setattr(self.chat, SIGNALS[name], not current if word == "toggle" else word in ON)

    def _changes(self) -> None:
        """`changes on|off`: "Edited" and "Deleted" alerts for the topic named before or just after, else for every
        followed topic; told from now on, not for the edits stored before."""
        word = self.words.pop(0).casefold() if self.words else ""
        if word not in OFF + ON:
            raise SettingsInputError("changes_usage")
        targets = [self.topic] if self.topic is not None else self._changes_topic()
        if not targets:
            raise SettingsInputError("changes_no_topics")
        if word in ON and not any(s.change_alerts for s in self.chat.topics):
            latest = versions.latest_event_id(self.session)
            self.chat.changes_alerted_through = max(self.chat.changes_alerted_through, latest)
        for subscription in targets:
            subscription.change_alerts = word in ON

    def _changes_topic(self) -> list[Subscription]:
        """`changes on csto`: the followed topic named after the switch, or every followed topic when none is."""
        if not self.words or self.words[0].casefold() in KEYWORDS or CLOCK.match(self.words[0]):
            return list(self.chat.topics)
        word = self.words.pop(0)
        topic_id = self._topic(word)
        if topic_id is None:
            raise SettingsInputError("changes_not_followed", word)
        return [self._subscription(topic_id, word)]

    def _zone(self, word: str, unknown: str = "bad_zone") -> str:
        """The zone named by `word`, or by it and the next word (`New York`)."""
        if self.words and (two := resolve_zone(f"{word} {self.words[0]}")):
            self.words.pop(0)
            return two
        zone = resolve_zone(word)
        if zone is None:
            raise SettingsInputError("bad_zone" if unknown == "bad_zone" or looks_like_zone(word) else unknown, word)
        return zone

    def _subscription(self, topic_id: str, word: str) -> Subscription:
        subscription = self.session.get(Subscription, (self.chat.id, topic_id))
        if subscription is None:
            raise SettingsInputError("not_following", word, topic=self.titles[topic_id], id=topic_id)
        return subscription


def clock(text: str) -> str:
    """`8:00`, `08:00` or `08.00` as `08:00`; a time of day that does not exist (25:00) is refused by name."""
    found = CLOCK.match(text.strip())
    if not found:
        raise SettingsInputError("bad_clock", text)
    hours, minutes = int(found[1]), int(found[2])
    if hours > 23 or minutes > 59:
        raise SettingsInputError("no_such_time", text)
    return f"{hours:02d}:{minutes:02d}"
