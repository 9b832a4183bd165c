"""What the callback endpoint decides: confirm the requests Dozor made, take signed deliveries, refuse the rest."""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from sqlalchemy.orm import Session, sessionmaker

from feeds.websub import signature
from storage import websub as websub_store
from storage.models import utcnow

log = logging.getLogger(__name__)
OnPush = Callable[[int, bytes, dict[str, str]], Awaitable[None]]  # source id, body, headers


class Receiver:
    """Verification of intent and deliveries; a delivery that passes is handed to `on_push` at once."""

    def __init__(self, sessions: sessionmaker[Session], on_push: OnPush) -> None:
        self.sessions = sessions
        self.on_push = on_push
        self._tasks: set[asyncio.Task] = set()

    def verify(self, token: str, params: dict[str, str | None]) -> str | None:
        """The body to answer a hub's GET with (its challenge), or None (404) when Dozor asked for nothing."""
        mode, topic, challenge = params.get("hub.mode"), params.get("hub.topic"), params.get("hub.challenge")
        if mode not in ("subscribe", "unsubscribe", "denied") or not topic:
            return None
        if mode != "denied" and not challenge:
            return None
        lease = params.get("hub.lease_seconds") or ""
        with self.sessions.begin() as session:
            confirmed = websub_store.verify(session, token, mode, topic, int(lease) if lease.isdigit() else None, utcnow())
        if confirmed:
            log.info("websub: %s of %s confirmed", mode, topic)
        return (challenge or "") if confirmed else None

    async def deliver(self, token: str, body: bytes, headers: dict[str, str]) -> int:
        """The HTTP status for a delivery; a signed one is parsed, stored and alerted in the background."""
        status, source_id = await asyncio.to_thread(self._check, token, body, headers.get("x-hub-signature"))
        if source_id is not None:
            task = asyncio.create_task(self._push(source_id, body, headers))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return status

    def _check(self, token: str, body: bytes, signed: str | None) -> tuple[int, int | None]:
        """(status, the source to store the delivery for, if any); a forged or unsigned one is recorded."""
        with self.sessions.begin() as session:
            found = websub_store.delivery(session, token)
            if found is None:
                return 404, None
            problem = signature.check(found.secret, body, signed)
            if problem is not None:
                message = "a delivery without X-Hub-Signature" if problem == "websub.unsigned" else (
                    "a delivery whose X-Hub-Signature does not match the subscription's secret")
                websub_store.refused(session, found.id, problem, f"refused {message}; nothing stored", utcnow())
                log.warning("websub: refused %s for source %s", message, found.source_id)
                return 403, None
            if found.source_id is None:
                return 410, None  # the source was removed: the hub may drop the subscription
            if not websub_store.active_source(session, found.source_id):
                return 202, None  # paused: taken, not stored
            return 202, found.source_id

    async def _push(self, source_id: int, body: bytes, headers: dict[str, str]) -> None:
        try:
            await self.on_push(source_id, body, headers)
        except Exception:  # one bad delivery must not stop the endpoint
            log.exception("websub: storing a delivery for source %s failed", source_id)

    async def drain(self) -> None:
        """Wait for the deliveries being stored."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
