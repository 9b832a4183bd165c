"""The language a person or a chat chose with /lang; it overrides the one Telegram reports."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.language_models import LanguageChoice
from storage.models import Chat, utcnow


def chosen_languages(session: Session, telegram_ids: Iterable[int]) -> dict[int, str]:
    """Telegram id (a user's, a group's) -> the language chosen there, for those that chose one."""
    ids = [i for i in telegram_ids if i is not None]
    rows = select(LanguageChoice.telegram_id, LanguageChoice.language).where(LanguageChoice.telegram_id.in_(ids))
    return dict(session.execute(rows).all())


def choose_language(session: Session, telegram_id: int, language: str) -> None:
    """Remember the choice of a user (their id) or a group (its chat id); that chat's messages follow it."""
    row = session.get(LanguageChoice, telegram_id)
    if row is None:
        session.add(LanguageChoice(telegram_id=telegram_id, language=language))
    else:
        row.language, row.chosen_at = language, utcnow()
    session.execute(update(Chat).where(Chat.chat_id == telegram_id).values(language=language))


def forget_language(session: Session, telegram_id: int, telegram_language: str) -> None:
    """Drop the choice: Telegram's language applies again (to that chat's messages too)."""
    row = session.get(LanguageChoice, telegram_id)
    if row is not None:
        session.delete(row)
    session.execute(update(Chat).where(Chat.chat_id == telegram_id).values(language=telegram_language))
