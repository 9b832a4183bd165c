"""What every admin handler needs: the actor for the audit log, arguments, usage lines, confirm buttons."""
from __future__ import annotations

import re
import secrets
from datetime import datetime

from telegram import Update

from bot.common import lang, reply, stale_button
from bot.context import DozorContext
from bot.texts import t
from storage.audit import Actor

PENDING_KEPT = 50
TOKEN_BYTES = 6
CONFIRM_BUTTON = re.compile(rf"^adm:[a-z]{{2}}:(ok|no):([0-9a-f]{{{2 * TOKEN_BYTES}}})$")


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


def when(moment: datetime | None, never: str = "—") -> str:
    """A UTC timestamp to the minute."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else never


async def usage(update: Update, text: str) -> None:
    """Tell how a command is used."""
    await reply(update, t("usage", lang(update), usage=text))


def keep_pending(context: DozorContext, kind: str, data: dict) -> str:
    """Remember what a confirm button will do; return the short token its callback data carries."""
    pending = context.bot_data.setdefault(f"admin_pending:{kind}", {})
    while len(pending) >= PENDING_KEPT:
        pending.pop(next(iter(pending)))
    token = secrets.token_hex(TOKEN_BYTES)
    pending[token] = data
    return token


def take_pending(context: DozorContext, kind: str, token: str) -> dict | None:
    """What a confirm button was for, once; None if unknown or already used."""
    return context.bot_data.get(f"admin_pending:{kind}", {}).pop(token, None)


async def pressed_confirm(update: Update, context: DozorContext, kind: str) -> tuple[bool, dict] | None:
    """Answer a confirm/cancel button (data `adm:xx:ok|no:token`): (confirmed, pending), or None if it expired."""
    query = update.callback_query
    found = CONFIRM_BUTTON.match(query.data or "")
    pending = take_pending(context, kind, found[2]) if found else None
    if pending is None:
        await stale_button(update, context)
        return None
    await query.answer()
    return found[1] == "ok", pending
