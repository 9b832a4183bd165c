"""SQLAlchemy models of administration: admins, volunteers, admin settings, the audit log, source errors."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, BigId, UTCDateTime, utcnow


class Admin(Base):
    """A Telegram user added as an admin by another admin (DOZOR_ADMIN_IDS are admins without a row)."""

    __tablename__ = "admins"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    added_by: Mapped[int | None] = mapped_column(BigInteger)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Volunteer(Base):
    """A Telegram user on the volunteers allow-list."""

    __tablename__ = "volunteers"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    added_by: Mapped[int | None] = mapped_column(BigInteger)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AdminSetting(Base):
    """A setting admins change from the chat, such as who counts as a volunteer."""

    __tablename__ = "admin_settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class AuditEntry(Base):
    """One change by an admin: who, when, what, and the state before and after."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(BigInteger)  # None for the command line
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(300))
    before: Mapped[object | None] = mapped_column(JSON)
    after: Mapped[object | None] = mapped_column(JSON)


class SourceError(Base):
    """A failed poll of a source, kept so admins can read the recent ones."""

    __tablename__ = "source_errors"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    code: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(Text)


Index("ix_source_errors_source_at", SourceError.source_id, SourceError.at)
