"""SQLAlchemy models: sources, topics and rules, items, and their matches."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import false
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
NEW_CHAT_TIMEZONE = "UTC"


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as UTC and always read back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


# BIGINT ids on PostgreSQL, INTEGER (the rowid alias) on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """The models' base. Columns added after a table's first migration have server defaults only, so that
    inserts written for an older schema (the migration tests') still work."""

    metadata = MetaData(naming_convention=NAMING)


class Source(Base):
    """A polled feed or channel, carrying its own schedule and health."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="rss")
    status: Mapped[str] = mapped_column(String(20), default="active")
    interval_seconds: Mapped[int] = mapped_column(Integer, default=900)
    next_check_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    last_error_code: Mapped[str | None] = mapped_column(String(60))
    last_error_message: Mapped[str | None] = mapped_column(Text)
    paused_reason: Mapped[str | None] = mapped_column(Text)
    # Paused by its errors and the admins not told yet: the bot tells them, whichever process paused it.
    pause_notice_due: Mapped[bool] = mapped_column(Boolean, server_default=false())
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(200))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    backlog_done: Mapped[bool] = mapped_column(Boolean, default=False)
    # A social account's service (mastodon | bluesky | youtube | reddit); `kind` still says how its feed is read.
    platform: Mapped[str | None] = mapped_column(String(20))
    # Why this URL stands for what was typed, e.g. "Mastodon account @user@instance → its public RSS".
    origin: Mapped[str | None] = mapped_column(Text)
    # Who speaks (state-ru, state-kz, independent, ua, international, analysis...): narrative shares are per label.
    label: Mapped[str | None] = mapped_column(String(32))
    # The title the feed or channel gives itself, as last read ("Азаттык Азия" for t.me/s/azattyk_asia).
    title: Mapped[str | None] = mapped_column(String(300))
    # When its items' article pages are fetched for their full text: auto (a short feed text) | always | never.
    full_text: Mapped[str] = mapped_column(String(10), server_default="auto")
    extracted: Mapped[int] = mapped_column(Integer, server_default="0")  # article texts extracted
    extract_failures: Mapped[int] = mapped_column(Integer, server_default="0")
    last_extract_error: Mapped[str | None] = mapped_column(Text)  # "code: message" of the latest failure
    last_extract_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The process polling it now (its lease ends at next_check_at); cleared when the poll is recorded.
    claimed_by: Mapped[str | None] = mapped_column(String(80))

    @property
    def shown_kind(self) -> str:
        """The kind people see: the account's service, else how the feed is read (rss, telegram, analysis)."""
        return self.platform or self.kind

    @property
    def shown_name(self) -> str:
        """The name people see: a channel's own title when its name is only its address, else the name given."""
        return shown_source_name(self.name, self.url, self.title)


def shown_source_name(name: str, url: str, title: str | None) -> str:
    """A source's name as people see it (see Source.shown_name), from its columns."""
    address = url.rstrip("/").rsplit("/", 1)[-1].lstrip("@").casefold()
    return title if title and name.lstrip("@").casefold() == address else name


class ChannelCursor(Base):
    """How far a Telegram channel is stored, and where paging back through its older posts stands."""

    __tablename__ = "channel_cursors"

    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    newest_post: Mapped[int | None] = mapped_column(BigInteger)  # the highest post id stored
    before: Mapped[int | None] = mapped_column(BigInteger)  # the next older page to read (?before=), while paging
    # Paging stops on reaching this post (the newest stored when the gap was seen); None for a new channel.
    floor: Mapped[int | None] = mapped_column(BigInteger)
    backlog: Mapped[bool] = mapped_column(Boolean, default=False)  # a new channel's history: stored as backlog
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    stop_reason: Mapped[str | None] = mapped_column(String(20))  # overlap | age_limit | post_limit | channel_start | no_progress
    paged: Mapped[int] = mapped_column(Integer, default=0)  # posts read on older pages by the latest run
    recovered: Mapped[int] = mapped_column(Integer, default=0)  # of them, posts stored for the first time


class WebSubSubscription(Base):
    """A feed's WebSub hub and Dozor's subscription to it; a row whose source was removed is unsubscribed."""

    __tablename__ = "websub_subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="SET NULL"), unique=True)
    hub: Mapped[str] = mapped_column(String(2000))
    topic: Mapped[str] = mapped_column(String(2000))
    token: Mapped[str] = mapped_column(String(64), unique=True)  # the callback URL's last part
    secret: Mapped[str] = mapped_column(String(128))  # the hub signs every delivery with it
    # offered (the feed names a hub) | requested | active | unsubscribing | failed
    state: Mapped[str] = mapped_column(String(20), default="offered")
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # failed requests in a row
    last_push_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    missed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a poll found items the hub had not pushed
    pushes: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)  # deliveries refused: unsigned or forged
    last_error: Mapped[str | None] = mapped_column(Text)


class Topic(Base):
    """A subject subscribers follow (kind "topic"), or a narrative (kind "narrative"), defined by rules."""

    __tablename__ = "topics"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="topic", server_default="topic")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rules: Mapped[list[Rule]] = relationship(
        back_populates="topic", cascade="all, delete-orphan", order_by="Rule.position"
    )


class Rule(Base):
    """One rule of a topic, in the matcher's rule language."""

    __tablename__ = "rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_id: Mapped[str] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    topic: Mapped[Topic] = relationship(back_populates="rules")


class Item(Base):
    """A stored news item; one row per canonical URL, whatever the number of sources."""

    __tablename__ = "items"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    canonical_url: Mapped[str | None] = mapped_column(String(2000), unique=True)
    # The link shown and exported: the canonical URL (the source's own, if it differs, is extra["raw_url"]).
    url: Mapped[str | None] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    lang: Mapped[str | None] = mapped_column(String(8))
    backlog: Mapped[bool] = mapped_column(Boolean, default=False)
    extra: Mapped[dict | None] = mapped_column(JSON)
    # The article's own text, fetched from its page (storage.versions keeps what it replaced).
    full_text: Mapped[str | None] = mapped_column(Text)
    extract_error: Mapped[str | None] = mapped_column(Text)  # "code: message" when the page gave no text
    # The current version: first seen (None: when fetched) and last seen by a poll or a re-check.
    version_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    edited: Mapped[bool] = mapped_column(Boolean, server_default=false())  # by a version or Telegram's mark
    edit_count: Mapped[int] = mapped_column(Integer, server_default="0")  # versions kept before this one
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted_reason: Mapped[str | None] = mapped_column(String(40))  # telegram.missing | http_404 | http_410 | redirect_home
    deleted_evidence: Mapped[str | None] = mapped_column(Text)  # the answer that showed it
    recheck_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # the next look at a matched item
    rechecks: Mapped[int] = mapped_column(Integer, server_default="0")
    # The article page's validators at its last read: a look again asks "changed since?" (a 304 costs no body).
    page_etag: Mapped[str | None] = mapped_column(String(500))
    page_last_modified: Mapped[str | None] = mapped_column(String(200))
    origins: Mapped[list[ItemSource]] = relationship(back_populates="item", cascade="all, delete-orphan")
    matches: Mapped[list[Match]] = relationship(back_populates="item", cascade="all, delete-orphan")
    versions: Mapped[list[ItemVersion]] = relationship(
        cascade="all, delete-orphan", order_by="ItemVersion.id", passive_deletes=True
    )


class ItemSource(Base):
    """That a source carried an item, under the source's own dedup key."""

    __tablename__ = "item_sources"
    __table_args__ = (UniqueConstraint("source_id", "dedup_key", name="uq_item_sources_source_key"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    dedup_key: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What this source last showed of the item (storage.versions.fingerprint); None: not taken yet.
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    item: Mapped[Item] = relationship(back_populates="origins")
    source: Mapped[Source] = relationship()


class ItemVersion(Base):
    """A version of an item that a later one replaced, with when it was first and last seen."""

    __tablename__ = "item_versions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    full_text: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2000))
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)


class ItemEvent(Base):
    """An item was edited or deleted: what change alerts are made of, in order."""

    __tablename__ = "item_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # edited | deleted
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Match(Base):
    """An item matched a topic; `hits` lists the matched terms with their fields and spans."""

    __tablename__ = "matches"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[str] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True)
    hits: Mapped[list] = mapped_column(JSON, default=list)
    matched_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    item: Mapped[Item] = relationship(back_populates="matches")


Index("ix_matches_topic_item", Match.topic_id, Match.item_id)


class NarrativeHour(Base):
    """Of a topic's items published in one UTC hour from sources of one label, how many tell a narrative ("": all).

    A summary of matches, item_sources and sources.label, kept by storage.narratives; triggers mark the hours
    those tables change in as stale (NarrativeStaleHour) until they are counted again.
    """

    __tablename__ = "narrative_hours"

    topic_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    hour: Mapped[int] = mapped_column(Integer, primary_key=True)  # hours since 1970, UTC
    label: Mapped[str] = mapped_column(String(32), primary_key=True)  # "" for sources without one
    narrative: Mapped[str] = mapped_column(String(64), primary_key=True)
    items: Mapped[int] = mapped_column(Integer)


class NarrativeStaleHour(Base):
    """An hour whose narrative_hours rows may no longer be right: read from the items until counted again."""

    __tablename__ = "narrative_stale_hours"

    hour: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class Meta(Base):
    """Small facts about the database itself, such as when it was seeded."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Chat(Base):
    """A private chat, group or channel that receives digests and alerts."""

    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="private")
    title: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="en")
    mode: Mapped[str] = mapped_column(String(10), default="daily")  # instant | hourly | daily
    daily_at: Mapped[str] = mapped_column(String(5), default="08:00")
    timezone: Mapped[str] = mapped_column(String(64), default=NEW_CHAT_TIMEZONE)
    quiet_start: Mapped[str | None] = mapped_column(String(5))
    quiet_end: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(Boolean, default=True)  # False: Telegram refuses (blocked, kicked)
    inactive_reason: Mapped[str | None] = mapped_column(Text)
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the chat paused its messages (/stop, /pause)
    alerted_through: Mapped[int] = mapped_column(BigId, default=0)
    spike_alerts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    shift_alerts: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    changes_alerted_through: Mapped[int] = mapped_column(BigId, server_default="0")  # item_events.id
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    username: Mapped[str | None] = mapped_column(String(64))  # a public channel's or group's @name, without @
    # The admin who had Dozor post into this channel or group (/channel add); None for chats that subscribed themselves.
    added_by: Mapped[int | None] = mapped_column(BigInteger)
    topics: Mapped[list[Subscription]] = relationship(cascade="all, delete-orphan", order_by="Subscription.topic_id")

    @property
    def shown_name(self) -> str:
        """How admins read a channel or group: @username, or its title with the chat id."""
        return f"@{self.username}" if self.username else f"{self.title or '?'} ({self.chat_id})"


class Subscription(Base):
    """A chat follows a topic, with its own delivery choices."""

    __tablename__ = "subscriptions"

    chat_pk: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True)
    topic_id: Mapped[str] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True)
    mode: Mapped[str | None] = mapped_column(String(10))  # instant | hourly | daily; None: the chat's mode
    silent: Mapped[bool] = mapped_column(Boolean, default=False)  # delivered without a notification sound
    digest_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)  # the topic's last digest
    # Also tell the chat when an item of this topic is edited or deleted.
    change_alerts: Mapped[bool] = mapped_column(Boolean, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MutedSource(Base):
    """A chat no longer receives what only this source carries."""

    __tablename__ = "muted_sources"

    chat_pk: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Delivery(Base):
    """An item a chat received, in a digest or an alert, shown or counted among its "and N more"."""

    __tablename__ = "deliveries"

    chat_pk: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Overflow(Base):
    """The stories of one topic a digest or alert left out past its cap, for its "more" button (shared by chats)."""

    __tablename__ = "overflows"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    topic_id: Mapped[str] = mapped_column(String(64))
    item_ids: Mapped[list] = mapped_column(JSON)  # every item of the stories left out
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Outbox(Base):
    """A message written down before it is sent; `key` makes each digest or alert unique."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    chat_pk: Mapped[int] = mapped_column(ForeignKey("chats.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # digest | alert | reply
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)  # pending|claimed|sending|sent|dropped
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(80))  # the sender process holding it
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    plain_fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    buttons: Mapped[list | None] = mapped_column(JSON)  # inline keyboard rows of {"text", "url" | "callback_data"}
    silent: Mapped[bool] = mapped_column(Boolean, default=False)  # sent with disable_notification
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


Index("ix_outbox_due", Outbox.status, Outbox.next_attempt_at)
# Partial indexes: sent rows are never deleted and soon outnumber the rest many times over, and the
# sender's claim (storage.outbox.claim) must not walk them to find the few rows still to send.
_PENDING = text("status = 'pending'")
_UNSENT = text("status IN ('pending', 'claimed', 'sending')")
_SENT = text("status = 'sent'")
Index("ix_outbox_pending", Outbox.id, postgresql_where=_PENDING, sqlite_where=_PENDING)
Index("ix_outbox_unsent_by_chat", Outbox.chat_pk, Outbox.id, postgresql_where=_UNSENT, sqlite_where=_UNSENT)
Index("ix_outbox_sent_by_chat", Outbox.chat_pk, Outbox.sent_at, postgresql_where=_SENT, sqlite_where=_SENT)
