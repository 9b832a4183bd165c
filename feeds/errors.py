"""Errors of the feed pipeline: a stable code, prefixed with the stage, and a human message."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class FeedError(Exception):
    """A failure that is recorded on the source (`code` like `fetch.http_404`, `parse.not_a_feed`)."""

    code: str
    message: str
    retry_at: datetime | None = None

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"
