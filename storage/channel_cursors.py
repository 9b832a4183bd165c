"""Where each Telegram channel stands: its newest stored post and an unfinished run of paging back."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from storage.models import ChannelCursor, Source


@dataclass(frozen=True)
class PagingState:
    """A run of paging back, detached from the session."""

    before: int | None  # the next older page; None when no run is under way
    backlog: bool


def cursor_of(session: Session, source_id: int) -> ChannelCursor:
    """The channel's cursor, created empty the first time."""
    cursor = session.get(ChannelCursor, source_id)
    if cursor is None:
        cursor = ChannelCursor(source_id=source_id, backlog=False, paged=0, recovered=0)
        session.add(cursor)
    return cursor


def paging_state(session: Session, source_id: int) -> PagingState:
    """Whether paging back is under way for this channel, and from where."""
    cursor = session.get(ChannelCursor, source_id)
    if cursor is None:
        return PagingState(None, False)
    return PagingState(cursor.before, cursor.backlog)


def saw_post(cursor: ChannelCursor, post_id: int | None) -> None:
    """Remember the highest post id stored."""
    if post_id is not None and (cursor.newest_post is None or post_id > cursor.newest_post):
        cursor.newest_post = post_id


def start_run(cursor: ChannelCursor, before: int, floor: int | None, backlog: bool, now: datetime) -> None:
    """Begin paging back from `before` down to `floor` (None: as deep as the limits allow)."""
    cursor.before, cursor.floor, cursor.backlog = before, floor, backlog
    cursor.started_at, cursor.finished_at, cursor.stop_reason = now, None, None
    cursor.paged = cursor.recovered = 0


def finish_run(cursor: ChannelCursor, reason: str, now: datetime) -> None:
    """The run is over; what it did stays on the cursor until the next one."""
    cursor.before, cursor.finished_at, cursor.stop_reason = None, now, reason


def check_soon(session: Session, source_id: int, at: datetime) -> None:
    """Make the channel due by `at`, so an unfinished run goes on at the next tick."""
    source = session.get(Source, source_id)
    if source is not None and source.next_check_at > at:
        source.next_check_at = at
