"""/analysis [topic|id]: the community's analyses and the stored items they cite, for volunteers."""
from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.access import requires
from bot.commands import VOLUNTEER, Command, add_commands
from bot.common import lang, read, reply_pieces, whole_number, zone
from bot.context import DozorContext
from bot.markup import echo
from bot.texts import t
from bot.volunteer.analysis_views import analysis_view
from bot.volunteer.render import render_analysis, render_analysis_summary
from storage import analyses as analysis_store
from storage import topics as topic_store

ANALYSIS_LINK = re.compile(r"^/analysis_(\d{1,9})(?:@\w+)?$")
LISTED = 10

COMMANDS = [
    Command("analysis", VOLUNTEER, {"en": "the community's analyses", "ru": "анализы сообщества",
                                    "uk": "аналізи спільноти"}),
]


@requires(VOLUNTEER)
async def analysis(update: Update, context: DozorContext) -> None:
    """/analysis: recent analyses; /analysis <topic>: of one topic; /analysis <id> (or /analysis_<id>): one in full."""
    language = lang(update)
    tz = await zone(update, context)
    linked = ANALYSIS_LINK.match((update.effective_message.text or "").strip())
    wanted = linked[1] if linked else " ".join(context.args or [])

    def one(session, analysis_id: int | None):
        view = analysis_view(session, analysis_id) if analysis_id is not None else None
        if view is None:
            return [t("analysis_missing", language, id=echo(wanted))]
        return render_analysis(view, topic_store.titles_in(session, language), tz, language)

    def listing(session):
        titles = topic_store.titles_in(session, language)
        topic = topic_store.find_topic(session, wanted) if wanted else None
        if wanted and topic is None:
            return [t("unknown_topic", language, topic=echo(wanted), known=", ".join(titles))]
        suffix = f": {titles[topic]}" if topic else ""
        rows = analysis_store.recent_analyses(session, topic, LISTED)
        if not rows:
            return [t("analyses_none", language, topic=suffix)]
        return [t("analyses_header", language, topic=suffix)] + [render_analysis_summary(r, tz, language) for r in rows]

    if wanted.isdigit():
        await reply_pieces(update, await read(context, one, whole_number(wanted, 9)))
    else:
        await reply_pieces(update, await read(context, listing))


def register(application) -> None:
    """/analysis, also as /analysis_<id>."""
    add_commands(COMMANDS)
    application.add_handler(CommandHandler("analysis", analysis))
    application.add_handler(MessageHandler(filters.Regex(ANALYSIS_LINK), analysis))
