"""What the bot says to subscribers, in English, Russian and Ukrainian."""
from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "start": {
        "en": "<b>Dozor</b> watches news outlets and Telegram channels for OSINT volunteers and sends you what "
        "matches your topics: instant alerts or a digest.\n\nTap a topic to subscribe, or send /help.",
        "ru": "<b>Dozor</b> следит за СМИ и Telegram-каналами для OSINT-волонтёров и присылает то, что относится "
        "к вашим темам: мгновенно или дайджестом.\n\nНажмите на тему, чтобы подписаться, или отправьте /help.",
        "uk": "<b>Dozor</b> стежить за ЗМІ та Telegram-каналами для OSINT-волонтерів і надсилає те, що стосується "
        "ваших тем: миттєво або дайджестом.\n\nНатисніть на тему, щоб підписатися, або надішліть /help.",
    },
    "help_title": {"en": "Commands:", "ru": "Команды:", "uk": "Команди:"},
    "topics": {
        "en": "Topics (✅ = subscribed). Tap to subscribe or unsubscribe:",
        "ru": "Темы (✅ = вы подписаны). Нажмите, чтобы подписаться или отписаться:",
        "uk": "Теми (✅ = ви підписані). Натисніть, щоб підписатися або відписатися:",
    },
    "no_topics": {"en": "There are no topics yet.", "ru": "Тем пока нет.", "uk": "Тем поки немає."},
    "subscribed": {
        "en": "Subscribed to <b>{topic}</b>. Delivery: {mode}. Change it with /settings.",
        "ru": "Вы подписались на <b>{topic}</b>. Доставка: {mode}. Изменить: /settings.",
        "uk": "Ви підписалися на <b>{topic}</b>. Доставка: {mode}. Змінити: /settings.",
    },
    "already_subscribed": {
        "en": "You already follow <b>{topic}</b>.",
        "ru": "Вы уже подписаны на <b>{topic}</b>.",
        "uk": "Ви вже підписані на <b>{topic}</b>.",
    },
    "unsubscribed": {
        "en": "Unsubscribed from <b>{topic}</b>.",
        "ru": "Вы отписались от <b>{topic}</b>.",
        "uk": "Ви відписалися від <b>{topic}</b>.",
    },
    "unsubscribed_all": {
        "en": "Unsubscribed from all topics.",
        "ru": "Вы отписались от всех тем.",
        "uk": "Ви відписалися від усіх тем.",
    },
    "not_subscribed": {
        "en": "You do not follow <b>{topic}</b>.",
        "ru": "Вы не подписаны на <b>{topic}</b>.",
        "uk": "Ви не підписані на <b>{topic}</b>.",
    },
    "unknown_topic": {
        "en": "There is no topic <b>{topic}</b>. Topics: {known}.",
        "ru": "Темы <b>{topic}</b> нет. Темы: {known}.",
        "uk": "Теми <b>{topic}</b> немає. Теми: {known}.",
    },
    "usage_subscribe": {
        "en": "Which topic? For example: /subscribe {example}",
        "ru": "На какую тему? Например: /subscribe {example}",
        "uk": "На яку тему? Наприклад: /subscribe {example}",
    },
    "usage_unsubscribe": {
        "en": "Which topic? For example: /unsubscribe {example} or /unsubscribe all",
        "ru": "От какой темы? Например: /unsubscribe {example} или /unsubscribe all",
        "uk": "Від якої теми? Наприклад: /unsubscribe {example} або /unsubscribe all",
    },
    "stopped": {
        "en": "Done: no more messages. Send /start to come back.",
        "ru": "Готово: сообщений больше не будет. Чтобы вернуться, отправьте /start.",
        "uk": "Готово: повідомлень більше не буде. Щоб повернутися, надішліть /start.",
    },
    "group_admins_only": {
        "en": "Only this group's administrators can change its subscriptions.",
        "ru": "Подписки группы могут менять только её администраторы.",
        "uk": "Підписки групи можуть змінювати лише її адміністратори.",
    },
    "settings": {
        "en": "Delivery: <b>{mode}</b>\nTime zone: <b>{tz}</b>\nQuiet hours: <b>{quiet}</b>\n\n"
        "Choose below, or type e.g. /settings daily 08:00 Asia/Almaty, /settings hourly, /settings instant, "
        "/settings quiet 23:00-07:00, /settings quiet off",
        "ru": "Доставка: <b>{mode}</b>\nЧасовой пояс: <b>{tz}</b>\nТихие часы: <b>{quiet}</b>\n\n"
        "Выберите ниже или напишите, например: /settings daily 08:00 Asia/Almaty, /settings hourly, "
        "/settings instant, /settings quiet 23:00-07:00, /settings quiet off",
        "uk": "Доставка: <b>{mode}</b>\nЧасовий пояс: <b>{tz}</b>\nТихі години: <b>{quiet}</b>\n\n"
        "Оберіть нижче або напишіть, наприклад: /settings daily 08:00 Asia/Almaty, /settings hourly, "
        "/settings instant, /settings quiet 23:00-07:00, /settings quiet off",
    },
    "settings_bad": {
        "en": "I did not understand that. {reason}\nExamples: /settings daily 08:00 Asia/Almaty, "
        "/settings hourly, /settings instant, /settings quiet 23:00-07:00",
        "ru": "Не понял. {reason}\nПримеры: /settings daily 08:00 Asia/Almaty, /settings hourly, "
        "/settings instant, /settings quiet 23:00-07:00",
        "uk": "Не зрозумів. {reason}\nПриклади: /settings daily 08:00 Asia/Almaty, /settings hourly, "
        "/settings instant, /settings quiet 23:00-07:00",
    },
    # why /settings did not understand its arguments: SettingsInputError codes, worded by bot.texts.explain
    "settings_nothing": {
        "en": "Nothing to change.",
        "ru": "Менять нечего.",
        "uk": "Змінювати нічого.",
    },
    "settings_on_off": {
        "en": "{setting} takes on or off.",
        "ru": "{setting}: укажите on или off.",
        "uk": "{setting}: вкажіть on або off.",
    },
    "settings_unknown": {
        "en": "Unknown setting '{given}'.",
        "ru": "Неизвестная настройка «{given}».",
        "uk": "Невідоме налаштування «{given}».",
    },
    "settings_unexpected": {
        "en": "Unexpected '{given}'.",
        "ru": "Лишнее: «{given}».",
        "uk": "Зайве: «{given}».",
    },
    "settings_no_zone": {
        "en": "Which time zone? For example Asia/Almaty.",
        "ru": "Какой часовой пояс? Например, Asia/Almaty.",
        "uk": "Який часовий пояс? Наприклад, Asia/Almaty.",
    },
    "settings_bad_clock": {
        "en": "'{given}' is not a time like 08:00.",
        "ru": "«{given}» — не время вида 08:00.",
        "uk": "«{given}» — не час вигляду 08:00.",
    },
    "settings_bad_zone": {
        "en": "'{given}' is not a time zone; try Asia/Almaty, Europe/Kyiv or UTC.",
        "ru": "«{given}» — не часовой пояс; попробуйте Asia/Almaty, Europe/Kyiv или UTC.",
        "uk": "«{given}» — не часовий пояс; спробуйте Asia/Almaty, Europe/Kyiv або UTC.",
    },
    "settings_bad_quiet": {
        "en": "Quiet hours look like 23:00-07:00 (or off).",
        "ru": "Тихие часы пишутся так: 23:00-07:00 (или off).",
        "uk": "Тихі години пишуться так: 23:00-07:00 (або off).",
    },
    "mode_instant": {"en": "instant alerts", "ru": "мгновенные оповещения", "uk": "миттєві сповіщення"},
    "mode_hourly": {"en": "hourly digest", "ru": "дайджест каждый час", "uk": "дайджест щогодини"},
    "mode_daily": {"en": "daily digest at {at}", "ru": "дайджест каждый день в {at}", "uk": "дайджест щодня о {at}"},
    "quiet_none": {"en": "none", "ru": "нет", "uk": "немає"},
    "digest_empty": {
        "en": "Nothing new on your topics since {since}.",
        "ru": "По вашим темам ничего нового с {since}.",
        "uk": "З вашої теми нічого нового з {since}.",
    },
    "digest_no_topics": {
        "en": "You follow no topics yet: see /topics.",
        "ru": "Вы пока не подписаны ни на одну тему: см. /topics.",
        "uk": "Ви поки не підписані на жодну тему: див. /topics.",
    },
    "digest_title": {"en": "Dozor digest", "ru": "Дайджест Dozor", "uk": "Дайджест Dozor"},
    "alert_title": {"en": "New on {topics}", "ru": "Новое: {topics}", "uk": "Нове: {topics}"},
    "more_items": {
        "en": "{n} new {n:item|items}",
        "ru": "{n} {n:новый материал|новых материала|новых материалов}",
        "uk": "{n} {n:новий матеріал|нові матеріали|нових матеріалів}",
    },
    "sources": {"en": "sources", "ru": "источники", "uk": "джерела"},
    "button_expired": {
        "en": "This button has expired; run the command again.",
        "ru": "Эта кнопка устарела; повторите команду.",
        "uk": "Ця кнопка застаріла; повторіть команду.",
    },
    "error": {
        "en": "Something went wrong on my side; the admins have been told. Please try again later.",
        "ru": "Что-то пошло не так на моей стороне; администраторы уведомлены. Попробуйте позже.",
        "uk": "Щось пішло не так з мого боку; адміністраторів повідомлено. Спробуйте пізніше.",
    },
    "toast_on": {"en": "Subscribed to {topic}", "ru": "Подписка на {topic}", "uk": "Підписка на {topic}"},
    "toast_off": {"en": "Unsubscribed from {topic}", "ru": "Отписка от {topic}", "uk": "Відписка від {topic}"},
    "btn_instant": {"en": "⚡ Instant", "ru": "⚡ Мгновенно", "uk": "⚡ Миттєво"},
    "btn_hourly": {"en": "🕐 Hourly", "ru": "🕐 Каждый час", "uk": "🕐 Щогодини"},
    "btn_daily": {"en": "📰 Daily {at}", "ru": "📰 Ежедневно {at}", "uk": "📰 Щодня {at}"},
    "settings_signals": {
        "en": "Spike alerts: <b>{spikes}</b> · narrative shift alerts: <b>{shifts}</b> "
        "(/settings spikes on|off, /settings shifts on|off)",
        "ru": "Оповещения о всплесках: <b>{spikes}</b> · о сдвигах нарративов: <b>{shifts}</b> "
        "(/settings spikes on|off, /settings shifts on|off)",
        "uk": "Сповіщення про сплески: <b>{spikes}</b> · про зсуви наративів: <b>{shifts}</b> "
        "(/settings spikes on|off, /settings shifts on|off)",
    },
    "on": {"en": "on", "ru": "вкл.", "uk": "увімк."},
    "off": {"en": "off", "ru": "выкл.", "uk": "вимк."},
    "btn_spikes": {"en": "📈 Spikes: {state}", "ru": "📈 Всплески: {state}", "uk": "📈 Сплески: {state}"},
    "btn_shifts": {"en": "🧭 Shifts: {state}", "ru": "🧭 Сдвиги: {state}", "uk": "🧭 Зсуви: {state}"},
    "spike_alert": {
        "en": "📈 <b>Spike: {topic}</b>: {count} items in the last hour; usually about {usual} at this hour.",
        "ru": "📈 <b>Всплеск: {topic}</b>: {count} материалов за последний час; обычно в это время около {usual}.",
        "uk": "📈 <b>Сплеск: {topic}</b>: {count} матеріалів за останню годину; зазвичай у цей час близько {usual}.",
    },
    "spike_top": {"en": "Top stories:", "ru": "Главные сюжеты:", "uk": "Головні сюжети:"},
    "shift_alert": {
        "en": "🧭 <b>Narrative shift: {topic}</b>: sources labeled <b>{label}</b> now lead with «{after}» instead of "
        "«{before}» since {day}. See /narratives {topic_id}",
        "ru": "🧭 <b>Сдвиг нарратива: {topic}</b>: у источников с меткой <b>{label}</b> с {day} ведущий нарратив «{after}» "
        "вместо «{before}». Подробнее: /narratives {topic_id}",
        "uk": "🧭 <b>Зсув наративу: {topic}</b>: у джерел з міткою <b>{label}</b> з {day} провідний наратив «{after}» "
        "замість «{before}». Докладніше: /narratives {topic_id}",
    },
    "story_first": {"en": "first:", "ru": "первым:", "uk": "першим:"},
    "story_then": {"en": "then", "ru": "затем", "uk": "далі"},
    "btn_quiet": {"en": "🌙 Quiet 23:00-07:00", "ru": "🌙 Тихо 23:00-07:00", "uk": "🌙 Тихо 23:00-07:00"},
    "btn_quiet_off": {"en": "🔔 No quiet hours", "ru": "🔔 Без тихих часов", "uk": "🔔 Без тихих годин"},
    "topic_removed_notice": {
        "en": "ℹ️ The topic <b>{title}</b> that this chat followed was removed by Dozor's admins: its alerts and "
        "digests stop. Still followed: {remaining}. See /topics.",
        "ru": "ℹ️ Тему <b>{title}</b>, на которую был подписан этот чат, удалили администраторы Dozor: оповещений "
        "и дайджестов по ней больше не будет. Остались подписки: {remaining}. См. /topics.",
        "uk": "ℹ️ Тему <b>{title}</b>, на яку був підписаний цей чат, видалили адміністратори Dozor: сповіщень "
        "і дайджестів за нею більше не буде. Залишилися підписки: {remaining}. Див. /topics.",
    },
    "topic_removed_none_left": {"en": "none", "ru": "нет", "uk": "немає"},
}
