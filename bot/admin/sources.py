"""Admin commands for sources: /feeds /feed /addfeed /removefeed /pausefeed /resumefeed (OPML: bot.admin.opml_files)."""
from __future__ import annotations

import asyncio
from dataclasses import asdict
from functools import partial
from html import escape
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from telegram import Update

from bot.access import requires
from bot.admin.common import actor_of, command_rest, split_first, usage, when
from bot.commands import ADMIN
from bot.common import edit, in_transaction, lang, read, reply, reply_pieces, whole_number, zone
from bot.confirm import MAX_OPTIONS, Confirmation
from bot.context import DozorContext
from bot.markup import echo, short
from bot.texts import Html, pause_reason, problem, problem_of, t
from feeds.sources.checks import Refused, address_of, readable_feeds
from feeds.sources.discover import Discoverer, FeedPreview, with_scheme
from storage import source_changes, source_health
from storage import websub as websub_store
from storage import sources as source_store
from storage.models import ChannelCursor, ItemSource, Source, utcnow

ADD_FEED = Confirmation("adm:af")
CHOOSE_FEED = Confirmation("adm:cf")
REMOVE_FEED = Confirmation("adm:rf")


def _state(source: Source, language: str) -> str:
    return t(f"state_{source_health.state(source)}", language)


def _next_check(source: Source, tz: ZoneInfo, language: str) -> str:
    """When the source is polled next; a paused one is not polled at all."""
    return when(source.next_check_at, tz) if source.status == "active" else t("not_while_paused", language)


def _feed_lines(session, language: str, tz: ZoneInfo) -> list[str]:
    per_day = source_health.items_per_day(session, utcnow())
    never = t("never", language)
    lines = []
    for source, _count in source_store.list_sources(session):
        lines.append(
            f"<b>#{source.id} {escape(source.name)}</b> · {_state(source, language)}\n{escape(source.url)}\n"
            + t("feed_line", language, ok=when(source.last_ok_at, tz, never), per_day=f"{per_day.get(source.id, 0):.1f}",
                 next=_next_check(source, tz, language))
        )
        if source.last_error_code:
            error = problem(source.last_error_code, language) + f" — <code>{escape(source.last_error_code)}</code>"
            lines[-1] += "\n" + t("last_error", language, error=Html(error))
    return lines


@requires(ADMIN)
async def feeds_list(update: Update, context: DozorContext) -> None:
    """/feeds: every source with its state, last success, last error, items per day and next check."""
    language = lang(update)
    tz = await zone(update, context)
    lines = await read(context, _feed_lines, language, tz)
    if not lines:
        await reply(update, t("feeds_empty", language))
        return
    title = t("feeds_title", language, n=len(lines), days=source_health.HEALTH_DAYS)
    await reply_pieces(update, [title, *lines])


def _source_id(text: str) -> int | None:
    return whole_number(text.strip().lstrip("#"))


def _details(session, source_id: int, language: str, tz: ZoneInfo) -> str | None:
    source = session.get(Source, source_id)
    if source is None:
        return None
    items = session.scalar(select(func.count()).where(ItemSource.source_id == source_id)) or 0
    days = source_health.HEALTH_DAYS
    recent = source_health.published_counts(session, utcnow(), days).get(source_id, 0)
    never = t("never", language)
    text = f"<b>#{source.id} {escape(source.name)}</b>\n{escape(source.url)}\n" + t(
        "feed_details", language, kind=source.shown_kind, state=_state(source, language),
        created=when(source.created_at, tz), checked=when(source.last_checked_at, tz, never),
        ok=when(source.last_ok_at, tz, never), errors=source.error_count, interval=source.interval_seconds // 60,
        next=_next_check(source, tz, language), items=items, days=days, recent=recent, per_day=f"{recent / days:.1f}",
        newest=when(source_health.newest_published(session, source_id), tz, never),
    )
    if source.origin:
        text += "\n" + t("feed_origin", language, origin=source.origin)
    text += "\n" + _full_text_line(source, language, tz)
    for line in (_paging_line(session.get(ChannelCursor, source_id), language, tz),
                 _push_line(websub_store.subscription_of(session, source_id), language, tz)):
        if line:
            text += "\n" + line
    text += "\n" + t("feed_label", language, label=source.label or source_store.UNLABELED, id=source.id)
    if source.paused_reason and source.status == "paused":
        text += "\n" + t("paused_reason", language, reason=pause_reason(source, language))
    errors = source_health.recent_errors(session, source_id)
    if not errors:
        return text + "\n\n" + t("no_errors", language)
    lines = [f"{when(e.at, tz)} <code>{escape(e.code)}</code> {escape(e.message[:300])}" for e in errors]
    return text + "\n\n" + t("recent_errors", language) + "\n" + "\n".join(lines)


def _full_text_line(source: Source, language: str, tz: ZoneInfo) -> str:
    """When the source's article pages are read, and how extracting their text goes."""
    if source.kind == "telegram":
        return t("feed_full_text_telegram", language)
    line = t("feed_full_text", language, mode=source.full_text, ok=source.extracted, failed=source.extract_failures,
             id=source.id)
    if source.last_extract_error:
        code = source.last_extract_error.partition(":")[0]  # stored as "code: message"
        line += "\n" + t("feed_extract_error", language, at=when(source.last_extract_at, tz),
                           problem=problem(code, language), error=source.last_extract_error[:300])
    return line


def _paging_line(cursor: ChannelCursor | None, language: str, tz: ZoneInfo) -> str | None:
    """How paging back through a channel's older posts stands, if it ever ran."""
    if cursor is None or cursor.started_at is None:
        return None
    if cursor.before is not None:
        return t("feed_paging_running", language, paged=cursor.paged, recovered=cursor.recovered)
    reason = t(f"paging_{cursor.stop_reason}", language)
    return t("feed_paging_done", language, at=when(cursor.finished_at, tz), paged=cursor.paged,
             recovered=cursor.recovered, reason=reason)


def _push_line(subscription, language: str, tz: ZoneInfo) -> str | None:
    """Whether a WebSub hub pushes this feed's items."""
    if subscription is None or subscription.state not in ("offered", "requested", "active", "failed"):
        return None
    return t(
        f"feed_websub_{subscription.state}", language, hub=subscription.hub, until=when(subscription.lease_expires_at, tz),
        pushes=subscription.pushes, refused=subscription.refused, error=subscription.last_error or "—",
    )


@requires(ADMIN)
async def feed_details(update: Update, context: DozorContext) -> None:
    """/feed <id>: details and recent errors of one source; /feed <id> label <label> sets its label,
    /feed <id> fulltext auto|always|never when its article pages are read."""
    first, rest = split_first(command_rest(update))
    source_id = _source_id(first)
    option, value = split_first(rest)
    if source_id is None or (rest and (option.lower() not in ("label", "fulltext") or not value)):
        await usage(update, "usage_feed")
        return
    if option.lower() == "label":
        await _set_label(update, context, source_id, value)
        return
    if rest:
        await _set_full_text(update, context, source_id, rest)
        return
    text = await read(context, _details, source_id, lang(update), await zone(update, context))
    await reply(update, text or t("no_source", lang(update), id=source_id))


async def _set_label(update: Update, context: DozorContext, source_id: int, text: str) -> None:
    language = lang(update)
    try:
        label = source_store.check_label(text.strip().lower()) if text.strip() not in ("-", "none") else None
    except ValueError:
        known = await read(context, source_store.labels_in_use)
        await reply(update, t("bad_label", language, label=echo(text.strip()), known=", ".join(known) or "—"))
        return
    source = await in_transaction(context, source_changes.set_label, source_id, label, actor_of(update))
    if source is None:
        await reply(update, t("no_source", language, id=source_id))
        return
    await reply(update, t("label_set", language, id=source.id, name=source.name, label=label or source_store.UNLABELED))
async def _set_full_text(update: Update, context: DozorContext, source_id: int, words: str) -> None:
    """/feed <id> fulltext auto|always|never."""
    setting, mode = split_first(words)
    if setting.lower() != "fulltext" or mode.lower() not in source_store.FULL_TEXT_MODES:
        await usage(update, "usage_feed_full_text", id=source_id)
        return
    language = lang(update)
    key, source = await in_transaction(context, source_changes.set_full_text, source_id, mode.lower(), actor_of(update))
    await reply(update, t(key, language, id=source_id, name=source.name if source else "", mode=mode.lower()))


@requires(ADMIN)
async def remove_feed(update: Update, context: DozorContext) -> None:
    """/removefeed <id>: ask, with buttons, before Dozor stops monitoring the source."""
    language = lang(update)
    source_id = _source_id(command_rest(update))
    if source_id is None:
        await usage(update, "usage_source_id", command="removefeed")
        return
    found = await in_transaction(context, _with_item_count, source_id)
    if found is None:
        await reply(update, t("no_source", language, id=source_id))
        return
    source, items = found
    question = t("removefeed_confirm", language, id=source.id, name=source.name, url=source.url, items=items)
    buttons = REMOVE_FEED.ask(context, {"source": source.id}, language, "btn_remove", "btn_cancel")
    await reply(update, question, reply_markup=buttons)


def _with_item_count(session, source_id: int) -> tuple[Source, int] | None:
    source = session.get(Source, source_id)
    if source is None:
        return None
    return source, session.scalar(select(func.count()).where(ItemSource.source_id == source_id)) or 0


@requires(ADMIN)
async def remove_feed_button(update: Update, context: DozorContext) -> None:
    """Remove / Cancel under a /removefeed question."""
    query = update.callback_query
    language = lang(update)
    pending = await REMOVE_FEED.confirmed(update, context)
    if pending is None:
        return
    source_id = pending["source"]
    removed = await in_transaction(context, source_changes.remove, source_id, actor_of(update))
    if removed is None:
        await edit(query.message, t("no_source", language, id=source_id))
    else:
        await edit(query.message, t("source_removed", language, id=source_id, name=removed["name"]))


async def _status_command(update: Update, context: DozorContext, status: str, command: str) -> None:
    source_id = _source_id(command_rest(update))
    if source_id is None:
        await usage(update, "usage_source_id", command=command)
        return
    language = lang(update)
    key, source = await in_transaction(context, source_changes.set_status, source_id, status, actor_of(update))
    name = source.name if source else ""
    await reply(update, t(key, language, id=source_id, name=name, state=t(f"state_{status}", language)))


@requires(ADMIN)
async def pause_feed(update: Update, context: DozorContext) -> None:
    """/pausefeed <id>: stop polling a source."""
    await _status_command(update, context, "paused", "pausefeed")


@requires(ADMIN)
async def resume_feed(update: Update, context: DozorContext) -> None:
    """/resumefeed <id>: poll a paused source again, from the next tick."""
    await _status_command(update, context, "active", "resumefeed")


def refusal_text(refused: Refused, language: str) -> str:
    """Why a source was not added, as the admin reads it."""
    if refused.code == "duplicate":
        return t("addfeed_duplicate", language, url=refused.url, id=refused.source_id)
    if refused.code == "unsupported":
        return t("addfeed_failed", language, reason=t("addfeed_accepts", language, value=echo(refused.url)))
    reason = problem_of(refused.cause, language) if refused.cause is not None else refused.message
    return t("addfeed_failed", language, reason=reason)


def preview_text(preview: FeedPreview, language: str, page: str, tz: ZoneInfo) -> str:
    """What a test fetch found, as HTML."""
    matches = ", ".join(f"{topic} {n}" for topic, n in preview.matches.items()) or t("none", language)
    text = t(
        "addfeed_preview", language, title=preview.title or preview.name, kind=preview.platform or preview.kind,
        url=preview.url, count=preview.item_count, newest=when(preview.newest, tz), matches=matches, name=preview.name,
    )
    if preview.platform:
        text += "\n" + t(f"addfeed_account_{preview.platform}", language, account=preview.account)
    if preview.discovered:
        text += "\n" + t("addfeed_discovered", language, page=page)
    return text


def choice_text(found: list[FeedPreview], language: str, page: str, tz: ZoneInfo) -> str:
    """The feeds a page links to, numbered as their buttons."""
    lines = [t("addfeed_choose", language, page=page, n=len(found))]
    for number, preview in enumerate(found, 1):
        lines.append(f"{number}. " + t("addfeed_choice", language, title=short(preview.title or preview.name, 100),
                                       url=preview.url, count=preview.item_count, newest=when(preview.newest, tz)))
    return "\n".join(lines)


def discoverer(context: DozorContext) -> Discoverer:
    """Finds and reads feeds with the collector's fetcher and parser processes."""
    collector = context.services.collector
    return Discoverer(collector.fetcher, collector.pool, context.services.settings.youtube_url)


@requires(ADMIN)
async def add_feed(update: Update, context: DozorContext) -> None:
    """/addfeed <url | site | @channel> [name]: find the feed, fetch it once, then ask to confirm (or to choose
    one, when the page links to several)."""
    target, name = split_first(command_rest(update))
    if not target:
        await usage(update, "usage_addfeed")
        return
    await propose_source(update, context, target, name)


async def propose_source(update: Update, context: DozorContext, target: str, name: str = "") -> None:
    """Find the feed of what an admin gave (/addfeed, a pasted link), fetch it once, then ask to add it (or to
    choose one, when the page links to several)."""
    language = lang(update)
    target = with_scheme(target)
    try:
        url = await read(context, address_of, target)
    except Refused as refused:
        await reply(update, refusal_text(refused, language))
        return
    progress = await reply(update, t("addfeed_checking", language, url=echo(url)))
    rules = await asyncio.to_thread(context.services.collector.rules)
    try:
        found = await readable_feeds(discoverer(context), context.services.sessions, target, rules, utcnow(), name or None)
    except Refused as refused:
        await edit(progress, refusal_text(refused, language))
        return
    tz = await zone(update, context)
    if len(found) == 1:
        await _ask_to_add(context, progress, found[0], url, language, tz)
        return
    pending = {"feeds": [asdict(preview) for preview in found], "page": url}
    labels = [f"{n}. {short(p.title or p.name, 40)}" for n, p in enumerate(found[:MAX_OPTIONS], 1)]
    buttons = CHOOSE_FEED.offer(context, pending, language, labels, "btn_cancel")
    await edit(progress, choice_text(found[:MAX_OPTIONS], language, url, tz), reply_markup=buttons)


async def _ask_to_add(context: DozorContext, message, preview: FeedPreview, page: str, language: str, tz: ZoneInfo) -> None:
    pending = {
        "url": preview.url, "kind": preview.kind, "name": preview.name, "platform": preview.platform,
        "origin": preview.origin,
    }
    buttons = ADD_FEED.ask(context, pending, language, "btn_add", "btn_cancel")
    await edit(message, preview_text(preview, language, page, tz), reply_markup=buttons)


@requires(ADMIN)
async def choose_feed_button(update: Update, context: DozorContext) -> None:
    """A feed chosen among those a page links to: show it with Add / Cancel."""
    query = update.callback_query
    language = lang(update)
    pending = await CHOOSE_FEED.confirmed(update, context)
    if pending is None:
        return
    if pending["chosen"] >= len(pending["feeds"]):
        await edit(query.message, t("cancelled", language))
        return
    preview = FeedPreview(**pending["feeds"][pending["chosen"]])
    await _ask_to_add(context, query.message, preview, pending["page"], language, await zone(update, context))


@requires(ADMIN)
async def add_feed_button(update: Update, context: DozorContext) -> None:
    """The Add / Cancel buttons under a test fetch."""
    query = update.callback_query
    language = lang(update)
    pending = await ADD_FEED.confirmed(update, context)
    if pending is None:
        return
    try:
        add = partial(source_changes.add, platform=pending.get("platform"), origin=pending.get("origin"))
        source = await in_transaction(context, add, pending["url"], pending["name"], pending["kind"], actor_of(update))
    except source_store.SourceExists as exc:
        await edit(query.message, t("addfeed_duplicate", language, url=pending["url"], id=exc.source_id))
        return
    await edit(query.message, t("addfeed_added", language, id=source.id, name=source.name))
