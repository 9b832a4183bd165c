"""Turning what a user types (a feed URL, `@channel`, `t.me/name`, a social account) into a source."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from feeds.fetch import Fetcher
from feeds.sources import youtube
from feeds.sources.accounts import Account, YouTubeLookup, account_feed

MAX_URL_CHARS = 2000  # the size of a source's stored URL
TELEGRAM_HOSTS = frozenset({"t.me", "telegram.me"})
CHANNEL = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
TME = re.compile(r"^(?:https?://)?(?:www\.)?(?:t|telegram)\.me/(?:s/)?([A-Za-z0-9_]+)/?(?:\?.*)?$", re.IGNORECASE)
ACCEPTED = (
    "a feed or site URL (http:// or https://), a Telegram channel (@channel, t.me/channel), "
    "a Mastodon account (@user@instance or its profile URL), a Bluesky profile (bsky.app/profile/<handle>), "
    "a YouTube channel (youtube.com/@handle, youtube.com/channel/<id>) or a subreddit (r/<name>)"
)


class BadSourceUrl(ValueError):
    """Input that cannot be a source, with the reason; `unsupported` when it is no form Dozor knows.

    The message is English (the command line's); `code` (source.*) and `params` let the bot word it.
    """

    def __init__(self, message: str, unsupported: bool = False, code: str = "source.unsupported", **params) -> None:
        super().__init__(message)
        self.unsupported = unsupported
        self.code, self.params = code, params


class NeedsLookup(BadSourceUrl):
    """A YouTube handle or custom name: its channel page must be read once (see `resolve_online`)."""

    def __init__(self, lookup: YouTubeLookup) -> None:
        super().__init__(
            f"YouTube channel {lookup.account}: its page must be read to find its feed (add it online)",
            code="source.needs_lookup", given=lookup.account,
        )
        self.lookup = lookup


@dataclass(frozen=True)
class ResolvedSource:
    """What to monitor for a user's input."""

    url: str
    kind: str  # how its documents are read: rss | telegram | analysis
    name: str  # the default display name
    platform: str | None = None  # a social account's service: mastodon | bluesky | youtube | reddit
    account: str | None = None  # the account as people write it: @user@instance, r/name
    origin: str | None = None  # why this URL, kept on the source


def channel_name(text: str) -> str | None:
    """The channel name in `@name`, `t.me/name` or `t.me/s/name`, else None."""
    text = text.strip()
    if text.startswith("@"):
        name = text[1:]
    else:
        found = TME.match(text)
        name = found.group(1) if found else None
    return name if name and CHANNEL.match(name) else None


def resolve_source(text: str, kind: str | None = None) -> ResolvedSource:
    """The source for user input, without the network; raise BadSourceUrl (NeedsLookup for a YouTube handle)."""
    text = text.strip()
    if len(text) > MAX_URL_CHARS:
        raise BadSourceUrl(f"an address may have at most {MAX_URL_CHARS} characters", code="source.too_long", most=MAX_URL_CHARS)
    name = channel_name(text)
    if name and kind in (None, "telegram"):
        return ResolvedSource(f"https://t.me/s/{name}", "telegram", name)
    account = account_feed(text) if kind in (None, "rss") else None
    if isinstance(account, YouTubeLookup):
        raise NeedsLookup(account)
    if account is not None:
        return from_account(account)
    if text.startswith("@"):
        raise BadSourceUrl(
            f"{text!r} is neither a channel name (5-32 letters, digits or _) nor @user@instance",
            code="source.bad_channel", given=text,
        )
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise BadSourceUrl(f"{text!r}: only http:// and https:// URLs can be feeds; Dozor accepts {ACCEPTED}", True)
    if not parts.hostname:
        raise BadSourceUrl(f"{text!r} has no host name", code="source.no_host", given=text)
    if parts.hostname.lower().removeprefix("www.") in TELEGRAM_HOSTS:
        raise BadSourceUrl(
            f"{text!r} is not a public Telegram channel: Dozor reads public channels, given as @NAME or t.me/NAME "
            "(5-32 letters, digits or _); invitation links, private chats and single posts cannot be followed",
            code="source.not_a_channel", given=text,
        )
    return ResolvedSource(text, kind or "rss", parts.hostname.removeprefix("www."))


def from_account(account: Account) -> ResolvedSource:
    """The source that follows a social account's feed."""
    return ResolvedSource(account.feed_url, "rss", account.account, account.platform, account.account, account.origin)


async def resolve_online(
    text: str, kind: str | None, fetcher: Fetcher, youtube_url: str = youtube.YOUTUBE
) -> ResolvedSource:
    """As resolve_source, reading a YouTube channel page when a handle needs it; raise BadSourceUrl."""
    try:
        return resolve_source(text, kind)
    except NeedsLookup as needed:
        try:
            return from_account(await youtube.look_up(needed.lookup, fetcher, youtube_url))
        except youtube.ChannelNotFound as exc:
            raise BadSourceUrl(str(exc), code="source.youtube_not_found", given=needed.lookup.account) from None
