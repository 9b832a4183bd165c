"""Turning what a user types (`@name`, `t.me/name`, a site URL) into a source URL and kind."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

CHANNEL = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")
TME = re.compile(r"^(?:https?://)?(?:www\.)?(?:t|telegram)\.me/(?:s/)?([A-Za-z0-9_]+)/?(?:\?.*)?$", re.IGNORECASE)


class BadSourceUrl(ValueError):
    """Input that cannot be a source, with the reason."""


def channel_name(text: str) -> str | None:
    """The channel name in `@name`, `t.me/name` or `t.me/s/name`, else None."""
    text = text.strip()
    if text.startswith("@"):
        name = text[1:]
    else:
        found = TME.match(text)
        name = found.group(1) if found else None
    return name if name and CHANNEL.match(name) else None


def resolve_source(text: str, kind: str | None = None) -> tuple[str, str, str]:
    """Return (url, kind, default name) for user input; raise BadSourceUrl with a reason."""
    text = text.strip()
    name = channel_name(text)
    if name and kind in (None, "telegram"):
        return f"https://t.me/s/{name}", "telegram", name
    if text.startswith("@"):
        raise BadSourceUrl(f"{text!r} is not a valid channel name (5-32 letters, digits or _)")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        raise BadSourceUrl(f"{text!r}: only http:// and https:// URLs (or @channel) can be sources")
    if not parts.hostname:
        raise BadSourceUrl(f"{text!r} has no host name")
    return text, kind or "rss", parts.hostname.removeprefix("www.")
