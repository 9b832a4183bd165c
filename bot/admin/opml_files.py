"""OPML in and out: /exportfeeds sends the sources as a file; an .opml file an admin sends is imported,
each feed checked as /addfeed checks it, in the background with progress, then a report of what was refused."""
from __future__ import annotations

import asyncio
import time
from html import escape

from telegram import InputFile, Update

from bot.access import requires
from bot.admin.common import actor_of
from bot.admin.sources import discoverer
from bot.commands import ADMIN
from bot.common import edit, in_transaction, lang, reply, reply_pieces
from bot.context import DozorContext
from bot.messages import pack
from bot.texts import problem_of, t
from feeds.sources.opml import MAX_OPML_BYTES, OpmlError, Refusal, all_sources, check_feeds, import_feeds, read_opml, write_opml
from storage.models import utcnow

PROGRESS_EVERY_SECONDS = 3.0  # Telegram tolerates an edit every few seconds
REFUSALS_SHOWN = 50


def _export(session) -> tuple[bytes, int]:
    sources = all_sources(session)
    return write_opml(sources), len(sources)


@requires(ADMIN)
async def export_feeds(update: Update, context: DozorContext) -> None:
    """/exportfeeds: the sources as an OPML document."""
    data, count = await in_transaction(context, _export)
    await update.effective_message.reply_document(
        InputFile(data, filename="dozor-sources.opml"), caption=t("opml_caption", lang(update), n=count)
    )


@requires(ADMIN)
async def import_opml(update: Update, context: DozorContext) -> None:
    """An admin sent an .opml file: check its feeds, add those that pass, report duplicates and refusals."""
    language = lang(update)
    document = update.effective_message.document
    if document.file_size and document.file_size > MAX_OPML_BYTES:
        await reply(update, t("opml_too_large", language, most=MAX_OPML_BYTES // (1024 * 1024)))
        return
    data = bytes(await (await document.get_file()).download_as_bytearray())
    try:
        feeds = await asyncio.to_thread(read_opml, data)
    except OpmlError as exc:
        await reply(update, t("opml_bad", language, reason=problem_of(exc, language)))
        return
    name = document.file_name or "OPML"
    progress = await reply(update, t("opml_checking", language, file=name, done=0, total=len(feeds.feeds)))
    shown = time.monotonic()

    async def report(done: int, total: int) -> None:
        nonlocal shown
        if done < total and time.monotonic() - shown >= PROGRESS_EVERY_SECONDS:
            shown = time.monotonic()
            await edit(progress, t("opml_checking", language, file=name, done=done, total=total))

    rules = await asyncio.to_thread(context.services.collector.rules)
    sessions = context.services.sessions
    checked = await check_feeds(feeds, discoverer(context), sessions, rules, utcnow(), report)
    summary = await in_transaction(context, import_feeds, checked, actor_of(update))
    messages = pack(_report(summary, language), "\n")
    await edit(progress, messages[0])
    if messages[1:]:
        await reply_pieces(update, messages[1:])


def _report(summary, language: str) -> list[str]:
    """The summary line, then each refused feed with the reason."""
    lines = [t("opml_summary", language, added=len(summary.added), duplicates=len(summary.duplicates),
               invalid=len(summary.invalid))]
    lines += [_refusal_line(refusal, language) for refusal in summary.invalid[:REFUSALS_SHOWN]]
    if len(summary.invalid) > REFUSALS_SHOWN:
        lines.append(t("opml_more_refused", language, n=len(summary.invalid) - REFUSALS_SHOWN))
    return lines


def _refusal_line(refusal: Refusal, language: str) -> str:
    """One refused outline: what it named (unless the reason names it already) and why."""
    reason, what = _reason(refusal, language), escape(refusal.what, quote=False)
    return f"• {reason}" if what in reason else f"• {what}: {reason}"


def _reason(refusal: Refusal, language: str) -> str:
    """Why an outline was refused, in the admin's language when its error says (else as the checks said it)."""
    error = refusal.error
    if getattr(error, "unsupported", False):
        return t("opml_unsupported", language)
    if error is not None and hasattr(error, "code"):
        return problem_of(error, language)
    return escape(refusal.message, quote=False)
