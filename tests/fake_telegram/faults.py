"""Errors a test injects per chat, and optional flood limits enforced like Telegram's."""

import math
import time
from dataclasses import dataclass, field

FORBIDDEN = {
    "blocked": "Forbidden: bot was blocked by the user",
    "kicked": "Forbidden: bot was kicked from the group chat",
    "deactivated": "Forbidden: user is deactivated",
    "removed": "Forbidden: bot is not a member of the channel chat",
}
MIGRATED = "Bad Request: group chat was upgraded to a supergroup chat"
FORCED_ENTITY_ERROR = 'Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"'


class ApiError(Exception):
    """A Bot API error response: HTTP status, description and optional ResponseParameters."""

    def __init__(self, code: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters

    def payload(self) -> dict:
        """The JSON body Telegram answers with."""
        body = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def too_many_requests(retry_after: int) -> ApiError:
    """A 429 as Telegram sends it."""
    return ApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})


@dataclass
class FloodLimits:
    """Token buckets like Telegram's limits: about 30/s overall, 1/s per chat, 20/min per group."""

    overall_per_second: float = 30.0
    overall_burst: int = 30
    chat_per_second: float = 1.0
    chat_burst: int = 3
    group_per_minute: float = 20.0
    group_burst: int = 20


@dataclass
class _Bucket:
    rate: float
    capacity: float
    tokens: float
    updated: float

    def wait_needed(self, now: float) -> float:
        """Seconds until a token is free (0 if one is free now), after refilling."""
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate


@dataclass
class Flood:
    """Injected 429s: how many sends get one, and the retry_after they carry."""

    retry_after: int
    times: int


@dataclass
class Faults:
    """What goes wrong for which chat; checked before every outgoing method."""

    blocked: dict[int, str] = field(default_factory=dict)
    migrated: dict[int, int] = field(default_factory=dict)
    floods: dict[int | None, Flood] = field(default_factory=dict)
    entity_errors: dict[int | None, int] = field(default_factory=dict)
    limits: FloodLimits | None = None
    buckets: dict[object, _Bucket] = field(default_factory=dict)

    def check_chat(self, chat_id) -> None:
        """Raise what Telegram answers for a migrated group or a chat that blocked the bot."""
        if chat_id in self.migrated:
            raise ApiError(400, MIGRATED, {"migrate_to_chat_id": self.migrated[chat_id]})
        if chat_id in self.blocked:
            description = FORBIDDEN[self.blocked[chat_id]]
            if str(chat_id).startswith("-100"):
                description = description.replace("group chat", "supergroup chat")
            raise ApiError(403, description)

    def check_send(self, chat_id, formatted: bool) -> None:
        """Raise an injected or limit-caused 429, or a forced entity error for formatted text."""
        for key in (chat_id, None):
            flood = self.floods.get(key)
            if flood and flood.times > 0:
                flood.times -= 1
                raise too_many_requests(flood.retry_after)
        if self.limits is not None:
            self._take_tokens(chat_id)
        for key in (chat_id, None):
            if formatted and self.entity_errors.get(key, 0) > 0:
                self.entity_errors[key] -= 1
                raise ApiError(400, FORCED_ENTITY_ERROR)

    def _take_tokens(self, chat_id) -> None:
        now = time.monotonic()
        buckets = [self._bucket("all", self.limits.overall_per_second, self.limits.overall_burst, now)]
        if isinstance(chat_id, int) and chat_id < 0:
            rate = self.limits.group_per_minute / 60
            buckets.append(self._bucket(("group", chat_id), rate, self.limits.group_burst, now))
        else:
            buckets.append(self._bucket(("chat", chat_id), self.limits.chat_per_second, self.limits.chat_burst, now))
        wait = max(bucket.wait_needed(now) for bucket in buckets)
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))
        for bucket in buckets:
            bucket.tokens -= 1

    def _bucket(self, key, rate: float, capacity: int, now: float) -> _Bucket:
        if key not in self.buckets:
            self.buckets[key] = _Bucket(rate, capacity, capacity, now)
        return self.buckets[key]
