"""/topictitle: a topic's title in each language, as subscribers reading that language see it."""
from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot.access import requires
from bot.admin.common import actor_of, command_rest, usage
from bot.commands import ADMIN, Command, add_commands
from bot.common import in_transaction, lang, read, reply
from bot.context import DozorContext
from bot.markup import echo
from bot.texts import CHOOSABLE, t
from bot.texts.languages import NAMES
from storage import audit, topic_edits
from storage import topics as topic_store


def _change(session, name: str, language: str | None, title: str, actor: audit.Actor | None = None):
    """(topic id, its own title, its titles by language), after setting one (audited) if a language is given;
    None if there is no such topic."""
    topic_id = topic_store.find_topic(session, name)
    topic = topic_edits.get_topic(session, topic_id) if topic_id else None
    if topic is None:
        return None
    if language is not None:
        before = topic_store.translations(session, topic.id).get(language)
        topic_store.set_title(session, topic.id, language, title)
        audit.record(session, actor, "topic.title", topic.id, {language: before}, {language: title[:200] or None})
    return topic.id, topic.title, topic_store.translations(session, topic.id)


@requires(ADMIN)
async def topic_title(update: Update, context: DozorContext) -> None:
    """/topictitle TOPIC [LANGUAGE [TITLE]]: list a topic's titles, or set (or, without a title, remove) one."""
    language = lang(update)
    words = command_rest(update).split(maxsplit=2)
    languages = ", ".join(CHOOSABLE)
    if not words or (len(words) > 1 and words[1].lower() not in CHOOSABLE):
        await usage(update, "usage_topictitle", languages=languages)
        return
    wanted = words[1].lower() if len(words) > 1 else None
    title = words[2].strip() if len(words) > 2 else ""
    if wanted is None:
        found = await read(context, _change, words[0], None, "")
    else:
        found = await in_transaction(context, _change, words[0], wanted, title, actor_of(update))
    if found is None:
        known = await read(context, topic_store.topic_titles)
        await reply(update, t("no_such_topic", language, topic=echo(words[0]), known=", ".join(known)))
        return
    topic_id, own, titles = found
    if wanted is None:
        listed = "; ".join(f"{code}: {text}" for code, text in titles.items()) or t("none", language)
        await reply(update, t("topic_titles", language, title=own, id=topic_id, titles=listed))
    elif title:
        await reply(update, t("topic_title_set", language, id=topic_id, title=title, language=NAMES[wanted]))
    else:
        await reply(update, t("topic_title_removed", language, id=topic_id, language=NAMES[wanted]))


def register(application) -> None:
    """/topictitle."""
    add_commands([Command("topictitle", ADMIN, {
        "en": "a topic's title in a language", "ru": "название темы на языке", "uk": "назва теми мовою",
    })])
    application.add_handler(CommandHandler("topictitle", topic_title))
