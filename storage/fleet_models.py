"""SQLAlchemy models of the fleet: the processes that share the work, and the overall send pace they share."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base, UTCDateTime, utcnow

OWNER_LENGTH = 80


class FleetProcess(Base):
    """A `dozor run` process: its roles, where it runs, its last heartbeat and its counters so far."""

    __tablename__ = "processes"

    id: Mapped[str] = mapped_column(String(OWNER_LENGTH), primary_key=True)
    roles: Mapped[str] = mapped_column(String(60))
    host: Mapped[str] = mapped_column(String(200))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    counters: Mapped[dict | None] = mapped_column(JSON)


class SendPace(Base):
    """The next free moment to send (PostgreSQL's clock), shared by every sender of the fleet."""

    __tablename__ = "send_pace"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    next_at: Mapped[datetime] = mapped_column(UTCDateTime)
