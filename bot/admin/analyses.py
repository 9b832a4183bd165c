"""/addanalysis URL [date] Title: an admin adds an analysis of the community, as text or as an attached file."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.access import requires
from bot.admin.common import actor_of
from bot.commands import ADMIN, Command, add_commands
from bot.common import in_transaction, lang, reply
from bot.context import DozorContext
from bot.texts import problem_of, t
from feeds.analyses.linking import AnalysisInputError, add_analysis
from feeds.normalize import html_to_text

ADD_CAPTION = re.compile(r"^/addanalysis(?:@\w+)?(?:\s|$)")
MAX_FILE_BYTES = 2 * 1024 * 1024

COMMANDS = [
    Command("addanalysis", ADMIN, {"en": "add an analysis (URL and text or file)", "ru": "добавить анализ",
                                   "uk": "додати аналіз"}),
]


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


@requires(ADMIN)
async def addanalysis(update: Update, context: DozorContext) -> None:
    """/addanalysis URL [date] Title, then the text below it or in an attached file."""
    language = lang(update)
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
        await reply(update, t("addanalysis_usage", language))
        return

    actor = actor_of(update)

    def work(session):
        return add_analysis(session, url, title or None, content, published, origin="bot", actor=actor)

    try:
        added = await in_transaction(context, work)
    except AnalysisInputError as error:
        await reply(update, t("addanalysis_bad", language, reason=problem_of(error, language)) + "\n\n" + t("addanalysis_usage", language))
        return
    topics = ", ".join(added.topics) or t("none", language)
    await reply(update, t(
        "addanalysis_done", language, id=added.id, verb=t("added" if added.created else "updated", language),
        title=added.title, citations=added.citations, cited=added.cited_items, similar=added.similar_items, topics=topics,
    ))


def register(application) -> None:
    """/addanalysis as a command, or as the caption of a file."""
    add_commands(COMMANDS)
    application.add_handler(CommandHandler("addanalysis", addanalysis))
    application.add_handler(MessageHandler(filters.Document.ALL & filters.CaptionRegex(ADD_CAPTION), addanalysis))
