"""The one confirm/cancel flow: buttons under a question; what confirming does waits until one is pressed.

A question is yes/no (`ask`), or a choice among a few options plus no (`offer`); either way the
pressed button is answered once, and an unknown or used one says it expired.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.common import edit, lang, stale_button
from bot.context import DozorContext
from bot.texts import t

KEPT = 50  # questions remembered per kind; the buttons of an older one say they expired
MAX_OPTIONS = 8
_PRESSED = re.compile(r"^(?P<prefix>.+):(?P<choice>ok|no|[1-8]):(?P<token>[0-9a-f]{12})$")


@dataclass(frozen=True)
class Confirmation:
    """One kind of question; its buttons carry `prefix:ok|no|N:token`, far below Telegram's 64 bytes."""

    prefix: str

    @property
    def route(self) -> str:
        """The callback-data pattern to register the button handler under."""
        return rf"^{re.escape(self.prefix)}:"

    def _pending(self, context: DozorContext) -> dict[str, dict]:
        return context.bot_data.setdefault(f"pending:{self.prefix}", {})

    def _remember(self, context: DozorContext, data: dict) -> str:
        pending = self._pending(context)
        while len(pending) >= KEPT:
            pending.pop(next(iter(pending)))
        token = secrets.token_hex(6)
        pending[token] = data
        return token

    def ask(self, context: DozorContext, data: dict, language: str, yes: str, no: str) -> InlineKeyboardMarkup:
        """Remember `data` (plain data) for the confirm button; return the buttons, labelled by text keys."""
        token = self._remember(context, data)
        return InlineKeyboardMarkup([[
            InlineKeyboardButton(t(yes, language), callback_data=f"{self.prefix}:ok:{token}"),
            InlineKeyboardButton(t(no, language), callback_data=f"{self.prefix}:no:{token}"),
        ]])

    def offer(self, context: DozorContext, data: dict, language: str, options: list[str], no: str) -> InlineKeyboardMarkup:
        """Remember `data` for a choice among `options` (button labels, at most MAX_OPTIONS), one per row, then no."""
        token = self._remember(context, data)
        rows = [[InlineKeyboardButton(label, callback_data=f"{self.prefix}:{n}:{token}")]
                for n, label in enumerate(options[:MAX_OPTIONS], 1)]
        rows.append([InlineKeyboardButton(t(no, language), callback_data=f"{self.prefix}:no:{token}")])
        return InlineKeyboardMarkup(rows)

    async def pressed(self, update: Update, context: DozorContext) -> tuple[bool, dict] | None:
        """(confirmed, data) of the pressed button, once; None, after saying so, if it expired or was used.

        An option of `offer` confirms, with its index (from 0) in data["chosen"].
        """
        query = update.callback_query
        found = _PRESSED.match(query.data or "")
        known = found is not None and found["prefix"] == self.prefix
        data = self._pending(context).pop(found["token"], None) if known else None
        if data is None:
            await stale_button(update, context)
            return None
        await query.answer()
        choice = found["choice"]
        if choice.isdigit():
            return True, {**data, "chosen": int(choice) - 1}
        return choice == "ok", data

    async def confirmed(self, update: Update, context: DozorContext) -> dict | None:
        """The data of a confirming press; None after a cancel (the question then says it was cancelled) or an
        expired button (answered so by `pressed`)."""
        pressed = await self.pressed(update, context)
        if pressed is None:
            return None
        confirmed, data = pressed
        if not confirmed:
            await edit(update.callback_query.message, t("cancelled", lang(update)))
            return None
        return data
