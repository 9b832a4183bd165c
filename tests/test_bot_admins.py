"""Admins and non-admins run the admin commands against the real bot and the fake Bot API."""
from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, update

from bot.admin import opml_files
from bot.admin import topics as admin_topics
from feeds import rematch
from feeds.sources.opml import read_opml
from storage import audit, roles
from storage import sources as source_store
from storage import topics as topic_store
from storage.admin_models import AuditEntry
from storage.models import Item, ItemSource, Match, utcnow
from tests.botharness import seed_items
from tests.conftest import rss
from tests.test_cli import ROOT
from tests.failing_db import disk_full
from tests.test_source_accounts import SOCIAL
from tests.feedserver import respond

ADMIN, BOB, CAROL = 1001, 1002, 1003
GROUP = -4001
CHANNEL, GROUP_POSTED = -1001111, -1002222  # a channel and a supergroup Dozor posts into (/channel)
NOW = datetime.now(timezone.utc)


@pytest.fixture
def bot_settings():
    return {"admin_ids": [ADMIN]}


def state(bot) -> dict:
    """Everything an admin command may change."""
    with bot.sessions() as session:
        return {
            "sources": [(s.id, s.name, s.url, s.status) for s, _ in source_store.list_sources(session)],
            "topics": topic_store.topic_rules(session),
            "admins": [a.user_id for a in roles.added_admins(session)],
            "volunteers": (roles.volunteer_mode(session), [v.user_id for v in roles.listed_volunteers(session)]),
            "audit": len(audit.latest(session, 1000)),
            "matches": session.scalars(select(Match.item_id)).all(),
        }


def audit_actions(bot) -> list[str]:
    with bot.sessions() as session:
        return [e.action for e in reversed(audit.latest(session, 1000))]


def current(bot, chat_id: int, message_id: int):
    """The bot's message as the user sees it now (after edits)."""
    return next(m for m in bot.fake.messages(chat_id) if m.message_id == message_id)


async def settled(bot, chat_id: int, message, done) -> object:
    """Wait until the (edited) message satisfies `done`; return it."""
    return await bot.fake.wait_for(
        lambda: (now := current(bot, chat_id, message.message_id)) and done(now) and now, what="edited message"
    )


def seed_source(bot, name: str, url: str) -> int:
    with bot.sessions.begin() as session:
        return source_store.add_source(session, url, name).id


ADMIN_COMMANDS = [
    "/feeds", "/feed 1", "/addfeed https://example.org/rss", "/removefeed 1", "/pausefeed 1", "/resumefeed 1",
    "/exportfeeds", "/addtopic weather Погода", "/removetopic csto", "/addkw csto Бишкек", "/delkw csto 1",
    "/keywords csto", "/testrule csto Бишкек", "/reapply csto", "/admins", "/admins add 1002",
    "/admins remove 1001", "/volunteers list", "/volunteers add 1003", "/audit",
]


async def test_a_non_admin_is_refused_and_nothing_changes(bot):
    seed_source(bot, "Azattyk", "https://azattyk.example/rss")
    before = state(bot)
    for command in ADMIN_COMMANDS:
        (reply,) = await bot.say(BOB, BOB, command)
        assert reply.plain_text == "Only Dozor admins can do this.", command
    upload = bot.fake.user_document(BOB, BOB, "feeds.sources.opml", b'<opml><body><outline xmlUrl="https://x.example/rss"/></body></opml>')
    (reply,) = await bot.fake.wait_for_messages(BOB, 1, after=upload["message_id"])
    assert reply.plain_text == "Only Dozor admins can do this."
    assert state(bot) == before


async def test_a_message_sent_as_the_group_is_not_an_admins(bot):
    bot.fake.set_admins(GROUP, [ADMIN])
    before = state(bot)
    (refused,) = await bot.say(GROUP, ADMIN, "/addtopic weather Погода", chat_type="group", anonymous_admin=True)
    assert "sent as the group" in refused.plain_text
    assert state(bot) == before
    (accepted,) = await bot.say(GROUP, ADMIN, "/addtopic weather Погода", chat_type="group")
    assert accepted.plain_text.startswith("Added topic Погода")


async def test_help_lists_admin_commands_to_admins_only(bot):
    (admin_help,) = await bot.say(ADMIN, ADMIN, "/help")
    (user_help,) = await bot.say(BOB, BOB, "/help")
    for command in ("/addfeed", "/testrule", "/reapply", "/audit", "/admins"):
        assert command in admin_help.plain_text and command not in user_help.plain_text
    await bot.fake.wait_for(lambda: bot.fake.commands(), what="setMyCommands")
    assert "addfeed" not in [c["command"] for c in bot.fake.commands()]


async def test_admins_are_added_and_removed(bot):
    (added,) = await bot.say(ADMIN, ADMIN, "/admins add 1002")
    assert added.plain_text == "1002 is now an admin."
    (listing,) = await bot.say(BOB, BOB, "/admins")
    assert "1001 · from DOZOR_ADMIN_IDS" in listing.plain_text and "1002 · added by 1001" in listing.plain_text
    (bootstrap,) = await bot.say(BOB, BOB, "/admins remove 1001")
    assert "DOZOR_ADMIN_IDS" in bootstrap.plain_text
    (bad,) = await bot.say(ADMIN, ADMIN, "/admins add bob")
    assert "not a Telegram user id" in bad.plain_text
    (removed,) = await bot.say(ADMIN, ADMIN, "/admins remove 1002")
    assert removed.plain_text == "1002 is no longer an admin."
    (refused,) = await bot.say(BOB, BOB, "/admins")
    assert refused.plain_text == "Only Dozor admins can do this."
    assert audit_actions(bot) == ["admin.add", "admin.remove"]


async def test_volunteers_everyone_or_an_allow_list(bot):
    is_volunteer = bot.services.roles.is_volunteer
    assert await is_volunteer(CAROL)
    (listed,) = await bot.say(ADMIN, ADMIN, "/volunteers list")
    assert "only the allow-list" in listed.plain_text
    assert not await is_volunteer(CAROL) and await is_volunteer(ADMIN)
    await bot.say(ADMIN, ADMIN, "/volunteers add 1003")
    assert await is_volunteer(CAROL)
    (shown,) = await bot.say(ADMIN, ADMIN, "/volunteers")
    assert "Allow-list: 1003" in shown.plain_text
    (gone,) = await bot.say(ADMIN, ADMIN, "/volunteers remove 1003")
    assert "off the allow-list" in gone.plain_text and not await is_volunteer(CAROL)
    await bot.say(ADMIN, ADMIN, "/volunteers all")
    assert await is_volunteer(CAROL)
    assert audit_actions(bot) == ["setting.volunteers", "volunteer.add", "volunteer.remove", "setting.volunteers"]


def menu(bot, user_id: int | None = None, language: str = "") -> list[str]:
    """The commands Telegram's menu shows: the public one, or that of a user's private chat."""
    scope = {"type": "chat", "chat_id": user_id} if user_id else None
    return [c["command"] for c in bot.fake.commands(scope=scope, language_code=language)]


async def test_adding_a_volunteer_while_everyone_is_one_asks_to_restrict(bot):
    VOLUNTEER, OTHER = 2001, 2002
    (before,) = await bot.say(OTHER, OTHER, "/search ОДКБ")
    assert before.plain_text.startswith("Nothing found")
    (asked,) = await bot.say(ADMIN, ADMIN, f"/volunteers add {VOLUNTEER}")
    assert asked.plain_text == (
        "2001 is on the allow-list.\nVolunteer commands are still open to everyone, so the allow-list changes "
        "nothing yet. Restrict them to the allow-list and admins now?"
    )
    assert [b["text"] for b in asked.buttons] == ["🔒 Restrict now", "Keep open to all"]
    (still,) = await bot.say(OTHER, OTHER, "/search ОДКБ")
    assert still.plain_text.startswith("Nothing found")  # nothing restricted until the admin says so
    bot.fake.press_button(ADMIN, ADMIN, asked.message_id, asked.callback_data[0])
    done = await settled(bot, ADMIN, asked, lambda m: not m.callback_data)
    assert done.plain_text == "Volunteer commands: only the allow-list and admins.\nAllow-list: 2001"

    (refused,) = await bot.say(OTHER, OTHER, "/search ОДКБ", language_code="ru")
    assert refused.plain_text == (
        "Эти команды для волонтёров Dozor. Чтобы стать волонтёром, попросите админа добавить вас: ваш id в "
        "Telegram — 2002 (админ отправит /volunteers add 2002)."
    )
    (allowed,) = await bot.say(VOLUNTEER, VOLUNTEER, "/search ОДКБ")
    assert allowed.plain_text.startswith("Nothing found")
    (other_help,) = await bot.say(OTHER, OTHER, "/help")
    (volunteer_help,) = await bot.say(VOLUNTEER, VOLUNTEER, "/help")
    assert "/search" not in other_help.plain_text and "/trend" not in other_help.plain_text
    assert "/subscribe" in other_help.plain_text and "/search: search the archive" in volunteer_help.plain_text
    assert "/addfeed" not in volunteer_help.plain_text
    await bot.fake.wait_for(lambda: "search" not in menu(bot), what="the public menu without volunteer commands")
    await bot.fake.wait_for(lambda: "search" in menu(bot, VOLUNTEER, "ru"), what="the volunteer's own menu")
    assert "addfeed" not in menu(bot, VOLUNTEER) and "addfeed" in menu(bot, ADMIN)

    (gone,) = await bot.say(ADMIN, ADMIN, f"/volunteers remove {VOLUNTEER}")
    assert gone.plain_text == "2001 is off the allow-list."
    await bot.fake.wait_for(lambda: menu(bot, VOLUNTEER) == [], what="the volunteer's menu gone")
    (empty,) = await bot.say(ADMIN, ADMIN, "/volunteers")
    assert "The allow-list is empty: only admins may use them." in empty.plain_text
    (again,) = await bot.say(ADMIN, ADMIN, f"/volunteers add {VOLUNTEER}")
    assert again.plain_text == "2001 is on the allow-list. They may use the volunteer commands now." and not again.callback_data
    (opened,) = await bot.say(ADMIN, ADMIN, "/volunteers all")
    assert opened.plain_text.startswith("Volunteer commands: open to everyone.")
    await bot.fake.wait_for(lambda: "search" in menu(bot), what="the public menu with volunteer commands")
    (kept,) = await bot.say(ADMIN, ADMIN, "/volunteers add 2003")
    bot.fake.press_button(ADMIN, ADMIN, kept.message_id, kept.callback_data[1])  # Keep open
    kept = await settled(bot, ADMIN, kept, lambda m: not m.callback_data)
    assert kept.plain_text.startswith("Volunteer commands: open to everyone.") and "Allow-list: 2001, 2003" in kept.plain_text
    assert audit_actions(bot) == ["volunteer.add", "setting.volunteers", "volunteer.remove", "volunteer.add",
                                  "setting.volunteers", "volunteer.add"]


def dated_rss(title: str, entries: list[tuple[str, datetime]]) -> bytes:
    """An RSS document of (title, published) entries."""
    items = "".join(
        f"<item><title>{t}</title><link>https://site.example/{n}</link><guid>g{n}</guid>"
        f"<pubDate>{d.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate></item>"
        for n, (t, d) in enumerate(entries)
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>{items}</channel></rss>'.encode()


PAGE = b"""<!doctype html><html><head><title>Site</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="News" href="/news.rss">
</head><body><p>Hello</p></body></html>"""


async def test_addfeed_discovers_the_feed_of_a_site_and_adds_it_after_confirmation(bot, feed_server):
    newest = datetime(2024, 5, 2, 9, 30, tzinfo=timezone.utc)
    feed_server.add_file("/", PAGE, content_type="text/html; charset=utf-8")
    entries = [("Учения ОДКБ начались", "https://site.example/0", newest),
               ("Погода", "https://site.example/1", newest - timedelta(days=1))]
    feed_server.add_file("/news.rss", rss(*entries, title="Site News"))
    (checking,) = await bot.say(ADMIN, ADMIN, f"/addfeed {feed_server.url('/')}")
    assert checking.plain_text.startswith("Checking")
    preview = await settled(bot, ADMIN, checking, lambda m: m.callback_data)
    text = preview.plain_text
    assert "Site News" in text and feed_server.url("/news.rss") in text and "Items: 2" in text
    assert "2024-05-02 09:30" in text and "csto 1" in text and "found on the page" in text
    assert state(bot)["sources"] == []  # nothing until confirmed
    bot.fake.press_button(ADMIN, BOB, preview.message_id, preview.callback_data[0])  # a non-admin presses Add
    await bot.fake.wait_for(lambda: bot.fake.callback_answers, what="refusal")
    assert bot.fake.callback_answers[0]["show_alert"] and state(bot)["sources"] == []
    bot.fake.press_button(ADMIN, ADMIN, preview.message_id, preview.callback_data[0])
    done = await settled(bot, ADMIN, checking, lambda m: "Added source" in m.plain_text)
    assert "Site News" in done.plain_text
    assert [(name, url) for _, name, url, _ in state(bot)["sources"]] == [("Site News", feed_server.url("/news.rss"))]
    (again,) = await bot.say(ADMIN, ADMIN, f"/addfeed {feed_server.url('/news.rss')}")
    assert "monitored already as source #1" in again.plain_text
    (via_site,) = await bot.say(ADMIN, ADMIN, f"/addfeed {feed_server.url('/')} Other name")
    assert "monitored already" in (await settled(bot, ADMIN, via_site, lambda m: "Checking" not in m.plain_text)).plain_text
    assert audit_actions(bot) == ["source.add"]


TWO_FEEDS = b"""<!doctype html><html><head><title>Site</title>
<link rel="alternate" type="application/rss+xml" title="News" href="/news.rss">
<link rel="alternate" type="application/atom+xml" title="Comments" href="/comments.rss">
<link rel="alternate" type="application/rss+xml" title="Broken" href="/broken.rss">
</head><body></body></html>"""


async def test_addfeed_offers_the_choice_when_a_site_has_two_feeds(bot, feed_server):
    feed_server.add_file("/", TWO_FEEDS, content_type="text/html; charset=utf-8")
    feed_server.add_file("/news.rss", dated_rss("Site News", [("Учения ОДКБ", NOW)]))
    feed_server.add_file("/comments.rss", dated_rss("Site Comments", [("Комментарий", NOW), ("Ещё", NOW)]))
    (checking,) = await bot.say(ADMIN, ADMIN, f"/addfeed {feed_server.url('/')}", language_code="ru")
    choice = await settled(bot, ADMIN, checking, lambda m: m.callback_data)
    assert choice.plain_text.startswith(f"Страница {feed_server.url('/')} ссылается на 2 лент(ы). За какой следить?")
    assert "1. Site News\n" + feed_server.url("/news.rss") in choice.plain_text
    assert "2. Site Comments\n" + feed_server.url("/comments.rss") + "\nМатериалов: 2" in choice.plain_text
    assert [b["text"] for b in choice.buttons] == ["1. Site News", "2. Site Comments", "✖ Отмена"]
    assert "broken" not in choice.plain_text.lower()  # a linked feed that cannot be read is not offered
    bot.fake.press_button(ADMIN, ADMIN, choice.message_id, choice.callback_data[1])
    preview = await settled(bot, ADMIN, checking, lambda m: "Добавить как" in m.plain_text)
    assert "Site Comments" in preview.plain_text and feed_server.url("/comments.rss") in preview.plain_text
    bot.fake.press_button(ADMIN, ADMIN, preview.message_id, preview.callback_data[0])
    await settled(bot, ADMIN, checking, lambda m: "Добавлен источник" in m.plain_text)
    assert [url for _, _, url, _ in state(bot)["sources"]] == [feed_server.url("/comments.rss")]
    (again,) = await bot.say(ADMIN, ADMIN, f"/addfeed {feed_server.url('/')}")  # the other one, without a choice
    preview = await settled(bot, ADMIN, again, lambda m: m.callback_data)
    assert "Site News" in preview.plain_text and "Add it as" in preview.plain_text


async def test_addfeed_tries_common_paths_and_explains_failures(bot, feed_server):
    feed_server.add_file("/blog", b"<html><head><title>No links</title></head></html>", content_type="text/html")
    feed_server.add_file("/feed", rss(("Пост", "https://site.example/0", NOW), title="Blog feed"))
    (checking,) = await bot.say(ADMIN, ADMIN, f"/addfeed {feed_server.url('/blog')} Blog")
    preview = await settled(bot, ADMIN, checking, lambda m: m.callback_data)
    assert feed_server.url("/feed") in preview.plain_text and "Add it as Blog?" in preview.plain_text
    bot.fake.press_button(ADMIN, ADMIN, preview.message_id, preview.callback_data[1])  # Cancel
    await settled(bot, ADMIN, checking, lambda m: "Cancelled" in m.plain_text)
    assert state(bot)["sources"] == []

    feed_server.add_file("/plain", b"<html><body>nothing here</body></html>", content_type="text/html")
    for target, expected in [
        (feed_server.url("/missing.xml"), "HTTP 404"),
        ("http://127.0.0.1:9/feed.xml", "cannot be read: the site cannot be reached (the connection failed)"),
        ("ftp://example.org/feed", "cannot follow ftp://example.org/feed. It accepts a feed or site URL (http://"),
    ]:
        (reply,) = await bot.say(ADMIN, ADMIN, f"/addfeed {target}")
        final = await settled(bot, ADMIN, reply, lambda m: "Checking" not in m.plain_text)
        assert final.plain_text.startswith("No feed added") and expected in final.plain_text, final.plain_text
    feed_server.add_file("/feed", b"<html>not a feed</html>", content_type="text/html")
    (reply,) = await bot.say(ADMIN, ADMIN, f"/addfeed {feed_server.url('/plain')}")
    final = await settled(bot, ADMIN, reply, lambda m: "Checking" not in m.plain_text)
    assert "the page is not an RSS or Atom feed, and the page links to no feed" in final.plain_text


async def test_addfeed_follows_a_mastodon_account_through_its_public_rss(bot, feed_server):
    feed_server.add_file("/@newsdesk.rss", (SOCIAL / "mastodon_account.rss").read_bytes())
    (checking,) = await bot.say(ADMIN, ADMIN, f"/addfeed {feed_server.url('/@newsdesk')}")
    account = f"@newsdesk@127.0.0.1:{feed_server.port}"
    preview = await settled(bot, ADMIN, checking, lambda m: m.callback_data)
    assert f"Newsdesk Central Asia (mastodon)\n{feed_server.url('/@newsdesk.rss')}" in preview.plain_text
    assert f"(Mastodon account {account}: its public RSS)" in preview.plain_text and "Items: 2" in preview.plain_text
    bot.fake.press_button(ADMIN, ADMIN, preview.message_id, preview.callback_data[0])
    await settled(bot, ADMIN, checking, lambda m: "Added source" in m.plain_text)
    with bot.sessions() as session:
        (source, _), = source_store.list_sources(session)
    assert (source.url, source.kind, source.platform) == (feed_server.url("/@newsdesk.rss"), "rss", "mastodon")
    assert source.origin == f"Mastodon account {account} → its public RSS"
    (details,) = await bot.say(ADMIN, ADMIN, f"/feed {source.id}")
    assert "Kind: mastodon" in details.plain_text and f"Added as: Mastodon account {account}" in details.plain_text


async def test_addfeed_says_what_it_accepts(bot):
    (invitation,) = await bot.say(ADMIN, ADMIN, "/addfeed https://t.me/joinchat/AAAAAEkk2WdoDs7")
    assert invitation.plain_text.startswith("No feed added: https://t.me/joinchat/AAAAAEkk2WdoDs7 is not a public Telegram channel")
    (reply,) = await bot.say(ADMIN, ADMIN, "/addfeed hello", language_code="ru")
    assert reply.plain_text.startswith("Источник не добавлен: Dozor не может следить за hello. Подходят:")
    assert "@user@instance" in reply.plain_text and "r/NAME" in reply.plain_text
    assert state(bot)["sources"] == []


async def test_a_slow_addfeed_does_not_hold_up_other_commands(bot, feed_server):
    release = threading.Event()

    def slow(request):
        release.wait(10)
        body = rss(("Пост", "https://site.example/0", NOW), title="Slow").encode()
        respond(request, 200, body, {"Content-Type": "application/rss+xml"})

    feed_server.add_handler("/slow.rss", slow)
    (checking,) = await bot.say(ADMIN, ADMIN, f"/addfeed {feed_server.url('/slow.rss')}")
    (listing,) = await bot.say(ADMIN, ADMIN, "/keywords csto")
    assert listing.plain_text.startswith("Rules of CSTO") and "Checking" in current(bot, ADMIN, checking.message_id).plain_text
    release.set()
    await settled(bot, ADMIN, checking, lambda m: m.callback_data)


async def test_feeds_listing_details_pause_resume_remove(bot):
    good = seed_source(bot, "Azattyk", "https://azattyk.example/rss")
    bad = seed_source(bot, "Broken", "https://broken.example/rss")
    seed_items(bot.sessions, [{"title": "Новость", "url": "https://azattyk.example/1"}])
    with bot.sessions.begin() as session:
        for n in range(3):
            source_store.record_failure(session, bad, utcnow(), "fetch.http_500", f"server error {n}")
    (listing,) = await bot.say(ADMIN, ADMIN, "/feeds")
    text = listing.plain_text
    assert "#1 Azattyk · active" in text and "#2 Broken · failing" in text
    assert "last error: the site has a fault on its side (HTTP 500) — fetch.http_500" in text and "items/day" in text
    (details,) = await bot.say(ADMIN, ADMIN, f"/feed {bad}")
    assert "Errors in a row: 3" in details.plain_text and "Recent errors:" in details.plain_text
    assert details.plain_text.index("server error 2") < details.plain_text.index("server error 0")
    (paused,) = await bot.say(ADMIN, ADMIN, f"/pausefeed {good}")
    assert paused.plain_text == "Paused source #1 Azattyk."
    (again,) = await bot.say(ADMIN, ADMIN, f"/pausefeed {good}")
    assert "is paused already" in again.plain_text
    (shown,) = await bot.say(ADMIN, ADMIN, f"/feed {good}")
    assert "State: paused" in shown.plain_text and "Paused: paused by User 1001" in shown.plain_text
    assert "Next check: none while paused" in shown.plain_text
    (resumed,) = await bot.say(ADMIN, ADMIN, f"/resumefeed {good}")
    assert resumed.plain_text.startswith("Resumed source #1")
    (asked,) = await bot.say(ADMIN, ADMIN, f"/removefeed {bad}")
    assert asked.plain_text.startswith("Remove source #2 Broken?") and len(state(bot)["sources"]) == 2
    bot.fake.press_button(ADMIN, ADMIN, asked.message_id, asked.callback_data[0])
    removed = await settled(bot, ADMIN, asked, lambda m: "Removed" in m.plain_text)
    assert removed.plain_text == "Removed source #2 Broken."
    (missing,) = await bot.say(ADMIN, ADMIN, f"/feed {bad}")
    assert missing.plain_text.startswith("There is no source #2")
    assert "Label: unlabeled (change with /feed 1 label LABEL)" in shown.plain_text
    (labeled,) = await bot.say(ADMIN, ADMIN, f"/feed {good} label International")
    assert labeled.plain_text == "Source #1 Azattyk is now labeled international."
    (refused,) = await bot.say(ADMIN, ADMIN, f"/feed {good} label state/ru")
    assert refused.plain_text.startswith("A label is one short word of lowercase letters") and "state/ru is not" in refused.plain_text
    assert refused.plain_text.endswith("Labels in use: international.")
    (usage,) = await bot.say(ADMIN, ADMIN, "/removefeed")
    assert usage.plain_text.startswith("Usage: /removefeed")
    (ukrainian,) = await bot.say(ADMIN, ADMIN, "/pausefeed", language_code="uk")
    assert ukrainian.plain_text == "Використання: /pausefeed НОМЕР_ДЖЕРЕЛА (див. /feeds)"
    assert [s[3] for s in state(bot)["sources"]] == ["active"]
    assert audit_actions(bot) == ["source.pause", "source.resume", "source.remove", "source.label"]


async def test_feeds_feed_and_audit_show_times_in_the_admins_time_zone(bot):
    source_id = seed_source(bot, "Azattyk", "https://azattyk.example/rss")
    checked = datetime(2024, 5, 2, 9, 30, tzinfo=timezone.utc)
    with bot.sessions.begin() as session:
        source_store.record_failure(session, source_id, checked, "fetch.http_500", "server error")
    await bot.say(ADMIN, ADMIN, "/settings tz Asia/Almaty")
    (listing,) = await bot.say(ADMIN, ADMIN, "/feeds")
    (details,) = await bot.say(ADMIN, ADMIN, f"/feed {source_id}")
    assert "Last check: 2024-05-02 14:30 +05" in details.plain_text
    assert "2024-05-02 14:30 +05 fetch.http_500 server error" in details.plain_text
    assert "UTC" not in listing.plain_text + details.plain_text
    await bot.say(ADMIN, ADMIN, f"/pausefeed {source_id}")
    (audit_reply,) = await bot.say(ADMIN, ADMIN, "/audit")
    assert re.search(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \+05 · ", audit_reply.plain_text.splitlines()[1])


def opml(*outlines: tuple[str, str]) -> bytes:
    body = "".join(f'<outline text="{text}" type="rss" xmlUrl="{url}"/>' for text, url in outlines)
    return f'<?xml version="1.0"?><opml version="1.0"><head><title>Mine</title></head><body><outline text="News">{body}</outline></body></opml>'.encode()


async def test_opml_import_checks_each_feed_as_addfeed_does_and_says_what_it_refused(bot, feed_server, monkeypatch):
    monkeypatch.setattr(opml_files, "PROGRESS_EVERY_SECONDS", 0)
    seed_source(bot, "Azattyk", "https://azattyk.example/rss")
    feed_server.add_file("/a.rss", dated_rss("Feed A", [("Учения ОДКБ", NOW)]))
    feed_server.add_file("/site", PAGE, content_type="text/html; charset=utf-8")
    feed_server.add_file("/news.rss", dated_rss("Site News", [("Погода", NOW)]))
    document = opml(
        ("Feed A", feed_server.url("/a.rss")), ("A site", feed_server.url("/site")),
        ("Azattyk again", "https://azattyk.example/rss"), ("Gone", feed_server.url("/gone.xml")),
        ("Invitation", "https://t.me/joinchat/AAAAAEkk2WdoDs7"), ("Gopher", "gopher://old.example/feed"),
    )
    upload = bot.fake.user_document(ADMIN, ADMIN, "mine.opml", document)
    (progress,) = await bot.fake.wait_for_messages(ADMIN, 1, after=upload["message_id"])
    assert progress.plain_text.startswith("Importing mine.opml: checking each feed as /addfeed does")
    (listing,) = await bot.say(ADMIN, ADMIN, "/keywords csto")  # the import runs beside other commands
    assert listing.plain_text.startswith("Rules of CSTO")
    report = await settled(bot, ADMIN, progress, lambda m: m.plain_text.startswith("OPML import:"))
    lines = report.plain_text.splitlines()
    assert lines[0] == "OPML import: 2 added, 1 skipped as duplicates, 3 refused."
    assert any(line.startswith("• " + feed_server.url("/gone.xml") + " ") and "HTTP 404" in line for line in lines)
    assert any("t.me/joinchat/AAAAAEkk2WdoDs7" in line and "not a public Telegram channel" in line for line in lines)
    assert any("gopher://old.example/feed" in line and "cannot follow this form" in line for line in lines)
    assert report.edits >= 1
    upload = bot.fake.user_document(ADMIN, ADMIN, "mine.opml", document, language_code="ru")  # the reasons in Russian
    (progress,) = await bot.fake.wait_for_messages(ADMIN, 1, after=upload["message_id"])
    report = await settled(bot, ADMIN, progress, lambda m: m.plain_text.startswith("Импорт OPML:"))
    lines = report.plain_text.splitlines()
    assert lines[0] == "Импорт OPML: добавлено 0, пропущено дубликатов 3, отклонено 3."
    assert f"• {feed_server.url('/gone.xml')} не читается: по этому адресу нет страницы (HTTP 404)" in lines
    assert "• https://t.me/joinchat/AAAAAEkk2WdoDs7 — не публичный канал Telegram: Dozor читает публичные каналы, " \
        "заданные как @ИМЯ или t.me/ИМЯ; ссылки-приглашения, закрытые чаты и отдельные посты отслеживать нельзя" in lines
    assert any("gopher://old.example/feed" in line and "Dozor следить не может" in line for line in lines)
    assert [(name, url) for _, name, url, _ in state(bot)["sources"]][1:] == [
        ("Feed A", feed_server.url("/a.rss")), ("A site", feed_server.url("/news.rss")),  # the feed the page links to
    ]

    (exported,) = await bot.say(ADMIN, ADMIN, "/exportfeeds")
    assert exported.file.filename.endswith(".opml") and "3 sources" in exported.plain_text
    assert [f.url for f in read_opml(exported.file.data).feeds] == [s[2] for s in state(bot)["sources"]]
    before = state(bot)
    upload = bot.fake.user_document(ADMIN, ADMIN, "dozor.opml", exported.file.data, language_code="ru")
    (again,) = await bot.fake.wait_for_messages(ADMIN, 1, after=upload["message_id"])
    again = await settled(bot, ADMIN, again, lambda m: m.plain_text.startswith("Импорт OPML:"))
    assert again.plain_text == "Импорт OPML: добавлено 0, пропущено дубликатов 3, отклонено 0."
    assert state(bot) == before
    upload = bot.fake.user_document(ADMIN, ADMIN, "broken.opml", b"<opml><body>")
    (broken,) = await bot.fake.wait_for_messages(ADMIN, 1, after=upload["message_id"])
    assert broken.plain_text == "Cannot import this file: it is not well-formed XML (the file may be cut or not OPML at all)"
    upload = bot.fake.user_document(ADMIN, ADMIN, "rss.opml", b"<rss><channel/></rss>", language_code="ru")
    (not_opml,) = await bot.fake.wait_for_messages(ADMIN, 1, after=upload["message_id"])
    assert not_opml.plain_text == "Не удалось импортировать файл: это XML, но не OPML (его корневой элемент не <opml>)"
    assert audit_actions(bot) == ["opml.import"]


async def test_topics_and_rules(bot):
    (bad_id,) = await bot.say(ADMIN, ADMIN, "/addtopic Weather! Погода")
    assert "cannot be a topic id" in bad_id.plain_text
    (long_id,) = await bot.say(ADMIN, ADMIN, "/addtopic " + "w" * 33 + " Погода")
    assert "cannot be a topic id" in long_id.plain_text
    (added,) = await bot.say(ADMIN, ADMIN, "/addtopic weather Погода и климат")
    assert added.plain_text.startswith("Added topic Погода и климат (weather)")
    (taken,) = await bot.say(ADMIN, ADMIN, "/addtopic weather Again")
    assert taken.plain_text == "Topic weather exists already."
    (error,) = await bot.say(ADMIN, ADMIN, '/addkw weather погода AND (ливень OR "гроза')
    assert "error at position 23: a quote is not closed" in error.plain_text
    assert 'погода AND (ливень OR "гроза\n' + " " * 22 + "^" in error.plain_text
    (rule,) = await bot.say(ADMIN, ADMIN, "/addkw weather погода OR синоптик*")
    assert rule.plain_text.startswith("Rule 1 added to Погода и климат")
    await bot.say(ADMIN, ADMIN, '/addkw weather "штормовое предупреждение"')
    await bot.say(ADMIN, ADMIN, "/addkw weather ливень")
    (same,) = await bot.say(ADMIN, ADMIN, "/addkw weather ливень")
    assert "has this rule already" in same.plain_text
    (listing,) = await bot.say(ADMIN, ADMIN, "/keywords weather")
    assert listing.plain_text.splitlines()[1:] == [
        "1. погода OR синоптик*", '2. "штормовое предупреждение"', "3. ливень",
    ]
    (by_number,) = await bot.say(ADMIN, ADMIN, "/delkw weather 2")
    assert by_number.plain_text == 'Removed rule 2 from Погода и климат: "штормовое предупреждение"'
    (by_text,) = await bot.say(ADMIN, ADMIN, "/delkw weather ливень")
    assert by_text.plain_text.startswith("Removed rule 2")
    (missing,) = await bot.say(ADMIN, ADMIN, "/delkw weather 7")
    assert "has no rule 7" in missing.plain_text
    (by_title,) = await bot.say(ADMIN, ADMIN, "/keywords ОДКБ")
    assert by_title.plain_text.startswith("Rules of CSTO (ОДКБ) (csto):")
    (unknown,) = await bot.say(ADMIN, ADMIN, "/keywords sport")
    assert "There is no topic sport" in unknown.plain_text and "weather" in unknown.plain_text
    assert state(bot)["topics"]["weather"] == ["погода OR синоптик*"]

    topics_message, rules_message = await bot.say(ADMIN, ADMIN, "/topics", count=2)
    assert topics_message.callback_data and "Rules (admins only)" in rules_message.plain_text
    assert "1. погода OR синоптик*" in rules_message.plain_text and "1. ОДКБ OR CSTO" in rules_message.plain_text
    message = bot.fake.user_message(BOB, BOB, "/topics")
    await bot.fake.wait_for_messages(BOB, 1, after=message["message_id"])
    await asyncio.sleep(0.3)
    assert len(bot.fake.messages(BOB, after=message["message_id"])) == 1  # no rules for a subscriber

    removed = await removed_topic(bot, "weather")
    assert removed.plain_text.startswith("Removed topic Погода и климат (weather)")
    assert "weather" not in state(bot)["topics"]
    assert audit_actions(bot) == ["topic.add", "rule.add", "rule.add", "rule.add", "rule.remove", "rule.remove", "topic.remove"]
    by_title = await removed_topic(bot, "ОДКБ")
    assert by_title.plain_text.startswith("Removed topic CSTO (ОДКБ) (csto)") and "csto" not in state(bot)["topics"]


async def removed_topic(bot, name: str):
    """/removetopic NAME, confirmed with its button: the edited message."""
    (asked,) = await bot.say(ADMIN, ADMIN, f"/removetopic {name}")
    bot.fake.press_button(ADMIN, ADMIN, asked.message_id, asked.callback_data[0])
    return await settled(bot, ADMIN, asked, lambda m: "Removed" in m.plain_text)


async def test_removing_asks_first_and_a_removed_topics_followers_are_told(bot):
    source_id = seed_source(bot, "Azattyk", "https://azattyk.example/rss")
    (asked,) = await bot.say(ADMIN, ADMIN, f"/removefeed {source_id}", language_code="uk")
    assert asked.plain_text.startswith("Видалити джерело #1 Azattyk?")
    assert [b["text"] for b in asked.buttons] == ["🗑 Видалити", "✖ Скасувати"]
    bot.fake.press_button(ADMIN, BOB, asked.message_id, asked.callback_data[0])  # not an admin: refused
    bot.fake.press_button(ADMIN, ADMIN, asked.message_id, asked.callback_data[1])
    await settled(bot, ADMIN, asked, lambda m: "Скасовано" in m.plain_text)
    assert len(state(bot)["sources"]) == 1

    followers = {BOB: "ru", CAROL: "en", GROUP: "uk"}
    bot.fake.set_admins(GROUP, [BOB])
    for chat, language in followers.items():
        await bot.say(chat, BOB if chat == GROUP else chat, "/subscribe csto", language_code=language,
                      chat_type="group" if chat == GROUP else None)
    await bot.say(CAROL, CAROL, "/subscribe kazakhstan")
    bot.fake.add_channel(CHANNEL, "Dozor KZ", username="dozor_kz", admins=[ADMIN])
    await bot.say(ADMIN, ADMIN, "/channel add @dozor_kz csto alerts")  # its readers are not told
    before = {chat: len(bot.fake.messages(chat)) for chat in followers}
    (question,) = await bot.say(ADMIN, ADMIN, "/removetopic csto")
    assert "3 chats follow it: they will be told" in question.plain_text
    assert "csto" in state(bot)["topics"]  # nothing removed yet
    remove = question.callback_data[0]
    bot.fake.press_button(ADMIN, ADMIN, question.message_id, remove)
    done = await settled(bot, ADMIN, question, lambda m: "Removed" in m.plain_text)
    assert "3 chats that followed it are being told" in done.plain_text and "csto" not in state(bot)["topics"]
    for chat in followers:
        await bot.fake.wait_for(lambda: len(bot.fake.messages(chat)) > before[chat], what=f"the notice in {chat}")
    notices = {chat: bot.fake.messages(chat)[-1].plain_text for chat in followers}
    assert notices[BOB].startswith("ℹ️ Тему CSTO (ОДКБ), на которую был подписан этот чат, удалили") and "Остались подписки: нет" in notices[BOB]
    assert "Still followed: Kazakhstan. See /topics." in notices[CAROL]
    assert notices[GROUP].startswith("ℹ️ Тему CSTO (ОДКБ), на яку був підписаний цей чат")
    assert bot.fake.messages(CHANNEL) == []
    bot.fake.press_button(ADMIN, ADMIN, question.message_id, remove, forged=True)  # pressed again: it has expired
    await bot.fake.wait_for(lambda: any("expired" in (a.get("text") or "") for a in bot.fake.callback_answers), what="expired")


DRILLS = [
    {"title": "Учения ОДКБ начались", "url": "https://news.example/1", "topics": {"drills": ["учения"]}},
    {"title": "Погода в Алматы", "url": "https://news.example/2", "topics": {"drills": ["погода"]}},  # stale match
    {"title": "Манёвры войск под Бишкеком", "url": "https://news.example/3"},
]


async def drills_topic(bot) -> list[int]:
    await bot.say(ADMIN, ADMIN, "/addtopic drills Учения")
    await bot.say(ADMIN, ADMIN, "/addkw drills учения")
    ids = seed_items(bot.sessions, DRILLS)
    with bot.sessions.begin() as session:  # published and stored three days ago
        three_days_ago = utcnow() - timedelta(days=3)
        session.execute(update(Item).where(Item.id.in_(ids)).values(fetched_at=three_days_ago, published_at=three_days_ago))
    return ids


def drills_matches(bot) -> list[str]:
    with bot.sessions() as session:
        rows = session.execute(select(Item.title).join(Match).where(Match.topic_id == "drills").order_by(Item.id))
        return list(rows.scalars())


async def test_testrule_shows_gains_and_losses_then_saves_or_discards(bot):
    await drills_topic(bot)
    (dry,) = await bot.say(ADMIN, ADMIN, "/testrule drills манёвры")
    text = dry.plain_text
    assert "Change: add rule манёвры" in text and "on 3 items published in the last 7 days" in text
    assert "would gain 1, would lose 1" in text
    gained, lost = text.split("Would gain, for example:")[1].split("Would lose, for example:")
    assert "Манёвры войск под Бишкеком" in gained and "Погода в Алматы" in lost and "Учения" not in gained + lost
    assert any(e.get("url") == "https://news.example/3" for e in dry.entities)
    assert state(bot)["topics"]["drills"] == ["учения"]  # a dry run changes nothing
    bot.fake.press_button(ADMIN, ADMIN, dry.message_id, dry.callback_data[0])
    await settled(bot, ADMIN, dry, lambda m: "Saved" in m.plain_text)
    assert state(bot)["topics"]["drills"] == ["учения", "манёвры"]

    (recent,) = await bot.say(ADMIN, ADMIN, "/testrule drills days:1 remove:1")
    assert "on 0 items published in the last 1 day:" in recent.plain_text
    (replace,) = await bot.say(ADMIN, ADMIN, "/testrule drills replace:1 учения OR погода")
    assert "rule 1 becomes учения OR погода" in replace.plain_text and "would gain 1, would lose 0" in replace.plain_text
    bot.fake.press_button(ADMIN, ADMIN, replace.message_id, replace.callback_data[1])
    await settled(bot, ADMIN, replace, lambda m: "Cancelled" in m.plain_text)
    bot.fake.press_button(ADMIN, ADMIN, recent.message_id, recent.callback_data[0])  # rules unchanged since: saves
    await settled(bot, ADMIN, recent, lambda m: "Saved" in m.plain_text)
    assert state(bot)["topics"]["drills"] == ["манёвры"]

    (syntax,) = await bot.say(ADMIN, ADMIN, "/testrule drills (учения OR")
    assert "error at position" in syntax.plain_text and "a word or '(' is missing at the end" in syntax.plain_text
    (number,) = await bot.say(ADMIN, ADMIN, "/testrule drills remove:9")
    assert number.plain_text == "The topic has no rule 9: it has 1 rule."
    (russian,) = await bot.say(ADMIN, ADMIN, "/testrule drills remove:9", language_code="ru")
    assert russian.plain_text == "В теме нет правила 9: в ней 1 правило."
    assert audit_actions(bot) == ["topic.add", "rule.add", "rule.add", "rule.remove"]


async def test_testrule_counts_and_shows_items_published_in_its_period(bot):
    await bot.say(ADMIN, ADMIN, "/addtopic drills Учения")
    seed_items(bot.sessions, [  # a backlog stored today: published in 2020 and 2022
        {"title": "Манёвры 2020 года", "url": "https://news.example/2020", "published": datetime(2020, 9, 1, tzinfo=timezone.utc)},
        {"title": "Манёвры 2022 года", "url": "https://news.example/2022", "published": datetime(2022, 1, 6, tzinfo=timezone.utc)},
        {"title": "Манёвры этой недели", "url": "https://news.example/now", "published": NOW - timedelta(days=2)},
    ])
    (dry,) = await bot.say(ADMIN, ADMIN, "/testrule drills манёвры", language_code="ru")
    text = dry.plain_text
    assert "на материалах, опубликованных за последние 7 дней (1)" in text and "добавится 1, уйдёт 0" in text
    assert "Манёвры этой недели" in text and "2020" not in text and "2022 года" not in text
    (year,) = await bot.say(ADMIN, ADMIN, "/testrule drills days:365 манёвры")
    assert "on 1 item published in the last 365 days" in year.plain_text  # 2022 is over a year ago too


async def test_reapply_rematches_with_progress_and_old_items_are_never_alerted(bot, monkeypatch):
    monkeypatch.setattr(rematch, "BATCH", 2)
    monkeypatch.setattr(admin_topics, "PROGRESS_EVERY_SECONDS", 0)
    alerted_chat, digest_chat = 2001, 2002
    await drills_topic(bot)
    await bot.say(ADMIN, ADMIN, "/addkw drills манёвры")
    for chat, mode in ((alerted_chat, "instant"), (digest_chat, "daily")):
        await bot.say(chat, chat, "/subscribe drills")
        await bot.say(chat, chat, f"/settings {mode}")
    before = len(bot.fake.messages(alerted_chat))  # the collect job may alert on its own from here on
    seed_items(bot.sessions, [{"title": "Манёвры у границы", "url": "https://news.example/4", "topics": {"drills": ["манёвры"]}}])
    (progress,) = await bot.say(ADMIN, ADMIN, "/reapply drills 7")
    done = await settled(bot, ADMIN, progress, lambda m: "Re-matched" in m.plain_text)
    assert "Re-matched 4 items published in the last 7 days: Учения gained 1 and lost 1" in done.plain_text
    assert done.edits >= 2  # progress shown between batches, then the result
    assert drills_matches(bot) == ["Учения ОДКБ начались", "Манёвры войск под Бишкеком", "Манёвры у границы"]

    await asyncio.to_thread(bot.services.outbox_writer.alerts, utcnow())
    await bot.services.sender.drain()
    (alert,) = bot.fake.messages(alerted_chat)[before:]
    assert "Манёвры у границы" in alert.plain_text and "Бишкеком" not in alert.plain_text
    (digest,) = await bot.say(digest_chat, digest_chat, "/digest")
    assert "Манёвры у границы" in digest.plain_text and "Бишкеком" not in digest.plain_text
    assert audit_actions(bot)[-1] == "topic.reapply"


async def test_audit_log_records_who_what_and_only_what_changed(bot):
    await bot.say(ADMIN, ADMIN, "/addtopic weather Погода", first_name="Alice")
    await bot.say(ADMIN, ADMIN, "/addkw weather гроза")
    await bot.say(ADMIN, ADMIN, "/addkw kazakhstan Шымкент")
    await bot.say(ADMIN, ADMIN, "/admins add 1002")
    await bot.say(BOB, BOB, "/volunteers list")
    with bot.sessions() as session:
        entries = list(reversed(audit.latest(session, 10)))
    assert [(e.actor_id, e.action, e.target) for e in entries] == [
        (ADMIN, "topic.add", "weather"), (ADMIN, "rule.add", "weather"), (ADMIN, "rule.add", "kazakhstan"),
        (ADMIN, "admin.add", "1002"), (BOB, "setting.volunteers", "volunteers"),
    ]
    assert entries[0].actor == "Alice" and entries[0].before is None
    assert (entries[2].before, entries[2].after) == (None, {"rules": ["Шымкент"]})  # not the topic's every rule
    assert entries[4].before == {"volunteers": "all"} and entries[4].after == {"volunteers": "list"}
    assert all(abs((e.at - utcnow()).total_seconds()) < 120 for e in entries)


def audit_lines(message) -> list[str]:
    """The lines of an /audit reply without the header, each as `who: what` with the time cut off."""
    lines = message.plain_text.splitlines()[1:]
    for line in lines:
        assert re.match(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC · ", line), line
    return [line.split(" · ", 1)[1] for line in lines]


async def test_audit_shows_what_changed_in_sentences_with_who_and_when(bot):
    source_id = seed_source(bot, "Azattyk", "https://azattyk.example/rss")
    await bot.say(ADMIN, ADMIN, "/addkw kazakhstan Шымкент", first_name="Alice")
    await bot.say(ADMIN, ADMIN, f"/pausefeed {source_id}", first_name="Alice")
    await bot.say(ADMIN, ADMIN, "/admins add 1002", first_name="Alice")
    await bot.say(ADMIN, ADMIN, "/delkw kazakhstan Шымкент", first_name="Alice")
    await bot.say(ADMIN, ADMIN, "/volunteers list", first_name="Alice")
    (shown,) = await bot.say(ADMIN, ADMIN, "/audit")
    assert shown.plain_text.splitlines()[0] == "Latest changes (5):"
    assert audit_lines(shown) == [
        "Alice (1001): volunteer commands limited to the allow-list",
        "Alice (1001): rule removed from kazakhstan: Шымкент",
        "Alice (1001): admin 1002 added",
        f"Alice (1001): source #{source_id} Azattyk paused",
        "Alice (1001): rule added to kazakhstan: Шымкент",
    ]
    (russian,) = await bot.say(ADMIN, ADMIN, "/audit 2", language_code="ru", first_name="Alice")
    assert audit_lines(russian) == [
        "Alice (1001): команды волонтёров — только для списка",
        "Alice (1001): правило удалено из kazakhstan: Шымкент",
    ]
    (ukrainian,) = await bot.say(ADMIN, ADMIN, "/audit 1", language_code="uk", first_name="Alice")
    assert audit_lines(ukrainian) == ["Alice (1001): команди волонтерів — лише для списку"]


async def test_audit_entries_written_as_whole_before_and_after_states_read_as_changes(bot):
    rules = ["Казахстан", "Токаев"]
    source = {"id": 7, "name": "Azattyk", "url": "https://azattyk.example/rss", "kind": "rss", "status": "active"}
    old_entries = [  # as Dozor wrote them before it kept only the changes
        ("rule.add", "kazakhstan", {"id": "kazakhstan", "title": "Казахстан", "rules": rules},
         {"id": "kazakhstan", "title": "Казахстан", "rules": [*rules, "Шымкент"]}),
        ("source.pause", "#7 Azattyk", source, {**source, "status": "paused"}),
        ("config.topic.update", "csto", {"id": "csto", "title": "CSTO", "rules": ["ОДКБ", "ОДК"]},
         {"id": "csto", "title": "ОДКБ", "rules": ["ОДКБ", "CSTO"]}),
        ("config.source.update", "https://a.example/rss", {"name": "A", "url": "https://a.example/rss", "kind": "rss",
         "status": "active"}, {"name": "A+", "url": "https://a.example/rss", "kind": "rss", "status": "active"}),
        ("topic.remove", "weather", {"id": "weather", "title": "Погода", "rules": ["гроза", "ливень"]}, None),
        ("frobnicate.things", "x", {"a": 1}, {"a": 2}),
    ]
    with bot.sessions.begin() as session:
        for action, target, before, after in old_entries:
            session.add(AuditEntry(actor_id=ADMIN, actor="Alice", action=action, target=target, before=before,
                                   after=after))
        session.add(AuditEntry(actor_id=None, actor="command line", action="config.source.add", target="https://b.example/rss",
                               before=None, after={"name": "B", "url": "https://b.example/rss"}))
    (shown,) = await bot.say(ADMIN, ADMIN, "/audit")
    assert audit_lines(shown) == [
        "command line: source https://b.example/rss added: https://b.example/rss",
        "Alice (1001): frobnicate.things x: a: 1 → 2",
        "Alice (1001): topic weather removed: Погода (2 rules)",
        "Alice (1001): source https://a.example/rss changed: name: A → A+",
        "Alice (1001): rule added to csto: CSTO; rule removed from csto: ОДК; topic csto renamed: CSTO → ОДКБ",
        "Alice (1001): source #7 Azattyk paused",
        "Alice (1001): rule added to kazakhstan: Шымкент",
    ]
    assert "{" not in shown.plain_text  # no JSON dumps


async def test_audit_shows_command_line_changes_and_refuses_a_bad_count(bot, sqlite_url, tmp_path, monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("DOZOR_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("DOZOR_DEFAULT_FEEDS", "0")
    text = tmp_path / "analysis.txt"
    text.write_text("Итоги января.\n[1] https://a.example/1\n", "utf-8")
    opml = tmp_path / "feeds.opml"
    opml.write_bytes(b'<opml><body><outline text="LIGA" xmlUrl="https://www.liga.net/news/all/rss.xml"/></body></opml>')
    config = tmp_path / "dozor.toml"
    config.write_text('[[topics]]\nid = "weather"\ntitle = "Погода"\nrules = ["гроза"]\n', "utf-8")
    commands = [
        ["analyses", "add", "--url", "https://analytics.example/jan", "--title", "Итоги января", "--file", str(text)],
        ["feeds", "add", "@voenkorKotenok"], ["feeds", "import-opml", str(opml)], ["config", "import", str(config)],
    ]
    for command in commands:
        assert main(command) == 0, capsys.readouterr().err
    (shown,) = await bot.say(ADMIN, ADMIN, "/audit")
    assert audit_lines(shown) == [
        "command line: topic weather added: Погода (1 rules)",
        "command line: 1 sources imported from OPML",
        "command line: source #1 voenkorKotenok added: https://t.me/s/voenkorKotenok",
        "command line: analysis #1 Итоги января added: https://analytics.example/jan",
    ]
    (russian,) = await bot.say(ADMIN, ADMIN, "/audit 1", language_code="ru")
    assert audit_lines(russian) == ["командная строка: тема weather создана: Погода (правил: 1)"]
    for bad in ("abc", "0", "51", "-3"):
        (refused,) = await bot.say(ADMIN, ADMIN, f"/audit {bad}")
        assert refused.plain_text == "Usage: /audit [N] (the latest N changes, 1 to 50; 10 without N)", bad


async def test_feed_details_tell_how_paging_back_a_channel_went(bot):
    from storage.models import ChannelCursor

    channel = seed_source(bot, "Канал", "https://t.me/s/some_channel")
    with bot.sessions.begin() as session:
        session.add(ChannelCursor(
            source_id=channel, newest_post=77, backlog=False, paged=40, recovered=27, stop_reason="overlap",
            started_at=datetime(2024, 5, 2, 9, 0, tzinfo=timezone.utc), finished_at=datetime(2024, 5, 2, 9, 1, tzinfo=timezone.utc),
        ))
    (details,) = await bot.say(ADMIN, ADMIN, f"/feed {channel}", language_code="uk")
    assert "Останнє дочитування (2024-05-02 09:01 UTC): прочитано 40, відновлено 27; дійшов до збережених постів." in details.plain_text


async def test_admins_are_told_once_when_the_database_refuses_writes(bot, feed_server):
    story = f"<description>{'Миротворцы ОДКБ прибыли в Алматы. ' * 100}</description>".encode()  # needs new pages
    with bot.sessions.begin() as session:
        for n in range(3):
            feed = rss((f"News {n}", "https://site.example/0", NOW), title=f"Outlet {n}")
            body = feed.encode().replace(b"</guid>", b"</guid>" + story)
            feed_server.add_file(f"/news/{n}.xml", body)
            source_store.add_source(session, feed_server.url(f"/news/{n}.xml"), f"Outlet {n}")
    before = len(bot.fake.messages(ADMIN))
    with disk_full(bot.sessions.kw["bind"]):
        await bot.run_job("collect")
    await bot.run_job("collect")  # the disk has room again: what was not stored is stored now
    await bot.run_job("collect")
    notices = [m.plain_text for m in bot.fake.messages(ADMIN)[before:]]
    assert len(notices) == 1 and "cannot write to its database" in notices[0]
    assert "database or disk is full" in notices[0]
    with bot.sessions() as session:
        sources = [s for s, _ in source_store.list_sources(session)]
        assert session.scalar(select(func.count()).select_from(ItemSource)) == 3  # one story, from each outlet
    assert [(s.error_count, s.status) for s in sources] == [(0, "active")] * 3


def collect_once_from_the_command_line(database_url: str) -> str:
    """`dozor collect --once` in its own process, as an admin's cron job runs it beside the bot: its output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DOZOR_", "TELEGRAM_"))}
    env |= {"DOZOR_DATABASE_URL": database_url, "DOZOR_ALLOW_PRIVATE_NETWORKS": "1", "DOZOR_DEFAULT_FEEDS": "0",
            "DOZOR_ADMIN_IDS": str(ADMIN)}  # the same settings as the bot's
    done = subprocess.run([sys.executable, "-m", "bot.cli", "collect", "--once"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def failing_source(bot, feed_server, name: str, due: datetime) -> int:
    """A source one failure short of being paused, whose feed is gone (HTTP 404)."""
    with bot.sessions.begin() as session:
        source = source_store.add_source(session, feed_server.url(f"/{name}.xml"), name)
        source.error_count, source.next_check_at = source_store.PAUSE_AFTER_ERRORS - 1, due
        return source.id


async def test_admins_are_told_of_pauses_whichever_process_did_the_collecting(bot, feed_server, sqlite_url):
    await bot.say(ADMIN, ADMIN, "/settings", language_code="ru")  # the admin's chat, stored in Russian
    await bot.say(ADMIN, ADMIN, f"/admins add {BOB}")
    await bot.say(BOB, BOB, "/settings")
    before = {admin: len(bot.fake.messages(admin)) for admin in (ADMIN, BOB)}
    tomorrow = NOW + timedelta(days=1)  # not due for the bot's own collector: only `collect --once` polls it
    cron = failing_source(bot, feed_server, "gone-cron", tomorrow)
    output = await asyncio.to_thread(collect_once_from_the_command_line, sqlite_url)
    assert f"paused after repeated failures: #{cron} (the bot tells its admins)" in output
    await bot.run_job("collect")
    (russian,) = bot.fake.messages(ADMIN)[before[ADMIN]:]
    (english,) = bot.fake.messages(BOB)[before[BOB]:]
    assert russian.plain_text.startswith(f"⏸ Источник gone-cron (id {cron}) поставлен на паузу: ")
    assert "HTTP 404" in russian.plain_text and f"/resumefeed {cron}" in russian.plain_text
    assert english.plain_text.startswith(f"⏸ Source gone-cron (id {cron}) was paused: ")

    own = failing_source(bot, feed_server, "gone-bot", NOW)  # due: the bot's own collector pauses this one
    await bot.run_job("collect")
    await bot.run_job("collect")  # told once, not on every tick
    notices = [m.plain_text for m in bot.fake.messages(BOB)[before[BOB]:]]
    assert len(notices) == 2 and notices[1].startswith(f"⏸ Source gone-bot (id {own}) was paused: ")
    assert len(bot.fake.messages(ADMIN)) == before[ADMIN] + 2


async def alerts_sent(bot) -> None:
    """Write the alerts that are due and send everything in the outbox."""
    await asyncio.to_thread(bot.services.outbox_writer.alerts, utcnow())
    await bot.services.sender.drain()


async def test_an_admin_has_dozor_post_a_topic_into_a_channel(bot):
    bot.fake.add_channel(CHANNEL, "Dozor KZ", username="dozor_kz", admins=[ADMIN])
    bot.fake.add_channel(-1003333, "Elsewhere", username="elsewhere_kz", admins=[ADMIN], bot_admin=False)
    bot.fake.add_channel(-1004444, "Read only", username="read_only_kz", admins=[ADMIN], bot_may_post=False)
    bot.fake.add_channel(-1005555, "Not yours", username="not_yours_kz", admins=[CAROL])
    bot.fake.add_channel(GROUP_POSTED, "OSINT group", admins=[ADMIN], kind="supergroup")
    for command, expected in [
        ("/channel add @nobody_kz csto alerts", "Telegram shows Dozor no channel or group @nobody_kz. Add @dozor_test_bot"),
        ("/channel add @elsewhere_kz csto alerts", "@dozor_test_bot is not an administrator of @elsewhere_kz"),
        ("/channel add @read_only_kz csto alerts", "@dozor_test_bot is not an administrator of @read_only_kz with the right to post"),
        ("/channel add @not_yours_kz csto alerts", "Only an administrator of @not_yours_kz may have Dozor post there"),
        ("/channel add @dozor_kz sport alerts", "There is no topic sport"),
        ("/channel add @dozor_kz csto sometimes", "Usage: /channel"),
        ("/channel add @dozor_kz csto daily 25:00", "25:00"),
    ]:
        (refused,) = await bot.say(ADMIN, ADMIN, command)
        assert refused.plain_text.startswith(expected) or expected in refused.plain_text, (command, refused.plain_text)
    assert bot.fake.messages(CHANNEL) == []

    (added,) = await bot.say(ADMIN, ADMIN, "/channel add @dozor_kz csto alerts")
    assert added.plain_text.startswith("Dozor posts CSTO (ОДКБ) into @dozor_kz: instant alerts (UTC).")
    seed_items(bot.sessions, [{"title": "ОДКБ: учения в Казахстане", "url": "https://news.example/c1",
                               "topics": {"csto": ["ОДКБ"]}}])
    await alerts_sent(bot)
    (post,) = bot.fake.messages(CHANNEL)
    assert post.plain_text.startswith("New on CSTO (ОДКБ)") and "ОДКБ: учения в Казахстане" in post.plain_text
    seed_items(bot.sessions, [{"title": f"ОДКБ: сводка {n}", "url": f"https://news.example/burst{n}",
                               "topics": {"csto": ["ОДКБ"]}} for n in range(7)])
    await alerts_sent(bot)
    (_, burst) = bot.fake.messages(CHANNEL)
    assert "7 new items" in burst.plain_text  # a burst is one post, not seven
    assert burst.sent_at - post.sent_at >= 0.8 * 3  # through the outbox at a group's pace: 20 a minute

    (daily,) = await bot.say(ADMIN, ADMIN, f"/channel add {GROUP_POSTED} kazakhstan daily 09:00 Asia/Almaty", language_code="ru")
    assert daily.plain_text.startswith("Dozor публикует Kazakhstan в OSINT group (-1002222): дайджест каждый день в 09:00 (Asia/Almaty).")
    assert daily.plain_text.endswith("Остановить: /channel remove -1002222.")
    (listing,) = await bot.say(ADMIN, ADMIN, "/channel")
    assert listing.plain_text.splitlines() == [
        "Channels and groups Dozor posts into (2):",
        "• @dozor_kz: CSTO (ОДКБ) · instant alerts (UTC)",
        "• OSINT group (-1002222): Kazakhstan · daily digest at 09:00 (Asia/Almaty)",
    ]
    seed_items(bot.sessions, [{"title": "Казахстан: итоги дня", "url": "https://news.example/k1",
                               "topics": {"kazakhstan": ["Казахстан"]}}])
    await asyncio.to_thread(bot.services.outbox_writer.scheduled_digests, utcnow() + timedelta(days=1))
    await bot.services.sender.drain()
    (digest,) = bot.fake.messages(GROUP_POSTED)
    assert digest.plain_text.startswith("Дайджест Dozor") and "Казахстан: итоги дня" in digest.plain_text

    bot.fake.block(CHANNEL, "removed")
    before = len(bot.fake.messages(ADMIN))
    seed_items(bot.sessions, [{"title": "ОДКБ: после удаления", "url": "https://news.example/c9", "topics": {"csto": ["ОДКБ"]}}])
    await alerts_sent(bot)
    await alerts_sent(bot)  # the notice, queued when the channel was given up
    (notice,) = bot.fake.messages(ADMIN)[before:]
    assert notice.plain_text.startswith("⚠️ Dozor can no longer post into @dozor_kz: Forbidden: bot is not a member")
    (stopped,) = await bot.say(ADMIN, ADMIN, "/channel")
    assert "⚠️ stopped: Forbidden: bot is not a member of the channel chat" in stopped.plain_text

    (one,) = await bot.say(ADMIN, ADMIN, f"/channel remove {GROUP_POSTED} csto")
    assert one.plain_text == "OSINT group (-1002222) gets no topic csto; it gets: Kazakhstan."
    (gone,) = await bot.say(ADMIN, ADMIN, "/channel remove @DOZOR_KZ")
    assert gone.plain_text.startswith("Dozor no longer posts into @dozor_kz")
    (unknown,) = await bot.say(ADMIN, ADMIN, "/channel remove @dozor_kz")
    assert unknown.plain_text.startswith("Dozor posts into no channel @dozor_kz")
    (refused,) = await bot.say(BOB, BOB, "/channel add @dozor_kz csto alerts")
    assert refused.plain_text == "Only Dozor admins can do this."
    (shown,) = await bot.say(ADMIN, ADMIN, "/audit 3")
    assert audit_lines(shown) == [
        "User 1001 (1001): @dozor_kz no longer gets csto",
        "User 1001 (1001): OSINT group (-1002222) gets kazakhstan (daily)",
        "User 1001 (1001): @dozor_kz gets csto (instant)",
    ]


async def test_a_channel_that_takes_the_bots_right_to_post_is_stopped_and_admins_are_told(bot):
    bot.fake.add_channel(CHANNEL, "Dozor KZ", username="dozor_kz", admins=[ADMIN])
    await bot.say(ADMIN, ADMIN, "/channel add @dozor_kz csto alerts", language_code="ru")
    bot.fake.set_bot_may_post(CHANNEL, False)
    before = len(bot.fake.messages(ADMIN))
    seed_items(bot.sessions, [{"title": "ОДКБ: без права публиковать", "url": "https://news.example/r1",
                               "topics": {"csto": ["ОДКБ"]}}])
    await alerts_sent(bot)
    await alerts_sent(bot)  # the notice, queued when the channel was given up
    (notice,) = bot.fake.messages(ADMIN)[before:]
    assert notice.plain_text.startswith(
        "⚠️ Dozor больше не может публиковать в @dozor_kz: Need administrator rights in the channel chat"
    )
    assert bot.fake.messages(CHANNEL) == []
    (stopped,) = await bot.say(ADMIN, ADMIN, "/channel", language_code="ru")
    assert "⚠️ остановлено: Need administrator rights in the channel chat" in stopped.plain_text

    bot.fake.set_bot_may_post(CHANNEL, True)
    await bot.say(ADMIN, ADMIN, "/channel add @dozor_kz csto alerts")  # as the notice says: posting resumes
    seed_items(bot.sessions, [{"title": "ОДКБ: снова в канале", "url": "https://news.example/r2",
                               "topics": {"csto": ["ОДКБ"]}}])
    await alerts_sent(bot)
    (post,) = bot.fake.messages(CHANNEL)
    assert "ОДКБ: снова в канале" in post.plain_text and "без права" not in post.plain_text
