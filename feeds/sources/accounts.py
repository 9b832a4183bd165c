"""Social accounts as feeds: a Mastodon account, a Bluesky profile, a YouTube channel or a subreddit.

Each service publishes a public feed at an address computed from the account, so nothing is fetched
here. A YouTube handle is the exception: its channel id is on the channel page (feeds.sources.youtube).
A feed address of one of these services is recognised too, so an exported source reads back the same.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

# Sites whose profile paths look like Mastodon's (/@name) but that publish no Mastodon feed there.
NOT_FEDIVERSE = frozenset({"medium.com", "tiktok.com", "threads.net", "x.com", "twitter.com"})
YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"})
REDDIT_HOSTS = frozenset({"reddit.com", "www.reddit.com", "old.reddit.com", "new.reddit.com"})
BLUESKY_HOSTS = frozenset({"bsky.app", "www.bsky.app"})

_HOST = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}"
_MASTODON_USER = r"[A-Za-z0-9_]{1,64}"
MASTODON_HANDLE = re.compile(rf"@({_MASTODON_USER})@({_HOST})")
MASTODON_PATH = re.compile(rf"/@({_MASTODON_USER})(\.rss)?/?")
BLUESKY_HANDLE = re.compile(rf"{_HOST}|did:plc:[a-z2-7]{{24}}|did:web:{_HOST}")
BLUESKY_PATH = re.compile(r"/profile/([^/?#]+)(/rss)?/?")
SUBREDDIT = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]{1,20}")
REDDIT_PATH = re.compile(r"/r/([^/?#.]+)(?:/?|/\.rss|\.rss)")
REDDIT_SHORT = re.compile(r"/?r/([A-Za-z0-9_]+)/?")
YOUTUBE_CHANNEL_ID = re.compile(r"UC[A-Za-z0-9_-]{22}")
YOUTUBE_HANDLE = re.compile(r"[A-Za-z0-9._-]{3,30}")
YOUTUBE_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")
YOUTUBE_PATH = re.compile(r"/(@|channel/|user/|c/)([^/?#]+)(?:/[^?#]*)?")
YOUTUBE_FEED = "https://www.youtube.com/feeds/videos.xml"


@dataclass(frozen=True)
class Account:
    """A social account resolved into its public feed."""

    platform: str  # mastodon | bluesky | youtube | reddit
    account: str  # as people write it: @user@instance, @handle, r/name
    feed_url: str
    origin: str  # the reason, kept on the source: "Mastodon account @user@instance → its public RSS"


@dataclass(frozen=True)
class YouTubeLookup:
    """A YouTube channel known by handle or custom name: its page must be read once for the channel id."""

    path: str  # "/@handle" or "/c/name", on www.youtube.com
    account: str


def account_feed(text: str) -> Account | YouTubeLookup | None:
    """The account `text` names, with its feed URL; None when it names no account of these services."""
    text = text.strip()
    if MASTODON_HANDLE.fullmatch(text):
        user, instance = MASTODON_HANDLE.fullmatch(text).groups()
        return _mastodon(user, instance.lower())
    if REDDIT_SHORT.fullmatch(text):
        return _subreddit(REDDIT_SHORT.fullmatch(text)[1])
    parts = urlsplit(text if "://" in text else "https://" + text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host, path = parts.hostname.lower(), parts.path or "/"
    if host in YOUTUBE_HOSTS:
        return _youtube(path, parts.query)
    if host in REDDIT_HOSTS and REDDIT_PATH.fullmatch(path):
        return _subreddit(REDDIT_PATH.fullmatch(path)[1])
    if host in BLUESKY_HOSTS and BLUESKY_PATH.fullmatch(path):
        return _bluesky(BLUESKY_PATH.fullmatch(path)[1])
    if host.removeprefix("www.") not in NOT_FEDIVERSE and MASTODON_PATH.fullmatch(path) and not parts.query:
        return _mastodon(MASTODON_PATH.fullmatch(path)[1], _host_and_port(parts), parts.scheme)
    return None


def _host_and_port(parts) -> str:
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{parts.hostname.lower()}:{port}" if port else parts.hostname.lower()


def _mastodon(user: str, instance: str, scheme: str = "https") -> Account:
    account = f"@{user}@{instance}"
    return Account("mastodon", account, f"{scheme}://{instance}/@{user}.rss", f"Mastodon account {account} → its public RSS")


def _bluesky(handle: str) -> Account | None:
    if not BLUESKY_HANDLE.fullmatch(handle):
        return None
    handle = handle if handle.startswith("did:") else handle.lower()
    account = handle if handle.startswith("did:") else f"@{handle}"
    feed = f"https://bsky.app/profile/{handle}/rss"
    return Account("bluesky", account, feed, f"Bluesky profile {account} → its public RSS")


def _subreddit(name: str) -> Account | None:
    if not SUBREDDIT.fullmatch(name):
        return None
    account = f"r/{name}"
    return Account("reddit", account, f"https://www.reddit.com/r/{name}/.rss", f"subreddit {account} → its public feed")


def _youtube(path: str, query: str) -> Account | YouTubeLookup | None:
    if path == "/feeds/videos.xml":
        fields = parse_qs(query)
        channel, user = fields.get("channel_id", [""])[0], fields.get("user", [""])[0]
        if YOUTUBE_CHANNEL_ID.fullmatch(channel):
            return youtube_channel(channel)
        return _youtube_user(user) if YOUTUBE_NAME.fullmatch(user) else None
    found = YOUTUBE_PATH.fullmatch(path)
    if not found:
        return None
    prefix, name = found.groups()
    if prefix == "channel/":
        return youtube_channel(name) if YOUTUBE_CHANNEL_ID.fullmatch(name) else None
    if prefix == "@":
        return YouTubeLookup(f"/@{name}", f"@{name}") if YOUTUBE_HANDLE.fullmatch(name) else None
    if not YOUTUBE_NAME.fullmatch(name):
        return None
    if prefix == "user/":
        return _youtube_user(name)
    return YouTubeLookup(f"/c/{name}", name)


def _youtube_user(name: str) -> Account:
    return Account("youtube", name, f"{YOUTUBE_FEED}?user={name}", f"YouTube user {name} → the channel's public feed")


def youtube_channel(channel_id: str, known_as: str | None = None) -> Account:
    """The feed of a YouTube channel id; `known_as` is the handle it was found by."""
    feed = f"{YOUTUBE_FEED}?channel_id={channel_id}"
    if known_as:
        return Account("youtube", known_as, feed, f"YouTube channel {known_as} → its public feed (channel {channel_id})")
    return Account("youtube", channel_id, feed, f"YouTube channel {channel_id} → its public feed")
