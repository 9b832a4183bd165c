"""Small pieces of Telegram HTML that every reply and digest uses: links and shortened text."""
from __future__ import annotations

from html import escape


def short(text: str, limit: int) -> str:
    """The text, cut to at most `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def link(url: str | None, html_text: str) -> str:
    """The HTML text as a link to the URL, if there is one."""
    return f'<a href="{escape(url, quote=True)}">{html_text}</a>' if url else html_text
