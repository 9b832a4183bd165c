"""Entries of a Telegram channel's public web preview (https://t.me/s/<channel>)."""
from __future__ import annotations

import re
from datetime import datetime

import lxml.html
from lxml import etree

from feeds.encoding import declared_charset
from feeds.entry import Entry, ParsedFeed
from feeds.errors import FeedError
from feeds.normalize import (
    canonical_url,
    clean_text,
    detect_language,
    element_text,
    headline,
    strip_controls,
    utc_datetime,
)


def _with_class(name: str) -> str:
    """An XPath predicate matching one class among several in the class attribute."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _first(name: str) -> etree.XPath:
    return etree.XPath(f"(.//*[{_with_class(name)}])[1]")


_MESSAGES = etree.XPath(f"//div[{_with_class('tgme_widget_message')}][@data-post]")
_SERVICE = etree.XPath(f"boolean(self::*[{_with_class('service_message')}])")
_OLDER_LINKS = etree.XPath(
    f"//link[@rel='prev']/@href | //a[{_with_class('js-messages_more')}][@data-before]/@data-before"
)
_HISTORY = etree.XPath(f"//*[{_with_class('tgme_channel_history')}]")
_ANY_TGME = etree.XPath("//*[contains(@class, 'tgme_')]")
_PAGE_TITLE = etree.XPath("//meta[@property='og:title']/@content")
_IN_REPLY = f"ancestor::*[{_with_class('tgme_widget_message_reply')}]"
# The post's own text: a reply quotes the replied-to post in a text block of the same class.
_TEXT = etree.XPath(f"(.//*[{_with_class('tgme_widget_message_text')}][not({_IN_REPLY})])[1]")
_REPLY = _first("tgme_widget_message_reply")
_REPLY_AUTHOR = _first("tgme_widget_message_author_name")
_ALBUM_LINKS = etree.XPath(f".//a[{_with_class('grouped_media_wrap')}]/@href")
_DATE = etree.XPath(f".//*[{_with_class('tgme_widget_message_date')}]//time/@datetime")
_ANY_DATE = etree.XPath(".//time/@datetime")
_VIEWS = _first("tgme_widget_message_views")
_SIGNATURE = _first("tgme_widget_message_from_author")
_FORWARDED_FROM = _first("tgme_widget_message_forwarded_from_name")
_LINK_PREVIEW = _first("tgme_widget_message_link_preview")
_PREVIEW_PARTS = {
    "site_name": _first("link_preview_site_name"),
    "title": _first("link_preview_title"),
    "description": _first("link_preview_description"),
}
_POLL_QUESTION = _first("tgme_widget_message_poll_question")
_POLL_OPTIONS = etree.XPath(f".//*[{_with_class('tgme_widget_message_poll_option_text')}]")
_DOCUMENT_TITLE = _first("tgme_widget_message_document_title")
_MEDIA_CLASSES = {
    "photo": "tgme_widget_message_photo_wrap",
    "video": "tgme_widget_message_video_player",
    "round_video": "tgme_widget_message_roundvideo_player",
    "voice": "tgme_widget_message_voice_player",
    "document": "tgme_widget_message_document_wrap",
    "sticker": "tgme_widget_message_sticker_wrap",
    "poll": "tgme_widget_message_poll",
}
_HAS_MEDIA = {kind: etree.XPath(f"boolean(.//*[{_with_class(name)}])") for kind, name in _MEDIA_CLASSES.items()}
# Telegram writes "edited" before the date of a post changed after it was sent.
_EDITED = etree.XPath(f"boolean(.//*[{_with_class('tgme_widget_message_meta')}][starts-with(normalize-space(.), 'edited')])")
_PHOTO_STYLES = etree.XPath(f".//*[{_with_class('tgme_widget_message_photo_wrap')}]/@style")
_VIDEO_SOURCES = etree.XPath(".//video/@src")
_TEXT_LINKS = etree.XPath(".//a/@href")
_BACKGROUND_URL = re.compile(r"background-image\s*:\s*url\(\s*['\"]?([^'\")]+)")
_POST_ID = re.compile(r"([A-Za-z0-9_]{1,64})/(\d{1,12})")
_POST_LINK = re.compile(r"https?://(?:www\.)?(?:t|telegram)\.me/(?:s/)?([A-Za-z0-9_]{1,64})/(\d{1,12})(?:[?#].*)?")
_BEFORE = re.compile(r"(?:^|[?&])before=(\d{1,12})(?:&|$)")
_ONLY_LINKS = re.compile(r"(?:\s*https?://\S+)+\s*")
_VIEW_COUNT = re.compile(r"([\d.]+)\s*([KM]?)", re.IGNORECASE)


def parse_channel_page(body: bytes, headers: dict[str, str], *, url: str, fetched_at: datetime) -> ParsedFeed:
    """Every post of a t.me/s/<channel> page as an Entry, oldest first as on the page.

    An album (several media sent as one group) is one entry; service messages ("channel photo
    updated", "pinned a message") are none. `older` is where the page's link to older posts starts.
    """
    root = _parse_html(body, headers)
    messages = _MESSAGES(root) if root is not None else []
    if not messages and (root is None or not _HISTORY(root)):
        raise FeedError("parse.not_a_channel", _not_a_channel_message(root, url))
    entries = [entry for entry in (message_entry(message, fetched_at) for message in messages) if entry]
    titles = _PAGE_TITLE(root)
    title = clean_text(titles[0]) if titles else ""
    return ParsedFeed(title=title or None, entries=entries, older=_older_page(root))


def message_entry(message: etree._Element, fetched_at: datetime) -> Entry | None:
    """One `div.tgme_widget_message` as an Entry; None for a service message or a malformed data-post."""
    post = _POST_ID.fullmatch(message.get("data-post", "").strip())
    if not post or _SERVICE(message):
        return None
    extra = _message_extra(message)
    album = _album_ids(message, post[1], int(post[2]))
    if len(album) > 1:
        extra["album"] = album
    permalink = f"https://t.me/{post[1]}/{album[0]}"  # the group's first post, whichever the page names
    text = _message_text(message, extra)
    dates = _DATE(message) or _ANY_DATE(message)
    return Entry(
        title=headline(text),
        text=text,
        published_at=utc_datetime(_iso_datetime(dates[0]) if dates else None, fetched_at),
        url=permalink,
        canonical_url=canonical_url(permalink),
        guid=permalink,
        lang=detect_language(text),
        extra=extra,
    )


def _parse_html(body: bytes, headers: dict[str, str]) -> etree._Element | None:
    """The parsed page, decoded as declared (t.me always sends UTF-8), or None when empty."""
    charset = declared_charset(body, headers) or "utf-8"
    try:
        text = body.decode(charset, "replace")
    except LookupError:
        text = body.decode("utf-8", "replace")
    text = strip_controls(text)
    if not text.strip():
        return None
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


def _message_text(message: etree._Element, extra: dict) -> str:
    """The post text; for a post with no words of its own, its link preview, poll or document."""
    node = _TEXT(message)
    text = element_text(node[0]) if node else ""
    if text and not _ONLY_LINKS.fullmatch(text):
        return text
    preview = extra.get("link_preview", {})
    poll = extra.get("poll", {})
    fallbacks = [
        "\n".join(filter(None, [preview.get("title"), preview.get("description")])),
        "\n".join([poll.get("question", ""), *poll.get("options", [])]),
        extra.get("document", ""),
    ]
    return next((fallback.strip() for fallback in fallbacks if fallback.strip()), text)


def _message_extra(message: etree._Element) -> dict:
    """Small JSON-able facts: views, signature, forwarded-from, link preview, poll, media kinds."""
    extra: dict = {}
    views = _view_count(_node_text(_VIEWS, message))
    if views is not None:
        extra["views"] = views
    signature = _node_text(_SIGNATURE, message)
    if signature:
        extra["author"] = signature
    forwarded = _FORWARDED_FROM(message)
    if forwarded:
        extra["forwarded_from"] = _origin(element_text(forwarded[0]), forwarded[0].get("href"))
    reply = _REPLY(message)
    if reply:
        extra["reply_to"] = _origin(_node_text(_REPLY_AUTHOR, reply[0]), reply[0].get("href"))
    preview = _LINK_PREVIEW(message)
    if preview:
        extra["link_preview"] = _link_preview(preview[0])
    question = _node_text(_POLL_QUESTION, message)
    if question:
        extra["poll"] = {"question": question, "options": [element_text(n) for n in _POLL_OPTIONS(message)]}
    document = _node_text(_DOCUMENT_TITLE, message)
    if document:
        extra["document"] = document
    media = [kind for kind, has_media in _HAS_MEDIA.items() if has_media(message)]
    if media:
        extra["media"] = media
    extra.update(_media_urls(message))
    links = _links(message)
    if links:
        extra["links"] = links
    if _EDITED(message):
        extra["edited"] = True
    return extra


def _media_urls(message: etree._Element) -> dict[str, list[str]]:
    """Where the post's photos and videos are (their files are not kept)."""
    found = {
        "photos": [m[1] for style in _PHOTO_STYLES(message) if (m := _BACKGROUND_URL.search(style))],
        "videos": [src.strip() for src in _VIDEO_SOURCES(message) if src.strip()],
    }
    return {kind: list(dict.fromkeys(urls)) for kind, urls in found.items() if urls}


def _links(message: etree._Element) -> list[str]:
    """The web links in the post's own text."""
    node = _TEXT(message)
    hrefs = (href.strip() for href in (_TEXT_LINKS(node[0]) if node else []))
    return list(dict.fromkeys(href for href in hrefs if href.startswith(("http://", "https://"))))[:50]


def _origin(name: str, url: str | None) -> dict:
    """Who a post was forwarded from, or replies to: the name shown and, for a channel post, its channel and link."""
    found = _POST_LINK.fullmatch((url or "").strip())
    if not found:
        return {"name": name or None, "url": url, "channel": None}
    return {"name": name or None, "url": f"https://t.me/{found[1]}/{found[2]}", "channel": found[1]}


def _album_ids(message: etree._Element, channel: str, post_id: int) -> list[int]:
    """The ids of the posts an album groups (their media link to `<channel>/<id>?single`), else just this one."""
    ids = {post_id}
    for href in _ALBUM_LINKS(message):
        found = _POST_LINK.fullmatch(href.strip())
        if found and found[1].lower() == channel.lower():
            ids.add(int(found[2]))
    return sorted(ids)


def _older_page(root: etree._Element | None) -> int | None:
    """The id the page's "older posts" link pages back from; None at the channel's start or without a link."""
    for value in _OLDER_LINKS(root) if root is not None else []:
        found = _BEFORE.search(value.split("?", 1)[-1]) if "before=" in value else None
        number = found[1] if found else value.strip()
        if number.isdigit() and number.isascii() and len(number) <= 12:
            return int(number)
    return None


def _link_preview(preview: etree._Element) -> dict:
    details = {"url": preview.get("href")}
    for part, find in _PREVIEW_PARTS.items():
        details[part] = _node_text(find, preview) or None
    return details


def _node_text(find: etree.XPath, element: etree._Element) -> str:
    nodes = find(element)
    return element_text(nodes[0]) if nodes else ""


def _view_count(label: str) -> int | None:
    """Telegram's rounded view counter ("226.2K", "1.1M", "746") as a number."""
    match = _VIEW_COUNT.fullmatch(label.strip())
    if not match:
        return None
    try:
        number = float(match[1])
    except ValueError:
        return None
    return round(number * {"": 1, "K": 1_000, "M": 1_000_000}[match[2].upper()])


def _iso_datetime(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


def _not_a_channel_message(root: etree._Element | None, url: str) -> str:
    if root is not None and _ANY_TGME(root):
        return f"{url} is a Telegram page without a public message preview (private channel, user or bot?)"
    return f"{url} is not a Telegram channel preview page (t.me/s/<channel>)"
