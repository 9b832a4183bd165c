"""Dozor's settings: one declarative table read once from the environment and `.env`."""
from __future__ import annotations

import re
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from storage.db import check_database_url

DEFAULT_DATABASE_URL = "sqlite:///data/dozor.sqlite3"
OFFICIAL_BOT_API = "https://api.telegram.org/bot"
# What Telegram accepts as a webhook's secret_token (setWebhook refuses anything else).
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")


class Settings(BaseSettings):
    """Every setting, its default and its help text."""

    model_config = SettingsConfigDict(env_prefix="DOZOR_", env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field(DEFAULT_DATABASE_URL, description="SQLAlchemy URL of the database")
    bot_token: str | None = Field(
        None,
        validation_alias=AliasChoices("DOZOR_BOT_TOKEN", "TELEGRAM_BOT_TOKEN"),
        description="Telegram bot token from @BotFather; without it Dozor only collects",
    )
    telegram_base_url: str = Field(OFFICIAL_BOT_API, description="Bot API base URL (self-hosted servers, tests)")
    admin_ids: Annotated[list[int], NoDecode] = Field(
        default_factory=list, description="comma-separated Telegram user ids of the first admins"
    )
    webhook_url: str | None = Field(None, description="public HTTPS URL for webhook mode (default: long polling)")
    webhook_listen: str = Field("0.0.0.0", description="address the webhook server listens on")
    webhook_port: int = Field(8443, description="port the webhook server listens on")
    webhook_secret: str | None = Field(
        None, description="secret Telegram sends with each webhook call (default: generated and kept in the database)"
    )
    websub_url: str | None = Field(
        None, description="public base URL of the WebSub callback (default: the webhook URL's host, path /websub)"
    )
    websub_listen: str = Field("0.0.0.0", description="address the WebSub callback server listens on")
    websub_port: int = Field(8444, description="port the WebSub callback server listens on")
    send_per_second: float = Field(30.0, gt=0, description="messages per second to all chats together")
    send_per_chat_per_second: float = Field(1.0, gt=0, description="messages per second to one chat")
    send_per_group_per_minute: float = Field(20.0, gt=0, description="messages per minute to one group")
    allow_private_networks: bool = Field(False, description="let sources live on private or loopback addresses")
    default_feeds: bool = Field(True, description="seed an empty database with the default sources")
    timezone: str = Field("UTC", description="time zone for schedules and digests")
    retention_days: int = Field(30, ge=1, description="prune unmatched items older than this many days")
    tick_seconds: int = Field(60, ge=1, description="how often the collector looks for due sources")
    fetch_deadline_seconds: float = Field(20.0, gt=0, description="total time allowed for one fetch")
    per_host_limit: int = Field(2, ge=1, description="concurrent fetches per host (across every collector on PostgreSQL)")
    channel_gap_days: float = Field(7.0, gt=0, description="a gap in a Telegram channel is filled back this many days at most")
    channel_gap_posts: int = Field(500, ge=1, description="and at most this many posts are read to fill it")
    channel_backfill_days: float = Field(2.0, ge=0, description="a new Telegram channel is read back this far, as backlog")
    stories_per_topic: int = Field(
        10, ge=1, le=50, description="stories of one topic a digest or alert shows; the rest are counted, with a button"
    )
    late_after_days: float = Field(
        2.0, gt=0, description="an item published this long before it was first seen is late: digests only, marked so"
    )
    youtube_url: str = Field(
        "https://www.youtube.com", description="where a YouTube handle's channel page is read to find its feed"
    )
    parse_workers: int | None = Field(None, ge=1, description="parser processes (default: one per core, at most 4)")
    parse_deadline_seconds: float = Field(
        30.0, gt=0, description="time one body may take in its parser process before it is stopped"
    )
    fetch_limit: int = Field(32, ge=1, description="concurrent fetches per collector process")
    lease_seconds: int = Field(
        120, ge=10, description="how long a claimed source, or a silent process's outbox messages, stay with it"
    )
    metrics_port: int | None = Field(None, ge=0, le=65535, description="port of the Prometheus metrics and /healthz")

    @field_validator("database_url")
    @classmethod
    def _usable_database(cls, value: str) -> str:
        check_database_url(value)
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _telegram_secret(cls, value):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None  # unset: a generated secret is used
        if not isinstance(value, str) or not SECRET_TOKEN.fullmatch(value):
            raise ValueError(
                "Telegram accepts only 1-256 characters A-Z, a-z, 0-9, _ and - as a webhook secret "
                "(or leave it unset and Dozor generates one)"
            )
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value):
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            try:
                return [int(p) for p in parts]
            except ValueError:
                raise ValueError(f"DOZOR_ADMIN_IDS must be comma-separated numbers, got {value!r}") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not zone_exists(value):
            raise ValueError(f"unknown time zone {value!r} (try Asia/Almaty or UTC)")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def zone_exists(name: str) -> bool:
    """Whether `name` is an IANA time zone (`Europe`, a folder of the zone database, is not one)."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


class SettingsError(Exception):
    """Settings that cannot be used, with a message fit for a terminal."""


def load_settings() -> Settings:
    """Read the settings once, turning validation errors into one clear message."""
    try:
        return Settings()
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = "DOZOR_" + str(err["loc"][0]).upper() if err["loc"] else "settings"
            lines.append(f"{name}: {err['msg'].removeprefix('Value error, ')}")
        if len(lines) == 1:
            raise SettingsError(f"invalid setting {lines[0]}") from None
        raise SettingsError("invalid settings:\n  " + "\n  ".join(lines)) from None
