"""SQLAlchemy models of stories (items about one event, across outlets and languages) and of sent signals."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, BigId, UTCDateTime, utcnow


class Story(Base):
    """One event as several items tell it; its first report is the earliest item."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    first_item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StoryMember(Base):
    """An item's place in a story, with what placing the next items compares it by."""

    __tablename__ = "story_members"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)
    title_key: Mapped[str] = mapped_column(Text, default="")  # the folded Latin title
    names: Mapped[str] = mapped_column(Text, default="")  # name skeletons, space-separated
    concepts: Mapped[str] = mapped_column(Text, default="")  # concept ids, space-separated
    name_norm: Mapped[float] = mapped_column(Float, default=0.0)  # length of the weighted name vector


class StoryKey(Base):
    """An item carries a key (a name or a title word, hashed): how candidates are found."""

    __tablename__ = "story_keys"

    key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime)


Index("ix_story_keys_key_published", StoryKey.key, StoryKey.published_at)
Index("ix_story_keys_item", StoryKey.item_id)


class StoryKeyCount(Base):
    """How many items of a day carry a key (key 0: all items), for weighting rare names above common ones."""

    __tablename__ = "story_key_counts"

    key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class SignalSent(Base):
    """A spike or narrative shift that was announced, so that it is announced once (and spikes rarely)."""

    __tablename__ = "signals_sent"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # spike | shift
    topic_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    detail: Mapped[str] = mapped_column(Text, default="")
