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
    "stop_ask": {
        "en": "Pause all messages here? Your subscriptions ({topics}) and settings are kept; /resume or /start "
        "brings the messages back.",
        "ru": "Приостановить все сообщения здесь? Подписки ({topics}) и настройки сохранятся; /resume или /start "
        "вернут сообщения.",
        "uk": "Призупинити всі повідомлення тут? Підписки ({topics}) і налаштування збережуться; /resume або /start "
        "повернуть повідомлення.",
    },
    "paused": {
        "en": "⏸ Paused: no digests or alerts until you resume. Subscriptions and settings are kept.",
        "ru": "⏸ Приостановлено: ни дайджестов, ни оповещений, пока вы не возобновите. Подписки и настройки "
        "сохранены.",
        "uk": "⏸ Призупинено: ні дайджестів, ні сповіщень, доки ви не відновите. Підписки й налаштування "
        "збережено.",
    },
    "already_paused": {
        "en": "Messages here are paused already (since {since}).",
        "ru": "Сообщения здесь уже приостановлены (с {since}).",
        "uk": "Повідомлення тут уже призупинено (з {since}).",
    },
    "stop_kept": {
        "en": "Nothing changed: messages keep coming.",
        "ru": "Ничего не изменилось: сообщения будут приходить.",
        "uk": "Нічого не змінилося: повідомлення надходитимуть.",
    },
    "resumed": {
        "en": "▶ Resumed: digests and alerts come again, from now on.",
        "ru": "▶ Возобновлено: дайджесты и оповещения снова приходят, начиная с этого момента.",
        "uk": "▶ Відновлено: дайджести й сповіщення знову надходять, починаючи з цієї миті.",
    },
    "not_paused": {
        "en": "Messages here are not paused. To pause them: /pause.",
        "ru": "Сообщения здесь не приостановлены. Приостановить: /pause.",
        "uk": "Повідомлення тут не призупинено. Призупинити: /pause.",
    },
    "forget_ask": {
        "en": "Delete all subscriptions, muted sources and delivery choices of this chat? This cannot be undone.",
        "ru": "Удалить все подписки, отключённые источники и настройки доставки этого чата? Отменить будет нельзя.",
        "uk": "Видалити всі підписки, вимкнені джерела й налаштування доставки цього чату? Скасувати буде не можна.",
    },
    "forgotten": {
        "en": "Deleted: no subscriptions and no messages. Send /start to begin again.",
        "ru": "Удалено: подписок и сообщений больше нет. Чтобы начать заново, отправьте /start.",
        "uk": "Видалено: підписок і повідомлень більше немає. Щоб почати знову, надішліть /start.",
    },
    "no_subscriptions": {"en": "none", "ru": "нет", "uk": "немає"},
    "group_admins_only": {
        "en": "Only this group's administrators can change its subscriptions.",
        "ru": "Подписки группы могут менять только её администраторы.",
        "uk": "Підписки групи можуть змінювати лише її адміністратори.",
    },
    "settings_title": {"en": "<b>Settings</b>", "ru": "<b>Настройки</b>", "uk": "<b>Налаштування</b>"},
    "settings_delivery": {"en": "Delivery: <b>{mode}</b>", "ru": "Доставка: <b>{mode}</b>", "uk": "Доставка: <b>{mode}</b>"},
    "settings_zone": {
        "en": "Time zone: <b>{tz}</b> (it is {now} there)",
        "ru": "Часовой пояс: <b>{tz}</b> (там сейчас {now})",
        "uk": "Часовий пояс: <b>{tz}</b> (там зараз {now})",
    },
    "settings_quiet": {"en": "Quiet hours: <b>{quiet}</b>", "ru": "Тихие часы: <b>{quiet}</b>", "uk": "Тихі години: <b>{quiet}</b>"},
    "settings_sound": {"en": "Notifications: <b>{sound}</b>", "ru": "Уведомления: <b>{sound}</b>", "uk": "Сповіщення: <b>{sound}</b>"},
    "sound_on": {"en": "with sound", "ru": "со звуком", "uk": "зі звуком"},
    "sound_off": {"en": "silent", "ru": "без звука", "uk": "без звуку"},
    "sound_some": {"en": "silent for some topics", "ru": "без звука для части тем", "uk": "без звуку для частини тем"},
    "settings_topics": {"en": "Topics:", "ru": "Темы:", "uk": "Теми:"},
    "settings_topic": {"en": "• {topic}: {mode}", "ru": "• {topic}: {mode}", "uk": "• {topic}: {mode}"},
    "settings_topic_silent": {"en": "{mode}, silent", "ru": "{mode}, без звука", "uk": "{mode}, без звуку"},
    "settings_no_topics": {
        "en": "Topics: none yet, see /topics",
        "ru": "Темы: пока нет, см. /topics",
        "uk": "Теми: поки немає, див. /topics",
    },
    "settings_muted": {
        "en": "Muted sources: {sources}",
        "ru": "Отключённые источники: {sources}",
        "uk": "Вимкнені джерела: {sources}",
    },
    "settings_paused": {
        "en": "⏸ Paused since {since}: /resume brings the messages back.",
        "ru": "⏸ Приостановлено с {since}: /resume вернёт сообщения.",
        "uk": "⏸ Призупинено з {since}: /resume поверне повідомлення.",
    },
    "settings_hint": {
        "en": "Choose below, or type e.g. /settings daily 08:00 Asia/Almaty, /settings Kyiv, /settings UTC+5, "
        "/settings quiet 23:00-07:00, /settings csto instant, /settings silent on",
        "ru": "Выберите ниже или напишите, например: /settings daily 08:00 Asia/Almaty, /settings Kyiv, "
        "/settings UTC+5, /settings quiet 23:00-07:00, /settings csto instant, /settings silent on",
        "uk": "Оберіть нижче або напишіть, наприклад: /settings daily 08:00 Asia/Almaty, /settings Kyiv, "
        "/settings UTC+5, /settings quiet 23:00-07:00, /settings csto instant, /settings silent on",
    },
    "pick_time": {
        "en": "When should the daily digest come? Times are in {tz}; or type e.g. /settings daily 07:45",
        "ru": "Когда присылать ежедневный дайджест? Время по {tz}; или напишите, например: /settings daily 07:45",
        "uk": "Коли надсилати щоденний дайджест? Час за {tz}; або напишіть, наприклад: /settings daily 07:45",
    },
    "pick_zone": {
        "en": "Which time zone? Or type a city, a zone or an offset: /settings Kyiv, /settings Europe/Moscow, "
        "/settings UTC+5",
        "ru": "Какой часовой пояс? Или напишите город, пояс или смещение: /settings Kyiv, /settings Europe/Moscow, "
        "/settings UTC+5",
        "uk": "Який часовий пояс? Або напишіть місто, пояс чи зсув: /settings Kyiv, /settings Europe/Moscow, "
        "/settings UTC+5",
    },
    "pick_quiet": {
        "en": "Quiet hours hold alerts and digests back until they end (times in {tz}); or type e.g. "
        "/settings quiet 22:30-06:30",
        "ru": "В тихие часы оповещения и дайджесты ждут их окончания (время по {tz}); или напишите, например: "
        "/settings quiet 22:30-06:30",
        "uk": "У тихі години сповіщення й дайджести чекають їх закінчення (час за {tz}); або напишіть, наприклад: "
        "/settings quiet 22:30-06:30",
    },
    "topic_menu": {
        "en": "<b>{topic}</b>: {mode}. How should this topic come?",
        "ru": "<b>{topic}</b>: {mode}. Как присылать эту тему?",
        "uk": "<b>{topic}</b>: {mode}. Як надсилати цю тему?",
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
    "settings_changes": {
        "en": "Edited and deleted items told for: <b>{changes}</b> (/settings changes on|off [topic])",
        "ru": "Об изменённых и удалённых материалах сообщать по темам: <b>{changes}</b> "
        "(/settings changes on|off [тема])",
        "uk": "Про змінені та видалені матеріали повідомляти за темами: <b>{changes}</b> "
        "(/settings changes on|off [тема])",
    },
    "changes_none": {"en": "none", "ru": "ни по одной", "uk": "жодної"},
    "btn_changes": {
        "en": "✏️ Edits and deletions: {state}",
        "ru": "✏️ Правки и удаления: {state}",
        "uk": "✏️ Правки й видалення: {state}",
    },
    "settings_changes_usage": {
        "en": "Write /settings changes on or /settings changes off, with a topic or for all you follow.",
        "ru": "Пишите /settings changes on или /settings changes off, с темой или для всех ваших тем.",
        "uk": "Пишіть /settings changes on або /settings changes off, з темою або для всіх ваших тем.",
    },
    "settings_changes_not_followed": {
        "en": "You do not follow a topic '{given}': subscribe to it first.",
        "ru": "Вы не подписаны на тему «{given}»: сначала подпишитесь.",
        "uk": "Ви не підписані на тему «{given}»: спершу підпишіться.",
    },
    "settings_changes_no_topics": {
        "en": "You follow no topic yet: change alerts are given per topic (/topics).",
        "ru": "Вы пока ни на что не подписаны: об изменениях сообщается по темам (/topics).",
        "uk": "Ви поки ні на що не підписані: про зміни повідомляється за темами (/topics).",
    },
    "change_edited": {
        "en": "✏️ <b>Edited</b> · {sources} · {topics} · {when}",
        "ru": "✏️ <b>Изменено</b> · {sources} · {topics} · {when}",
        "uk": "✏️ <b>Змінено</b> · {sources} · {topics} · {when}",
    },
    "change_deleted": {
        "en": "🗑 <b>Deleted</b> · {sources} · {topics} · {when}",
        "ru": "🗑 <b>Удалено</b> · {sources} · {topics} · {when}",
        "uk": "🗑 <b>Видалено</b> · {sources} · {topics} · {when}",
    },
    "change_title": {
        "en": "Title was: <s>{old}</s>\nnow: {new}",
        "ru": "Заголовок был: <s>{old}</s>\nстал: {new}",
        "uk": "Заголовок був: <s>{old}</s>\nстав: {new}",
    },
    "change_text": {"en": "Text:\n{diff}", "ru": "Текст:\n{diff}", "uk": "Текст:\n{diff}"},
    "change_link": {"en": "Now links to: {url}", "ru": "Теперь ведёт на: {url}", "uk": "Тепер веде на: {url}"},
    "change_history": {
        "en": "Every version: /history_{id}",
        "ru": "Все версии: /history_{id}",
        "uk": "Усі версії: /history_{id}",
    },
    "deleted_reason_telegram.missing": {
        "en": "The post is gone from the channel (seen missing twice).",
        "ru": "Пост исчез из канала (проверено дважды).",
        "uk": "Пост зник з каналу (перевірено двічі).",
    },
    "deleted_reason_http_404": {
        "en": "The page now answers 404 Not Found.",
        "ru": "Страница теперь отвечает 404 Not Found.",
        "uk": "Сторінка тепер відповідає 404 Not Found.",
    },
    "deleted_reason_http_410": {
        "en": "The page now answers 410 Gone.",
        "ru": "Страница теперь отвечает 410 Gone.",
        "uk": "Сторінка тепер відповідає 410 Gone.",
    },
    "deleted_reason_redirect_home": {
        "en": "The page now redirects to the outlet's front page.",
        "ru": "Страница теперь перенаправляет на главную издания.",
        "uk": "Сторінка тепер перенаправляє на головну видання.",
    },
    "settings_unknown": {
        "en": "Unknown setting '{given}'.",
        "ru": "Неизвестная настройка «{given}».",
        "uk": "Невідоме налаштування «{given}».",
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
    "settings_no_such_time": {
        "en": "'{given}' is not a time of day: hours go from 00 to 23 and minutes from 00 to 59, as in 08:00.",
        "ru": "«{given}» — такого времени нет: часы от 00 до 23, минуты от 00 до 59, например 08:00.",
        "uk": "«{given}» — такого часу немає: години від 00 до 23, хвилини від 00 до 59, наприклад 08:00.",
    },
    "settings_not_following": {
        "en": "You do not follow {topic}: /subscribe {id} first.",
        "ru": "Вы не подписаны на {topic}: сначала /subscribe {id}.",
        "uk": "Ви не підписані на {topic}: спочатку /subscribe {id}.",
    },
    "settings_bad_zone": {
        "en": "'{given}' is not a time zone; try a city (Almaty, Kyiv), a zone (Europe/Moscow) or an offset (UTC+5).",
        "ru": "«{given}» — не часовой пояс; попробуйте город (Almaty, Kyiv), пояс (Europe/Moscow) или смещение (UTC+5).",
        "uk": "«{given}» — не часовий пояс; спробуйте місто (Almaty, Kyiv), пояс (Europe/Moscow) або зсув (UTC+5).",
    },
    "settings_bad_quiet": {
        "en": "Quiet hours look like 23:00-07:00 (or off).",
        "ru": "Тихие часы пишутся так: 23:00-07:00 (или off).",
        "uk": "Тихі години пишуться так: 23:00-07:00 (або off).",
    },
    "mode_instant": {"en": "instant alerts", "ru": "мгновенные оповещения", "uk": "миттєві сповіщення"},
    "mode_hourly": {"en": "hourly digest", "ru": "дайджест каждый час", "uk": "дайджест щогодини"},
    "mode_daily": {
        "en": "daily digest at {at} ({tz})",
        "ru": "дайджест каждый день в {at} ({tz})",
        "uk": "дайджест щодня о {at} ({tz})",
    },
    "mode_as_chat": {"en": "as the chat: {mode}", "ru": "как у чата: {mode}", "uk": "як у чату: {mode}"},
    "quiet_none": {"en": "none", "ru": "нет", "uk": "немає"},
    "quiet_hours": {"en": "{start}-{end} ({tz})", "ru": "{start}-{end} ({tz})", "uk": "{start}-{end} ({tz})"},
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
    "also_in": {"en": "also in {topics}", "ru": "также в теме {topics}", "uk": "також у темі {topics}"},
    "late_mark": {
        "en": "🕰 late: first seen {seen}",
        "ru": "🕰 с опозданием: замечено {seen}",
        "uk": "🕰 із запізненням: помічено {seen}",
    },
    "more_stories": {
        "en": "➕ and {n} more: the button below, or /search <i>words</i> topic:{topic} since:{since}",
        "ru": "➕ и ещё {n}: кнопка ниже или /search <i>слова</i> topic:{topic} since:{since}",
        "uk": "➕ і ще {n}: кнопка нижче або /search <i>слова</i> topic:{topic} since:{since}",
    },
    "more_page": {"en": "{first}-{last} of {total}", "ru": "{first}-{last} из {total}", "uk": "{first}-{last} з {total}"},
    "btn_more": {"en": "➕ {n} more: {topic}", "ru": "➕ Ещё {n}: {topic}", "uk": "➕ Ще {n}: {topic}"},
    "btn_next_page": {"en": "Next {n} ›", "ru": "Следующие {n} ›", "uk": "Наступні {n} ›"},
    "read_in_full": {"en": "read in full", "ru": "читать полностью", "uk": "читати повністю"},
    "media_photo": {"en": "📷 photo", "ru": "📷 фото", "uk": "📷 фото"},
    "media_video": {"en": "🎬 video", "ru": "🎬 видео", "uk": "🎬 відео"},
    "media_round_video": {"en": "🎬 video message", "ru": "🎬 видеосообщение", "uk": "🎬 відеоповідомлення"},
    "media_voice": {"en": "🎙 voice message", "ru": "🎙 голосовое сообщение", "uk": "🎙 голосове повідомлення"},
    "media_document": {"en": "📄 file", "ru": "📄 файл", "uk": "📄 файл"},
    "media_sticker": {"en": "sticker", "ru": "стикер", "uk": "стікер"},
    "media_poll": {"en": "📊 poll", "ru": "📊 опрос", "uk": "📊 опитування"},
    "media_album": {"en": "{what} (album of {n} posts)", "ru": "{what} (альбом, постов: {n})", "uk": "{what} (альбом, дописів: {n})"},
    "media_open": {"en": "see the post", "ru": "смотреть пост", "uk": "дивитися допис"},
    # bot.fallback: what Dozor says to a message no command takes
    "what_i_do": {
        "en": "I am <b>Dozor</b>: I watch news outlets and Telegram channels and send what matches your topics.\n"
        "/topics: subscribe · /digest: your digest now · /settings: alerts or digests · /search words: search the "
        "archive · /help: every command",
        "ru": "Я <b>Dozor</b>: слежу за СМИ и Telegram-каналами и присылаю то, что относится к вашим темам.\n"
        "/topics: подписка · /digest: дайджест сейчас · /settings: оповещения или дайджест · /search слова: поиск "
        "по архиву · /help: все команды",
        "uk": "Я <b>Dozor</b>: стежу за ЗМІ та Telegram-каналами й надсилаю те, що стосується ваших тем.\n"
        "/topics: підписка · /digest: дайджест зараз · /settings: сповіщення або дайджест · /search слова: пошук "
        "в архіві · /help: усі команди",
    },
    "unknown_command": {
        "en": "I do not know {command}. /help lists what I can do.",
        "ru": "Команды {command} нет. Что я умею: /help.",
        "uk": "Команди {command} немає. Що я вмію: /help.",
    },
    "no_files": {
        "en": "I do not read files: I follow news sources for you (see /topics). Admins may send an .opml file to "
        "import sources.",
        "ru": "Файлы я не читаю: я слежу за источниками новостей (см. /topics). Администраторы могут прислать файл "
        ".opml, чтобы импортировать источники.",
        "uk": "Файли я не читаю: я стежу за джерелами новин (див. /topics). Адміністратори можуть надіслати файл "
        ".opml, щоб імпортувати джерела.",
    },
    "link_not_admin": {
        "en": "I follow the sources Dozor's admins chose; to have {link} followed, ask one of them. To look for a "
        "story in the archive: /search words.",
        "ru": "Я слежу за источниками, которые выбрали администраторы Dozor; чтобы добавить {link}, попросите "
        "одного из них. Поиск по архиву: /search слова.",
        "uk": "Я стежу за джерелами, які обрали адміністратори Dozor; щоб додати {link}, попросіть одного з них. "
        "Пошук в архіві: /search слова.",
    },
    "link_offer": {
        "en": "Add {link} as a source? I will find its feed and show a test fetch first.",
        "ru": "Добавить {link} как источник? Сначала я найду его ленту и покажу пробную загрузку.",
        "uk": "Додати {link} як джерело? Спершу я знайду його стрічку й покажу пробне завантаження.",
    },
    "btn_check_source": {"en": "➕ Check and add", "ru": "➕ Проверить и добавить", "uk": "➕ Перевірити й додати"},
    "btn_search_this": {"en": "🔎 Search: {text}", "ru": "🔎 Искать: {text}", "uk": "🔎 Шукати: {text}"},
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
    "btn_daily": {"en": "📰 Daily", "ru": "📰 Ежедневно", "uk": "📰 Щодня"},
    "btn_daily_at": {"en": "🕗 Digest at {at} ›", "ru": "🕗 Дайджест в {at} ›", "uk": "🕗 Дайджест о {at} ›"},
    "btn_zone": {"en": "🌍 {tz} ›", "ru": "🌍 {tz} ›", "uk": "🌍 {tz} ›"},
    "btn_quiet_menu": {"en": "🌙 Quiet hours: {quiet} ›", "ru": "🌙 Тихие часы: {quiet} ›", "uk": "🌙 Тихі години: {quiet} ›"},
    "btn_no_quiet": {"en": "No quiet hours", "ru": "Без тихих часов", "uk": "Без тихих годин"},
    "btn_sound_on": {"en": "🔔 With sound", "ru": "🔔 Со звуком", "uk": "🔔 Зі звуком"},
    "btn_sound_off": {"en": "🔕 Silent", "ru": "🔕 Без звука", "uk": "🔕 Без звуку"},
    "btn_topic": {"en": "⚙ {topic} ›", "ru": "⚙ {topic} ›", "uk": "⚙ {topic} ›"},
    "btn_as_chat": {"en": "As the chat ({mode})", "ru": "Как у чата ({mode})", "uk": "Як у чату ({mode})"},
    "btn_unsubscribe_here": {"en": "🚫 Unsubscribe", "ru": "🚫 Отписаться", "uk": "🚫 Відписатися"},
    "btn_back": {"en": "‹ Back", "ru": "‹ Назад", "uk": "‹ Назад"},
    "btn_pause": {"en": "⏸ Pause", "ru": "⏸ Приостановить", "uk": "⏸ Призупинити"},
    "btn_keep": {"en": "✖ Keep messages", "ru": "✖ Оставить сообщения", "uk": "✖ Залишити повідомлення"},
    "btn_resume": {"en": "▶ Resume", "ru": "▶ Возобновить", "uk": "▶ Відновити"},
    "btn_forget": {"en": "🗑 Delete everything", "ru": "🗑 Удалить всё", "uk": "🗑 Видалити все"},
    "btn_forget_yes": {"en": "🗑 Yes, delete", "ru": "🗑 Да, удалить", "uk": "🗑 Так, видалити"},
    "btn_forget_no": {"en": "✖ No, keep them", "ru": "✖ Нет, оставить", "uk": "✖ Ні, залишити"},
    # under an alert (bot.delivery.buttons) and their undo (bot.subscriber.alert_buttons)
    "btn_open": {"en": "🔗 Open", "ru": "🔗 Открыть", "uk": "🔗 Відкрити"},
    "btn_mute": {"en": "🔇 Mute {source}", "ru": "🔇 Отключить {source}", "uk": "🔇 Вимкнути {source}"},
    "btn_unmute": {"en": "🔊 Unmute {source}", "ru": "🔊 Включить {source}", "uk": "🔊 Увімкнути {source}"},
    "btn_unsubscribe": {"en": "🚫 Unsubscribe: {topic}", "ru": "🚫 Отписаться: {topic}", "uk": "🚫 Відписатися: {topic}"},
    "btn_resubscribe": {"en": "➕ Subscribe: {topic}", "ru": "➕ Подписаться: {topic}", "uk": "➕ Підписатися: {topic}"},
    "toast_muted": {
        "en": "{source} muted here: what only it carries no longer comes. Undo: the button, or /settings.",
        "ru": "{source} отключён здесь: то, что есть только у него, больше не придёт. Вернуть: кнопка или /settings.",
        "uk": "{source} вимкнено тут: те, що є лише в нього, більше не надійде. Повернути: кнопка або /settings.",
    },
    "toast_unmuted": {"en": "{source} unmuted", "ru": "{source} снова включён", "uk": "{source} знову увімкнено"},
    "toast_saved": {"en": "Saved", "ru": "Сохранено", "uk": "Збережено"},
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
