"""The roles service: who is an admin (DOZOR_ADMIN_IDS plus added admins) and who is a volunteer."""
from __future__ import annotations

import asyncio
from collections.abc import Iterable

from sqlalchemy.orm import Session, sessionmaker
from telegram import Update

from bot.commands import ADMIN, SUBSCRIBER, VOLUNTEER
from storage import roles as role_store
from storage.db import read_only


def sent_as_chat(update: Update) -> bool:
    """Whether the message was sent on behalf of a chat (an anonymous group admin, a channel), not a person."""
    message = update.effective_message
    return bool(message is not None and message.sender_chat is not None and update.callback_query is None)


class Roles:
    """Answers role questions from the database, reading only; the DOZOR_ADMIN_IDS admins need no row."""

    def __init__(self, sessions: sessionmaker[Session], bootstrap_admins: Iterable[int]) -> None:
        self.sessions = read_only(sessions)
        self.bootstrap_admins = frozenset(bootstrap_admins)

    def admin_sync(self, user_id: int) -> bool:
        """Whether the user is an admin (blocking; for code already off the event loop)."""
        if user_id in self.bootstrap_admins:
            return True
        with self.sessions() as session:
            return role_store.is_added_admin(session, user_id)

    def all_admin_ids(self) -> list[int]:
        """Every admin's user id (blocking): DOZOR_ADMIN_IDS first, then the added ones."""
        with self.sessions() as session:
            return self.admin_ids_in(session)

    def admin_ids_in(self, session: Session) -> list[int]:
        """Every admin's user id, read in the caller's transaction."""
        added = [a.user_id for a in role_store.added_admins(session)]
        return sorted(self.bootstrap_admins) + [i for i in added if i not in self.bootstrap_admins]

    def roles_sync(self, user_id: int) -> set[str]:
        """The roles of a user (blocking): everyone subscribes; volunteers and admins as the database says."""
        found = {SUBSCRIBER}
        if self.admin_sync(user_id):
            found |= {VOLUNTEER, ADMIN}
        elif self.volunteer_sync(user_id):
            found.add(VOLUNTEER)
        return found

    def menu_users_sync(self) -> list[int]:
        """The users whose command menu differs from the public one (blocking): admins, and listed volunteers
        while the allow-list is on."""
        with self.sessions() as session:
            listed = role_store.volunteer_mode(session) == "list"
            volunteers = [v.user_id for v in role_store.listed_volunteers(session)] if listed else []
        admins = self.all_admin_ids()
        return admins + [user_id for user_id in volunteers if user_id not in admins]

    def public_roles_sync(self) -> set[str]:
        """The roles of someone the database does not name (blocking): volunteer too while everyone is one."""
        with self.sessions() as session:
            open_to_all = role_store.volunteer_mode(session) == "all"
        return {SUBSCRIBER, VOLUNTEER} if open_to_all else {SUBSCRIBER}

    async def roles_of(self, update: Update) -> set[str]:
        """The roles of the person behind this update; a message sent as a chat is only a subscriber's."""
        user = update.effective_user
        if user is None or sent_as_chat(update):
            return {SUBSCRIBER}
        return await asyncio.to_thread(self.roles_sync, user.id)

    def volunteer_sync(self, user_id: int) -> bool:
        """Whether the user may use the volunteer commands (blocking)."""
        with self.sessions() as session:
            return role_store.is_volunteer(session, user_id, self.bootstrap_admins)

    async def is_admin(self, user_id: int) -> bool:
        """Whether the user is an admin."""
        if user_id in self.bootstrap_admins:
            return True
        return await asyncio.to_thread(self.admin_sync, user_id)

    async def is_volunteer(self, user_id: int) -> bool:
        """Whether the user may use the volunteer commands: everyone, or the allow-list and admins."""
        return await asyncio.to_thread(self.volunteer_sync, user_id)

    async def update_is_admin(self, update: Update) -> bool:
        """Whether the person behind this update is an admin; a message sent as a chat never is."""
        user = update.effective_user
        if user is None or sent_as_chat(update):
            return False
        return await self.is_admin(user.id)
