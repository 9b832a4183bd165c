"""/audit: the latest changes as sentences in the admin's language, with who made them and when."""
from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from telegram import Update

from bot.access import requires
from bot.admin.common import command_rest, usage, when
from bot.commands import ADMIN
from bot.common import lang, read, reply, reply_pieces, whole_number, zone
from bot.context import DozorContext
from bot.texts import t
from storage import audit

AUDIT_DEFAULT, AUDIT_MAX = 10, 50
SHOWN_VALUE_CHARS = 200
REAPPLY_FIELDS = ("days", "items", "added", "removed")


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= SHOWN_VALUE_CHARS else text[: SHOWN_VALUE_CHARS - 1] + "…"


def _rule_sentences(target: str, before: dict, after: dict, language: str) -> list[str]:
    """Rules added, removed or reordered and a new title: the parts of a topic's change."""
    removed, added = before.get("rules") or [], after.get("rules") or []
    if removed and sorted(removed) == sorted(added):
        lines = [t("audit_rules_reordered", language, topic=target)]
    else:
        lines = [t("audit_rule_added", language, topic=target, rule=_short(r)) for r in added]
        lines += [t("audit_rule_removed", language, topic=target, rule=_short(r)) for r in removed]
    if "title" in before or "title" in after:
        lines.append(t("audit_topic_renamed", language, topic=target, old=before.get("title", "—"),
                        new=after.get("title", "—")))
    return lines


def _fields(before: dict, after: dict) -> str:
    keys = [*before, *(k for k in after if k not in before)]
    return ", ".join(f"{key}: {_short(before.get(key, '—'))} → {_short(after.get(key, '—'))}" for key in keys)


def sentences(entry, language: str) -> list[str]:
    """What an entry changed, in words; entries written before only the changes were kept read the same."""
    action = entry.action.removeprefix("config.")  # `dozor config import` makes the same changes
    before, after = audit.changed(entry.before, entry.after)
    old, new = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
    target = entry.target
    kind, _, verb = action.partition(".")
    if action in ("rule.add", "rule.remove", "rule.replace", "topic.update"):
        return _rule_sentences(target, old, new, language) or [t("audit_rules_reordered", language, topic=target)]
    if action in ("topic.add", "topic.remove"):
        state = new if verb == "add" else old
        return [t(f"audit_topic_{verb}", language, topic=target, title=state.get("title", target),
                   n=len(state.get("rules") or []))]
    if action == "topic.title":
        return [t("audit_topic_title", language, topic=target, language=code, old=old.get(code) or "—",
                  new=new.get(code) or "—") for code in dict.fromkeys([*old, *new])]
    if action == "topic.reapply":
        return [t("audit_topic_reapply", language, topic=target, **{k: new.get(k, "?") for k in REAPPLY_FIELDS})]
    if action in ("source.add", "source.remove", "source.pause", "source.resume"):
        return [t(f"audit_source_{verb}", language, source=target, url=(new or old).get("url", ""))]
    if action == "source.update":
        return [t("audit_source_update", language, source=target, changes=_fields(old, new))]
    if kind in ("admin", "volunteer") and verb in ("add", "remove"):
        return [t(f"audit_{kind}_{verb}", language, user=target)]
    if action == "setting.volunteers" and new.get("volunteers") in ("all", "list"):
        return [t(f"audit_volunteers_{new['volunteers']}", language)]
    if action in ("analysis.add", "analysis.update"):
        return [t(f"audit_{kind}_{verb}", language, analysis=target, url=new.get("url", ""))]
    if action == "channel.add":
        return [t("audit_channel_add", language, chat=target, topic=new.get("topic", "?"), mode=new.get("mode", "?"))]
    if action == "channel.remove":
        topics = old.get("topics") or [old.get("topic", "?")]
        return [t("audit_channel_remove", language, chat=target, topics=", ".join(topics))]
    if action == "opml.import":
        return [t("audit_opml_import", language, n=len(after) if isinstance(after, list) else target)]
    return [escape(f"{entry.action} {target}" + (f": {_fields(old, new)}" if old or new else ""), quote=False)]


def audit_line(entry, language: str, tz: ZoneInfo) -> str:
    """One entry as HTML: when (in the admin's time zone), who, and what changed."""
    who = t("audit_cli", language) if entry.actor_id is None else escape(f"{entry.actor} ({entry.actor_id})")
    return f"<b>{when(entry.at, tz)}</b> · {who}: " + "; ".join(sentences(entry, language))


def entry_count(text: str) -> int | None:
    """How many entries `/audit N` asks for: 1 to AUDIT_MAX, the default without N; None for anything else."""
    if not text:
        return AUDIT_DEFAULT
    number = whole_number(text)
    return number if number is not None and 1 <= number <= AUDIT_MAX else None


@requires(ADMIN)
async def audit_log(update: Update, context: DozorContext) -> None:
    """/audit [N]: the latest changes."""
    language = lang(update)
    count = entry_count(command_rest(update))
    if count is None:
        await usage(update, "usage_audit", default=AUDIT_DEFAULT, most=AUDIT_MAX)
        return
    tz = await zone(update, context)
    entries = await read(context, audit.latest, count)
    if not entries:
        await reply(update, t("audit_empty", language))
        return
    lines = [audit_line(entry, language, tz) for entry in entries]
    await reply_pieces(update, [t("audit_title", language, n=len(entries)), *lines], "\n")
