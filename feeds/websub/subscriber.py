"""Requests to WebSub hubs: subscribe to the hubs feeds name, renew leases before they end, unsubscribe."""
from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from feeds.errors import FeedError
from feeds.fetch import Fetcher
from storage import websub as websub_store
from storage.models import utcnow
from storage.websub import HubRequest

log = logging.getLogger(__name__)
ACCEPTED = frozenset({200, 202, 204})  # the spec says 202 Accepted; some hubs answer 204 or 200


class Subscriber:
    """Sends the requests that are due to the hubs, through the guarded fetcher."""

    def __init__(self, sessions: sessionmaker[Session], fetcher: Fetcher, callback_base: str,
                 lease_seconds: int = websub_store.LEASE_SECONDS) -> None:
        self.sessions = sessions
        self.fetcher = fetcher
        self.callback_base = callback_base.rstrip("/")
        self.lease_seconds = lease_seconds

    def callback_url(self, token: str) -> str:
        """Where the hub calls back for this subscription."""
        return f"{self.callback_base}/{token}"

    async def run_once(self, now: datetime | None = None) -> int:
        """Send every request that is due; how many were sent."""
        now = now or utcnow()
        due = await asyncio.to_thread(self._claim, now)
        await asyncio.gather(*(self._send(request) for request in due))
        return len(due)

    def _claim(self, now: datetime) -> list[HubRequest]:
        with self.sessions.begin() as session:
            return websub_store.claim_due(session, now)

    async def _send(self, request: HubRequest) -> None:
        fields = {"hub.mode": request.mode, "hub.topic": request.topic, "hub.callback": self.callback_url(request.token)}
        if request.mode == "subscribe":
            fields |= {"hub.secret": request.secret, "hub.lease_seconds": str(self.lease_seconds)}
        try:
            status, answer = await self.fetcher.post_form(request.hub, fields)
        except FeedError as error:
            problem = f"{request.hub}: {error.message}"
        else:
            problem = None if status in ACCEPTED else _refusal(request.hub, status, answer)
        await asyncio.to_thread(self._record, request, problem)

    def _record(self, request: HubRequest, problem: str | None) -> None:
        with self.sessions.begin() as session:
            if problem is None:
                websub_store.requested(session, request.id)
                log.info("websub: asked %s to %s %s", request.hub, request.mode, request.topic)
            else:
                websub_store.request_failed(session, request.id, problem, utcnow())
                log.warning("websub: %s %s failed: %s", request.mode, request.topic, problem)


def _refusal(hub: str, status: int, answer: bytes) -> str:
    text = answer.decode("utf-8", "replace").strip()[:200]
    return f"{hub} answered HTTP {status}" + (f": {text}" if text else "")
