"""Admin commands for topics, narratives and their rules: /addtopic /addnarrative /removetopic /addkw /delkw
/keywords /testrule /reapply (a narrative's rules are edited and tested exactly as a topic's)."""
from __future__ import annotations

import asyncio
import re
import time
from datetime import timedelta
from html import escape

from telegram import Update
from telegram.constants import ChatType

from bot.access import requires
from bot.admin.common import actor_of, command_rest, split_first, usage
from bot.commands import ADMIN
from bot.common import edit, in_transaction, lang, read, reply, reply_pieces, whole_number
from bot.confirm import Confirmation
from bot.context import DozorContext
from bot.delivery.outbox_writer import notify_topic_removed
from bot.markup import echo, link, short
from bot.messages import MESSAGE_LIMIT, fit, html_length
from bot.texts import explain, t
from feeds import rematch
from feeds.matching import RuleSyntaxError, check_rule
from feeds.rematch import RuleChange
from storage import audit, topic_edits
from storage import chats as chat_store
from storage import topics as topic_store
from storage.audit import Actor
from storage.models import utcnow

SAVE_RULES = Confirmation("adm:tr")
REMOVE_TOPIC = Confirmation("adm:rt")
DEFAULT_DAYS, MAX_DAYS = 7, 365
PROGRESS_EVERY_SECONDS = 3.0  # Telegram tolerates an edit every few seconds
RULE_SHOWN, RULE_SHOWN_BEFORE = 80, 50  # characters of a bad rule shown around its error
OPTION = re.compile(r"^(days|replace|remove):(\d{1,9})$")


class _Unknown(Exception):
    """The topic named in a command does not exist; the reply is ready."""


def _topic(session, name: str):
    """A topic or a narrative: their rules are edited and tested the same way."""
    topic_id = topic_store.find_topic(session, name, kind=None) if name else None
    topic = topic_edits.get_topic(session, topic_id) if topic_id else None
    if topic is None:
        raise _Unknown(", ".join(topic_store.topic_titles(session, kind=None)) or "—")
    return topic


async def _find(update: Update, context: DozorContext, name: str):
    """The topic called `name` (id or title), or None after telling the admin which topics exist."""
    try:
        return await read(context, _topic, name)
    except _Unknown as known:
        await reply(update, t("no_such_topic", lang(update), topic=echo(name or "?"), known=str(known)))
        return None


def rule_error_text(error: RuleSyntaxError, language: str) -> str:
    """A rule's syntax error with a caret under its position, the rule cut to the part around it."""
    start = max(0, error.position - RULE_SHOWN_BEFORE)
    shown = error.rule[start:start + RULE_SHOWN]
    before, after = ("…" if start else ""), ("…" if start + RULE_SHOWN < len(error.rule) else "")
    caret = " " * (error.position - start + len(before)) + "^"
    return t("rule_error", language, position=error.position + 1, message=explain(error, language, "rule")) + (
        f"\n<pre>{escape(before + shown + after)}\n{caret}</pre>"
    )


def rule_lines(topic) -> list[str]:
    """A topic's rules, numbered, as HTML."""
    return [f"{n}. <code>{escape(rule.text)}</code>" for n, rule in enumerate(topic.rules, 1)]


async def _add_rule_set(update: Update, context: DozorContext, kind: str) -> None:
    """/addtopic or /addnarrative <id> <title>: an empty rule set of that kind."""
    language = lang(update)
    topic_id, title = split_first(command_rest(update))
    if not topic_id:
        if kind == topic_store.NARRATIVE:
            known = ", ".join(await read(context, topic_store.topic_titles, topic_store.NARRATIVE)) or "—"
            await reply(update, t("narratives_known", language, known=known))
        await usage(update, f"usage_add{kind}")
        return
    if not topic_edits.valid_topic_id(topic_id):
        await reply(update, t("bad_topic_id", language, id=echo(topic_id)))
        return
    try:
        topic = await in_transaction(context, _add_topic, topic_id, title or topic_id, kind, actor_of(update))
    except topic_edits.TopicEditError:
        await reply(update, t("topic_exists", language, id=topic_id))
        return
    await reply(update, t(f"{kind}_added", language, id=topic.id, title=topic.title))


@requires(ADMIN)
async def add_topic(update: Update, context: DozorContext) -> None:
    """/addtopic <id> <title>."""
    await _add_rule_set(update, context, topic_store.TOPIC)


@requires(ADMIN)
async def add_narrative(update: Update, context: DozorContext) -> None:
    """/addnarrative <id> <title>: a narrative, whose rules /addkw, /testrule and /keywords then edit like a topic's."""
    await _add_rule_set(update, context, topic_store.NARRATIVE)


def _add_topic(session, topic_id: str, title: str, kind: str, actor: Actor):
    topic = topic_edits.add_topic(session, topic_id, title, kind)
    audit.record(session, actor, f"{kind}.add", topic_id, None, topic_edits.snapshot(topic))
    return topic


@requires(ADMIN)
async def remove_topic(update: Update, context: DozorContext) -> None:
    """/removetopic <topic>: ask, with buttons, before the topic goes with its rules, matches and subscriptions."""
    language = lang(update)
    name = command_rest(update)
    if not name:
        await usage(update, "usage_removetopic")
        return
    if (topic := await _find(update, context, name)) is None:
        return
    followers = len(await in_transaction(context, chat_store.followers, topic.id))
    question = t("removetopic_confirm", language, title=topic.title, id=topic.id, rules=len(topic.rules),
                 chats=followers)
    buttons = REMOVE_TOPIC.ask(context, {"topic": topic.id}, language, "btn_remove", "btn_cancel")
    await reply(update, question, reply_markup=buttons)


@requires(ADMIN)
async def remove_topic_button(update: Update, context: DozorContext) -> None:
    """Remove / Cancel under a /removetopic question; the topic's followers are told in their language."""
    query = update.callback_query
    language = lang(update)
    pending = await REMOVE_TOPIC.confirmed(update, context)
    if pending is None:
        return
    removed = await in_transaction(context, _remove_topic, pending["topic"], actor_of(update))
    if removed is None:
        await edit(query.message, t("no_such_topic", language, topic=pending["topic"], known="—"))
        return
    before, told = removed
    await edit(query.message, t("topic_removed", language, id=before["id"], title=before["title"], chats=told))
    if context.services.sender is not None:
        context.services.sender.wake()


def _remove_topic(session, topic_id: str, actor: Actor) -> tuple[dict, int] | None:
    """Tell the topic's followers, then remove it; (what it was, chats told), or None if it is gone already."""
    topic = topic_edits.get_topic(session, topic_id)
    if topic is None:
        return None
    told = notify_topic_removed(session, topic.id, topic.title, chat_store.followers(session, topic.id), utcnow())
    before = topic_edits.remove_topic(session, topic_id)
    audit.record(session, actor, "topic.remove", topic_id, before, None)
    return before, told


@requires(ADMIN)
async def add_rule(update: Update, context: DozorContext) -> None:
    """/addkw <topic> <rule>."""
    language = lang(update)
    name, rule = split_first(command_rest(update))
    if not rule:
        await usage(update, "usage_addkw")
        return
    try:
        check_rule(rule)
    except RuleSyntaxError as error:
        await reply(update, rule_error_text(error, language))
        return
    if (topic := await _find(update, context, name)) is None:
        return
    try:
        number = await in_transaction(context, _add_rule, topic.id, rule, actor_of(update))
    except topic_edits.TopicEditError:
        await reply(update, t("rule_exists", language, title=topic.title))
        return
    await reply(update, t("rule_added", language, n=number, title=topic.title, id=topic.id))


def _add_rule(session, topic_id: str, rule: str, actor: Actor) -> int:
    topic = topic_edits.get_topic(session, topic_id)
    before = topic_edits.snapshot(topic)
    number = topic_edits.add_rule(session, topic, rule)
    audit.record(session, actor, "rule.add", topic_id, before, topic_edits.snapshot(topic))
    return number


@requires(ADMIN)
async def delete_rule(update: Update, context: DozorContext) -> None:
    """/delkw <topic> <rule or number>."""
    language = lang(update)
    name, which = split_first(command_rest(update))
    if not which:
        await usage(update, "usage_delkw")
        return
    if (topic := await _find(update, context, name)) is None:
        return
    removed = await in_transaction(context, _delete_rule, topic.id, which, actor_of(update))
    if removed is None:
        await reply(update, t("rule_not_found", language, title=topic.title, rule=echo(which), id=topic.id))
        return
    number, text = removed
    await reply(update, t("rule_removed", language, n=number, title=topic.title, rule=text))


def _delete_rule(session, topic_id: str, which: str, actor: Actor) -> tuple[int, str] | None:
    topic = topic_edits.get_topic(session, topic_id)
    index = topic_edits.find_rule(topic, which)
    if index is None:
        return None
    texts = [rule.text for rule in topic.rules]
    _set_rules_audited(session, topic, RuleChange("remove", number=index + 1), texts, actor)
    return index + 1, texts[index]


def _set_rules_audited(session, topic, change: RuleChange, texts: list[str], actor: Actor) -> None:
    """Apply a rule change to the topic's rules `texts` and record it in the audit log."""
    before = topic_edits.snapshot(topic)
    topic_edits.set_rules(session, topic, change.applied(texts))
    audit.record(session, actor, f"rule.{change.kind}", topic.id, before, topic_edits.snapshot(topic))


@requires(ADMIN)
async def keywords(update: Update, context: DozorContext) -> None:
    """/keywords <topic>: the topic's rules, numbered."""
    name = command_rest(update)
    if not name:
        await usage(update, "usage_keywords")
        return
    if (topic := await _find(update, context, name)) is None:
        return
    language = lang(update)
    lines = rule_lines(topic) or [t("keywords_none", language)]
    await reply_pieces(update, [t("keywords_title", language, title=topic.title, id=topic.id), *lines], "\n")


async def topics_rules(update: Update, context: DozorContext) -> None:
    """After the subscriber's /topics reply: for an admin in a private chat, every topic's rules too."""
    if update.effective_chat.type != ChatType.PRIVATE or not await context.services.is_admin(update):
        return
    language = lang(update)
    topics = await read(context, topic_edits.all_topics)
    lines = []
    for topic in topics:
        lines.append(f"\n<b>{escape(topic.title)}</b> ({escape(topic.id)})")
        lines.extend(rule_lines(topic) or [t("keywords_none", language)])
    if lines:
        await reply_pieces(update, [t("rules_title", language), *lines], "\n")


def parse_options(text: str) -> tuple[dict[str, int], str]:
    """Options like days:N, replace:N, remove:N at the start or end of `text`, and the rest (the rule)."""
    options: dict[str, int] = {}
    words = text.split()
    while words and (found := OPTION.match(words[0])):
        options[found.group(1)] = int(found.group(2))
        text = text.strip()[len(words.pop(0)):].strip()
    while words and (found := OPTION.match(words[-1])):
        options[found.group(1)] = int(found.group(2))
        text = text.strip()[: -len(words.pop())].strip()
    return options, text


def _days(options: dict[str, int]) -> int:
    return max(1, min(MAX_DAYS, options.get("days", DEFAULT_DAYS)))


def change_of(options: dict[str, int], rule: str) -> RuleChange | None:
    """The change a /testrule asks for, or None if it asks for nothing."""
    if "remove" in options:
        return RuleChange("remove", number=options["remove"])
    if not rule:
        return None
    if "replace" in options:
        return RuleChange("replace", rule, options["replace"])
    return RuleChange("add", rule)


def example_line(item) -> str:
    """One stored item as an HTML line with its link."""
    return f"• {item.published_at:%Y-%m-%d} {link(item.url, escape(short(item.title or '—', 120)))}"


def change_text(change: RuleChange, rules: list[str], language: str) -> str:
    """The change in words."""
    if change.kind == "add":
        return t("change_add", language, rule=change.rule)
    if change.kind == "replace":
        return t("change_replace", language, n=change.number, rule=change.rule)
    return t("change_remove", language, n=change.number, rule=rules[change.number - 1])


@requires(ADMIN)
async def test_rule(update: Update, context: DozorContext) -> None:
    """/testrule <topic> [days:N] [replace:N | remove:N] <rule>: gain and loss on stored items, then save or discard."""
    language = lang(update)
    name, rest = split_first(command_rest(update))
    options, rule = parse_options(rest)
    change = change_of(options, rule)
    if change is None:
        await usage(update, "usage_testrule")
        return
    if (topic := await _find(update, context, name)) is None:
        return
    rules = [r.text for r in topic.rules]
    try:
        change.check(rules)
    except RuleSyntaxError as error:
        await reply(update, rule_error_text(error, language))
        return
    except ValueError:  # a number that is no rule of the topic
        reason = t("rule_number_missing", language, n=change.number, count=len(rules))
        await reply(update, t("bad_rule_number", language, reason=reason))
        return
    days = _days(options)
    since = utcnow() - timedelta(days=days)
    sessions = context.services.sessions
    outcome = await asyncio.to_thread(rematch.dry_run, sessions, topic.id, change.applied(rules), since)
    lines = [change_text(change, rules, language), t(
        "testrule_result", language, title=topic.title, checked=outcome.checked, days=days, gained=outcome.gained,
        lost=outcome.lost,
    )]
    if outcome.gained_examples:
        lines += ["", t("gained_examples", language), *map(example_line, outcome.gained_examples)]
    if outcome.lost_examples:
        lines += ["", t("lost_examples", language), *map(example_line, outcome.lost_examples)]
    pending = {"topic": topic.id, "rules": rules, "kind": change.kind, "rule": change.rule, "number": change.number,
               "days": days}
    buttons = SAVE_RULES.ask(context, pending, language, "btn_save", "btn_discard")
    await reply(update, "\n".join(lines), reply_markup=buttons)


def _save_change(session, pending: dict, actor: Actor) -> bool:
    topic = topic_edits.get_topic(session, pending["topic"])
    if topic is None or [r.text for r in topic.rules] != pending["rules"]:
        return False
    change = RuleChange(pending["kind"], pending["rule"], pending["number"])
    _set_rules_audited(session, topic, change, pending["rules"], actor)
    return True


@requires(ADMIN)
async def test_rule_button(update: Update, context: DozorContext) -> None:
    """Save or discard the change a /testrule tried."""
    query = update.callback_query
    language = lang(update)
    pressed = await SAVE_RULES.pressed(update, context)
    if pressed is None:
        return
    confirmed, pending = pressed
    original = query.message.text_html if query.message and query.message.text else ""
    if not confirmed:
        await edit(query.message, _below(original, t("cancelled", language)))
        return
    saved = await in_transaction(context, _save_change, pending, actor_of(update))
    key = "testrule_saved" if saved else "testrule_stale"
    await edit(query.message, _below(original, t(key, language, id=pending["topic"], days=pending["days"])))


def _below(original: str, outcome: str) -> str:
    """The dry run's text with its outcome added below, the dry run cut if both do not fit."""
    return fit(original, MESSAGE_LIMIT - html_length(outcome) - 2) + "\n\n" + outcome


@requires(ADMIN)
async def reapply(update: Update, context: DozorContext) -> None:
    """/reapply <topic> [days]: re-match stored items; newly matched old items are never alerted."""
    language = lang(update)
    name, days_text = split_first(command_rest(update))
    if not name or (days_text and whole_number(days_text) is None):
        await usage(update, "usage_reapply", days=DEFAULT_DAYS)
        return
    if (topic := await _find(update, context, name)) is None:
        return
    days = max(1, min(MAX_DAYS, whole_number(days_text) if days_text else DEFAULT_DAYS))
    since = utcnow() - timedelta(days=days)
    sessions = context.services.sessions
    matcher = rematch.topic_matcher(topic.id, [r.text for r in topic.rules])
    run = await asyncio.to_thread(rematch.start_reapply, sessions, since)
    message = await reply(update, t("reapply_progress", language, title=topic.title, done=0, total=run.total))
    shown = time.monotonic()
    while not run.finished:
        run = await asyncio.to_thread(rematch.reapply_batch, sessions, run, topic.id, matcher, since)
        if not run.finished and time.monotonic() - shown >= PROGRESS_EVERY_SECONDS:
            await edit(message, t("reapply_progress", language, title=topic.title, done=run.done, total=run.total))
            shown = time.monotonic()
    await in_transaction(context, audit.record, actor_of(update), "topic.reapply", topic.id, None,
             {"days": days, "items": run.total, "added": run.added, "removed": run.removed})
    await edit(message, t("reapply_done", language, total=run.total, days=days, title=topic.title, added=run.added,
                           removed=run.removed))

