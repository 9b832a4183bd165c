"""The site a URL belongs to, as analyses' suggestions and the search's source: filter name sites."""
from __future__ import annotations

from urllib.parse import urlsplit


def site_of(url: str) -> str:
    """The site a URL belongs to: its host without www., or t.me/<channel> for Telegram channels."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host in ("t.me", "telegram.me"):
        segments = [s for s in parts.path.split("/") if s]
        if segments[:1] == ["s"]:
            segments = segments[1:]
        if segments:
            return f"t.me/{segments[0].lower()}"
    return host


def site_of_text(text: str) -> str:
    """The site of a URL or of a bare host a user typed (kaztag.kz, t.me/kaztag)."""
    text = text.strip()
    return site_of(text if "//" in text else "//" + text)


def on_site(url: str, site: str) -> bool:
    """Whether `url` is on `site`, a subdomain of it, or (for t.me) one of its channels."""
    own = site_of(url)
    return bool(site) and (own == site or own.endswith("." + site) or own.startswith(site + "/"))
