"""Who may run a handler: one decorator for every role, its refusal from the text catalogue."""
from __future__ import annotations

import functools

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.commands import ADMIN, VOLUNTEER
from bot.common import lang, reply
from bot.context import DozorContext
from bot.markup import html_to_plain
from bot.roles import sent_as_chat
from bot.texts import t

GROUP_ADMIN = "group_admin"  # may change a chat's subscriptions: anyone in a private chat, a group's administrators
_ADMIN_STATUSES = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR}


async def _is_admin(update: Update, context: DozorContext) -> bool:
    return await context.services.is_admin(update)


async def _is_volunteer(update: Update, context: DozorContext) -> bool:
    user = update.effective_user
    return user is not None and await context.services.roles.is_volunteer(user.id)


async def _may_change_chat(update: Update, context: DozorContext) -> bool:
    chat = update.effective_chat
    if chat.type == ChatType.PRIVATE:
        return True
    message = update.effective_message
    if message and message.sender_chat and message.sender_chat.id == chat.id:
        return True  # an anonymous administrator writing as the group
    member = await context.bot.get_chat_member(chat.id, update.effective_user.id)
    return member.status in _ADMIN_STATUSES


CHECKS = {ADMIN: _is_admin, VOLUNTEER: _is_volunteer, GROUP_ADMIN: _may_change_chat}


def _refusal(role: str, update: Update) -> str:
    if role == ADMIN:
        return "not_admin_anonymous" if sent_as_chat(update) else "not_admin"
    return {VOLUNTEER: "volunteers_only", GROUP_ADMIN: "group_admins_only"}[role]


async def has_role(update: Update, context: DozorContext, role: str) -> bool:
    """Whether the person behind the update has `role`, telling nobody."""
    return await CHECKS[role](update, context)


async def permitted(update: Update, context: DozorContext, role: str) -> bool:
    """Whether the person behind the update has `role`; if not, they are told why (a pop-up for a button)."""
    if await has_role(update, context, role):
        return True
    user = update.effective_user
    text = t(_refusal(role, update), lang(update), user=user.id if user else "?")
    if update.callback_query:
        await update.callback_query.answer(html_to_plain(text), show_alert=True)
    elif update.effective_message:
        await reply(update, text)
    return False


def requires(role: str):
    """Run the decorated handler only for someone with `role` (ADMIN, VOLUNTEER, GROUP_ADMIN); refuse anyone else."""

    def decorate(handler):
        @functools.wraps(handler)
        async def checked(update: Update, context: DozorContext) -> None:
            if await permitted(update, context, role):
                await handler(update, context)

        return checked

    return decorate
