"""SQLAlchemy models of languages: the language a person or chat chose with /lang, and topic titles per language."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, UTCDateTime, utcnow


class LanguageChoice(Base):
    """The language a Telegram user (their id) or group (its chat id) chose, overriding Telegram's."""

    __tablename__ = "language_choices"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(8))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TopicTitle(Base):
    """A topic's title in one language ("ОДКБ" in Russian for the topic titled "CSTO (ОДКБ)")."""

    __tablename__ = "topic_titles"

    topic_id: Mapped[str] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
