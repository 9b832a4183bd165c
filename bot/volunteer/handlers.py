"""Commands for volunteers: /search (with Prev/Next buttons), /latest, /item, /sources, /trend, /timeline, /narratives."""
from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.constants import ParseMode
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.access import requires
from bot.commands import VOLUNTEER, Command, add_commands
from bot.common import edit, lang, read, reply, reply_pieces, whole_number, zone
from bot.context import DozorContext
from bot.texts import t
from bot.volunteer import narratives, timeline, trend, use_cases
from bot.volunteer.render import (
    render_brief,
    render_history,
    render_item,
    render_query_error,
    render_search,
    render_source,
)
from storage import browse
from storage import source_health
from storage import topics as topic_store
from storage.models import utcnow
from storage.search.types import EXAMPLE, QueryError
from storage.timeline import topic_timeline

PAGE_BUTTON = re.compile(r"^sp:([0-9a-f]{12}):(\d{1,4})$")
ITEM_LINK = re.compile(r"^/item_(\d{1,18})(?:@\w+)?$")
HISTORY_LINK = re.compile(r"^/history_(\d{1,18})(?:@\w+)?$")

COMMANDS = [
    Command("search", VOLUNTEER, {"en": "search the archive", "ru": "поиск по архиву", "uk": "пошук в архіві"}),
    Command("latest", VOLUNTEER, {"en": "newest matched items", "ru": "свежие материалы", "uk": "свіжі матеріали"}),
    Command("item", VOLUNTEER, {"en": "one item in full", "ru": "материал целиком", "uk": "матеріал повністю"}),
    Command("history", VOLUNTEER, {"en": "every version of an item", "ru": "все версии материала",
                                   "uk": "усі версії матеріалу"}),
    Command("sources", VOLUNTEER, {"en": "sources and their health", "ru": "источники и их состояние",
                                   "uk": "джерела та їхній стан"}),
    Command("trend", VOLUNTEER, {"en": "chart of matches per day", "ru": "график совпадений по дням",
                                 "uk": "графік збігів по днях"}),
    Command("narratives", VOLUNTEER, {"en": "how each kind of source tells a topic", "ru": "нарративы темы по типам источников",
                                      "uk": "наративи теми за типами джерел"}),
    Command("timeline", VOLUNTEER, {"en": "a topic's stories in time order, with references",
                                    "ru": "хронология сюжетов темы со ссылками", "uk": "хронологія сюжетів теми з посиланнями"}),
]


def saved_queries(context: DozorContext) -> use_cases.SavedQueries:
    """The search texts behind the Prev/Next buttons (plain data kept in bot_data)."""
    return use_cases.SavedQueries(context.bot_data.setdefault("search_queries", OrderedDict()))


def pager(key: str, number: int, has_next: bool, language: str) -> InlineKeyboardMarkup | None:
    """Prev/Next buttons for a page of results."""
    buttons = []
    if number > 0:
        buttons.append(InlineKeyboardButton(t("btn_prev", language), callback_data=f"sp:{key}:{number - 1}"))
    if has_next:
        buttons.append(InlineKeyboardButton(t("btn_next", language), callback_data=f"sp:{key}:{number + 1}"))
    return InlineKeyboardMarkup([buttons]) if buttons else None


async def _search_message(context: DozorContext, text: str, number: int, tz: ZoneInfo, language: str):
    """(HTML, keyboard) of a search page; a bad query gives an explanation and no keyboard."""
    try:
        result = await read(context, use_cases.search_page, text, number)
    except QueryError as error:
        return render_query_error(error, language), None
    key = saved_queries(context).remember(text)
    return render_search(result, tz, language), pager(key, number, result.page.has_next, language)


@requires(VOLUNTEER)
async def search(update: Update, context: DozorContext) -> None:
    """/search <query>: the first page of results."""
    language = lang(update)
    text = " ".join(context.args)
    if not text:
        await reply(update, t("search_help", language, example=EXAMPLE))
        return
    html, keyboard = await _search_message(context, text, 0, await zone(update, context), language)
    await reply(update, html, reply_markup=keyboard)


@requires(VOLUNTEER)
async def search_page(update: Update, context: DozorContext) -> None:
    """A Prev/Next button: show that page in the same message."""
    query = update.callback_query
    language = lang(update)
    found = PAGE_BUTTON.match(query.data or "")
    text = saved_queries(context).recall(found[1]) if found else None
    if text is None:
        await query.answer(t("search_expired", language), show_alert=True)
        return
    html, keyboard = await _search_message(context, text, int(found[2]), await zone(update, context), language)
    await query.answer()
    await edit(query.message, html, reply_markup=keyboard)  # pressed twice: the page is shown already, fine


@requires(VOLUNTEER)
async def latest(update: Update, context: DozorContext) -> None:
    """/latest [topic] [N]: the newest matched items."""
    language = lang(update)
    tz = await zone(update, context)

    def work(session):
        try:
            found = use_cases.latest(session, list(context.args), language)
        except use_cases.LatestInputError:
            known = topic_store.topic_titles(session)
            example = next(iter(known), "csto")
            return [t("latest_usage", language, example=example, most=use_cases.LATEST_MOST, known=", ".join(known))]
        topic = f": {found.titles[found.topic]}" if found.topic else ""
        if not found.items:
            return [t("latest_none", language, topic=topic)]
        blocks = [t("latest_header", language, topic=topic)]
        return blocks + [render_brief(i, found.titles, tz, language, found.analyses.get(i.id, [])) for i in found.items]

    await reply_pieces(update, await read(context, work))


def _item_id(update: Update, context: DozorContext, pattern: re.Pattern = ITEM_LINK) -> int | None:
    text = update.effective_message.text or ""
    linked = pattern.match(text.strip())
    if linked:
        return int(linked[1])
    args = context.args or []
    return whole_number(args[0].lstrip("#")) if args else None


@requires(VOLUNTEER)
async def item(update: Update, context: DozorContext) -> None:
    """/item <id> (or /item_<id>): one item in full."""
    language = lang(update)
    item_id = _item_id(update, context)
    if item_id is None:
        await reply(update, t("item_usage", language))
        return
    tz = await zone(update, context)

    def work(session):
        view = use_cases.item_view(session, item_id, language)
        return render_item(view, tz, language) if view else [t("item_missing", language, id=item_id)]

    await reply_pieces(update, await read(context, work), "\n")


@requires(VOLUNTEER)
async def history(update: Update, context: DozorContext) -> None:
    """/history <id> (or /history_<id>): every version of an item with its times and what changed."""
    language = lang(update)
    item_id = _item_id(update, context, HISTORY_LINK)
    if item_id is None:
        await reply(update, t("history_usage", language))
        return
    tz = await zone(update, context)

    def work(session):
        item = browse.item_in_full(session, item_id)
        return render_history(item, tz, language) if item else [t("item_missing", language, id=item_id)]

    await reply_pieces(update, await read(context, work))


@requires(VOLUNTEER)
async def sources(update: Update, context: DozorContext) -> None:
    """/sources: every monitored source with its health."""
    language = lang(update)
    tz = await zone(update, context)

    def work(session):
        rows = use_cases.sources_health(session, utcnow())
        if not rows:
            return [t("sources_none", language)]
        header = t("sources_header", language, n=len(rows), days=source_health.HEALTH_DAYS)
        return [header] + [render_source(r, tz, language) for r in rows]

    await reply_pieces(update, await read(context, work))


def period_text(period: trend.Period, language: str) -> str:
    """"in the last 7d", "from 01.01.2022 to 20.01.2022"."""
    if period.length is None:
        return t("trend_range", language, first=f"{period.first:%d.%m.%Y}", last=f"{period.last:%d.%m.%Y}")
    hours = int(period.length.total_seconds() // 3600)
    return t("trend_last", language, period=f"{hours // 24}d" if hours % 24 == 0 else f"{hours}h")


def busiest_text(series: trend.Series, language: str) -> str:
    """The busiest hour of an hourly chart, or the busiest day."""
    bucket, count = series.busiest()
    if series.hourly:
        return t("trend_busiest_hour", language, hour=f"{bucket:%d.%m.%Y %H:00}", count=count)
    return t("trend_busiest_day", language, day=f"{bucket:%d.%m.%Y}", count=count)


@requires(VOLUNTEER)
async def trend_command(update: Update, context: DozorContext) -> None:
    """/trend <topic or word> [7d|30d|90d|FROM..TO]: a chart of items, sent as a photo."""
    language = lang(update)
    tz = await zone(update, context)
    no_topic = t("no_topic_line", language)

    def work(session):
        request = trend.trend_request(session, list(context.args))
        return request, trend.trend_series(session, request, utcnow(), tz, no_topic)

    try:
        request, series = await read(context, work)
    except trend.TrendInputError:
        known = await read(context, topic_store.topic_titles)
        await reply(update, t("trend_usage", language, example=next(iter(known), "csto"), known=", ".join(known)))
        return
    except QueryError as error:
        await reply(update, render_query_error(error, language))
        return
    period = period_text(request.period, language)
    if not series.total:
        await reply(update, t("trend_none", language, what=request.label, period=period))
        return
    caption = t("trend_caption", language, what=request.label, total=series.total, period=period,
                busiest=busiest_text(series, language))
    if series.capped:
        caption += t("trend_capped", language, n=trend.WORD_ITEMS_CAP)
    axis = t("trend_axis_hour" if series.hourly else "trend_axis_day", language)
    chart = await asyncio.to_thread(trend.render_chart, series, tz, f"{request.label} · {period}", axis)
    await update.effective_message.reply_photo(chart, caption=caption, parse_mode=ParseMode.HTML)


async def _topics_usage(update: Update, context: DozorContext, key: str) -> None:
    known = await read(context, topic_store.topic_titles)
    await reply(update, t(key, lang(update), example=next(iter(known), "csto"), known=", ".join(known)))


@requires(VOLUNTEER)
async def timeline_command(update: Update, context: DozorContext) -> None:
    """/timeline <topic> [since] [until]: the topic's stories in time order; a Markdown file when long."""
    language = lang(update)
    tz = await zone(update, context)

    def work(session):
        request = timeline.timeline_request(session, list(context.args), utcnow(), tz)
        return request, topic_timeline(session, request.topic, request.since, request.until, timeline.CHAT_STORIES)

    try:
        request, found = await read(context, work)
    except timeline.TimelineInputError as error:
        if error.args and error.args[0]:
            await reply(update, t("timeline_bad_dates", language, reason=error.args[0]))
        else:
            await _topics_usage(update, context, "timeline_usage")
        return
    since, until = timeline.day_text(request.since, tz), timeline.day_text(request.until, tz)
    if not found.total:
        await reply(update, t("timeline_none", language, topic=request.title, since=since, until=until))
        return
    message = timeline.render_message(request, found, tz, language)
    if message is not None:
        await reply(update, message)
        return
    document = timeline.render_markdown(request, found, tz, language).encode("utf-8")
    caption = t("timeline_file_caption", language, topic=request.title, n=found.total, since=since, until=until,
                refs=timeline.reference_count(found))
    await update.effective_message.reply_document(
        InputFile(document, filename=timeline.file_name(request, tz)), caption=caption, parse_mode=ParseMode.HTML
    )


CAPTION_LIMIT = 1024


@requires(VOLUNTEER)
async def narratives_command(update: Update, context: DozorContext) -> None:
    """/narratives <topic> [7d|30d|90d]: each narrative's share per day and source label (a chart) and a summary."""
    language = lang(update)
    tz = await zone(update, context)

    def work(session):
        request = narratives.narratives_request(session, list(context.args))
        return request, *narratives.narrative_shares(session, request, utcnow(), tz)

    try:
        request, found, titles = await read(context, work)
    except narratives.NarrativesInputError:
        await _topics_usage(update, context, "narratives_usage")
        return
    period = period_text(request.period, language)
    if not titles:
        await reply(update, t("narratives_no_narratives", language))
        return
    if not found.labels():
        await reply(update, t("narratives_none", language, topic=request.title, period=period))
        return
    text = narratives.summary(request, found, titles, period, language)
    heading = f"{request.title} · {period}"
    chart = await asyncio.to_thread(narratives.render_chart, found, titles, heading, language)
    caption = text if len(text) <= CAPTION_LIMIT else text.split("\n", 1)[0]
    await update.effective_message.reply_photo(chart, caption=caption, parse_mode=ParseMode.HTML)
    if caption != text:
        await reply_pieces(update, [text])


def register(application) -> None:
    """The volunteer commands and the search page buttons."""
    add_commands(COMMANDS)
    handlers = {
        "search": search, "latest": latest, "item": item, "history": history, "sources": sources, "trend": trend_command,
        "timeline": timeline_command, "narratives": narratives_command,
    }
    for name, handler in handlers.items():
        application.add_handler(CommandHandler(name, handler))
    application.add_handler(MessageHandler(filters.Regex(ITEM_LINK), item))
    application.add_handler(MessageHandler(filters.Regex(HISTORY_LINK), history))
    application.add_handler(CallbackQueryHandler(search_page, pattern=PAGE_BUTTON))
