"""Small pieces of Telegram HTML that every reply and digest uses: links, shortened text, echoes, plain text."""
from __future__ import annotations

from html import escape
from html.parser import HTMLParser

LINK_URL_CHARS = 1000  # a longer link target is not linked: it would crowd a message out, and no real page needs it
ECHO_CHARS = 60


def short(text: str, limit: int) -> str:
    """The text, cut to at most `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def echo(user_text: str) -> str:
    """What a user typed, quoted back in a reply: at most a short prefix of it."""
    return short(str(user_text), ECHO_CHARS)


def link(url: str | None, html_text: str) -> str:
    """The HTML text as a link to the URL, if there is one short enough to link."""
    if not url or len(url) > LINK_URL_CHARS:
        return html_text
    return f'<a href="{escape(url, quote=True)}">{html_text}</a>'


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_plain(html: str) -> str:
    """Telegram HTML as plain text (tags stripped, entities unescaped), for pop-ups and the no-HTML fallback."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)
