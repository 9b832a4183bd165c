"""Social accounts as sources: what an admin types becomes the account's public feed, and its feed reads well."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from feeds.fetch import Fetcher, FetchPolicy
from feeds.parse import parse_body
from feeds.sources.config_sync import parse_config
from feeds.sources.opml import read_opml
from feeds.sources.source_urls import BadSourceUrl, NeedsLookup, resolve_online, resolve_source
from feeds.sources.youtube import channel_id_in_page

SOCIAL = Path(__file__).resolve().parent / "data/social"
FETCHED_AT = datetime(2024, 6, 1, tzinfo=timezone.utc)
CHANNEL_ID = "UCq3Ci-h945sbEYXpVlw7rJg"
YOUTUBE_FEED = f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL_ID}"


@pytest.mark.parametrize(
    ("typed", "url", "platform", "name"),
    [
        ("@newsdesk@mastodon.social", "https://mastodon.social/@newsdesk.rss", "mastodon", "@newsdesk@mastodon.social"),
        ("@Newsdesk@Mastodon.Social", "https://mastodon.social/@Newsdesk.rss", "mastodon", "@Newsdesk@mastodon.social"),
        ("https://mastodon.social/@newsdesk", "https://mastodon.social/@newsdesk.rss", "mastodon", "@newsdesk@mastodon.social"),
        ("mstdn.kz/@news_kz/", "https://mstdn.kz/@news_kz.rss", "mastodon", "@news_kz@mstdn.kz"),
        ("https://mastodon.social/@newsdesk.rss", "https://mastodon.social/@newsdesk.rss", "mastodon", "@newsdesk@mastodon.social"),
        ("bsky.app/profile/newsdesk.bsky.social", "https://bsky.app/profile/newsdesk.bsky.social/rss", "bluesky", "@newsdesk.bsky.social"),
        ("https://bsky.app/profile/NewsDesk.bsky.social/", "https://bsky.app/profile/newsdesk.bsky.social/rss", "bluesky", "@newsdesk.bsky.social"),
        ("https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur",
         "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/rss", "bluesky", "did:plc:z72i7hdynmk6r22z27h6tvur"),
        ("https://bsky.app/profile/newsdesk.bsky.social/rss", "https://bsky.app/profile/newsdesk.bsky.social/rss", "bluesky", "@newsdesk.bsky.social"),
        ("r/Kazakhstan", "https://www.reddit.com/r/Kazakhstan/.rss", "reddit", "r/Kazakhstan"),
        ("/r/Kazakhstan/", "https://www.reddit.com/r/Kazakhstan/.rss", "reddit", "r/Kazakhstan"),
        ("https://old.reddit.com/r/Kazakhstan/", "https://www.reddit.com/r/Kazakhstan/.rss", "reddit", "r/Kazakhstan"),
        ("https://www.reddit.com/r/Kazakhstan/.rss", "https://www.reddit.com/r/Kazakhstan/.rss", "reddit", "r/Kazakhstan"),
        (f"youtube.com/channel/{CHANNEL_ID}", YOUTUBE_FEED, "youtube", CHANNEL_ID),
        (f"https://www.youtube.com/channel/{CHANNEL_ID}/videos", YOUTUBE_FEED, "youtube", CHANNEL_ID),
        (YOUTUBE_FEED, YOUTUBE_FEED, "youtube", CHANNEL_ID),
        ("https://www.youtube.com/user/newsdesk", "https://www.youtube.com/feeds/videos.xml?user=newsdesk", "youtube", "newsdesk"),
    ],
)
def test_accounts_become_their_public_feed_without_the_network(typed, url, platform, name):
    resolved = resolve_source(typed)
    assert (resolved.url, resolved.kind, resolved.platform, resolved.name) == (url, "rss", platform, name)
    assert " → " in resolved.origin and resolved.account in resolved.origin
    assert resolve_source(resolved.url).platform == platform  # an exported feed URL reads back as the same account


def test_the_reason_is_recorded_in_words():
    assert resolve_source("@newsdesk@mastodon.social").origin == "Mastodon account @newsdesk@mastodon.social → its public RSS"
    assert resolve_source("r/Kazakhstan").origin == "subreddit r/Kazakhstan → its public feed"


@pytest.mark.parametrize(
    ("typed", "url", "kind"),
    [
        ("@voenkorKotenok", "https://t.me/s/voenkorKotenok", "telegram"),
        ("https://medium.com/@someone", "https://medium.com/@someone", "rss"),  # not the fediverse
        ("https://www.youtube.com/watch?v=dQ8Zc5pLk2M", "https://www.youtube.com/watch?v=dQ8Zc5pLk2M", "rss"),
        ("https://www.reddit.com/r/Kazakhstan/comments/1cicx9k/x/", "https://www.reddit.com/r/Kazakhstan/comments/1cicx9k/x/", "rss"),
        ("https://example.org/@news?page=2", "https://example.org/@news?page=2", "rss"),
    ],
)
def test_other_inputs_keep_their_meaning(typed, url, kind):
    resolved = resolve_source(typed)
    assert (resolved.url, resolved.kind, resolved.platform) == (url, kind, None)


def test_a_youtube_handle_needs_its_channel_page():
    with pytest.raises(NeedsLookup) as needed:
        resolve_source("youtube.com/@newsdeskvideo")
    assert needed.value.lookup.path == "/@newsdeskvideo"
    with pytest.raises(NeedsLookup):
        resolve_source("https://www.youtube.com/c/NewsdeskVideo")


@pytest.mark.parametrize("typed", ["not a url", "hello", "ftp://example.org/feed", "u/someone", "mailto:x@example.org"])
def test_what_cannot_be_a_feed_says_what_is_accepted(typed):
    with pytest.raises(BadSourceUrl) as error:
        resolve_source(typed)
    assert error.value.unsupported
    message = str(error.value)
    assert "only http:// and https://" in message
    for form in ("@channel", "@user@instance", "bsky.app/profile/", "youtube.com/@handle", "r/<name>"):
        assert form in message


@pytest.mark.parametrize("typed", ["@bad", "@user@", "@a@b"])
def test_malformed_handles_are_refused_with_a_reason(typed):
    with pytest.raises(BadSourceUrl) as error:
        resolve_source(typed)
    assert "@user@instance" in str(error.value)


def test_channel_id_is_read_from_a_youtube_channel_page():
    page = (SOCIAL / "youtube_channel_page.html").read_bytes()
    assert channel_id_in_page(page) == CHANNEL_ID
    # Only the inline data left (recommended channels' ids come first): externalId is the page's own.
    data_only = page[page.index(b"<body"):]
    assert channel_id_in_page(data_only) == CHANNEL_ID
    assert channel_id_in_page(b"<html><body>consent.youtube.com</body></html>") is None


async def test_a_youtube_handle_is_looked_up_once_through_the_guarded_fetcher(feed_server):
    feed_server.add_file("/@newsdeskvideo", (SOCIAL / "youtube_channel_page.html").read_bytes(), content_type="text/html")
    async with Fetcher(FetchPolicy(allow_private_networks=True)) as fetcher:
        resolved = await resolve_online("youtube.com/@newsdeskvideo", None, fetcher, feed_server.url(""))
        assert (resolved.url, resolved.platform, resolved.name) == (YOUTUBE_FEED, "youtube", "@newsdeskvideo")
        assert resolved.origin == f"YouTube channel @newsdeskvideo → its public feed (channel {CHANNEL_ID})"
        with pytest.raises(BadSourceUrl) as missing:
            await resolve_online("youtube.com/@nobody_here", None, fetcher, feed_server.url(""))
        assert "HTTP 404" in str(missing.value)
    async with Fetcher(FetchPolicy()) as guarded:  # private addresses refused, as for any source
        with pytest.raises(BadSourceUrl) as refused:
            await resolve_online("youtube.com/@newsdeskvideo", None, guarded, feed_server.url(""))
        assert "not a public internet address" in str(refused.value)
    assert len(feed_server.requests_to("/@newsdeskvideo")) == 1


def parse_social(name: str, url: str):
    return parse_body((SOCIAL / name).read_bytes(), {"content-type": "application/xml"}, kind="rss", url=url, fetched_at=FETCHED_AT)


def test_mastodon_posts_without_titles_read_as_their_first_line():
    feed = parse_social("mastodon_account.rss", "https://mastodon.social/@newsdesk.rss")
    first, second = feed.entries
    assert feed.title == "Newsdesk Central Asia"
    assert first.title.startswith("В Казахстане начались командно-штабные учения ОДКБ")
    assert first.text.endswith("#одкб #kazakhstan") and "<" not in first.text
    assert first.url == first.guid == "https://mastodon.social/@newsdesk/112370184460925114"
    assert first.published_at == datetime(2024, 5, 2, 9, 30, 12, tzinfo=timezone.utc)
    assert (first.lang, second.lang) == ("ru", "en")
    assert first.extra["tags"] == ["одкб", "kazakhstan"]


def test_bluesky_posts_link_to_the_web_post_not_the_at_uri():
    feed = parse_social("bluesky_profile.rss", "https://bsky.app/profile/newsdesk.bsky.social/rss")
    first = feed.entries[0]
    assert first.title == "Токаев провёл встречу с генсеком ОДКБ в Астане: обсуждали учения осенью."
    assert first.url == first.canonical_url == "https://bsky.app/profile/did:plc:z72i7hdynmk6r22z27h6tvur/post/3kre5dqfzh22k"
    assert first.guid.startswith("at://")
    assert [e.published_at for e in feed.entries] == [
        datetime(2024, 5, 2, 9, 31, tzinfo=timezone.utc), datetime(2024, 5, 1, 21, 4, tzinfo=timezone.utc)
    ]


def test_youtube_videos_read_their_description():
    feed = parse_social("youtube_channel.xml", YOUTUBE_FEED)
    first = feed.entries[0]
    assert feed.title == "Newsdesk Video"
    assert first.title == "Учения ОДКБ в Казахстане: репортаж с полигона"
    assert first.text.startswith("Наш корреспондент побывал на полигоне")
    assert first.url == "https://www.youtube.com/watch?v=dQ8Zc5pLk2M" and first.guid == "yt:video:dQ8Zc5pLk2M"
    assert first.published_at == datetime(2024, 5, 2, 10, 0, 6, tzinfo=timezone.utc)


def test_reddit_posts_keep_title_text_and_link():
    feed = parse_social("reddit_subreddit.atom", "https://www.reddit.com/r/Kazakhstan/.rss")
    first, second = feed.entries
    assert first.title == "Convoy near Matybulak: CSTO exercises?"
    assert first.text.startswith("Saw a long convoy heading towards the Matybulak range")
    assert first.url == "https://www.reddit.com/r/Kazakhstan/comments/1cicx9k/convoy_near_matybulak_csto_exercises/"
    assert first.extra["author"] == "/u/steppe_reader"
    assert second.title == "Floods in Kostanay: evacuation continues"


def test_opml_and_config_files_read_accounts_back():
    opml = b"""<?xml version="1.0"?><opml version="2.0"><body>
    <outline type="rss" text="Newsdesk" xmlUrl="https://mastodon.social/@newsdesk.rss"/>
    <outline type="rss" text="r/Kazakhstan" xmlUrl="https://www.reddit.com/r/Kazakhstan/.rss"/>
    </body></opml>"""
    assert [(f.url, f.kind, f.platform) for f in read_opml(opml).feeds] == [
        ("https://mastodon.social/@newsdesk.rss", "rss", "mastodon"), ("https://www.reddit.com/r/Kazakhstan/.rss", "rss", "reddit"),
    ]
    config = parse_config('[[sources]]\nurl = "bsky.app/profile/newsdesk.bsky.social"\n')
    (spec,) = config.sources
    assert (spec.url, spec.name, spec.platform) == ("https://bsky.app/profile/newsdesk.bsky.social/rss", "@newsdesk.bsky.social", "bluesky")
