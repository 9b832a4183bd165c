"""Telegram's flood limits on our side: per chat, per group, overall, and one shared pause after a 429.

Sends are spaced evenly rather than let through in bursts: Telegram's own buckets then always have
room left for the jitter between our clock and the moment a request reaches them. Even spacing alone
is not a hard bound (waiters whose slots passed during a stall of the event loop all wake at once),
so the overall limit is also checked against the times of the last sends.

Several senders sharing one bot take each send's slot from a `SharedPace` instead (the database's,
see storage.send_pace), just before the request, so the fleet as a whole keeps the overall limit.
It replaces the process's own overall pace rather than following it: with two paces in a row, each
moment the second waits for a message the first held back is lost for good (the fleet sent 21
messages/s of 30). What keeps such a sender from marking all its claimed messages `sending` at once
is a bound on the messages between that mark and Telegram's answer (`turn`).
"""
from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass

PRUNE_AT = 4096


@dataclass(frozen=True)
class Limits:
    """Configurable sending limits; None means no limit of that kind."""

    overall_per_second: float | None = 30.0
    chat_per_second: float | None = 1.0
    group_per_minute: float | None = 20.0

    def chat_interval(self, chat_id: int) -> float:
        """Seconds between two messages to one chat (groups have negative ids)."""
        interval = _interval(self.chat_per_second)
        if chat_id < 0 and self.group_per_minute:
            interval = max(interval, 60.0 / self.group_per_minute)
        return interval


def _interval(per_second: float | None) -> float:
    return 1.0 / per_second if per_second else 0.0


def _now() -> float:
    return asyncio.get_running_loop().time()


class Pace:
    """Lets events through at least `interval` seconds apart, first come first served."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._next = 0.0

    async def wait(self) -> None:
        """Reserve the next free slot and sleep until it."""
        now = _now()
        slot = max(now, self._next)
        self._next = slot + self.interval
        if slot > now:
            await asyncio.sleep(slot - now)

    def passed(self, now: float) -> None:
        """An event went through at `now`, later than its slot: keep the next one `interval` after it."""
        self._next = max(self._next, now + self.interval)

    def idle(self, now: float) -> bool:
        """Whether nobody holds a slot after `now`."""
        return self._next <= now


class Window:
    """At most `count` events in any `seconds`, checked against the times of the last `count` events."""

    def __init__(self, count: int, seconds: float) -> None:
        self.seconds = seconds
        self._times: deque[float] = deque(maxlen=count)

    def delay(self, now: float) -> float:
        """Seconds to wait before one more event fits (0 if it fits now)."""
        if len(self._times) < self._times.maxlen:
            return 0.0
        return max(0.0, self._times[0] + self.seconds - now)

    def passed(self, now: float) -> None:
        """Record an event at `now`."""
        self._times.append(now)


class SharedPace:
    """The overall pace of every sender together, kept elsewhere: `reserve()` returns the wait for the next slot.

    A process holds at most `ahead` slots it has not used yet (three hide the reservation's round trip
    on a loaded machine), so a pause after a 429 reaches the whole fleet within that many messages per
    sender; twice as many messages may be on their way between being marked `sending` and Telegram's answer.
    """

    def __init__(self, reserve: Callable[[], Awaitable[float]], ahead: int = 3) -> None:
        self._reserve = reserve
        self._turn = asyncio.Semaphore(ahead)
        self.in_flight = asyncio.Semaphore(2 * ahead)

    async def wait(self) -> None:
        """Reserve the fleet's next slot and sleep until it."""
        async with self._turn:
            delay = await self._reserve()
            if delay > 0:
                await asyncio.sleep(delay)


class SendLimiter:
    """Waits until one more message to a chat keeps every limit, and pauses everything after a 429."""

    def __init__(self, limits: Limits, shared: SharedPace | None = None) -> None:
        self.limits = limits
        self._shared = shared
        self._overall = Pace(_interval(limits.overall_per_second))
        per_second = limits.overall_per_second
        self._second = Window(max(1, math.floor(per_second)), 1.0) if per_second else None
        self._chats: dict[int, Pace] = {}
        self._prune_at = PRUNE_AT
        self._resume_at = 0.0

    async def acquire(self, chat_id: int) -> None:
        """Return when a message to `chat_id` may be sent now."""
        chat = self._chat(chat_id)
        await chat.wait()
        while True:
            await self._pause_over()
            if self._shared is None:  # else the fleet's pace, taken in fleet_slot()
                await self._overall.wait()
                await self._within_the_second()
            if not self.paused:
                break
        now = _now()
        if self._second and self._shared is None:
            self._second.passed(now)
        chat.passed(now)  # the overall queue or a pause may have held this message past its chat slot

    def answered(self, chat_id: int) -> None:
        """Telegram answered a request to `chat_id`: the chat's next message waits its full interval from now.

        A message may wait for its turn and the fleet's slot long after its chat's slot came (seconds,
        in a busy fleet); counted from its slot, the next one could follow it at once.
        """
        self._chat(chat_id).passed(_now())

    def turn(self) -> AbstractAsyncContextManager:
        """Held from marking a message `sending` to Telegram's answer: a fleet sender has a few such at once."""
        return nullcontext() if self._shared is None else self._shared.in_flight

    async def fleet_slot(self) -> None:
        """Wait for the fleet's next slot, if senders share the pace; called right before the request.

        Taken last, after the database marked the message as sending, so that nothing stands between
        the slot and the request that could bunch the fleet's sends together.
        """
        if self._shared is not None:
            await self._shared.wait()
            await self._pause_over()

    def pause(self, seconds: float) -> None:
        """Hold every send for `seconds` from now (Telegram said retry_after)."""
        self._resume_at = max(self._resume_at, _now() + seconds)

    @property
    def paused(self) -> bool:
        """Whether sending is on hold after a 429."""
        return _now() < self._resume_at

    async def _pause_over(self) -> None:
        while (delay := self._resume_at - _now()) > 0:
            await asyncio.sleep(delay)

    async def _within_the_second(self) -> None:
        while self._second and (delay := self._second.delay(_now())) > 0:
            await asyncio.sleep(delay)

    def _chat(self, chat_id: int) -> Pace:
        pace = self._chats.get(chat_id)
        if pace is None:
            if len(self._chats) >= self._prune_at:
                self._prune()
            pace = self._chats[chat_id] = Pace(self.limits.chat_interval(chat_id))
        return pace

    def _prune(self) -> None:
        now = _now()
        self._chats = {chat_id: pace for chat_id, pace in self._chats.items() if not pace.idle(now)}
        self._prune_at = max(PRUNE_AT, 2 * len(self._chats))
