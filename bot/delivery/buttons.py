"""The buttons under an alert: open the item, mute a source, unsubscribe from a topic (stored with the message).

Their callback data is `mute:<source id>` and `unsub:<topic id>`; bot.subscriber.alert_buttons answers
them and swaps each for its undo (`unmute:`, `resub:`). A digest or alert cut at its cap carries
`more:<overflow id>:<offset>` (storage.deliveries keeps what it left out).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.markup import LINK_URL_CHARS, html_to_plain, short
from bot.texts import t
from bot.delivery.digest import Story

MUTE, UNMUTE, UNSUBSCRIBE, RESUBSCRIBE, MORE = "mute", "unmute", "unsub", "resub", "more"
LABEL_NAME_CHARS = 24  # a source or topic named on a button
MOST_EACH = 2  # mute and unsubscribe buttons under one alert, at most


def button(text: str, *, url: str | None = None, data: str | None = None) -> dict:
    """One stored button: its plain label and either a link or callback data."""
    return {"text": html_to_plain(text), "url": url} if url else {"text": html_to_plain(text), "callback_data": data}


def openable(url: str | None) -> bool:
    """Whether a URL can be a link button (Telegram takes http(s) links of sane length)."""
    return bool(url) and url.startswith(("https://", "http://")) and len(url) <= LINK_URL_CHARS


def alert_buttons(stories: Sequence[Story], titles: dict[str, str], lang: str) -> list[list[dict]]:
    """Open (for one story), mute its most frequent sources, unsubscribe from its topics."""
    rows: list[list[dict]] = []
    if len(stories) == 1 and openable(stories[0].first.url):
        rows.append([button(t("btn_open", lang), url=stories[0].first.url)])
    sources = Counter()
    names: dict[int, str] = {}
    for item in {item.item_id: item for story in stories for item in story.items}.values():
        for source_id, name in zip(item.source_ids, item.sources):
            sources[source_id] += 1
            names[source_id] = name
    mutes = [
        button(t("btn_mute", lang, source=short(names[source_id], LABEL_NAME_CHARS)), data=f"{MUTE}:{source_id}")
        for source_id, _ in sources.most_common(MOST_EACH)
    ]
    topics = sorted({topic for story in stories for topic in story.topics})[:MOST_EACH]
    unsubscribes = [
        button(t("btn_unsubscribe", lang, topic=short(titles.get(topic, topic), LABEL_NAME_CHARS)),
               data=f"{UNSUBSCRIBE}:{topic}")
        for topic in topics
    ]
    return rows + [row for row in (mutes, unsubscribes) if row]
