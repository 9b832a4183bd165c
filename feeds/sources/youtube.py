"""A YouTube handle's channel id, read once from its channel page through the guarded fetcher."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import lxml.html
from lxml import etree

from feeds.errors import FeedError
from feeds.fetch import Fetcher
from feeds.sources.accounts import YOUTUBE_CHANNEL_ID, Account, YouTubeLookup, youtube_channel

YOUTUBE = "https://www.youtube.com"
_CANONICAL = etree.XPath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
_FEED_LINKS = etree.XPath("//link[@rel='alternate'][@type='application/rss+xml']/@href")
_IDENTIFIER = etree.XPath("//meta[@itemprop='identifier' or @itemprop='channelId']/@content")
# The page's own channel in its inline data; "channelId" alone also names recommended channels.
_EXTERNAL_ID = re.compile(rb'"externalId"\s*:\s*"(UC[A-Za-z0-9_-]{22})"')


class ChannelNotFound(Exception):
    """The channel page could not be read or names no channel id; the message says why."""


def channel_id_in_page(body: bytes) -> str | None:
    """The channel id a YouTube channel page declares: its canonical URL, its feed link, or its data."""
    try:
        root = lxml.html.document_fromstring(body)
    except (etree.ParserError, ValueError):
        root = None
    if root is not None:
        for href in _CANONICAL(root):
            path = urlsplit(href.strip()).path
            if path.startswith("/channel/") and YOUTUBE_CHANNEL_ID.fullmatch(path.removeprefix("/channel/").strip("/")):
                return path.removeprefix("/channel/").strip("/")
        for href in _FEED_LINKS(root):
            channel = parse_qs(urlsplit(href.strip()).query).get("channel_id", [""])[0]
            if YOUTUBE_CHANNEL_ID.fullmatch(channel):
                return channel
        for value in _IDENTIFIER(root):
            if YOUTUBE_CHANNEL_ID.fullmatch(value.strip()):
                return value.strip()
    found = _EXTERNAL_ID.search(body)
    return found[1].decode() if found else None


async def look_up(lookup: YouTubeLookup, fetcher: Fetcher, youtube_url: str = YOUTUBE) -> Account:
    """The channel feed behind a handle or custom name; raise ChannelNotFound."""
    page = youtube_url.rstrip("/") + lookup.path
    try:
        result = await fetcher.fetch(page)
    except FeedError as error:
        raise ChannelNotFound(f"cannot read the YouTube page {page}: {error.message}") from None
    channel = channel_id_in_page(result.body or b"")
    if channel is None:
        raise ChannelNotFound(f"{page} names no YouTube channel id (is {lookup.account} a channel?)")
    return youtube_channel(channel, known_as=lookup.account)
