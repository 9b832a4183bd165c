"""Fetch a feed over HTTP within hard limits: deadline, body size, redirects, private networks."""
from __future__ import annotations

import asyncio
import ssl
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

import httpx

from feeds import netguard
from feeds.errors import FeedError
from feeds.inflate import ACCEPT_ENCODING, EncodingError, decoded_pieces

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_AFTER_STATUSES = frozenset({429, 503})
ALLOWED_SCHEMES = frozenset({"http", "https"})
# A longer wait is taken for garbage and ignored (a source's next check is capped at a day anyway).
MAX_RETRY_AFTER = timedelta(days=7)
MAX_RETRY_DIGITS = len(str(int(MAX_RETRY_AFTER.total_seconds())))


@dataclass(frozen=True)
class FetchPolicy:
    """Limits applied to every fetch."""

    allow_private_networks: bool = False
    deadline_seconds: float = 20.0
    max_body_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    per_host_limit: int = 2
    global_limit: int = 32
    user_agent: str = "Dozor/0.1 (news monitor; +https://github.com/dozor)"


@dataclass
class FetchResult:
    """A successful response: 2xx with a body, or 304 without one."""

    url: str
    status: int
    body: bytes | None
    headers: dict[str, str]
    not_modified: bool


@dataclass
class _Redirect:
    location: str


class Fetcher:
    """Fetches URLs with one shared connection pool, honouring a `FetchPolicy`.

    `fleet_slots`, when several collectors share the work, is an object whose `hold(host, beside)` keeps the
    per-host limit across all of them (storage.host_slots.FleetHostSlots); the in-process limit still
    queues this process's own fetches first, and a fetch waiting for the fleet gives its process slot back.
    """

    def __init__(self, policy: FetchPolicy = FetchPolicy(), fleet_slots=None) -> None:
        self._policy = policy
        self._fleet_slots = fleet_slots
        is_allowed = netguard.any_address if policy.allow_private_networks else netguard.is_public_address
        limits = httpx.Limits(
            max_connections=policy.global_limit, max_keepalive_connections=policy.global_limit
        )
        self._client = httpx.AsyncClient(
            transport=netguard.guarded_transport(is_allowed, limits),
            headers={"User-Agent": policy.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            timeout=policy.deadline_seconds,
            follow_redirects=False,
            trust_env=False,
        )
        self._global_slots = asyncio.Semaphore(policy.global_limit)
        self._host_slots = _HostSlots(policy.per_host_limit)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @property
    def fleet_waits(self) -> int:
        """How often a fetch found its host's slots all held by the fleet and waited."""
        return 0 if self._fleet_slots is None else self._fleet_slots.waits

    async def aclose(self) -> None:
        """Close the pooled connections (and the fleet's host slots)."""
        await self._client.aclose()
        if self._fleet_slots is not None:
            await self._fleet_slots.aclose()

    def _fetch_slots(self, host: str) -> AbstractAsyncContextManager:
        """One of this process's fetch slots, and with several collectors a slot of the host in the fleet."""
        if self._fleet_slots is None:
            return self._global_slots
        return self._fleet_slots.hold(host, beside=self._global_slots)

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None, max_bytes: int | None = None
    ) -> FetchResult:
        """GET the URL, following redirects hop by hop; raises `FeedError` on any failure.

        `max_bytes` caps this body below the policy's cap (an article page needs less than a feed).
        """
        limit = min(max_bytes or self._policy.max_body_bytes, self._policy.max_body_bytes)
        target = _checked_url(url, url)
        headers = _validator_headers(etag, last_modified)
        seen = {str(target)}
        deadline: float | None = None
        for _ in range(self._policy.max_redirects + 1):
            async with self._host_slots.hold(target.host), self._fetch_slots(target.host):
                # The deadline starts once the first hop is under way, not while queued.
                deadline = deadline or asyncio.get_running_loop().time() + self._policy.deadline_seconds
                outcome = await self._hop(target, headers, deadline, limit)
            if isinstance(outcome, FetchResult):
                return outcome
            target = _redirect_target(target, outcome.location, url)
            if str(target) in seen:
                raise FeedError("fetch.redirect_loop", f"{url} redirects in a loop (back to {target})")
            seen.add(str(target))
        raise FeedError(
            "fetch.too_many_redirects", f"{url} redirects more than {self._policy.max_redirects} times"
        )

    async def post_form(self, url: str, fields: dict[str, str], max_answer_bytes: int = 64 * 1024) -> tuple[int, bytes]:
        """POST a form (a request to a WebSub hub) within the same limits; (status, the answer's start).

        Redirects are not followed: a hub answers its subscribers itself.
        """
        target = _checked_url(url, url)
        async with self._host_slots.hold(target.host), self._global_slots:
            deadline = asyncio.get_running_loop().time() + self._policy.deadline_seconds
            try:
                async with asyncio.timeout_at(deadline):
                    async with self._client.stream("POST", target, data=fields) as response:
                        return response.status_code, await _answer_start(response, max_answer_bytes)
            except TimeoutError as exc:
                raise FeedError(
                    "fetch.timeout", f"{target} did not answer within {self._policy.deadline_seconds:g} s"
                ) from exc
            except httpx.HTTPError as exc:
                raise _transport_error(target, exc) from exc

    async def _hop(
        self, url: httpx.URL, headers: dict[str, str], deadline: float, limit: int
    ) -> FetchResult | _Redirect:
        """One request: a final result, or where the server redirects to."""
        try:
            async with asyncio.timeout_at(deadline):
                async with self._client.stream("GET", url, headers=headers) as response:
                    return await self._outcome(response, limit)
        except TimeoutError as exc:
            raise FeedError(
                "fetch.timeout", f"{url} did not answer within {self._policy.deadline_seconds:g} s"
            ) from exc
        except httpx.HTTPError as exc:
            raise _transport_error(url, exc) from exc

    async def _outcome(self, response: httpx.Response, limit: int) -> FetchResult | _Redirect:
        """Interpret a response whose body has not been read yet."""
        status = response.status_code
        location = response.headers.get("location")
        if status in REDIRECT_STATUSES and location:
            return _Redirect(location)
        headers = {name.lower(): value for name, value in response.headers.items()}
        url = str(response.url)
        if status == 304:
            await response.aread()  # the empty body: reading it to the end keeps the connection for reuse
            if not _is_conditional(response.request):
                raise FeedError(
                    "fetch.unexpected_304",
                    f"{url} answered 304 Not Modified to a request without validators (If-None-Match, If-Modified-Since)",
                )
            return FetchResult(url=url, status=status, body=None, headers=headers, not_modified=True)
        if 200 <= status < 300:
            body = await self._read_body(response, limit)
            return FetchResult(url=url, status=status, body=body, headers=headers, not_modified=False)
        retry_at = parse_retry_after(response.headers.get("retry-after"))
        raise FeedError(
            f"fetch.http_{status}",
            f"{url} answered HTTP {status} {response.reason_phrase}".rstrip(),
            retry_at=retry_at if status in RETRY_AFTER_STATUSES else None,
        )

    async def _read_body(self, response: httpx.Response, limit: int) -> bytes:
        """The decoded body, refused as soon as it passes `limit` bytes."""
        declared = response.headers.get("content-length", "")
        if "content-encoding" not in response.headers and declared.isdigit() and int(declared) > limit:
            raise _too_large(response.url, limit)
        chunks: list[bytes] = []
        size = 0
        pieces = decoded_pieces(response.headers.get("content-encoding"), response.aiter_raw())
        try:
            # Counted after decompression, so a small gzip bomb is stopped too.
            async for piece in pieces:
                size += len(piece)
                if size > limit:
                    raise _too_large(response.url, limit)
                chunks.append(piece)
        except EncodingError as exc:
            raise FeedError("fetch.bad_encoding", f"{response.url}: {exc}") from exc
        finally:
            await pieces.aclose()
        return b"".join(chunks)


async def _answer_start(response: httpx.Response, limit: int) -> bytes:
    """At most `limit` bytes of a (short, informative) answer; the rest is not read."""
    kept = b""
    async for chunk in response.aiter_bytes():
        kept += chunk[: limit - len(kept)]
        if len(kept) >= limit:
            break
    return kept


class _HostSlots:
    """A semaphore per host, dropped when nobody holds or awaits it."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._slots: dict[str, tuple[asyncio.Semaphore, int]] = {}

    @asynccontextmanager
    async def hold(self, host: str) -> AsyncIterator[None]:
        semaphore, users = self._slots.get(host, (asyncio.Semaphore(self._limit), 0))
        self._slots[host] = (semaphore, users + 1)
        try:
            async with semaphore:
                yield
        finally:
            semaphore, users = self._slots[host]
            if users == 1:
                del self._slots[host]
            else:
                self._slots[host] = (semaphore, users - 1)


def parse_retry_after(value: str | None, now: datetime | None = None) -> datetime | None:
    """The UTC time a Retry-After header (seconds or HTTP date) points to; None if absent, unreadable or absurd."""
    if not value:
        return None
    now = now or datetime.now(timezone.utc)
    moment = _retry_moment(value.strip(), now)
    return moment if moment is not None and moment - now <= MAX_RETRY_AFTER else None


def _retry_moment(value: str, now: datetime) -> datetime | None:
    if value.isdigit():  # which "²" is too: only ASCII digits are seconds
        if not value.isascii() or len(value) > MAX_RETRY_DIGITS:
            return None
        return now + timedelta(seconds=int(value))
    try:
        moment = parsedate_to_datetime(value)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc)
    except (TypeError, ValueError, OverflowError):  # e.g. a year past 9999 or a zone offset of 20 digits
        return None


def _checked_url(url: str, original: str) -> httpx.URL:
    """The URL parsed, if it is absolute http(s) with a host."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FeedError("fetch.bad_url", f"not a valid URL: {url!r}") from exc
    if parsed.scheme and parsed.scheme not in ALLOWED_SCHEMES:
        where = "" if url == original else f" (redirected from {original})"
        raise FeedError("fetch.bad_scheme", f"only http and https are fetched, not {url}{where}")
    if not parsed.scheme or not parsed.host:
        raise FeedError("fetch.bad_url", f"not an absolute http(s) URL: {url!r}")
    return parsed


def _redirect_target(current: httpx.URL, location: str, original: str) -> httpx.URL:
    """Where a Location header points, relative to the current URL."""
    try:
        joined = current.join(location)
    except httpx.InvalidURL as exc:
        raise FeedError("fetch.bad_url", f"{original} redirects to an invalid URL: {location!r}") from exc
    return _checked_url(str(joined), original)


def _validator_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    """Conditional GET headers for the validators we kept."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _is_conditional(request: httpx.Request) -> bool:
    """Whether the request carried validators that a 304 may answer."""
    return "if-none-match" in request.headers or "if-modified-since" in request.headers


def _too_large(url: httpx.URL, limit: int) -> FeedError:
    size = f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"
    return FeedError("fetch.too_large", f"{url} is larger than {size}")


def _transport_error(url: httpx.URL, exc: httpx.HTTPError) -> FeedError:
    """A FeedError for a failure below HTTP: timeout, TLS, connection."""
    if isinstance(exc, httpx.TimeoutException):
        return FeedError("fetch.timeout", f"{url} timed out: {exc}")
    if _caused_by(exc, ssl.SSLError):
        return FeedError("fetch.tls", f"TLS with {url.host} failed: {exc}")
    return FeedError("fetch.connection", f"connection to {url.host} failed: {exc or type(exc).__name__}")


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """Whether `kind` appears in the exception's cause chain."""
    for _ in range(10):  # chains are short; the bound guards against cycles
        if exc is None:
            return False
        if isinstance(exc, kind):
            return True
        exc = exc.__cause__ or exc.__context__
    return False
