"""The bot's commands in one table: name, who may use it, and a one-line description per language."""
from __future__ import annotations

from dataclasses import dataclass

from bot.texts import FALLBACK, SEPARATE_COMMANDS

SUBSCRIBER, VOLUNTEER, ADMIN = "subscriber", "volunteer", "admin"


@dataclass(frozen=True)
class Command:
    """One command as shown in Telegram's menu and in /help."""

    name: str
    role: str
    descriptions: dict[str, str]

    def describe(self, lang: str) -> str:
        """The description in `lang`, else in that language's fallback (Russian for Kazakh), else in English."""
        separate = SEPARATE_COMMANDS.get(lang, {}).get(self.name)
        return self.descriptions.get(lang) or separate or self.descriptions.get(FALLBACK.get(lang, "en")) or self.descriptions["en"]


def _c(name: str, role: str, en: str, ru: str, uk: str) -> Command:
    return Command(name, role, {"en": en, "ru": ru, "uk": uk})


COMMANDS: list[Command] = [
    _c("start", SUBSCRIBER, "what Dozor is", "что такое Dozor", "що таке Dozor"),
    _c("help", SUBSCRIBER, "all commands", "все команды", "усі команди"),
    _c("topics", SUBSCRIBER, "topics to follow", "темы для подписки", "теми для підписки"),
    _c("subscribe", SUBSCRIBER, "follow a topic", "подписаться на тему", "підписатися на тему"),
    _c("unsubscribe", SUBSCRIBER, "stop following a topic", "отписаться от темы", "відписатися від теми"),
    _c("settings", SUBSCRIBER, "alerts or digests, time zone", "оповещения или дайджест", "сповіщення або дайджест"),
    _c("digest", SUBSCRIBER, "my digest now", "мой дайджест сейчас", "мій дайджест зараз"),
    _c("stop", SUBSCRIBER, "pause all messages (asks first)", "приостановить все сообщения (спросит)",
       "призупинити всі повідомлення (спитає)"),
    _c("pause", SUBSCRIBER, "pause all messages now", "приостановить сообщения сейчас", "призупинити повідомлення зараз"),
    _c("resume", SUBSCRIBER, "messages again after a pause", "возобновить сообщения", "відновити повідомлення"),
]


def add_commands(commands: list[Command]) -> None:
    """Let a handler module add its commands to the table (called when it registers)."""
    known = {c.name for c in COMMANDS}
    COMMANDS.extend(c for c in commands if c.name not in known)


def commands_for(roles: set[str]) -> list[Command]:
    """The commands a user with these roles may use, in table order."""
    return [c for c in COMMANDS if c.role in roles]
