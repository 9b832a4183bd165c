"""Push where a feed offers it: a local WebSub hub subscribes Dozor, verifies, delivers, renews, and forges."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from functools import partial

import pytest
from sqlalchemy import func, select, update

from bot.collecting import delivery_stages
from bot.roles import Roles
from feeds.collector import Collector
from feeds.fetch import FetchPolicy
from feeds.websub.callback import CallbackServer
from feeds.websub.links import header_links, hub_and_topic
from feeds.websub.receiver import Receiver
from feeds.websub.signature import check, sign
from feeds.websub.subscriber import Subscriber
from storage import chats as chat_store
from storage import source_health
from storage import sources as source_store
from storage import topics as topic_store
from storage.models import Item, ItemSource, Outbox, Source, WebSubSubscription
from storage.websub import SAFETY_INTERVAL
from tests.botharness import dozor_bot
from storage.meta import get_meta
from tests.test_webhook import admin_command, free_port, post
from tests.websub_hub import LocalHub

LOCAL = FetchPolicy(allow_private_networks=True, deadline_seconds=5)
TOPIC_PATH = "/news.atom"


def atom(hub: str | None, topic: str, *entries: tuple[str, str]) -> bytes:
    """An Atom feed naming its hub and itself, with (id, title) entries published just now (news, not late)."""
    links = (f'<link rel="hub" href="{hub}"/>' if hub else "") + f'<link rel="self" href="{topic}"/>'
    updated = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = "".join(
        f"<entry><id>urn:x:{key}</id><title>{title}</title><link href=\"https://news.example/{key}\"/>"
        f"<updated>{updated}</updated></entry>"
        for key, title in entries
    )
    return f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>News</title>{links}{body}</feed>'.encode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ('<https://hub.example/>; rel="hub", <https://site.example/feed>; rel="self"',
         {"hub": "https://hub.example/", "self": "https://site.example/feed"}),
        ("<https://hub.example/>; rel=hub", {"hub": "https://hub.example/"}),
        ('<https://a.example/>; rel="hub self"', {"hub": "https://a.example/", "self": "https://a.example/"}),
        ('<https://a.example/>; title="x, y"; rel="hub"', {"hub": "https://a.example/"}),
        ("garbage", {}),
        (None, {}),
    ],
)
def test_link_headers(header, expected):
    assert header_links(header) == expected


def test_the_hub_of_a_header_wins_and_relative_links_resolve():
    assert hub_and_topic({"link": "</hub>; rel=hub"}, {"hub": "https://other/"}, "https://site.example/feed") == (
        "https://site.example/hub", "https://site.example/feed"
    )
    assert hub_and_topic({}, {}, "https://site.example/feed") is None
    assert hub_and_topic({}, {"hub": "javascript:alert(1)"}, "https://site.example/feed") is None


def test_signatures():
    body = b"<feed/>"
    assert check("s3cret", body, sign("s3cret", body)) is None
    assert check("s3cret", body, sign("s3cret", body, "sha1")) is None  # Google's hub signs with SHA-1
    assert check("s3cret", body, sign("other", body)) == "websub.bad_signature"
    assert check("s3cret", body + b" ", sign("s3cret", body)) == "websub.bad_signature"
    assert check("s3cret", body, "md5=abc") == "websub.bad_signature"
    assert check("s3cret", body, None) == check("s3cret", body, "") == "websub.unsigned"


class Setup:
    """A collector, a callback server and a subscriber, wired as bot.websub wires them, and a local hub."""

    def __init__(self, sessions, collector, feed_server, hub, server, subscriber, receiver):
        self.sessions, self.collector, self.feed_server, self.hub = sessions, collector, feed_server, hub
        self.server, self.subscriber, self.receiver = server, subscriber, receiver
        self.topic = feed_server.url(TOPIC_PATH)

    def serve(self, *entries: tuple[str, str], hub: bool = True) -> None:
        self.feed_server.add_file(TOPIC_PATH, atom(self.hub.url if hub else None, self.topic, *entries),
                                  content_type="application/atom+xml")

    async def publish(self, *args, **kwargs) -> list[int]:
        """The hub delivers (from its own threads, as a remote hub would)."""
        return await asyncio.to_thread(partial(self.hub.publish, *args, **kwargs))

    def subscription(self) -> WebSubSubscription | None:
        with self.sessions() as session:
            return session.scalar(select(WebSubSubscription))

    def titles(self) -> list[str]:
        with self.sessions() as session:
            return list(session.scalars(select(Item.title).order_by(Item.id)))

    async def subscribed(self) -> WebSubSubscription:
        """Run the subscriber and wait for the hub to have verified."""
        assert await self.subscriber.run_once() == 1
        await asyncio.to_thread(self.hub.requests[-1].verified.wait, 20)
        return self.subscription()


@pytest.fixture
async def setup(sessions, parse_pool, feed_server):
    with sessions.begin() as s:
        topic_store.seed_topics(s, [("csto", "CSTO", ["ОДКБ"])])
        chat = chat_store.ensure_chat(s, 1001, "private", None, "en")
        chat.mode = "instant"
        chat_store.subscribe(s, chat.id, "csto")
    collector = Collector(sessions, LOCAL, pool=parse_pool, after_store=delivery_stages(sessions, Roles(sessions, [])))
    receiver = Receiver(sessions, collector.push)  # stored, linked and alerted, as bot.websub has it
    server = CallbackServer(receiver, "/websub")
    port = await server.start("127.0.0.1", 0)
    subscriber = Subscriber(sessions, collector.fetcher, f"http://127.0.0.1:{port}/websub")
    hub = LocalHub(lease_seconds=3600).start()
    yield Setup(sessions, collector, feed_server, hub, server, subscriber, receiver)
    hub.close()
    await server.stop()
    await collector.aclose()


def add_feed(setup: Setup) -> int:
    with setup.sessions.begin() as s:
        return source_store.add_source(s, setup.topic, "News").id


def alerts(sessions) -> list[str]:
    with sessions() as s:
        return list(s.scalars(select(Outbox.text).where(Outbox.kind == "alert")))


async def wait_until(condition, timeout: float = 20) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def test_a_hub_named_by_the_feed_is_subscribed_and_its_pushes_are_alerted_at_once(setup):
    setup.serve(("1", "Погода"))
    source_id = add_feed(setup)
    await setup.collector.tick()
    offered = setup.subscription()
    assert (offered.state, offered.hub, offered.topic, offered.source_id) == ("offered", setup.hub.url, setup.topic, source_id)

    active = await setup.subscribed()
    request = setup.hub.requests[0]
    assert (request.mode, request.topic, request.lease_seconds) == ("subscribe", setup.topic, str(864000))
    assert request.callback.endswith("/websub/" + offered.token) and request.secret == offered.secret
    assert request.verification_status == 200
    assert active.state == "active"
    assert abs((active.lease_expires_at - datetime.now(timezone.utc)).total_seconds() - 3600) < 60

    body = atom(setup.hub.url, setup.topic, ("1", "Погода"), ("2", "Учения ОДКБ начались"))
    assert await setup.publish(setup.topic, body) == [202]
    await wait_until(lambda: alerts(setup.sessions))
    assert setup.titles() == ["Погода", "Учения ОДКБ начались"]
    assert "Учения ОДКБ начались" in alerts(setup.sessions)[0]
    assert setup.subscription().pushes == 1


async def test_forged_and_unsigned_pushes_are_refused_recorded_and_never_stored(setup):
    setup.serve(("1", "Погода"))
    source_id = add_feed(setup)
    await setup.collector.tick()
    await setup.subscribed()
    forged = atom(setup.hub.url, setup.topic, ("9", "ОДКБ: подделка"))
    assert await setup.publish(setup.topic, forged, signature=sign("not-the-secret", forged)) == [403]
    assert await setup.publish(setup.topic, forged, signature=None) == [403]
    assert await setup.publish(setup.topic, forged, signature="sha256=" + "0" * 64) == [403]
    await setup.receiver.drain()
    assert setup.titles() == ["Погода"] and alerts(setup.sessions) == []
    subscription = setup.subscription()
    assert (subscription.refused, subscription.pushes) == (3, 0)
    with setup.sessions() as s:
        codes = [e.code for e in source_health.recent_errors(s, source_id)]
        source = s.get(Source, source_id)
    assert codes == ["websub.bad_signature", "websub.unsigned", "websub.bad_signature"]
    assert source.error_count == 0 and source.status == "active"  # refusing forgeries is no failure of the feed


async def test_the_callback_confirms_only_what_dozor_asked_for(setup):
    import urllib.error
    import urllib.request

    setup.serve(("1", "Погода"))
    add_feed(setup)
    await setup.collector.tick()
    token = setup.subscription().token

    def get(path: str) -> int:
        try:
            return urllib.request.urlopen(setup.subscriber.callback_base + path, timeout=10).status
        except urllib.error.HTTPError as error:
            return error.code

    query = f"?hub.mode=subscribe&hub.topic={setup.topic}&hub.challenge=abc&hub.lease_seconds=60"
    assert await asyncio.to_thread(get, f"/{token}{query}") == 404  # offered, not requested yet
    assert await asyncio.to_thread(get, "/" + "x" * 32 + query) == 404  # nobody's token
    await setup.subscribed()
    assert await asyncio.to_thread(get, f"/{token}?hub.mode=subscribe&hub.topic=https://other.example/&hub.challenge=abc") == 404
    assert await asyncio.to_thread(get, f"/{token}?hub.mode=unsubscribe&hub.topic={setup.topic}&hub.challenge=abc") == 404
    assert setup.subscription().state == "active"


async def test_leases_are_renewed_before_they_end(setup):
    setup.serve(("1", "Погода"))
    add_feed(setup)
    await setup.collector.tick()
    first = await setup.subscribed()
    assert first.next_attempt_at < first.lease_expires_at  # renewal comes before the end
    assert await setup.subscriber.run_once() == 0  # nothing due yet
    with setup.sessions.begin() as s:
        s.execute(update(WebSubSubscription).values(
            next_attempt_at=datetime.now(timezone.utc), lease_expires_at=datetime.now(timezone.utc) + timedelta(minutes=5)
        ))
    renewed = await setup.subscribed()
    assert [r.mode for r in setup.hub.requests] == ["subscribe", "subscribe"]
    assert renewed.state == "active" and renewed.lease_expires_at > datetime.now(timezone.utc) + timedelta(minutes=50)


async def test_polling_waits_while_the_hub_delivers_and_returns_when_it_stops(setup):
    setup.serve(("1", "Погода"))
    source_id = add_feed(setup)
    await setup.collector.tick()
    await setup.subscribed()
    await setup.collector.tick(everything=True)  # the safety-net poll finds nothing new
    with setup.sessions() as s:
        source = s.get(Source, source_id)
    wait = (source.next_check_at - datetime.now(timezone.utc)).total_seconds()
    assert SAFETY_INTERVAL - 60 < wait <= SAFETY_INTERVAL
    interval = source.interval_seconds

    setup.serve(("1", "Погода"), ("2", "Пропущенное хабом"))  # published, but the hub stays silent
    summary = await setup.collector.tick(everything=True)
    assert summary.new_items == 1
    with setup.sessions() as s:
        source = s.get(Source, source_id)
    wait = (source.next_check_at - datetime.now(timezone.utc)).total_seconds()
    assert wait <= interval and setup.subscription().missed_at is not None  # polled as usual again

    body = atom(setup.hub.url, setup.topic, ("1", "Погода"), ("2", "Пропущенное хабом"), ("3", "Снова с хабом"))
    assert await setup.publish(setup.topic, body) == [202]
    await wait_until(lambda: "Снова с хабом" in setup.titles())
    await setup.receiver.drain()
    assert setup.subscription().missed_at is None  # it delivers again: the long interval from the next poll


async def test_removing_the_source_unsubscribes(setup):
    setup.serve(("1", "Погода"))
    source_id = add_feed(setup)
    await setup.collector.tick()
    await setup.subscribed()
    with setup.sessions.begin() as s:
        source_store.remove_source(s, source_id)
    body = atom(setup.hub.url, setup.topic, ("2", "ОДКБ"))
    assert await setup.publish(setup.topic, body) == [410]  # still subscribed at the hub: gone here
    assert await setup.subscriber.run_once() == 1
    request = setup.hub.requests[-1]
    await asyncio.to_thread(request.verified.wait, 20)
    assert (request.mode, request.verification_status) == ("unsubscribe", 200)
    assert setup.subscription() is None and setup.hub.subscribers(setup.topic) == []
    with setup.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Item)) == 1  # what it stored stays


async def test_a_hub_that_refuses_is_retried_later_then_given_up(setup):
    setup.serve(("1", "Погода"))
    add_feed(setup)
    await setup.collector.tick()
    setup.hub.accept = False
    assert await setup.subscriber.run_once() == 1
    failed = setup.subscription()
    assert failed.state == "offered" and failed.attempts == 1 and "HTTP 503" in failed.last_error
    assert failed.next_attempt_at > datetime.now(timezone.utc) + timedelta(minutes=50)
    for _ in range(5):
        with setup.sessions.begin() as s:
            s.execute(update(WebSubSubscription).values(next_attempt_at=datetime.now(timezone.utc)))
        await setup.subscriber.run_once()
    assert setup.subscription().state == "failed"
    assert await setup.subscriber.run_once() == 0


# --- the bot in webhook mode ------------------------------------------------------------------------------


async def test_in_webhook_mode_a_push_reaches_subscribers_without_a_tick(fake_telegram, sqlite_url, parse_pool, feed_server):
    hub = LocalHub().start()
    websub_port, webhook_port = free_port(), free_port()
    settings = dict(
        admin_ids=[1001], webhook_url=f"http://127.0.0.1:{webhook_port}/telegram/hook", webhook_listen="127.0.0.1",
        webhook_port=webhook_port, websub_url=f"http://127.0.0.1:{websub_port}/websub", websub_listen="127.0.0.1", websub_port=websub_port,
    )
    topic = feed_server.url(TOPIC_PATH)
    feed_server.add_file(TOPIC_PATH, atom(hub.url, topic, ("1", "Погода")), content_type="application/atom+xml")
    try:
        async with dozor_bot(fake_telegram, sqlite_url, parse_pool, **settings) as bot:
            with bot.sessions.begin() as s:  # as /subscribe csto and /settings instant would (updates come by webhook)
                chat = chat_store.ensure_chat(s, 1001, "private", None, "en")
                chat.mode = "instant"
                chat_store.subscribe(s, chat.id, "csto")
                source_store.add_source(s, topic, "News")
            await bot.run_job("collect")
            await bot.run_job("websub")
            await asyncio.to_thread(hub.requests[0].verified.wait, 20)
            assert hub.subscribers(topic)
            seen = len(fake_telegram.messages(1001))
            body = atom(hub.url, topic, ("1", "Погода"), ("2", "Учения ОДКБ в Казахстане"))
            assert await asyncio.to_thread(partial(hub.publish, topic, body)) == [202]
            await fake_telegram.wait_for(lambda: len(fake_telegram.messages(1001)) > seen, what="the pushed alert")
            assert "Учения ОДКБ в Казахстане" in fake_telegram.messages(1001)[-1].plain_text
            with bot.sessions() as session:
                secret = get_meta(session, "webhook_secret")
            seen = len(fake_telegram.messages(1001))
            assert await post(settings["webhook_url"], admin_command(1, "/feed 1"), secret) == 200
            await fake_telegram.wait_for(lambda: len(fake_telegram.messages(1001)) > seen, what="/feed's answer")
            details = fake_telegram.messages(1001)[-1].plain_text
            assert f"Push: subscribed at {hub.url} until" in details and "1 deliveries, 0 refused" in details
    finally:
        hub.close()


async def test_a_websub_port_in_use_leaves_the_bot_running_on_polling(fake_telegram, sqlite_url, parse_pool, caplog):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = dict(
            admin_ids=[1001], webhook_url=f"http://127.0.0.1:{free_port()}/telegram/hook", webhook_listen="127.0.0.1",
            webhook_port=free_port(), websub_listen="127.0.0.1", websub_port=port,
        )
        async with dozor_bot(fake_telegram, sqlite_url, parse_pool, **settings) as bot:
            assert bot.services.websub is None
            await bot.run_job("collect")  # the rest of Dozor goes on
    assert "feeds are polled only" in caplog.text
