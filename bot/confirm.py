"""The one confirm/cancel flow: two buttons under a question; what confirming does waits until one is pressed."""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.common import stale_button
from bot.context import DozorContext
from bot.texts import t

KEPT = 50  # questions remembered per kind; the buttons of an older one say they expired
_PRESSED = re.compile(r"^(?P<prefix>.+):(?P<choice>ok|no):(?P<token>[0-9a-f]{12})$")


@dataclass(frozen=True)
class Confirmation:
    """One kind of question; its buttons carry `prefix:ok|no:token`, far below Telegram's 64 bytes."""

    prefix: str

    @property
    def route(self) -> str:
        """The callback-data pattern to register the button handler under."""
        return rf"^{re.escape(self.prefix)}:"

    def _pending(self, context: DozorContext) -> dict[str, dict]:
        return context.bot_data.setdefault(f"pending:{self.prefix}", {})

    def ask(self, context: DozorContext, data: dict, language: str, yes: str, no: str) -> InlineKeyboardMarkup:
        """Remember `data` (plain data) for the confirm button; return the buttons, labelled by text keys."""
        pending = self._pending(context)
        while len(pending) >= KEPT:
            pending.pop(next(iter(pending)))
        token = secrets.token_hex(6)
        pending[token] = data
        return InlineKeyboardMarkup([[
            InlineKeyboardButton(t(yes, language), callback_data=f"{self.prefix}:ok:{token}"),
            InlineKeyboardButton(t(no, language), callback_data=f"{self.prefix}:no:{token}"),
        ]])

    async def pressed(self, update: Update, context: DozorContext) -> tuple[bool, dict] | None:
        """(confirmed, data) of the pressed button, once; None, after saying so, if it expired or was used."""
        query = update.callback_query
        found = _PRESSED.match(query.data or "")
        known = found is not None and found["prefix"] == self.prefix
        data = self._pending(context).pop(found["token"], None) if known else None
        if data is None:
            await stale_button(update, context)
            return None
        await query.answer()
        return found["choice"] == "ok", data
