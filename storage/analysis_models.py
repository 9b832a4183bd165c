"""SQLAlchemy models of the community's analyses, the URLs they cite, and their links to items."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models import Base, BigId, UTCDateTime, utcnow


class Analysis(Base):
    """An article of the community: title, URL, date, text and topics."""

    __tablename__ = "analyses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(String(2000))
    canonical_url: Mapped[str] = mapped_column(String(2000), unique=True)
    title: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    topics: Mapped[list] = mapped_column(JSON, default=list)
    origin: Mapped[str] = mapped_column(String(20), default="cli")  # source | cli | bot
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    citations: Mapped[list[Citation]] = relationship(
        back_populates="analysis", cascade="all, delete-orphan", order_by="Citation.position"
    )


class Citation(Base):
    """A URL an analysis cites, and the stored item behind it when Dozor has one."""

    __tablename__ = "analysis_citations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    analysis_id: Mapped[int] = mapped_column(ForeignKey("analyses.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[int | None] = mapped_column(Integer)  # the reference number, as in "[7] https://..."
    url: Mapped[str] = mapped_column(String(2000))
    canonical_url: Mapped[str] = mapped_column(String(2000), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"), index=True)
    analysis: Mapped[Analysis] = relationship(back_populates="citations")


class AnalysisLink(Base):
    """An item relates to an analysis: it is cited (score 1) or similar enough (the similarity)."""

    __tablename__ = "analysis_links"

    analysis_id: Mapped[int] = mapped_column(ForeignKey("analyses.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(10))  # cited | similar
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


Index("ix_analysis_links_item", AnalysisLink.item_id, AnalysisLink.score)
