"""The fleet's overall send pace on PostgreSQL: one row whose next free moment every sender moves on.

Each send reserves the next slot, `interval` after the one before (or now, if that has passed),
in one atomic UPDATE, so the whole fleet keeps one even pace whatever the number of senders.
A 429 moves the next slot past the pause Telegram asked for, which holds every sender.
PostgreSQL's clock decides, so senders on different machines agree.
"""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

OVERALL = "overall"

_RESERVE = text(
    """
    INSERT INTO send_pace (key, next_at) VALUES (:key, clock_timestamp() + make_interval(secs => :interval))
    ON CONFLICT (key) DO UPDATE
        SET next_at = GREATEST(send_pace.next_at, clock_timestamp()) + make_interval(secs => :interval)
    RETURNING GREATEST(0, EXTRACT(EPOCH FROM (next_at - clock_timestamp())) - :interval)
    """
)
_PAUSE = text(
    """
    INSERT INTO send_pace (key, next_at) VALUES (:key, clock_timestamp() + make_interval(secs => :seconds))
    ON CONFLICT (key) DO UPDATE
        SET next_at = GREATEST(send_pace.next_at, clock_timestamp() + make_interval(secs => :seconds))
    """
)


def reserve(session: Session, interval: float, key: str = OVERALL) -> float:
    """Reserve the next send slot; return the seconds to wait for it."""
    return float(session.scalar(_RESERVE, {"key": key, "interval": interval}))


def pause(session: Session, seconds: float, key: str = OVERALL) -> None:
    """Hold every sender's next slot until `seconds` from now."""
    session.execute(_PAUSE, {"key": key, "seconds": seconds})
