"""The durable outbox: messages written down before they are sent, claimed, and marked sent or dropped.

A row goes pending -> claimed (the sender holds it in memory) -> sending (its request is about to go
out) -> sent, or back to pending for a retry, or dropped. Only a `sending` row can have reached Telegram
without our knowing. Each function works inside the caller's session. A row held (claimed or sending)
names the sender process holding it; `recover` returns what stopped or crashed senders left held to
pending: every held row when one sender runs alone (SQLite), else the rows of processes not alive.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_, select, type_coerce, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from storage import fleet
from storage.models import Chat, Outbox, UTCDateTime, utcnow

UNSENT = ("pending", "claimed", "sending")
HELD = ("claimed", "sending")
_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


@dataclass(frozen=True)
class OutboxMessage:
    """A claimed message with what the sender needs, detached from the session."""

    id: int
    chat_pk: int
    chat_id: int
    chat_kind: str
    text: str
    plain_fallback: bool
    attempts: int
    buttons: list | None = None  # inline keyboard rows of {"text", "url" | "callback_data"}
    silent: bool = False


def part_key(key: str, index: int) -> str:
    """The idempotency key of part `index` (0-based) of a message: key, key#2, key#3, ..."""
    return key if index == 0 else f"{key}#{index + 1}"


@dataclass(frozen=True)
class Recovered:
    """What a stopped sender left behind: rows it had only claimed, and rows whose request was on the wire."""

    claimed: int
    in_flight: int


@dataclass(frozen=True)
class ChatSpacing:
    """The least time between two messages to one chat, private or group, kept across every sender."""

    private: timedelta
    group: timedelta

    def cutoff(self, now: datetime):
        """A SQL expression: the moment after which a send to the row's chat is too recent."""
        group, private = type_coerce(now - self.group, UTCDateTime), type_coerce(now - self.private, UTCDateTime)
        return case((Chat.chat_id < 0, group), else_=private)


@dataclass(frozen=True)
class NewMessage:
    """A message to write to the outbox: one row per part, under one idempotency key; buttons go under the last."""

    chat_pk: int
    key: str
    kind: str
    texts: list[str]
    buttons: list | None = None
    silent: bool = False


def enqueue(session: Session, chat_pk: int, key: str, kind: str, texts: list[str], **options) -> int:
    """Write one pending row per part unless the key is already known; return how many rows were added.

    Options: buttons (rows under the last part), silent (sent without a notification sound)."""
    return enqueue_many(session, [NewMessage(chat_pk, key, kind, texts, **options)])


def enqueue_many(session: Session, messages: list[NewMessage]) -> int:
    """Write the messages whose keys are new, in one statement; return how many rows were added.

    A message enqueued again, even with a different number of parts, adds nothing; two concurrent
    enqueues of one key are settled part by part by the unique key.
    """
    messages = [m for m in messages if m.texts]
    if not messages:
        return 0
    known = set(session.scalars(select(Outbox.key).where(Outbox.key.in_([m.key for m in messages]))))
    now = utcnow()
    rows = [
        {
            "chat_pk": message.chat_pk,
            "key": part_key(message.key, index),
            "kind": message.kind,
            "text": text,
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "plain_fallback": False,
            "buttons": message.buttons if index == len(message.texts) - 1 else None,
            "silent": message.silent,
            "created_at": now,
        }
        for message in messages
        if message.key not in known
        for index, text in enumerate(message.texts)
    ]
    if not rows:
        return 0
    insert = _INSERTS[session.get_bind().dialect.name]
    statement = insert(Outbox).on_conflict_do_nothing(index_elements=["key"]).returning(Outbox.id)
    added = len(session.execute(statement, rows).all())
    if added:
        fleet.notify(session, fleet.OUTBOX_CHANNEL)  # senders in other processes start at once
    return added


def claim(
    session: Session, now: datetime, limit: int, owner: str | None = None, spacing: ChatSpacing | None = None
) -> list[OutboxMessage]:
    """Mark due pending rows `claimed` by `owner` and return them in id order.

    A row waits while an earlier row of its chat is being sent or waits for a retry, so the parts
    of one chat always go out in order. With `spacing` (several senders), a row also waits while a
    message to its chat was sent more recently than that: another sender may have sent it.
    """
    earlier = aliased(Outbox)
    held_back = (
        select(earlier.id)
        .where(
            earlier.chat_pk == Outbox.chat_pk,
            earlier.id < Outbox.id,
            or_(earlier.status.in_(HELD), and_(earlier.status == "pending", earlier.next_attempt_at > now)),
        )
        .exists()
    )
    query = (
        select(
            Outbox.id, Outbox.chat_pk, Chat.chat_id, Chat.kind, Outbox.text, Outbox.plain_fallback, Outbox.attempts,
            Outbox.buttons, Outbox.silent,
        )
        .join(Chat, Chat.id == Outbox.chat_pk)
        .where(Outbox.status == "pending", Outbox.next_attempt_at <= now, ~held_back)
        .order_by(Outbox.id)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Outbox)
    )
    if spacing is not None:
        sent = aliased(Outbox)
        recently_sent = select(sent.id).where(
            sent.chat_pk == Outbox.chat_pk, sent.status == "sent", sent.sent_at > spacing.cutoff(now)
        )
        query = query.where(~recently_sent.exists())
    messages = [OutboxMessage(*row) for row in session.execute(query)]
    if messages:
        ids = [m.id for m in messages]
        claimed = update(Outbox).where(Outbox.id.in_(ids))
        session.execute(claimed.values(status="claimed", claimed_at=now, claimed_by=owner))
    return messages


def start_sending(session: Session, message_id: int, owner: str | None = None) -> bool:
    """Mark a claimed row `sending` just before its request.

    False if it was dropped meanwhile (/stop, 403), or, with `owner`, if another sender took it over.
    """
    held = update(Outbox).where(Outbox.id == message_id, Outbox.status.in_(HELD))
    if owner is not None:
        held = held.where(Outbox.claimed_by == owner)
    return session.execute(held.values(status="sending")).rowcount == 1


def refused(session: Session, message_id: int) -> None:
    """The request was refused (a 429) or never made: the row is claimed again, no longer in doubt."""
    session.execute(update(Outbox).where(Outbox.id == message_id, Outbox.status == "sending").values(status="claimed"))


def recover(session: Session, alive: Collection[str] | None = None) -> Recovered:
    """Return rows stopped or crashed senders left claimed or sending to pending; say how many of each.

    Without `alive` every held row is returned (the caller is the only sender); with it, only rows
    held by no process or by one not in `alive`.
    """
    counts = {}
    for status in HELD:
        held = update(Outbox).where(Outbox.status == status)
        if alive is not None:
            held = held.where(or_(Outbox.claimed_by.is_(None), Outbox.claimed_by.not_in(list(alive))))
        counts[status] = session.execute(held.values(status="pending", claimed_at=None, claimed_by=None)).rowcount
    return Recovered(claimed=counts["claimed"], in_flight=counts["sending"])


def release(session: Session, ids: list[int]) -> None:
    """Put claimed rows back to pending without counting an attempt (they were not sent)."""
    if ids:
        claimed = update(Outbox).where(Outbox.id.in_(ids), Outbox.status.in_(HELD))
        session.execute(claimed.values(status="pending", claimed_at=None, claimed_by=None))


def mark_sent(session: Session, message_id: int, telegram_message_id: int | None) -> None:
    """Record that Telegram accepted the message."""
    session.execute(
        update(Outbox)
        .where(Outbox.id == message_id)
        .values(status="sent", sent_at=utcnow(), telegram_message_id=telegram_message_id, error=None)
    )


def retry_later(session: Session, message_id: int, at: datetime, error: str) -> None:
    """Count a failed attempt and make the row due again at `at`."""
    session.execute(
        update(Outbox)
        .where(Outbox.id == message_id)
        .values(
            status="pending", attempts=Outbox.attempts + 1, next_attempt_at=at, claimed_at=None, claimed_by=None, error=error
        )
    )


def drop(session: Session, message_id: int, reason: str) -> None:
    """Give up on one message, keeping the reason."""
    session.execute(update(Outbox).where(Outbox.id == message_id).values(status="dropped", error=reason))


def drop_chat(session: Session, chat_pk: int, reason: str) -> int:
    """Mark the chat inactive with the reason and drop its unsent rows; return how many were dropped."""
    session.execute(update(Chat).where(Chat.id == chat_pk).values(active=False, inactive_reason=reason))
    result = session.execute(
        update(Outbox)
        .where(Outbox.chat_pk == chat_pk, Outbox.status.in_(UNSENT))
        .values(status="dropped", error=reason)
    )
    return result.rowcount


def migrate_chat(session: Session, chat_pk: int, new_chat_id: int) -> int:
    """The group became a supergroup: store its new id; return the chat row its messages now belong to.

    If a row for the new id exists already (the supergroup wrote to the bot first), the old row's unsent
    messages move there and the old row is retired.
    """
    other = session.scalar(select(Chat.id).where(Chat.chat_id == new_chat_id, Chat.id != chat_pk))
    if other is None:
        session.execute(update(Chat).where(Chat.id == chat_pk).values(chat_id=new_chat_id, kind="supergroup"))
        return chat_pk
    session.execute(
        update(Outbox).where(Outbox.chat_pk == chat_pk, Outbox.status.in_(UNSENT)).values(chat_pk=other)
    )
    reason = f"migrated to supergroup {new_chat_id}"
    session.execute(update(Chat).where(Chat.id == chat_pk).values(active=False, inactive_reason=reason))
    return other


def use_plain_text(session: Session, message_id: int) -> None:
    """From now on send this message as plain text (Telegram could not parse its HTML)."""
    session.execute(update(Outbox).where(Outbox.id == message_id).values(plain_fallback=True))


def without_buttons(session: Session, message_id: int) -> None:
    """From now on send this message without its buttons (Telegram refused them)."""
    session.execute(update(Outbox).where(Outbox.id == message_id).values(buttons=None))


def pending_count(session: Session) -> int:
    """How many rows are not yet sent or dropped."""
    return session.scalar(select(func.count()).select_from(Outbox).where(Outbox.status.in_(UNSENT)))
