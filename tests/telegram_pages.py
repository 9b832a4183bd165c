"""Telegram channel pages in later states, edited from the real pages in tests/corpus/telegram.

`Channel` is a channel whose posts the test adds (a burst, posts made while Dozor was down), edits
(Telegram's "edited" mark, as in message_link_preview_video.html) and deletes. It answers
`/s/<name>` and `/s/<name>?before=<id>` on the FeedServer as t.me does: the 20 newest posts below
`before`, oldest first, in the real page's markup (full.html's page around message_text.html's
post, with the ids, dates, texts and the "older posts" links edited). `flaky` leaves posts out of
the next page served only.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from urllib.parse import parse_qs, urlsplit

from tests.conftest import CORPUS
from tests.feedserver import respond

FIXTURES = CORPUS / "telegram/rust-any2feed/test_utils/src/fixtures/telegram_preview"
PAGE_SIZE = 20
_FULL = (FIXTURES / "full.html").read_text("utf-8")
_HISTORY_OPEN = '<section class="tgme_channel_history js-message_history">'
_HEAD = _FULL[: _FULL.index(_HISTORY_OPEN) + len(_HISTORY_OPEN)]
_TAIL = _FULL[_FULL.index("</section>", len(_HEAD)):]
_POST = (FIXTURES / "message_text.html").read_text("utf-8")
_POST_TEXT = re.compile(r'(<div class="tgme_widget_message_text js-message_text" dir="auto">).*?(</div>)', re.DOTALL)
_META = re.compile(r'(<span\s+class="tgme_widget_message_meta">)')


def real_blocks() -> list[str]:
    """The message blocks of full.html, as Telegram served them."""
    history = _FULL[len(_HEAD): _FULL.index("</section>", len(_HEAD))]
    starts = [m.start() for m in re.finditer(r'<div class="tgme_widget_message_wrap js-widget_message_wrap">', history)]
    return [history[a:b] for a, b in zip(starts, starts[1:] + [len(history)])]


def page_of(blocks: list[str], before: int | None, channel: str = "topwar_official") -> bytes:
    """A channel page of these message blocks whose "older posts" links start at `before` (None: empty link)."""
    cursor = "" if before is None else str(before)
    head = _HEAD.replace("topwar_official", channel)
    head = re.sub(r'(<link rel="prev" href="/s/[A-Za-z0-9_]+\?before=)\d*', rf"\g<1>{cursor}", head)
    more = (
        f'<div class="tgme_widget_message_centered js-messages_more_wrap"><a href="/s/{channel}?before={cursor}" '
        f'class="tme_messages_more js-messages_more" data-before="{cursor}"></a></div>'
    )
    return (head + more + "".join(blocks) + _TAIL).encode()


def text_post(channel: str, post_id: int, text: str, when: datetime, edited: bool = False) -> str:
    """message_text.html's real post with another id, date and text, marked edited as Telegram marks it."""
    block = _POST.replace("topwar_official/70991", f"{channel}/{post_id}").replace("topwar_official", channel)
    block = block.replace("2023-02-28T08:48:01+00:00", when.isoformat())
    if edited:
        block = _META.sub(lambda m: m[1] + "edited &nbsp;", block, count=1)
    return _POST_TEXT.sub(lambda m: m[1] + escape(text) + m[2], block, count=1)


def album_post(channel: str, post_id: int, text: str, when: datetime) -> str:
    """message_media_photo_and_video.html's real album (a video and two photos, posts id..id+2), edited so."""
    block = (FIXTURES / "message_media_photo_and_video.html").read_text("utf-8")
    for offset, real in enumerate((46908, 46909, 46910)):
        block = block.replace(f"anna_news/{real}", f"{channel}/{post_id + offset}")
    block = block.replace("anna_news", channel).replace("2023-02-28T06:48:36+00:00", when.isoformat())
    return _POST_TEXT.sub(lambda m: m[1] + escape(text) + m[2], block, count=1)


@dataclass
class Post:
    id: int
    text: str
    published: datetime
    album: bool = False  # an album of a video and two photos (posts id..id+2), else a text post
    edited: bool = False

    @property
    def last_id(self) -> int:
        return self.id + 2 if self.album else self.id


@dataclass
class Channel:
    """A channel that grows as the test publishes, served page by page."""

    name: str = "topwar_official"
    posts: list[Post] = field(default_factory=list)
    requests: list[int | None] = field(default_factory=list)  # the `before` of each page asked for
    hold: threading.Event | None = None  # while set... cleared: pages below `hold_below` wait for it
    hold_below: int = 0
    flaky: set[int] = field(default_factory=set)  # posts left out of the next page served, and only of it

    @property
    def path(self) -> str:
        return f"/s/{self.name}"

    def publish(self, count: int, start: datetime, every: timedelta, text: str = "Пост {id}") -> list[int]:
        """Add `count` posts, one every `every` from `start`; return their ids."""
        first = self.posts[-1].last_id + 1 if self.posts else 1
        new = [Post(first + n, text.format(id=first + n), start + n * every) for n in range(count)]
        self.posts.extend(new)
        return [post.id for post in new]

    def edit(self, post_id: int, text: str) -> None:
        """The channel edits a post: new text and Telegram's "edited" mark."""
        post = next(p for p in self.posts if p.id == post_id)
        post.text, post.edited = text, True

    def delete(self, post_id: int) -> None:
        """The channel deletes a post: its page no longer shows it."""
        self.posts = [p for p in self.posts if p.id != post_id]

    def page(self, before: int | None) -> bytes:
        """What t.me/s/<name>?before=<id> shows: the PAGE_SIZE newest posts below `before`."""
        below = [p for p in self.posts if before is None or p.id < before][-PAGE_SIZE:]
        older = below[0].id if below and below[0].id > 1 else None
        shown = [p for p in below if p.id not in self.flaky]
        self.flaky = set()
        blocks = [
            album_post(self.name, p.id, p.text, p.published) if p.album
            else text_post(self.name, p.id, p.text, p.published, p.edited)
            for p in shown
        ]
        return page_of(blocks, older, self.name)

    def serve(self, request) -> None:
        """A FeedServer handler for the channel's path."""
        values = parse_qs(urlsplit(request.path).query).get("before", [])
        before = int(values[0]) if values and values[0].isdigit() else None
        self.requests.append(before)
        if self.hold is not None and before is not None and before <= self.hold_below:
            self.hold.wait(30)
        respond(request, 200, self.page(before), {"Content-Type": "text/html; charset=utf-8"})

    def publish_album(self, text: str, when: datetime) -> int:
        """Add an album of a video and two photos (three posts, one item); return its first post's id."""
        first = self.posts[-1].last_id + 1 if self.posts else 1
        self.posts.append(Post(first, text, when, album=True))
        return first

    def ids(self, since: datetime | None = None) -> list[int]:
        return [p.id for p in self.posts if since is None or p.published >= since]
