"""Admin commands: roles, sources, topics and rules, the audit log; registers them."""
from __future__ import annotations

from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.admin import audit_log, channels, opml_files, people, sources, topics
from bot.commands import ADMIN, Command, add_commands

# Runs after the subscriber's /topics handler (group 0), adding the rules for admins.
TOPICS_EXTENSION_GROUP = 1


def _c(name: str, en: str, ru: str, uk: str) -> Command:
    return Command(name, ADMIN, {"en": en, "ru": ru, "uk": uk})


ADMIN_COMMANDS = [
    _c("feeds", "sources and their health", "источники и их состояние", "джерела та їхній стан"),
    _c("feed", "one source: details and errors", "источник: подробности и ошибки", "джерело: подробиці й помилки"),
    _c("addfeed", "add a feed, site or @channel", "добавить ленту, сайт или @канал", "додати стрічку, сайт або @канал"),
    _c("removefeed", "remove a source", "удалить источник", "видалити джерело"),
    _c("pausefeed", "pause a source", "поставить источник на паузу", "поставити джерело на паузу"),
    _c("resumefeed", "resume a source", "возобновить источник", "відновити джерело"),
    _c("exportfeeds", "sources as OPML (send an .opml file to import)", "источники в OPML (пришлите .opml для импорта)",
       "джерела в OPML (надішліть .opml для імпорту)"),
    _c("addtopic", "add a topic", "добавить тему", "додати тему"),
    _c("addnarrative", "add a narrative (rules as for topics)", "добавить нарратив (правила как у тем)",
       "додати наратив (правила як у тем)"),
    _c("removetopic", "remove a topic", "удалить тему", "видалити тему"),
    _c("keywords", "a topic's rules", "правила темы", "правила теми"),
    _c("addkw", "add a rule to a topic", "добавить правило в тему", "додати правило до теми"),
    _c("delkw", "remove a rule", "удалить правило", "видалити правило"),
    _c("testrule", "try a rule on stored items", "проверить правило на сохранённом", "перевірити правило на збереженому"),
    _c("reapply", "re-match stored items", "пересчитать совпадения", "перерахувати збіги"),
    _c("channel", "post a topic into a channel or group", "публиковать тему в канал или группу",
       "публікувати тему в канал або групу"),
    _c("admins", "list, add or remove admins", "администраторы", "адміністратори"),
    _c("volunteers", "who may use volunteer commands", "кто волонтёр", "хто волонтер"),
    _c("audit", "latest admin changes", "последние изменения", "останні зміни"),
]

HANDLERS = {
    "feeds": sources.feeds_list,
    "feed": sources.feed_details,
    "addfeed": sources.add_feed,
    "removefeed": sources.remove_feed,
    "pausefeed": sources.pause_feed,
    "resumefeed": sources.resume_feed,
    "exportfeeds": opml_files.export_feeds,
    "addtopic": topics.add_topic,
    "addnarrative": topics.add_narrative,
    "removetopic": topics.remove_topic,
    "keywords": topics.keywords,
    "addkw": topics.add_rule,
    "delkw": topics.delete_rule,
    "testrule": topics.test_rule,
    "reapply": topics.reapply,
    "channel": channels.channel,
    "admins": people.admins,
    "volunteers": people.volunteers,
    "audit": audit_log.audit_log,
}

# Slow commands (fetches, matching thousands of items) run beside other updates instead of holding them up.
SLOW = {"addfeed", "testrule", "reapply", "channel"}

OPML_FILES = filters.Document.FileExtension("opml") | filters.Document.MimeType("text/x-opml")


def register(application) -> None:
    """The admin commands, their buttons and the OPML upload."""
    add_commands(ADMIN_COMMANDS)
    for name, handler in HANDLERS.items():
        application.add_handler(CommandHandler(name, handler, block=name not in SLOW))
    application.add_handler(CommandHandler("topics", topics.topics_rules), group=TOPICS_EXTENSION_GROUP)
    application.add_handler(CallbackQueryHandler(sources.add_feed_button, pattern=sources.ADD_FEED.route))
    application.add_handler(CallbackQueryHandler(sources.choose_feed_button, pattern=sources.CHOOSE_FEED.route))
    application.add_handler(CallbackQueryHandler(sources.remove_feed_button, pattern=sources.REMOVE_FEED.route))
    application.add_handler(CallbackQueryHandler(people.restrict_button, pattern=people.RESTRICT.route))
    application.add_handler(CallbackQueryHandler(topics.test_rule_button, pattern=topics.SAVE_RULES.route))
    application.add_handler(CallbackQueryHandler(topics.remove_topic_button, pattern=topics.REMOVE_TOPIC.route))
    application.add_handler(MessageHandler(OPML_FILES, opml_files.import_opml, block=False))
