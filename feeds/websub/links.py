"""The hub and topic a feed names: an HTTP `Link` header, else `<link rel="hub">` in the feed itself."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

_LINK = re.compile(r'<([^>]*)>((?:\s*;\s*[^;,="]+(?:=\s*(?:"[^"]*"|[^;,"]*))?)*)')
_REL = re.compile(r"""rel\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s;,"']+))""", re.IGNORECASE)


def header_links(value: str | None) -> dict[str, str]:
    """rel -> the first URL of that relation in a Link header (RFC 8288); several headers come comma-joined."""
    found: dict[str, str] = {}
    for url, params in _LINK.findall(value or ""):
        rel = _REL.search(params)
        for name in (next(filter(None, rel.groups()), "") if rel else "").lower().split():
            found.setdefault(name, url.strip())
    return found


def hub_and_topic(headers: dict[str, str], feed_links: dict[str, str], fetched_url: str) -> tuple[str, str] | None:
    """(hub, topic) the response names, or None; the topic is its rel=self, else the URL fetched."""
    from_header = header_links(headers.get("link"))
    hub = from_header.get("hub") or feed_links.get("hub")
    if not hub:
        return None
    topic = from_header.get("self") or feed_links.get("self") or fetched_url
    hub, topic = urljoin(fetched_url, hub), urljoin(fetched_url, topic)
    if urlsplit(hub).scheme not in ("http", "https") or urlsplit(topic).scheme not in ("http", "https"):
        return None
    return hub, topic
