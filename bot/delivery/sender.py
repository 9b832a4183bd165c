"""The outbox sender: claims pending messages, sends them within Telegram's limits, records each outcome.

Exactly once, and where it is only at least once: a message is in the outbox before anything is sent.
The sender claims it (`claimed`), commits `sending` just before its request, and commits `sent` as soon
as Telegram answers. After a crash, `recover` makes claimed and sending rows pending again. A claimed row
was certainly not sent, so it goes out once, later. A `sending` row is the one case nobody can settle:
its request was on the wire, and the Bot API has no idempotency key and no way to ask whether a message
arrived, so it is sent again and may arrive twice. How many rows can be `sending` at once is bounded by
the requests in flight (a handful at 30 messages/s); every other message is delivered exactly once.
A network error or timeout has the same ambiguity, and its retry may duplicate too.

Several senders (on PostgreSQL) share the outbox: each claims rows under its process id, recovers
only the rows of processes that stopped beating, and takes its overall pace from the database; a
row another sender took over meanwhile is not sent (`start_sending` checks who holds it).
"""
from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    RetryAfter,
    TelegramError,
)
from telegram.warnings import PTBDeprecationWarning

from bot import metrics
from bot.delivery.ratelimit import Limits, SendLimiter, SharedPace
from bot.markup import html_to_plain
from storage import outbox, send_pace
from storage.models import utcnow
from storage.outbox import ChatSpacing, OutboxMessage, Recovered
from storage.writer import BatchWriter

log = logging.getLogger(__name__)

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
ENTITY_ERROR = "can't parse entities"
CHAT_NOT_FOUND = "chat not found"
# The bot may no longer post there (a channel's owner took the right away, a group muted it): like a 403.
NO_RIGHTS = ("need administrator rights", "not enough rights")
BUTTON_ERROR = "button"  # BUTTON_URL_INVALID, BUTTON_DATA_INVALID, "can't parse inline keyboard button"


@dataclass(frozen=True)
class SenderFleet:
    """How a sender shares the outbox: its process id, who else is alive, and the limits kept together."""

    owner: str
    alive: Callable[[Session], set[str]] | None = None  # None: this is the only sender (SQLite)
    spacing: ChatSpacing | None = None  # keep each chat's pace across senders
    shared_pace: bool = False  # take the overall pace from the database (PostgreSQL)
    takeover_seconds: float = 30.0  # how often to look for the rows of senders that died


@dataclass
class _Route:
    """Where a chat's messages go; a migrated group changes both."""

    chat_pk: int
    chat_id: int


class OutboxSender:
    """Delivers the outbox: different chats in parallel, the parts of one chat in order."""

    def __init__(
        self,
        bot: Bot,
        sessions: sessionmaker[Session],
        limits: Limits = Limits(),
        *,
        window: int = 100,
        idle_seconds: float = 1.0,
        retry_base: float = 2.0,
        retry_cap: float = 300.0,
        stop_grace: float = 5.0,
        on_chat_lost: Callable[[Session, int, str], object] | None = None,
        fleet: SenderFleet | None = None,
    ) -> None:
        self.bot = bot
        self.sessions = sessions
        self.fleet = fleet
        self.owner = fleet.owner if fleet else None
        shared = SharedPace(self._reserve_slot) if fleet and fleet.shared_pace and limits.overall_per_second else None
        self.limiter = SendLimiter(limits, shared)
        self.window = window
        self.idle_seconds = idle_seconds
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self.stop_grace = stop_grace
        self.on_chat_lost = on_chat_lost  # (session, chat_pk, reason) in the transaction that gives the chat up
        self.recovered: Recovered | None = None
        self._recovery: asyncio.Future | None = None
        self._claimed = 0
        self._tasks: set[asyncio.Task] = set()
        self._wakeup = asyncio.Event()
        self._stopping = False
        self._writer: BatchWriter | None = None
        self._takeover_at = 0.0

    # --- running ---------------------------------------------------------------------------

    async def run(self) -> None:
        """Send until stop(): claim as room frees up, sleep when nothing is due until wake() or a second passes."""
        try:
            await self._recover_once()
            while not self._stopping:
                try:
                    busy = await self._step()
                except Exception:  # the database may be briefly unavailable; keep the sender alive
                    log.exception("claiming outbox messages failed; trying again shortly")
                    busy = False
                await self._sleep(self.idle_seconds if not busy else self.idle_seconds / 4)
            await self._finish()
        finally:
            await self._close_writer()

    async def drain(self) -> None:
        """Send everything pending, waiting out retries, then return."""
        try:
            await self._recover_once()
            while not self._stopping:
                if not await self._step() and await self._db(outbox.pending_count) == 0:
                    return
                await self._sleep(self.idle_seconds)
            await self._finish()
        finally:
            await self._close_writer()

    def wake(self) -> None:
        """Look for new messages now rather than after the idle pause."""
        self._wakeup.set()

    def stop(self) -> None:
        """Make run() return after the sends under way (up to stop_grace); unsent claims go back to pending."""
        self._stopping = True
        self._wakeup.set()

    async def _recover_once(self) -> None:
        # Shared by run() and drain(): recovering while this sender has claims would send them twice.
        if self._recovery is None:
            self._recovery = asyncio.ensure_future(self._recover())
        await self._recovery

    async def _recover(self) -> None:
        self.recovered = await self._db(self._recover_dead)
        if self.recovered.in_flight:
            log.warning(
                "%d message(s) were on their way to Telegram when the last run stopped; sending them again "
                "(any that Telegram had already accepted arrive twice)",
                self.recovered.in_flight,
            )

    def _recover_dead(self, session: Session) -> Recovered:
        """Held rows back to pending: all of them when alone, else those of senders no longer alive."""
        if self.fleet is None or self.fleet.alive is None:
            return outbox.recover(session)
        return outbox.recover(session, self.fleet.alive(session) | {self.owner})

    async def _take_over(self) -> None:
        """Now and then, send what senders that died were holding, once their lease ran out."""
        loop = asyncio.get_running_loop()
        if self.fleet is None or self.fleet.alive is None or loop.time() < self._takeover_at:
            return
        self._takeover_at = loop.time() + self.fleet.takeover_seconds
        found = await self._db(self._recover_dead)
        if found.claimed or found.in_flight:
            metrics.TAKEOVERS.labels("outbox").inc(found.claimed + found.in_flight)
            log.warning(
                "took over %d message(s) from senders whose lease ran out (%d were on their way to Telegram "
                "and are sent again)", found.claimed + found.in_flight, found.in_flight,
            )

    async def _step(self) -> bool:
        """Claim more messages when half the window is free; return whether sends are under way."""
        await self._take_over()
        room = self.window - self._claimed
        if room * 2 >= self.window:
            spacing = self.fleet.spacing if self.fleet else None
            messages = await self._claim_db(outbox.claim, utcnow(), room, self.owner, spacing)
            self._start_chats(messages)
        return bool(self._tasks)

    async def _reserve_slot(self) -> float:
        # Its latency paces every send of the fleet: never queued behind the writer's batches.
        return await self._apart(send_pace.reserve, 1.0 / self.limiter.limits.overall_per_second)

    async def _claim_db(self, operation, *args):
        """Run a claim: on the writer alone (SQLite), in a transaction of its own among a fleet (PostgreSQL)."""
        # A claim over a large outbox takes a while; behind it in the writer's queue the sends just marked
        # would wait, and the fleet slots they hold would pass unused.
        shared = self.fleet is not None and self.fleet.shared_pace
        return await (self._apart if shared else self._db)(operation, *args)

    async def _apart(self, operation, *args):
        """Run one storage operation in a transaction of its own, in a thread (PostgreSQL: no single writer)."""
        def run():
            with self.sessions.begin() as session:
                return operation(session, *args)

        return await asyncio.to_thread(run)

    def _start_chats(self, messages: list[OutboxMessage]) -> None:
        by_chat: dict[int, list[OutboxMessage]] = {}
        for message in messages:
            by_chat.setdefault(message.chat_pk, []).append(message)
        self._claimed += len(messages)
        for chat_messages in by_chat.values():
            task = asyncio.create_task(self._send_chat(chat_messages))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _sleep(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._wakeup.wait(), seconds)
        except TimeoutError:
            pass
        self._wakeup.clear()

    async def _finish(self) -> None:
        if not self._tasks:
            return
        _, late = await asyncio.wait(set(self._tasks), timeout=self.stop_grace)
        for task in late:
            task.cancel()  # their rows stay `sending` until the next start recovers them
        await asyncio.gather(*late, return_exceptions=True)

    # --- sending ---------------------------------------------------------------------------

    async def _send_chat(self, messages: list[OutboxMessage]) -> None:
        """Send one chat's claimed messages in order; stop at the first that must wait or cannot go."""
        route = _Route(messages[0].chat_pk, messages[0].chat_id)
        done = 0
        try:
            for message in messages:
                if self._stopping:
                    break
                go_on = await self._deliver(message, route)
                if go_on is None:  # stopping: not sent, released below
                    break
                done += 1
                self._claimed -= 1
                self._wakeup.set()
                if not go_on:
                    break
            rest = [m.id for m in messages[done:]]
            if rest:
                await self._db(outbox.release, rest)
        except Exception:
            log.exception("sending to chat %s failed; its messages go back to pending", route.chat_id)
            await self._release_quietly([m.id for m in messages[done:]])
        finally:
            self._claimed -= len(messages) - done
            self._wakeup.set()

    async def _deliver(self, message: OutboxMessage, route: _Route) -> bool | None:
        """Send one message, handling Telegram's answers; return whether the chat's next message may follow.

        None: the sender is stopping and the message was not sent.
        """
        plain = message.plain_fallback
        while True:
            await self.limiter.acquire(route.chat_id)
            if self._stopping:
                return None
            async with self.limiter.turn():  # a fleet sender marks only a few messages `sending` at once
                if self._stopping:
                    return None
                if not await self._db(outbox.start_sending, message.id, self.owner):
                    return True  # dropped while it waited (/stop, the chat went away, another sender took it over)
                await self.limiter.fleet_slot()
                if self._stopping:  # not sent after all: claimed again, so nothing is left in doubt
                    await self._db(outbox.refused, message.id)
                    return None
                try:
                    sent = await self._send(route.chat_id, message, plain)
                except RetryAfter as error:
                    await self._db(outbox.refused, message.id)  # not in doubt if we crash during the pause
                    seconds = retry_seconds(error)
                    log.warning("Telegram asked to wait %.0f s (flood limit); all sending paused", seconds)
                    metrics.FLOOD_WAITS.inc()
                    self.limiter.pause(seconds)
                    if self.fleet is not None and self.fleet.shared_pace:
                        await self._db(send_pace.pause, seconds)  # and every other sender of the fleet
                except ChatMigrated as error:
                    log.info("chat %s became supergroup %s", route.chat_id, error.new_chat_id)
                    route.chat_pk = await self._db(outbox.migrate_chat, route.chat_pk, error.new_chat_id)
                    route.chat_id = error.new_chat_id
                except Forbidden as error:
                    await self._drop_chat(route, error.message)
                    return False
                except BadRequest as error:
                    reason = error.message.lower()
                    if ENTITY_ERROR in reason and not plain:
                        log.error("outbox %s: Telegram rejected its HTML (%s); sending it as plain text",
                                  message.id, error)
                        await self._db(outbox.use_plain_text, message.id)
                        plain = True
                    elif message.buttons and BUTTON_ERROR in reason:
                        log.error("outbox %s: Telegram refused its buttons (%s); sending it without them",
                                  message.id, error)
                        await self._db(outbox.without_buttons, message.id)
                        message = replace(message, buttons=None)
                    elif CHAT_NOT_FOUND in reason or any(words in reason for words in NO_RIGHTS):
                        await self._drop_chat(route, error.message)
                        return False
                    else:
                        log.error("outbox %s to chat %s dropped: %s", message.id, route.chat_id, error)
                        await self._db(outbox.drop, message.id, error.message)
                        return True
                except TelegramError as error:  # NetworkError, TimedOut, and the unexpected rest
                    await self._retry_later(message, error)
                    return False
                else:
                    await self._db(outbox.mark_sent, message.id, sent.message_id)
                    metrics.MESSAGES_SENT.inc()
                    return True

    async def _send(self, chat_id: int, message: OutboxMessage, plain: bool) -> Message:
        options = {"link_preview_options": NO_PREVIEW, "disable_notification": message.silent}
        if message.buttons:
            options["reply_markup"] = keyboard(message.buttons)
        try:
            if plain:
                return await self.bot.send_message(chat_id, html_to_plain(message.text), **options)
            return await self.bot.send_message(chat_id, message.text, parse_mode=ParseMode.HTML, **options)
        finally:
            self.limiter.answered(chat_id)

    async def _drop_chat(self, route: _Route, reason: str) -> None:
        def give_up(session: Session, chat_pk: int) -> int:
            dropped = outbox.drop_chat(session, chat_pk, reason)
            if self.on_chat_lost is not None:
                self.on_chat_lost(session, chat_pk, reason)
            return dropped

        dropped = await self._db(give_up, route.chat_pk)
        log.info("chat %s is inactive (%s); %d message(s) dropped", route.chat_id, reason, dropped)

    async def _retry_later(self, message: OutboxMessage, error: TelegramError) -> None:
        delay = min(self.retry_cap, self.retry_base * 2**message.attempts)
        log.warning("outbox %s: %s; retrying in %.1f s", message.id, error, delay)
        await self._db(outbox.retry_later, message.id, utcnow() + timedelta(seconds=delay), str(error))

    async def _release_quietly(self, ids: list[int]) -> None:
        try:
            await self._db(outbox.release, ids)
        except Exception:
            log.exception("could not release outbox rows %s; the next start recovers them", ids)

    async def _db(self, operation, *args):
        """Run one storage operation in a short transaction on the sender's writing thread, off the event loop."""
        if self._writer is None:
            # One thread: concurrent chats' updates queue here and commit together, not in SQLite's busy handler.
            self._writer = BatchWriter(self.sessions, name="dozor-outbox")
        return await self._writer.run(lambda session: operation(session, *args))

    async def _close_writer(self) -> None:
        writer, self._writer = self._writer, None
        if writer is not None:
            await asyncio.to_thread(writer.close)


def keyboard(rows: list[list[dict]]) -> InlineKeyboardMarkup:
    """Stored button rows ({"text", "url" | "callback_data"}) as Telegram's inline keyboard."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(**button) for button in row] for row in rows])


def retry_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds, whichever type this PTB version returns."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
