"""Full text at first sight: article pages from the loopback server, read once, matched and indexed; bad pages cost nothing."""
from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from feeds.collector import Collector
from feeds.fetch import FetchPolicy
from storage import items as item_store
from storage import sources as source_store
from storage import topics as topic_store
from storage.models import Item, Source
from storage.search.execute import search
from storage.search.query import parse_query
from tests.article_pages import PARAGRAPHS, article_page, login_wall, paywall_stub, scripts_only
from tests.conftest import rss_with_texts
from tests.feedserver import respond, send_stream

LOCAL = FetchPolicy(allow_private_networks=True, deadline_seconds=3)


@pytest.fixture
def sessions(sessions):
    with sessions.begin() as s:
        topic_store.seed_topics(s, [("kazakhstan", "Kazakhstan", ["террористов", "терористів", "террорист", "terrorists"])])
    return sessions


@pytest.fixture
async def collector(sessions, parse_pool):
    collector = Collector(sessions, LOCAL, pool=parse_pool)
    yield collector
    await collector.aclose()


def add(sessions, url: str, full_text: str = "auto") -> int:
    with sessions.begin() as s:
        return source_store.add_source(s, url, "Outlet", full_text=full_text).id


def items(sessions) -> dict[str, Item]:
    with sessions() as s:
        return {i.title: i for i in s.scalars(select(Item).order_by(Item.id))}


def exported(sessions) -> dict[str, dict]:
    with sessions() as s:
        return {d["title"]: d for d in map(item_store.item_as_dict, item_store.iter_items(s))}


@pytest.mark.parametrize("lang", sorted(PARAGRAPHS))
async def test_a_short_feed_item_gets_its_article_text_matched_and_indexed(collector, sessions, feed_server, lang):
    feed_server.add_file("/news/1", article_page("Заявление президента", PARAGRAPHS[lang], padding=600),
                         content_type="text/html; charset=utf-8")
    feed_server.add_file("/rss", rss_with_texts(("Заявление президента", feed_server.url("/news/1"), "Коротко о главном.")))
    source_id = add(sessions, feed_server.url("/rss"))
    summary = await collector.tick()
    assert summary.new_items == 1 and summary.matched == 1  # the topic's word is only in the article
    item = items(sessions)["Заявление президента"]
    assert item.text == "Коротко о главном."  # the feed's own summary is kept
    assert PARAGRAPHS[lang][0] in item.full_text and "просмотров" not in item.full_text
    assert "Читайте также" not in item.full_text and "Все права защищены" not in item.full_text
    with sessions() as s:
        assert [m.topic_id for m in s.get(Item, item.id).matches] == ["kazakhstan"]
        word = {"ru": "Токаев", "uk": "Токаєв", "kk": "Тоқаев", "en": "Tokayev"}[lang]
        assert [hit.item_id for hit in search(s, parse_query(word)).results] == [item.id]
        health = s.get(Source, source_id)
    assert (health.extracted, health.extract_failures) == (1, 0)
    export = exported(sessions)["Заявление президента"]
    assert export["full_text"] == item.full_text and export["text"] == "Коротко о главном."


async def test_each_article_page_is_read_once(collector, sessions, feed_server):
    feed_server.add_file("/news/1", article_page("A", PARAGRAPHS["en"]), content_type="text/html")
    feed_server.add_handler("/rss", lambda r: respond(r, 200, rss_with_texts(("A", feed_server.url("/news/1"), "short"))
                                                       + b" " * int(time.time() * 1000 % 7)))
    add(sessions, feed_server.url("/rss"))
    await collector.tick()
    await collector.tick(everything=True)
    await collector.tick(everything=True)
    assert len(feed_server.requests_to("/news/1")) == 1


async def test_modes_never_always_and_auto_by_length_and_site(collector, sessions, feed_server):
    long_text = "Обычная новость о погоде в регионе. " * 30
    feed_server.add_file("/a/1", article_page("A1", PARAGRAPHS["ru"]), content_type="text/html")
    feed_server.add_file("/b/1", article_page("B1", PARAGRAPHS["ru"]), content_type="text/html")
    feed_server.add_file("/c/1", article_page("C1", PARAGRAPHS["ru"]), content_type="text/html")
    feed_server.add_file("/a.xml", rss_with_texts(("A1", feed_server.url("/a/1"), long_text),
                                        ("A2", "https://elsewhere.example/2", "short")))
    feed_server.add_file("/b.xml", rss_with_texts(("B1", feed_server.url("/b/1"), "short")))
    feed_server.add_file("/c.xml", rss_with_texts(("C1", feed_server.url("/c/1"), long_text)))
    add(sessions, feed_server.url("/a.xml"))  # auto: a long text, and a link to another site: neither read
    add(sessions, feed_server.url("/b.xml"), "never")
    add(sessions, feed_server.url("/c.xml"), "always")
    await collector.tick()
    stored = items(sessions)
    assert [stored[t].full_text is not None for t in ("A1", "A2", "B1", "C1")] == [False, False, False, True]
    assert not feed_server.requests_to("/a/1") and not feed_server.requests_to("/b/1")


HOSTILE = {
    "login": (login_wall(), "text/html", "extract.too_short"),
    "paywall": (paywall_stub("Платный материал"), "text/html", "extract.too_short"),
    "scripts": (scripts_only(), "text/html", "extract.empty"),
    "pdf": (b"%PDF-1.4 " + b"x" * 5000, "application/pdf", "extract.not_html"),
    "huge": (b"<html><body><p>" + b"a" * (6 * 1024 * 1024) + b"</p></body></html>", "text/html", "fetch.too_large"),
    "garbage": (bytes(range(256)) * 400, "text/html; charset=x-unknown", "extract.empty"),
}


@pytest.mark.parametrize("kind", [*HOSTILE, "missing", "endless", "wrong_encoding"])
async def test_a_hostile_page_gives_a_recorded_error_and_keeps_the_feed_text(collector, sessions, feed_server, kind):
    path = "/news/bad"
    if kind in HOSTILE:
        body, content_type, expected = HOSTILE[kind]
        feed_server.add_handler(path, lambda r: respond(r, 200, body, {"Content-Type": content_type}))
    elif kind == "endless":
        expected = "fetch."
        feed_server.add_handler(path, lambda r: send_stream(r, (b"<p>" + b"x" * 60_000 for _ in range(10_000)),
                                                            headers={"Content-Type": "text/html"}))
    elif kind == "wrong_encoding":  # declared UTF-8, written in windows-1251: read, with replacement characters
        expected = None
        page = article_page("Т", PARAGRAPHS["ru"], charset="windows-1251")
        feed_server.add_handler(path, lambda r: respond(r, 200, page, {"Content-Type": "text/html; charset=utf-8"}))
    else:
        expected = "fetch.http_404"
    feed_server.add_file("/rss", rss_with_texts(("Материал", feed_server.url(path), "Краткое содержание материала.")))
    source_id = add(sessions, feed_server.url("/rss"))
    summary = await collector.tick()
    assert summary.new_items == 1 and summary.failed == 0
    item = items(sessions)["Материал"]
    assert item.text == "Краткое содержание материала."
    with sessions() as s:
        health = s.get(Source, source_id)
    if expected is None:
        assert item.extract_error is None and health.extract_failures == 0 and item.full_text
        return
    assert item.full_text is None and item.extract_error.startswith(expected)
    assert health.extract_failures == 1 and health.last_extract_error.startswith(expected)
    assert health.error_count == 0  # the feed itself is fine


def test_full_text_mode_from_the_config_file_and_the_command_line(sessions):
    from feeds.sources.config_sync import apply_config, current_config, parse_config, to_toml
    from storage.audit import CLI

    text = '[[sources]]\nurl = "https://a.example/rss"\nfull_text = "always"\n'
    with sessions.begin() as s:
        apply_config(s, parse_config(text), CLI)
    with sessions() as s:
        assert s.scalar(select(Source.full_text)) == "always"
        assert 'full_text = "always"' in to_toml(current_config(s))
    with pytest.raises(Exception, match="full_text must be one of auto, always, never"):
        parse_config('[[sources]]\nurl = "https://a.example/rss"\nfull_text = "sometimes"\n')


def test_export_keeps_its_contract_for_an_item_never_edited(sessions):
    from storage.items import NewItem

    with sessions.begin() as s:
        source_id = source_store.add_source(s, "https://a.example/rss", "A").id
        item_store.store_items(s, source_id, [NewItem("k", "Заголовок", "Текст", datetime(2022, 1, 7, tzinfo=timezone.utc))])
    (line,) = exported(sessions).values()
    json.dumps(line)
    assert line["full_text"] is None and line["edited"] is False
    assert line["deleted_at"] is None and line["deleted_reason"] is None
    (version,) = line["versions"]
    assert set(version) == {"title", "text", "first_seen", "last_seen"}
    assert (version["title"], version["text"]) == ("Заголовок", "Текст") and version["first_seen"].endswith("Z")
