"""Analyses in the chat: /analysis [topic|id] for volunteers, /addanalysis (text or a file) for admins."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.analysis_views import analysis_view
from bot.commands import ADMIN, VOLUNTEER, Command, add_commands
from bot.context import DozorContext
from bot.handlers.common import db, lang, reply
from bot.handlers.volunteer import send_blocks, volunteers_only, zone
from bot.queries import topic_named
from bot.results import render_analysis, render_analysis_summary
from bot.texts import t
from bot.texts_volunteer import tv
from feeds.analyses import AnalysisInputError, add_analysis
from feeds.normalize import html_to_text
from storage import analyses as analysis_store
from storage import chats as chat_store

ANALYSIS_LINK = re.compile(r"^/analysis_(\d{1,9})(?:@\w+)?$")
ADD_CAPTION = re.compile(r"^/addanalysis(?:@\w+)?(?:\s|$)")
MAX_FILE_BYTES = 2 * 1024 * 1024
LISTED = 10

COMMANDS = [
    Command("analysis", VOLUNTEER, {"en": "the community's analyses", "ru": "анализы сообщества",
                                    "uk": "аналізи спільноти"}),
    Command("addanalysis", ADMIN, {"en": "add an analysis (URL and text or file)", "ru": "добавить анализ",
                                   "uk": "додати аналіз"}),
]


@volunteers_only
async def analysis(update: Update, context: DozorContext) -> None:
    """/analysis: recent analyses; /analysis <topic>: of one topic; /analysis <id> (or /analysis_<id>): one in full."""
    language = lang(update)
    tz = await zone(update, context)
    linked = ANALYSIS_LINK.match((update.effective_message.text or "").strip())
    wanted = linked[1] if linked else " ".join(context.args or [])

    def one(session, analysis_id: int):
        view = analysis_view(session, analysis_id)
        if view is None:
            return [tv("analysis_missing", language, id=analysis_id)]
        return render_analysis(view, chat_store.topic_titles(session), tz, language)

    def listing(session):
        titles = chat_store.topic_titles(session)
        topic = topic_named(titles, wanted) if wanted else None
        if wanted and topic is None:
            return [t("unknown_topic", language, topic=wanted, known=", ".join(titles))]
        suffix = f": {titles[topic]}" if topic else ""
        rows = analysis_store.recent_analyses(session, topic, LISTED)
        if not rows:
            return [tv("analyses_none", language, topic=suffix)]
        return [tv("analyses_header", language, topic=suffix)] + [render_analysis_summary(r, tz, language) for r in rows]

    if wanted.isdigit():
        await send_blocks(update, await db(context, one, int(wanted)))
    else:
        await send_blocks(update, await db(context, listing))


def read_request(text: str) -> tuple[str, datetime | None, str, str]:
    """(URL, published, title, text) from "/addanalysis URL [YYYY-MM-DD] Title" and the lines below it."""
    first, _, rest = text.partition("\n")
    words = first.split()[1:]
    if not words:
        raise AnalysisInputError("no URL")
    url, words = words[0], words[1:]
    published = None
    if words:
        try:
            published = datetime.strptime(words[0], "%Y-%m-%d").replace(tzinfo=timezone.utc)
            words = words[1:]
        except ValueError:
            pass
    return url, published, " ".join(words), rest


def as_html_document(telegram_html: str) -> str:
    """Telegram's message HTML as a document: its line breaks are newlines, which HTML would fold into spaces."""
    return telegram_html.replace("\n", "<br>\n")


async def _document_text(update: Update) -> str:
    document = update.effective_message.document
    if document.file_size and document.file_size > MAX_FILE_BYTES:
        raise AnalysisInputError(f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    data = await (await document.get_file()).download_as_bytearray()
    return bytes(data).decode("utf-8", errors="replace")


async def addanalysis(update: Update, context: DozorContext) -> None:
    """/addanalysis URL [date] Title, then the text below it or in an attached file."""
    language = lang(update)
    if not await context.services.is_admin(update):
        await reply(update, tv("admins_only", language))
        return
    message = update.effective_message
    try:
        if message.document:
            url, published, title, _ = read_request(message.caption or "")
            content = await _document_text(update)
        else:
            url, published, title, _ = read_request(message.text or "")
            content = as_html_document((message.text_html or "").partition("\n")[2])
        if not html_to_text(content).strip():
            raise AnalysisInputError("no text")
    except AnalysisInputError:
        await reply(update, tv("addanalysis_usage", language))
        return

    def work(session):
        return add_analysis(session, url, title or None, content, published, origin="bot")

    try:
        added = await db(context, work)
    except AnalysisInputError as error:
        await reply(update, tv("addanalysis_bad", language, reason=str(error)) + "\n\n" + tv("addanalysis_usage", language))
        return
    topics = ", ".join(added.topics) or tv("none", language)
    await reply(update, tv(
        "addanalysis_done", language, id=added.id, verb=tv("added" if added.created else "updated", language),
        title=added.title, citations=added.citations, cited=added.cited_items, similar=added.similar_items, topics=topics,
    ))


def register(application) -> None:
    """/analysis and /addanalysis (as a command, or as the caption of a file)."""
    add_commands(COMMANDS)
    application.add_handler(CommandHandler("analysis", analysis))
    application.add_handler(MessageHandler(filters.Regex(ANALYSIS_LINK), analysis))
    application.add_handler(CommandHandler("addanalysis", addanalysis))
    application.add_handler(MessageHandler(filters.Document.ALL & filters.CaptionRegex(ADD_CAPTION), addanalysis))
