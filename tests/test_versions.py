"""Versions and deletions: feeds that change, article pages that change or go, Telegram posts edited and deleted."""
from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.cli import main as dozor
from feeds.collector import Collector
from feeds.fetch import FetchPolicy
from storage import items as item_store
from storage import sources as source_store
from storage import topics as topic_store
from storage.models import Item, ItemEvent
from storage.search.execute import search
from storage.search.query import parse_query
from tests.article_pages import PARAGRAPHS, article_page
from tests.conftest import rss_with_texts
from tests.feedserver import redirect_to, respond, status_page
from tests.telegram_pages import Channel

LOCAL = FetchPolicy(allow_private_networks=True, deadline_seconds=2)
HOUR = timedelta(hours=1)


def now() -> datetime:
    return datetime.now(timezone.utc)


@pytest.fixture
def sessions(sessions):
    with sessions.begin() as s:
        topic_store.seed_topics(s, [("kazakhstan", "Kazakhstan", ["террористов", "terrorists", "Алматы", "ОДКБ"])])
    return sessions


@pytest.fixture
async def collector(sessions, parse_pool):
    collector = Collector(sessions, LOCAL, pool=parse_pool)
    yield collector
    await collector.aclose()


def add(sessions, url: str, kind: str = "rss") -> int:
    with sessions.begin() as s:
        return source_store.add_source(s, url, "Outlet", kind).id


def the_item(sessions, **where) -> Item:
    with sessions() as s:
        query = select(Item)
        for name, value in where.items():
            query = query.where(getattr(Item, name) == value)
        return s.scalars(query).one()


def export_of(sessions, item_id: int) -> dict:
    with sessions() as s:
        return next(item_store.item_as_dict(i) for i in item_store.iter_items(s) if i.id == item_id)


def events(sessions) -> list[tuple[int, str]]:
    with sessions() as s:
        return [(e.item_id, e.kind) for e in s.scalars(select(ItemEvent).order_by(ItemEvent.id))]


async def test_a_changed_title_and_text_in_the_feed_become_a_new_version(collector, sessions, feed_server, capsys,
                                                                        monkeypatch, database_url):
    link = "https://outlet.example/news/1"
    first = ("Токаев: Алматы атаковали 20 тысяч террористов", link, "Президент сообщил о 20 тысячах террористов. " * 30)
    other = ("Погода", "https://outlet.example/news/2", "Снег в выходные. " * 40)
    feed_server.add_file("/rss", rss_with_texts(first, other))
    add(sessions, feed_server.url("/rss"))
    await collector.tick()
    item = the_item(sessions, url=link)
    assert export_of(sessions, item.id)["edited"] is False
    again = await collector.tick(everything=True)  # the same body: not even parsed
    assert again.unchanged == 1 and not again.edited
    edited = ("Токаев: Алматы атаковали террористы", link, "Президент сообщил о террористах. " * 30)
    feed_server.add_file("/rss", rss_with_texts(edited, other))
    summary = await collector.tick(everything=True)
    assert summary.edited == [item.id]
    line = export_of(sessions, item.id)
    assert line["edited"] is True and line["title"] == edited[0]
    assert [v["title"] for v in line["versions"]] == [first[0], edited[0]]
    assert line["versions"][0]["last_seen"] <= line["versions"][1]["first_seen"]
    assert events(sessions) == [(item.id, "edited")]
    with sessions() as s:  # the index has the new text
        assert [h.item_id for h in search(s, parse_query("террористах")).results] == [item.id]
    monkeypatch.setenv("DOZOR_DATABASE_URL", database_url)
    monkeypatch.setenv("DOZOR_DEFAULT_FEEDS", "0")
    assert dozor(["history", str(item.id)]) == 0
    printed = capsys.readouterr().out
    assert "version 1: first seen" in printed and "version 2: first seen" in printed
    assert f"title: {first[0]} -> {edited[0]}" in printed and "[-20 тысячах" in printed


async def test_a_link_seen_again_unchanged_is_no_version_and_marks_it_seen(collector, sessions, feed_server):
    link = "https://outlet.example/news/1"
    feed_server.add_file("/rss", rss_with_texts(("ОДКБ в Алматы", link, "Текст. " * 100)))
    add(sessions, feed_server.url("/rss"))
    await collector.tick()
    feed_server.add_file("/rss", rss_with_texts(("ОДКБ в Алматы", link, "Текст.  " * 100), ("Новое", "https://outlet.example/2", "x")))
    summary = await collector.tick(everything=True)
    assert summary.new_items == 1 and summary.edited == []  # only spacing changed
    line = export_of(sessions, the_item(sessions, url=link).id)
    assert len(line["versions"]) == 1 and line["versions"][0]["last_seen"] > line["versions"][0]["first_seen"]


async def rechecked(collector, after: timedelta):
    """Run the looks that are due `after` from now, as the collector's tick would then."""
    return await collector.refresher.rechecker.run(collector.rules(), now() + after)


@pytest.fixture
def article(feed_server):
    """An article page that a test changes, with a short feed item pointing at it."""
    state = {"page": article_page("Заявление", PARAGRAPHS["ru"], padding=300)}
    feed_server.add_handler("/news/1", lambda r: state["page"](r) if callable(state["page"])
                            else respond(r, 200, state["page"], {"Content-Type": "text/html; charset=utf-8"}))
    feed_server.add_file("/rss", rss_with_texts(("Заявление президента", feed_server.url("/news/1"), "Коротко.")))
    return state


async def test_a_matched_article_is_rechecked_on_a_decaying_schedule(collector, sessions, feed_server, article):
    add(sessions, feed_server.url("/rss"))
    await collector.tick()
    item = the_item(sessions, title="Заявление президента")
    assert item.full_text and item.recheck_at is not None
    steps = []
    for after in (HOUR, 6 * HOUR, 24 * HOUR, 72 * HOUR, 168 * HOUR, 400 * HOUR):
        found = await rechecked(collector, after + timedelta(minutes=1) + sum(steps, timedelta()))
        steps.append(after)
        assert found.looked == (1 if after < 400 * HOUR else 0)
    assert the_item(sessions, id=item.id).recheck_at is None
    assert len(feed_server.requests_to("/news/1")) == 6  # once at first sight, five looks again


async def test_two_collectors_looking_again_at_once_take_each_look_once(collector, sessions, feed_server, article,
                                                                         parse_pool):
    add(sessions, feed_server.url("/rss"))
    await collector.tick()
    item = the_item(sessions, title="Заявление президента")
    other = Collector(sessions, LOCAL, pool=parse_pool)  # a second collector on the same database
    try:
        at = now() + 2 * HOUR
        both = await asyncio.gather(*(c.refresher.rechecker.run(c.rules(), at) for c in (collector, other)))
    finally:
        await other.aclose()
    assert sorted(found.looked for found in both) == [0, 1]
    assert len(feed_server.requests_to("/news/1")) == 2  # at first sight, then one look, not two
    assert the_item(sessions, id=item.id).rechecks == 1


async def test_a_page_that_differs_only_in_boilerplate_is_not_a_new_version(collector, sessions, feed_server, article):
    add(sessions, feed_server.url("/rss"))
    await collector.tick()
    item = the_item(sessions, title="Заявление президента")
    article["page"] = article_page("Заявление", PARAGRAPHS["ru"], views=98765, date="08.01.2022 18:40", padding=50,
                                   ad="Новая реклама")
    assert (await rechecked(collector, 2 * HOUR)).edited == []
    changed = [PARAGRAPHS["ru"][0].replace("двадцать тысяч", "несколько тысяч"), *PARAGRAPHS["ru"][1:]]
    article["page"] = article_page("Заявление", changed, views=99999)
    assert (await rechecked(collector, 8 * HOUR)).edited == [item.id]
    line = export_of(sessions, item.id)
    assert "двадцать тысяч" in line["versions"][0]["text"] and "несколько тысяч" in line["versions"][1]["text"]
    assert line["full_text"] == line["versions"][1]["text"]


@pytest.mark.parametrize(
    ("answer", "reason"),
    [("404", "http_404"), ("410", "http_410"), ("home", "redirect_home"), ("503", None), ("500", None),
     ("timeout", None)],
)
async def test_a_removed_article_is_recorded_and_a_failing_server_is_not(collector, sessions, feed_server, article,
                                                                         answer, reason):
    add(sessions, feed_server.url("/rss"))
    await collector.tick()
    item = the_item(sessions, title="Заявление президента")
    feed_server.add_file("/", article_page("Главная", PARAGRAPHS["en"]), content_type="text/html")
    if answer == "home":
        article["page"] = redirect_to("/", 301)
    elif answer == "timeout":
        article["page"] = lambda r: time.sleep(3) or respond(r, 200, b"late")
    else:
        article["page"] = status_page(int(answer), b"gone")
    found = await rechecked(collector, 2 * HOUR)
    gone = the_item(sessions, id=item.id)
    line = export_of(sessions, item.id)
    if reason is None:
        assert found.deleted == [] and gone.deleted_at is None and line["deleted_reason"] is None
        assert gone.recheck_at is not None  # looked at again later, as scheduled
        return
    assert found.deleted == [item.id] and line["deleted_reason"] == reason and line["deleted_at"].endswith("Z")
    assert gone.recheck_at is None and (answer in gone.deleted_evidence or "front page" in gone.deleted_evidence)
    assert events(sessions) == [(item.id, "deleted")]
    assert len(line["versions"]) == 1 and line["full_text"]  # kept, with what it said


async def test_deleted_items_are_never_pruned(collector, sessions, feed_server):
    from storage.versions import record_deletion

    feed_server.add_file("/rss", rss_with_texts(("Погода", "https://outlet.example/1", "Снег.")))
    add(sessions, feed_server.url("/rss"))
    await collector.tick()
    item = the_item(sessions, title="Погода")  # matches no topic: pruned with age, unless deleted
    with sessions.begin() as s:
        record_deletion(s, item.id, "http_404", "HTTP 404", now())
        assert item_store.prune_unmatched(s, now() + timedelta(days=60), 30) == 0
        assert s.get(Item, item.id) is not None


@pytest.fixture
def channel(feed_server):
    channel = Channel()
    channel.publish(30, now() - 30 * timedelta(minutes=10), timedelta(minutes=10), text="ОДКБ: сводка {id}")
    feed_server.add_handler(channel.path, channel.serve)
    return channel


async def test_an_edited_telegram_post_is_a_new_version_with_its_mark(collector, sessions, feed_server, channel):
    add(sessions, feed_server.url(channel.path), "telegram")
    await collector.tick()
    post = the_item(sessions, url="https://t.me/topwar_official/25")
    channel.edit(25, "ОДКБ: сводка 25, уточнённая")
    summary = await collector.tick(everything=True)
    assert summary.edited == [post.id]
    line = export_of(sessions, post.id)
    assert line["edited"] is True and [v["text"] for v in line["versions"]] == [
        "ОДКБ: сводка 25", "ОДКБ: сводка 25, уточнённая"
    ]
    with sessions() as s:
        assert s.get(Item, post.id).edited


async def test_a_deleted_telegram_post_is_confirmed_by_a_second_look(collector, sessions, feed_server, channel):
    add(sessions, feed_server.url(channel.path), "telegram")
    await collector.tick()
    post = the_item(sessions, url="https://t.me/topwar_official/20")
    channel.flaky = {20}  # gone for one fetch only
    channel.publish(1, now(), HOUR)
    flaky = await collector.tick(everything=True)
    assert flaky.deleted == [] and the_item(sessions, id=post.id).deleted_at is None
    channel.delete(20)
    channel.publish(1, now(), HOUR)
    summary = await collector.tick(everything=True)
    assert summary.deleted == [post.id]
    line = export_of(sessions, post.id)
    assert line["deleted_reason"] == "telegram.missing" and line["versions"][0]["text"] == "ОДКБ: сводка 20"
    assert "two fetches" in the_item(sessions, id=post.id).deleted_evidence
    assert events(sessions) == [(post.id, "deleted")]
    with sessions() as s:
        assert [h.item_id for h in search(s, parse_query("сводка is:deleted")).results] == [post.id]
        assert [h.item_id for h in search(s, parse_query("is:deleted")).results] == [post.id]  # no word needed
        assert [h.item_id for h in search(s, parse_query("topic:kazakhstan is:deleted")).results] == [post.id]
        assert search(s, parse_query("is:edited")).results == []


async def test_a_post_off_the_first_page_is_rechecked_on_its_own_page(collector, sessions, feed_server, channel):
    add(sessions, feed_server.url(channel.path), "telegram")
    await collector.tick()
    post = the_item(sessions, url="https://t.me/topwar_official/5")  # older than the first page's 20 posts
    channel.edit(5, "ОДКБ: сводка 5, исправлено")
    channel.delete(6)
    found = await rechecked(collector, 2 * HOUR)
    assert post.id in found.edited
    assert found.deleted == [the_item(sessions, url="https://t.me/topwar_official/6").id]


async def test_a_recheck_asks_whether_the_page_changed_and_a_304_is_no_version(collector, sessions, feed_server):
    page = article_page("Заявление", PARAGRAPHS["ru"], padding=300)
    feed_server.add_file("/news/2", page, content_type="text/html; charset=utf-8", etag='"v1"')
    feed_server.add_file("/rss", rss_with_texts(("Заявление президента", feed_server.url("/news/2"), "Коротко.")))
    add(sessions, feed_server.url("/rss"))
    await collector.tick()
    item = the_item(sessions, title="Заявление президента")
    first = await rechecked(collector, 2 * HOUR)
    assert first.looked == 1 and first.edited == []
    read, asked = feed_server.requests_to("/news/2")
    assert "if-none-match" not in read.headers and asked.headers["if-none-match"] == '"v1"'
    seen = export_of(sessions, item.id)["versions"][0]["last_seen"]
    assert seen > export_of(sessions, item.id)["versions"][0]["first_seen"]  # a 304 is a look: seen then
    changed = [PARAGRAPHS["ru"][0].replace("двадцать тысяч", "несколько тысяч"), *PARAGRAPHS["ru"][1:]]
    feed_server.add_file("/news/2", article_page("Заявление", changed), content_type="text/html", etag='"v2"')
    assert (await rechecked(collector, 8 * HOUR)).edited == [item.id]
    feed_server.add_file("/news/2", article_page("Заявление", changed), content_type="text/html", etag='"v2"')
    assert (await rechecked(collector, 32 * HOUR)).edited == []
    assert feed_server.requests_to("/news/2")[-1].headers["if-none-match"] == '"v2"'
    assert len(export_of(sessions, item.id)["versions"]) == 2


def test_an_article_pages_oversized_validators_are_not_kept(sessions):
    from storage.items import NewItem

    with sessions.begin() as s:
        source_id = source_store.add_source(s, "https://a.example/rss", "A").id
        (item_id,) = item_store.store_items(s, source_id, [NewItem(
            "k", "Заголовок", "Текст", now(), url="https://a.example/1",
            page_validators=('"' + "x" * 5000 + '"', "Fri"),
        )])
    with sessions() as s:
        item = s.get(Item, item_id)
        assert (item.page_etag, item.page_last_modified) == (None, "Fri")
