"""WebSub in webhook mode: the callback server hubs push to, and the job that subscribes, renews and unsubscribes.

The callback listens on its own port (DOZOR_WEBSUB_PORT) behind the same HTTPS proxy as the
Telegram webhook; its public address is DOZOR_WEBSUB_URL, by default the webhook URL's host with
the path /websub. A pushed item goes through the collector's parse, match and store, and on through
the same stages as a tick's (linking, alerts), without waiting for a tick.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlsplit

from bot import jobs
from bot.settings import Settings
from feeds.websub.callback import CallbackServer
from feeds.websub.receiver import Receiver
from feeds.websub.subscriber import Subscriber

log = logging.getLogger("dozor.websub")
REQUESTS_EVERY = 60  # seconds between looks for subscriptions to request, renew or undo


@dataclass
class WebSub:
    """The running callback server and the hub subscriber."""

    server: CallbackServer
    subscriber: Subscriber
    port: int


def callback_base(settings: Settings) -> str | None:
    """The public base URL of the callback, or None when Dozor has no public URL (long polling)."""
    if settings.websub_url:
        return settings.websub_url.rstrip("/")
    if not settings.webhook_url:
        return None
    parts = urlsplit(settings.webhook_url)
    return f"{parts.scheme}://{parts.netloc}/websub"


async def start(application) -> None:
    """In webhook mode: listen for hubs and schedule the subscriber."""
    services = application.services
    base = callback_base(services.settings)
    if base is None:
        return
    receiver = Receiver(services.sessions, partial(_pushed, services))
    server = CallbackServer(receiver, urlsplit(base).path)
    try:
        port = await server.start(services.settings.websub_listen, services.settings.websub_port)
    except OSError as exc:  # the bot and polling go on without pushes
        log.error("websub: cannot listen on %s:%d (%s); feeds are polled only",
                  services.settings.websub_listen, services.settings.websub_port, exc)
        return
    services.websub = WebSub(server, Subscriber(services.sessions, services.collector.fetcher, base), port)
    await services.collector.start_push_parser()
    application.job_queue.run_repeating(
        subscribe, interval=REQUESTS_EVERY, first=2, name="websub", job_kwargs=jobs.JOB_OPTIONS
    )
    log.info("websub: hubs deliver to %s/<token> (listening on port %d)", base, port)


async def stop(services) -> None:
    """Stop listening; deliveries under way are stored first."""
    if services.websub is not None:
        await services.websub.server.stop()


async def subscribe(context) -> None:
    """Send the hub requests that are due: new subscriptions, renewals, unsubscriptions."""
    websub = context.services.websub
    if websub is not None:
        await websub.subscriber.run_once()


async def _pushed(services, source_id: int, body: bytes, headers: dict[str, str]) -> None:
    outcome = await services.collector.push(source_id, body, headers)  # stored, linked and alerted
    if outcome is not None and (outcome.new_item_ids or outcome.edited):
        jobs.wake_sender(services)
