"""What /lang and /topictitle say, in English, Russian and Ukrainian."""
from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "lang_current": {
        "en": "Dozor speaks to you in <b>{name}</b>{how}. Choose another language:",
        "ru": "Dozor говорит с вами на языке: <b>{name}</b>{how}. Выберите другой язык:",
        "uk": "Dozor говорить з вами мовою: <b>{name}</b>{how}. Оберіть іншу мову:",
    },
    "lang_from_telegram": {
        "en": " (as your Telegram is set)",
        "ru": " (как в настройках вашего Telegram)",
        "uk": " (як у налаштуваннях вашого Telegram)",
    },
    "lang_chosen": {
        "en": "From now on Dozor speaks <b>{name}</b> here, whatever Telegram's language. Change it with /lang.",
        "ru": "Теперь Dozor говорит здесь на языке: <b>{name}</b>, что бы ни стояло в Telegram. Сменить: /lang.",
        "uk": "Тепер Dozor говорить тут мовою: <b>{name}</b>, хоч би що стояло в Telegram. Змінити: /lang.",
    },
    "lang_reset": {
        "en": "Dozor follows Telegram's language again: <b>{name}</b>.",
        "ru": "Dozor снова следует языку Telegram: <b>{name}</b>.",
        "uk": "Dozor знову дотримується мови Telegram: <b>{name}</b>.",
    },
    "lang_unknown": {
        "en": "Dozor does not speak {given}. Languages: {known}.",
        "ru": "Dozor не говорит на «{given}». Языки: {known}.",
        "uk": "Dozor не розмовляє мовою «{given}». Мови: {known}.",
    },
    "btn_lang_telegram": {"en": "🔄 As in Telegram", "ru": "🔄 Как в Telegram", "uk": "🔄 Як у Telegram"},
    # /topictitle (admins)
    "usage_topictitle": {
        "en": "/topictitle TOPIC LANGUAGE TITLE (languages: {languages}; no title removes it)",
        "ru": "/topictitle ТЕМА ЯЗЫК НАЗВАНИЕ (языки: {languages}; без названия — убрать)",
        "uk": "/topictitle ТЕМА МОВА НАЗВА (мови: {languages}; без назви — прибрати)",
    },
    "topic_titles": {
        "en": "Titles of <b>{title}</b> ({id}): {titles}",
        "ru": "Названия темы <b>{title}</b> ({id}): {titles}",
        "uk": "Назви теми <b>{title}</b> ({id}): {titles}",
    },
    "topic_title_set": {
        "en": "<b>{id}</b> is now called <b>{title}</b> for {language} readers.",
        "ru": "Для читателей на языке {language} тема <b>{id}</b> теперь называется <b>{title}</b>.",
        "uk": "Для читачів мовою {language} тема <b>{id}</b> тепер називається <b>{title}</b>.",
    },
    "audit_topic_title": {
        "en": "{topic} titled in {language}: {old} → {new}",
        "ru": "название темы {topic} на языке {language}: {old} → {new}",
        "uk": "назва теми {topic} мовою {language}: {old} → {new}",
    },
    "topic_title_removed": {
        "en": "<b>{id}</b> has no {language} title now; its own title is shown.",
        "ru": "У темы <b>{id}</b> больше нет названия на языке {language}; показывается основное.",
        "uk": "Тема <b>{id}</b> більше не має назви мовою {language}; показується основна.",
    },
}

# Each language by its own name, as the /lang buttons show it.
NAMES = {"en": "English", "ru": "Русский", "uk": "Українська", "kk": "Қазақша"}
