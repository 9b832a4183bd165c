"""Composing "Edited" and "Deleted" alerts as Telegram HTML: the old and new title, a short diff of the text."""
from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from bot.diff import changes_html, word_changes
from bot.markup import link, short
from bot.messages import pack
from bot.texts import Html, t
from storage.versions import Change

TITLE_CHARS = 300
DIFF_CHANGES = 4  # runs of changed words shown in an alert; /history shows them all


def compose_change(change: Change, titles: dict[str, str], tz: ZoneInfo, language: str) -> list[str]:
    """One change alert, packed into messages within Telegram's limits."""
    item = change.after
    title = link(item.url, f"<b>{escape(short(item.title or item.url or '…', TITLE_CHARS), quote=False)}</b>")
    topics = ", ".join(titles.get(topic, topic) for topic in change.topics)
    when = change.at.astimezone(tz).strftime("%d.%m.%Y %H:%M")
    head = t(f"change_{change.kind}", language, sources=", ".join(change.sources), topics=topics, when=when)
    lines = [head, title]
    if change.kind == "edited":
        lines += _edit_lines(change, language)
    else:
        lines.append(t(f"deleted_reason_{change.deleted_reason}", language))
    lines.append(t("change_history", language, id=change.item_id))
    return pack(["\n".join(lines)])


def _edit_lines(change: Change, language: str) -> list[str]:
    old, new = change.before, change.after
    lines = []
    if old.title != new.title:
        lines.append(t("change_title", language, old=short(old.title, TITLE_CHARS), new=short(new.title, TITLE_CHARS)))
    diff = changes_html(word_changes(old.best_text, new.best_text, most=DIFF_CHANGES))
    if diff:
        lines.append(t("change_text", language, diff=Html(diff)))
    if old.url != new.url and new.url:
        lines.append(t("change_link", language, url=new.url))
    return lines
