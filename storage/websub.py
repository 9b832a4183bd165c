"""WebSub subscriptions: the hubs feeds name, Dozor's requests to them, and what they push.

`next_attempt_at` is when the subscriber should act on a row next: subscribe to a hub just named,
ask again after a failure or an unanswered request, renew a lease before it ends, or unsubscribe
once the source is removed (its row keeps the hub, the topic and the token, with no source).
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from storage.models import Source, WebSubSubscription
from storage.source_health import record_error

LEASE_SECONDS = 10 * 24 * 3600  # asked of hubs; they may grant less
VERIFY_WITHIN = timedelta(minutes=10)  # a hub that has not verified a request by then is asked again
RENEW_AT = 0.8  # of the lease granted
MAX_ATTEMPTS = 6  # failed requests in a row before a hub is given up
SAFETY_INTERVAL = 6 * 3600  # a source whose hub delivers is still polled this often


@dataclass(frozen=True)
class HubRequest:
    """A request the subscriber should send to a hub."""

    id: int
    mode: str  # subscribe | unsubscribe
    hub: str
    topic: str
    token: str
    secret: str


@dataclass(frozen=True)
class Delivery:
    """The subscription a callback token names."""

    id: int
    source_id: int | None
    secret: str
    state: str


def offer(session: Session, source_id: int, hub: str, topic: str, now: datetime) -> None:
    """A poll found the feed naming this hub: remember it, to subscribe (again, if the hub or topic changed)."""
    row = session.scalar(select(WebSubSubscription).where(WebSubSubscription.source_id == source_id))
    if row is None:
        session.add(WebSubSubscription(
            source_id=source_id, hub=hub[:2000], topic=topic[:2000], token=secrets.token_urlsafe(24),
            secret=secrets.token_urlsafe(32), state="offered", next_attempt_at=now, attempts=0, pushes=0, refused=0,
        ))
    elif (row.hub, row.topic) != (hub[:2000], topic[:2000]):
        row.hub, row.topic, row.state, row.attempts, row.next_attempt_at = hub[:2000], topic[:2000], "offered", 0, now
        row.lease_expires_at = None


def claim_due(session: Session, now: datetime, limit: int = 50) -> list[HubRequest]:
    """Requests due now, each put off for VERIFY_WITHIN meanwhile (so two runs do not both send it)."""
    removed = and_(WebSubSubscription.source_id.is_(None), WebSubSubscription.state != "unsubscribing")
    query = (
        select(WebSubSubscription)
        .where(or_(WebSubSubscription.next_attempt_at <= now, removed))  # a removed source's at once
        .where(or_(WebSubSubscription.state != "failed", WebSubSubscription.source_id.is_(None)))
        .order_by(WebSubSubscription.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    requests = []
    for row in session.scalars(query):
        if row.source_id is None and row.state in ("offered", "failed"):
            session.delete(row)  # never subscribed: nothing to undo
            continue
        row.next_attempt_at, row.requested_at = now + VERIFY_WITHIN, now
        # Marked before the request goes out: a hub may call back to verify before it even answers.
        if row.source_id is None:
            row.state = "unsubscribing"
        elif row.state != "active":  # a renewal keeps the subscription delivering meanwhile
            row.state = "requested"
        mode = "unsubscribe" if row.source_id is None else "subscribe"
        requests.append(HubRequest(row.id, mode, row.hub, row.topic, row.token, row.secret))
    return requests


def requested(session: Session, subscription_id: int) -> None:
    """The hub accepted the request; it verifies it by calling back."""
    row = session.get(WebSubSubscription, subscription_id)
    if row is not None:
        row.attempts, row.last_error = 0, None


def request_failed(session: Session, subscription_id: int, message: str, now: datetime) -> None:
    """The hub refused or could not be reached: back off, and give up after MAX_ATTEMPTS."""
    row = session.get(WebSubSubscription, subscription_id)
    if row is None:
        return
    row.attempts += 1
    row.last_error = message[:2000]
    if row.state == "requested":
        row.state = "offered"  # the hub will not call back for a request it refused
    row.next_attempt_at = now + timedelta(hours=min(24, 2 ** (row.attempts - 1)))
    if row.attempts >= MAX_ATTEMPTS:
        if row.source_id is None:
            session.delete(row)
        else:
            row.state = "failed"


def delivery(session: Session, token: str) -> Delivery | None:
    """The subscription behind a callback token."""
    row = session.scalar(select(WebSubSubscription).where(WebSubSubscription.token == token))
    return None if row is None else Delivery(row.id, row.source_id, row.secret, row.state)


def verify(session: Session, token: str, mode: str, topic: str, lease_seconds: int | None, now: datetime) -> bool:
    """A hub confirms a request (or denies one); whether Dozor did ask for it."""
    row = session.scalar(select(WebSubSubscription).where(WebSubSubscription.token == token))
    if row is None or row.topic != topic:
        return False
    if mode == "subscribe" and row.source_id is not None and row.state in ("requested", "active"):
        lease = lease_seconds if lease_seconds and lease_seconds > 0 else LEASE_SECONDS
        row.state, row.lease_expires_at = "active", now + timedelta(seconds=lease)
        row.next_attempt_at = now + timedelta(seconds=lease * RENEW_AT)
        row.missed_at = None
        return True
    if mode == "unsubscribe" and row.source_id is None and row.state == "unsubscribing":
        session.delete(row)
        return True
    if mode == "denied":
        row.state, row.last_error = "failed", "the hub denied the subscription"
        return True
    return False


def delivered(session: Session, source_id: int, now: datetime) -> None:
    """A push was stored: the hub delivers, so polling can wait."""
    row = session.scalar(select(WebSubSubscription).where(WebSubSubscription.source_id == source_id))
    if row is not None:
        row.pushes += 1
        row.last_push_at, row.missed_at = now, None


def refused(session: Session, subscription_id: int, code: str, message: str, now: datetime) -> None:
    """A delivery was refused (unsigned or forged): counted, and kept in the source's error history."""
    row = session.get(WebSubSubscription, subscription_id)
    if row is None:
        return
    row.refused += 1
    row.last_error = f"{code}: {message}"[:2000]
    if row.source_id is not None:
        record_error(session, row.source_id, now, code, message)


def delivering(session: Session, source_ids: list[int], now: datetime) -> set[int]:
    """Which of these sources a hub pushes to now: subscribed, the lease running, nothing missed."""
    query = select(WebSubSubscription.source_id).where(
        WebSubSubscription.source_id.in_(source_ids),
        WebSubSubscription.state == "active",
        WebSubSubscription.lease_expires_at > now,
        WebSubSubscription.missed_at.is_(None),
    )
    return set(session.scalars(query))


def missed(session: Session, source_id: int, now: datetime) -> None:
    """A poll found items the hub had not pushed: poll as usual until it delivers again."""
    row = session.scalar(select(WebSubSubscription).where(WebSubSubscription.source_id == source_id))
    if row is not None:
        row.missed_at = now


def subscription_of(session: Session, source_id: int) -> WebSubSubscription | None:
    """The source's subscription, if its feed names a hub."""
    return session.scalar(select(WebSubSubscription).where(WebSubSubscription.source_id == source_id))


def active_source(session: Session, source_id: int | None) -> bool:
    """Whether pushes for this source should be stored (it exists and is not paused)."""
    source = session.get(Source, source_id) if source_id is not None else None
    return source is not None and source.status == "active"
