"""What every admin handler needs: the actor for the audit log, the command's arguments, usage lines."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import Update

from bot.common import lang, reply
from bot.texts import t
from storage.audit import Actor


def command_rest(update: Update) -> str:
    """The text after the /command word, spacing inside kept."""
    message = update.effective_message
    text = (message.text or message.caption or "") if message else ""
    parts = text.strip().split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def split_first(text: str) -> tuple[str, str]:
    """The first word and the rest."""
    parts = text.strip().split(maxsplit=1)
    return (parts[0] if parts else ""), (parts[1].strip() if len(parts) > 1 else "")


def actor_of(update: Update) -> Actor:
    """Who is behind an update, for the audit log."""
    user = update.effective_user
    name = user.full_name or (f"@{user.username}" if user.username else str(user.id))
    return Actor(user.id, name)


def when(moment: datetime | None, tz: ZoneInfo, never: str = "—") -> str:
    """A moment to the minute in the admin's time zone, with the zone's abbreviation: 2024-05-02 14:30 +05."""
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z") if moment else never


async def usage(update: Update, key: str, **values) -> None:
    """Tell how a command is used: `key` names its usage line in the catalogue."""
    language = lang(update)
    await reply(update, t("usage", language, usage=t(key, language, **values)))
