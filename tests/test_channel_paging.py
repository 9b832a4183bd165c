"""Telegram channels without gaps: pages served in sequence by a channel that grows between polls."""
from __future__ import annotations

import asyncio
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.delivery.outbox_writer import OutboxWriter
from feeds.channel_pager import PagingPolicy
from feeds.collector import Collector
from feeds.fetch import FetchPolicy
from storage import chats as chat_store
from storage import sources as source_store
from storage import topics as topic_store
from storage.models import ChannelCursor, Item, ItemSource, Outbox, Source
from tests.telegram_pages import Channel

LOCAL = FetchPolicy(allow_private_networks=True, deadline_seconds=5)
HOUR = timedelta(hours=1)


@pytest.fixture
def sessions(sessions):
    with sessions.begin() as s:
        topic_store.seed_topics(s, [("csto", "CSTO", ["ОДКБ"])])
    return sessions


@pytest.fixture
def channel(feed_server):
    channel = Channel()
    feed_server.add_handler(channel.path, channel.serve)
    return channel


def collector_for(sessions, parse_pool, fetch: FetchPolicy = LOCAL, **paging) -> Collector:
    return Collector(sessions, fetch, pool=parse_pool, paging=PagingPolicy(**paging))


@pytest.fixture
async def collector(sessions, parse_pool):
    collector = collector_for(sessions, parse_pool)
    yield collector
    await collector.aclose()


def add_channel(sessions, feed_server, channel: Channel) -> int:
    with sessions.begin() as s:
        return source_store.add_source(s, feed_server.url(channel.path), channel.name, "telegram").id


def stored_posts(sessions, source_id: int) -> dict[int, bool]:
    """Post id -> backlog, of what the channel's source stored."""
    with sessions() as s:
        rows = s.execute(select(Item.url, Item.backlog).join(ItemSource).where(ItemSource.source_id == source_id))
        return {int(url.rsplit("/", 1)[1]): backlog for url, backlog in rows}


def cursor(sessions, source_id: int) -> ChannelCursor:
    with sessions() as s:
        return s.get(ChannelCursor, source_id)


def now() -> datetime:
    return datetime.now(timezone.utc)


async def test_a_new_channel_is_read_back_two_days_as_backlog_and_never_alerted(collector, sessions, feed_server, channel):
    channel.publish(80, now() - 80 * HOUR, HOUR, text="ОДКБ: сводка {id}")  # one post an hour for 80 hours
    src = add_channel(sessions, feed_server, channel)
    with sessions.begin() as s:
        chat = chat_store.ensure_chat(s, 1001, "private", None, "en")
        chat.mode = "instant"
        chat_store.subscribe(s, chat.id, "csto")
    summary = await collector.tick()
    posts = stored_posts(sessions, src)
    two_days = set(channel.ids(since=now() - 48 * HOUR))
    assert two_days <= set(posts) and len(posts) <= len(two_days) + 20  # read back to the page past two days
    assert all(posts.values())  # backlog, every one
    assert channel.requests == [None, 61, 41]  # the page of posts 21-40 reaches past two days
    assert summary.new_items == len(posts)
    state = cursor(sessions, src)
    assert (state.before, state.stop_reason, state.backlog, state.newest_post) == (None, "age_limit", True, 80)
    assert OutboxWriter(sessions).alerts(now()) == 0
    with sessions() as s:
        assert s.scalars(select(Outbox)).all() == []


async def test_a_burst_between_two_polls_is_paged_back_until_it_meets_what_is_stored(collector, sessions, feed_server, channel):
    channel.publish(30, now() - 40 * HOUR, HOUR)
    src = add_channel(sessions, feed_server, channel)
    await collector.tick()
    first = set(stored_posts(sessions, src))
    assert first == set(range(1, 31)) and channel.requests == [None, 11]  # the history: two pages
    channel.requests.clear()
    burst = channel.publish(47, now() - 50 * timedelta(minutes=1), timedelta(minutes=1), text="ОДКБ: {id}")
    summary = await collector.tick(everything=True)
    posts = stored_posts(sessions, src)
    assert set(posts) == first | set(burst) and not any(posts[i] for i in burst)  # news, not backlog
    assert channel.requests == [None, 58, 38]  # the first page, then older pages until post 30 is reached
    assert summary.new_items == 47 and summary.matched == 47
    state = cursor(sessions, src)
    assert (state.stop_reason, state.paged, state.recovered, state.floor) == ("overlap", 40, 27, 30)
    assert OutboxWriter(sessions).alerts(now()) == 0  # nobody subscribed; the items are there to alert


async def test_no_gap_means_no_paging(collector, sessions, feed_server, channel):
    channel.publish(25, now() - 30 * HOUR, HOUR)
    src = add_channel(sessions, feed_server, channel)
    await collector.tick()
    channel.requests.clear()
    channel.publish(5, now() - 5 * timedelta(minutes=1), timedelta(minutes=1))
    await collector.tick(everything=True)
    assert channel.requests == [None] and len(stored_posts(sessions, src)) == 30


async def test_a_long_outage_is_filled_up_to_the_post_limit(sessions, parse_pool, feed_server, channel):
    collector = collector_for(sessions, parse_pool, gap_posts=50)
    try:
        channel.publish(10, now() - 20 * HOUR, HOUR)
        src = add_channel(sessions, feed_server, channel)
        await collector.tick()
        channel.publish(200, now() - 200 * timedelta(minutes=1), timedelta(minutes=1))
        channel.requests.clear()
        await collector.tick(everything=True)
        state = cursor(sessions, src)
        assert (state.stop_reason, state.paged) == ("post_limit", 60)
        assert channel.requests == [None, 191, 171, 151]
        assert len(stored_posts(sessions, src)) == 10 + 80
    finally:
        await collector.aclose()


async def test_a_gap_older_than_the_age_limit_is_not_filled(sessions, parse_pool, feed_server, channel):
    collector = collector_for(sessions, parse_pool, gap_days=1)
    try:
        channel.publish(5, now() - 10 * 24 * HOUR, HOUR)
        src = add_channel(sessions, feed_server, channel)
        await collector.tick()
        channel.publish(100, now() - 100 * HOUR, HOUR)  # four days of posts while Dozor was down
        channel.requests.clear()
        await collector.tick(everything=True)
        assert cursor(sessions, src).stop_reason == "age_limit"
        assert channel.requests == [None, 86]  # the second page already holds posts older than a day
    finally:
        await collector.aclose()


async def test_paging_resumes_where_it_stopped_after_a_crash(sessions, parse_pool, feed_server, channel):
    channel.publish(20, now() - 30 * HOUR, HOUR)
    first = collector_for(sessions, parse_pool)
    src = add_channel(sessions, feed_server, channel)
    await first.tick()
    channel.publish(80, now() - 80 * timedelta(minutes=1), timedelta(minutes=1))
    channel.hold, channel.hold_below = threading.Event(), 61  # the third page hangs: the process dies meanwhile
    channel.requests.clear()
    tick = asyncio.create_task(first.tick(everything=True))
    await wait_until(lambda: 61 in channel.requests)
    tick.cancel()
    await asyncio.gather(tick, return_exceptions=True)
    await first.aclose()
    channel.hold.set()
    assert cursor(sessions, src).before == 61  # the first two pages were stored, with the cursor
    channel.requests.clear()
    second = collector_for(sessions, parse_pool)  # a new process: only the database remembers
    try:
        await second.tick(everything=True)
    finally:
        await second.aclose()
    assert channel.requests[0] is None and channel.requests[1:] == [61, 41]  # on from 61, not from the top
    assert set(stored_posts(sessions, src)) == set(range(1, 101))
    assert cursor(sessions, src).stop_reason == "overlap"


async def test_a_run_out_of_time_goes_on_at_the_next_tick(sessions, parse_pool, feed_server, channel):
    collector = collector_for(sessions, parse_pool, round_seconds=0)
    try:
        channel.publish(20, now() - 30 * HOUR, HOUR)
        src = add_channel(sessions, feed_server, channel)
        await collector.tick()
        channel.publish(60, now() - 60 * timedelta(minutes=1), timedelta(minutes=1))
        channel.requests.clear()
        await collector.tick(everything=True)
        assert channel.requests == [None, 61]  # one older page per round
        with sessions() as s:
            due = s.get(Source, src).next_check_at
        assert due <= now() + timedelta(seconds=31)
        assert cursor(sessions, src).before == 41
        await collector.tick(everything=True)  # the first page is the same: the run goes on regardless
        assert channel.requests == [None, 61, None, 41]
        assert set(stored_posts(sessions, src)) == set(range(1, 81))
        assert cursor(sessions, src).stop_reason == "overlap"
    finally:
        await collector.aclose()


async def test_paging_keeps_to_the_per_host_limit(sessions, parse_pool, feed_server):
    collector = collector_for(sessions, parse_pool, FetchPolicy(allow_private_networks=True, per_host_limit=1))
    try:
        channels = [Channel(name=f"channel{n}") for n in range(3)]
        for channel in channels:
            feed_server.add_handler(channel.path, channel.serve)
            channel.publish(70, now() - 40 * HOUR, timedelta(minutes=30))
            add_channel(sessions, feed_server, channel)
        await collector.tick()
        assert all(len(channel.requests) == 4 for channel in channels)
        assert feed_server.peak_in_flight == 1
    finally:
        await collector.aclose()


async def wait_until(condition, timeout: float = 20) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)
