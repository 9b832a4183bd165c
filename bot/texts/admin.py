"""What the bot says to admins, in English, Russian and Ukrainian."""
from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "not_admin": {
        "en": "Only Dozor admins can do this.",
        "ru": "Это могут только администраторы Dozor.",
        "uk": "Це можуть лише адміністратори Dozor.",
    },
    "not_admin_anonymous": {
        "en": "Only Dozor admins can do this, and a message sent as the group is nobody's: write as yourself.",
        "ru": "Это могут только администраторы Dozor, а сообщение от имени группы ничьё: напишите от своего имени.",
        "uk": "Це можуть лише адміністратори Dozor, а повідомлення від імені групи нічиє: напишіть від свого імені.",
    },
    "usage": {"en": "Usage: {usage}", "ru": "Использование: {usage}", "uk": "Використання: {usage}"},
    # usage lines, shown after "Usage:" when a command's arguments do not fit
    "usage_admins": {
        "en": "/admins, /admins add USER_ID, /admins remove USER_ID",
        "ru": "/admins, /admins add ID_ПОЛЬЗОВАТЕЛЯ, /admins remove ID_ПОЛЬЗОВАТЕЛЯ",
        "uk": "/admins, /admins add ID_КОРИСТУВАЧА, /admins remove ID_КОРИСТУВАЧА",
    },
    "usage_volunteers": {
        "en": "/volunteers, /volunteers all|list, /volunteers add USER_ID, /volunteers remove USER_ID",
        "ru": "/volunteers, /volunteers all|list, /volunteers add ID_ПОЛЬЗОВАТЕЛЯ, /volunteers remove ID_ПОЛЬЗОВАТЕЛЯ",
        "uk": "/volunteers, /volunteers all|list, /volunteers add ID_КОРИСТУВАЧА, /volunteers remove ID_КОРИСТУВАЧА",
    },
    "usage_feed": {
        "en": "/feed SOURCE_ID (see /feeds), /feed SOURCE_ID label LABEL (e.g. state-kz, independent) "
        "or /feed SOURCE_ID fulltext auto|always|never",
        "ru": "/feed НОМЕР_ИСТОЧНИКА (см. /feeds), /feed НОМЕР_ИСТОЧНИКА label МЕТКА (например state-kz, independent) "
        "или /feed НОМЕР_ИСТОЧНИКА fulltext auto|always|never",
        "uk": "/feed НОМЕР_ДЖЕРЕЛА (див. /feeds), /feed НОМЕР_ДЖЕРЕЛА label МІТКА (наприклад state-kz, independent) "
        "або /feed НОМЕР_ДЖЕРЕЛА fulltext auto|always|never",
    },
    "usage_source_id": {
        "en": "/{command} SOURCE_ID (see /feeds)",
        "ru": "/{command} НОМЕР_ИСТОЧНИКА (см. /feeds)",
        "uk": "/{command} НОМЕР_ДЖЕРЕЛА (див. /feeds)",
    },
    "usage_addfeed": {
        "en": "/addfeed URL | SITE | @channel [NAME]",
        "ru": "/addfeed URL | САЙТ | @канал [НАЗВАНИЕ]",
        "uk": "/addfeed URL | САЙТ | @канал [НАЗВА]",
    },
    "usage_addtopic": {
        "en": "/addtopic ID TITLE (id: lowercase letters, digits, _ and -)",
        "ru": "/addtopic ID НАЗВАНИЕ (id: строчные латинские буквы, цифры, _ и -)",
        "uk": "/addtopic ID НАЗВА (id: малі латинські літери, цифри, _ і -)",
    },
    "usage_addnarrative": {
        "en": "/addnarrative ID TITLE (id: lowercase letters, digits, _ and -)",
        "ru": "/addnarrative ID НАЗВАНИЕ (id: строчные латинские буквы, цифры, _ и -)",
        "uk": "/addnarrative ID НАЗВА (id: малі латинські літери, цифри, _ і -)",
    },
    "usage_removetopic": {
        "en": "/removetopic ID",
        "ru": "/removetopic ID",
        "uk": "/removetopic ID",
    },
    "usage_addkw": {
        "en": "/addkw TOPIC RULE, e.g. /addkw csto ОДКБ OR \"Collective Security Treaty\"",
        "ru": "/addkw ТЕМА ПРАВИЛО, например /addkw csto ОДКБ OR \"Collective Security Treaty\"",
        "uk": "/addkw ТЕМА ПРАВИЛО, наприклад /addkw csto ОДКБ OR \"Collective Security Treaty\"",
    },
    "usage_delkw": {
        "en": "/delkw TOPIC RULE_OR_NUMBER (numbers as in /keywords TOPIC)",
        "ru": "/delkw ТЕМА ПРАВИЛО_ИЛИ_НОМЕР (номера как в /keywords ТЕМА)",
        "uk": "/delkw ТЕМА ПРАВИЛО_АБО_НОМЕР (номери як у /keywords ТЕМА)",
    },
    "usage_keywords": {
        "en": "/keywords TOPIC",
        "ru": "/keywords ТЕМА",
        "uk": "/keywords ТЕМА",
    },
    "usage_testrule": {
        "en": "/testrule TOPIC [days:N] RULE, or replace:N RULE, or remove:N",
        "ru": "/testrule ТЕМА [days:N] ПРАВИЛО, или replace:N ПРАВИЛО, или remove:N",
        "uk": "/testrule ТЕМА [days:N] ПРАВИЛО, або replace:N ПРАВИЛО, або remove:N",
    },
    "usage_reapply": {
        "en": "/reapply TOPIC [DAYS] (default {days})",
        "ru": "/reapply ТЕМА [ДНЕЙ] (по умолчанию {days})",
        "uk": "/reapply ТЕМА [ДНІВ] (типово {days})",
    },
    "usage_audit": {
        "en": "/audit [N] (the latest N changes, 1 to {most}; {default} without N)",
        "ru": "/audit [N] (последние N изменений, от 1 до {most}; без N — {default})",
        "uk": "/audit [N] (останні N змін, від 1 до {most}; без N — {default})",
    },
    "usage_channel": {
        "en": "/channel (the list), /channel add @channel TOPIC alerts|hourly|daily [HH:MM] [ZONE], "
        "/channel remove @channel [TOPIC]; a private channel by its id (-100…)",
        "ru": "/channel (список), /channel add @канал ТЕМА alerts|hourly|daily [ЧЧ:ММ] [ЗОНА], "
        "/channel remove @канал [ТЕМА]; закрытый канал — по его id (-100…)",
        "uk": "/channel (список), /channel add @канал ТЕМА alerts|hourly|daily [ГГ:ХХ] [ЗОНА], "
        "/channel remove @канал [ТЕМА]; закритий канал — за його id (-100…)",
    },
    "bad_user_id": {
        "en": "{value} is not a Telegram user id (a number).",
        "ru": "{value} не похоже на id пользователя Telegram (число).",
        "uk": "{value} не схоже на id користувача Telegram (число).",
    },
    # roles
    "admins_title": {"en": "Admins:", "ru": "Администраторы:", "uk": "Адміністратори:"},
    "admin_from_settings": {"en": "from DOZOR_ADMIN_IDS", "ru": "из DOZOR_ADMIN_IDS", "uk": "з DOZOR_ADMIN_IDS"},
    "admin_added_by": {"en": "added by {by} on {at}", "ru": "добавил {by}, {at}", "uk": "додав {by}, {at}"},
    "admin_added": {"en": "{user} is now an admin.", "ru": "{user} теперь администратор.", "uk": "{user} тепер адміністратор."},
    "admin_already": {"en": "{user} is an admin already.", "ru": "{user} уже администратор.", "uk": "{user} вже адміністратор."},
    "admin_removed": {"en": "{user} is no longer an admin.", "ru": "{user} больше не администратор.", "uk": "{user} більше не адміністратор."},
    "admin_not_found": {"en": "{user} is not an added admin.", "ru": "{user} не был добавлен администратором.", "uk": "{user} не був доданий адміністратором."},
    "admin_bootstrap": {
        "en": "{user} is an admin through DOZOR_ADMIN_IDS; remove the id there.",
        "ru": "{user} — администратор через DOZOR_ADMIN_IDS; уберите id там.",
        "uk": "{user} — адміністратор через DOZOR_ADMIN_IDS; приберіть id там.",
    },
    "admin_last": {
        "en": "{user} is the last admin and stays one.",
        "ru": "{user} — последний администратор и им останется.",
        "uk": "{user} — останній адміністратор і ним залишиться.",
    },
    "volunteers_all": {
        "en": "Volunteer commands: open to everyone.",
        "ru": "Команды волонтёров: доступны всем.",
        "uk": "Команди волонтерів: доступні всім.",
    },
    "volunteers_list": {
        "en": "Volunteer commands: only the allow-list and admins.",
        "ru": "Команды волонтёров: только список допущенных и администраторы.",
        "uk": "Команди волонтерів: лише список допущених і адміністратори.",
    },
    "volunteers_still_open": {
        "en": "Volunteer commands are still open to everyone, so the allow-list changes nothing yet. Restrict them "
        "to the allow-list and admins now?",
        "ru": "Команды волонтёров пока доступны всем, так что список ещё ничего не меняет. Оставить их только "
        "списку и администраторам?",
        "uk": "Команди волонтерів поки доступні всім, тож список ще нічого не змінює. Залишити їх лише списку "
        "й адміністраторам?",
    },
    "volunteer_may_now": {
        "en": "They may use the volunteer commands now.",
        "ru": "Теперь ему доступны команды волонтёров.",
        "uk": "Тепер йому доступні команди волонтерів.",
    },
    "volunteers_list_empty": {
        "en": "The allow-list is empty: only admins may use them. Add people with /volunteers add USER_ID.",
        "ru": "Список пуст: ими пользуются только администраторы. Добавьте людей: /volunteers add ID_ПОЛЬЗОВАТЕЛЯ.",
        "uk": "Список порожній: ними користуються лише адміністратори. Додайте людей: /volunteers add ID_КОРИСТУВАЧА.",
    },
    "btn_restrict": {"en": "🔒 Restrict now", "ru": "🔒 Ограничить", "uk": "🔒 Обмежити"},
    "btn_keep_open": {"en": "Keep open to all", "ru": "Оставить всем", "uk": "Залишити всім"},
    "volunteers_members": {"en": "Allow-list: {ids}", "ru": "Список: {ids}", "uk": "Список: {ids}"},
    "volunteers_none": {"en": "(empty)", "ru": "(пусто)", "uk": "(порожньо)"},
    "volunteer_added": {"en": "{user} is on the allow-list.", "ru": "{user} добавлен в список.", "uk": "{user} доданий до списку."},
    "volunteer_already": {"en": "{user} is on the allow-list already.", "ru": "{user} уже в списке.", "uk": "{user} вже у списку."},
    "volunteer_removed": {"en": "{user} is off the allow-list.", "ru": "{user} убран из списка.", "uk": "{user} прибраний зі списку."},
    "volunteer_not_listed": {"en": "{user} is not on the allow-list.", "ru": "{user} нет в списке.", "uk": "{user} немає у списку."},
    # sources
    "feeds_empty": {
        "en": "No sources yet: add one with /addfeed URL.",
        "ru": "Источников пока нет: добавьте /addfeed URL.",
        "uk": "Джерел поки немає: додайте /addfeed URL.",
    },
    "feeds_title": {
        "en": "Sources ({n}). Items a day: those published in the last {days} days, divided by {days}.",
        "ru": "Источники ({n}). Материалов в день: опубликованные за последние {days} дн., делённые на {days}.",
        "uk": "Джерела ({n}). Матеріалів на день: опубліковані за останні {days} дн., поділені на {days}.",
    },
    "not_while_paused": {"en": "none while paused", "ru": "нет, пока на паузе", "uk": "немає, поки на паузі"},
    "state_active": {"en": "active", "ru": "работает", "uk": "працює"},
    "state_paused": {"en": "paused", "ru": "на паузе", "uk": "на паузі"},
    "state_failing": {"en": "failing", "ru": "с ошибками", "uk": "з помилками"},
    "feed_line": {
        "en": "last success {ok} · {per_day} items/day · next check {next}",
        "ru": "успех {ok} · {per_day} в день · проверка {next}",
        "uk": "успіх {ok} · {per_day} на день · перевірка {next}",
    },
    "last_error": {"en": "last error: {error}", "ru": "последняя ошибка: {error}", "uk": "остання помилка: {error}"},
    "never": {"en": "never", "ru": "никогда", "uk": "ніколи"},
    "feed_details": {
        "en": "Kind: {kind}\nState: {state}\nAdded: {created}\nLast check: {checked}\nLast success: {ok}\n"
        "Errors in a row: {errors}\nInterval: {interval} min\nNext check: {next}\nItems stored: {items}\n"
        "Published in the last {days} days: {recent} ({per_day} a day); newest item published {newest}",
        "ru": "Тип: {kind}\nСостояние: {state}\nДобавлен: {created}\nПоследняя проверка: {checked}\n"
        "Последний успех: {ok}\nОшибок подряд: {errors}\nИнтервал: {interval} мин\nСледующая проверка: {next}\n"
        "Сохранено материалов: {items}\nОпубликовано за последние {days} дн.: {recent} ({per_day} в день); "
        "новейший опубликован {newest}",
        "uk": "Тип: {kind}\nСтан: {state}\nДодано: {created}\nОстання перевірка: {checked}\nОстанній успіх: {ok}\n"
        "Помилок поспіль: {errors}\nІнтервал: {interval} хв\nНаступна перевірка: {next}\n"
        "Збережено матеріалів: {items}\nОпубліковано за останні {days} дн.: {recent} ({per_day} на день); "
        "найновіший опубліковано {newest}",
    },
    "storage_failing": {
        "en": "⚠️ Dozor cannot write to its database (since {since} UTC): {error}\nThe sources are not charged "
        "for it; what could not be stored is fetched again at every tick until the database takes writes again.",
        "ru": "⚠️ Dozor не может писать в свою базу данных (с {since} UTC): {error}\nИсточникам это не "
        "засчитывается в ошибки; то, что не удалось сохранить, загружается заново на каждом такте, пока база "
        "снова не начнёт принимать запись.",
        "uk": "⚠️ Dozor не може писати у свою базу даних (з {since} UTC): {error}\nДжерелам це не "
        "зараховується як помилки; те, що не вдалося зберегти, завантажується знову на кожному такті, доки база "
        "знову не прийматиме запис.",
    },
    "paused_reason": {"en": "Paused: {reason}", "ru": "Пауза: {reason}", "uk": "Пауза: {reason}"},
    "feed_label": {
        "en": "Label: {label} (change with /feed {id} label LABEL)",
        "ru": "Метка: {label} (изменить: /feed {id} label МЕТКА)",
        "uk": "Мітка: {label} (змінити: /feed {id} label МІТКА)",
    },
    "label_set": {
        "en": "Source #{id} {name} is now labeled <b>{label}</b>.",
        "ru": "Источник #{id} {name} теперь с меткой <b>{label}</b>.",
        "uk": "Джерело #{id} {name} тепер має мітку <b>{label}</b>.",
    },
    "bad_label": {
        "en": "A label is one short word of lowercase letters, digits, - and _ (at most 32), e.g. state-kz; "
        "<b>{label}</b> is not. Labels in use: {known}.",
        "ru": "Метка — одно короткое слово из строчных букв, цифр, - и _ (не длиннее 32), например state-kz; "
        "<b>{label}</b> не подходит. Метки, которые уже есть: {known}.",
        "uk": "Мітка — одне коротке слово з малих літер, цифр, - і _ (не довше 32), наприклад state-kz; "
        "<b>{label}</b> не підходить. Мітки, які вже є: {known}.",
    },
    "recent_errors": {"en": "Recent errors:", "ru": "Последние ошибки:", "uk": "Останні помилки:"},
    "no_errors": {"en": "No recent errors.", "ru": "Ошибок не было.", "uk": "Помилок не було."},
    "no_source": {
        "en": "There is no source #{id}; see /feeds.",
        "ru": "Источника #{id} нет; см. /feeds.",
        "uk": "Джерела #{id} немає; див. /feeds.",
    },
    "removefeed_confirm": {
        "en": "Remove source #{id} <b>{name}</b>?\n{url}\nDozor stops polling it. Its {items} stored items stay in the "
        "archive.",
        "ru": "Удалить источник #{id} <b>{name}</b>?\n{url}\nDozor перестанет его опрашивать. Сохранённые материалы "
        "({items}) останутся в архиве.",
        "uk": "Видалити джерело #{id} <b>{name}</b>?\n{url}\nDozor перестане його опитувати. Збережені матеріали "
        "({items}) залишаться в архіві.",
    },
    "btn_remove": {"en": "🗑 Remove", "ru": "🗑 Удалить", "uk": "🗑 Видалити"},
    "source_removed": {"en": "Removed source #{id} {name}.", "ru": "Источник #{id} {name} удалён.", "uk": "Джерело #{id} {name} видалено."},
    "source_paused": {"en": "Paused source #{id} {name}.", "ru": "Источник #{id} {name} на паузе.", "uk": "Джерело #{id} {name} на паузі."},
    "source_resumed": {
        "en": "Resumed source #{id} {name}; it is checked at the next tick.",
        "ru": "Источник #{id} {name} снова работает; проверка на следующем шаге.",
        "uk": "Джерело #{id} {name} знову працює; перевірка на наступному кроці.",
    },
    "source_paused_notice": {
        "en": "⏸ Source <b>{name}</b> (id {id}) was paused: {reason}\n{url}\nResume it with /resumefeed {id} once it works again.",
        "ru": "⏸ Источник <b>{name}</b> (id {id}) поставлен на паузу: {reason}\n{url}\nКогда он заработает, возобновите: /resumefeed {id}",
        "uk": "⏸ Джерело <b>{name}</b> (id {id}) поставлено на паузу: {reason}\n{url}\nКоли воно запрацює, відновіть: /resumefeed {id}",
    },
    "source_same_state": {"en": "Source #{id} is {state} already.", "ru": "Источник #{id} уже {state}.", "uk": "Джерело #{id} вже {state}."},
    "addfeed_checking": {"en": "Checking {url}…", "ru": "Проверяю {url}…", "uk": "Перевіряю {url}…"},
    "addfeed_failed": {"en": "No feed added: {reason}", "ru": "Источник не добавлен: {reason}", "uk": "Джерело не додано: {reason}"},
    "addfeed_duplicate": {
        "en": "{url} is monitored already as source #{id}.",
        "ru": "{url} уже отслеживается как источник #{id}.",
        "uk": "{url} вже відстежується як джерело #{id}.",
    },
    "addfeed_preview": {
        "en": "Found: <b>{title}</b> ({kind})\n{url}\nItems: {count} · newest: {newest}\nMatching a topic: {matches}\n\n"
        "Add it as <b>{name}</b>?",
        "ru": "Найдено: <b>{title}</b> ({kind})\n{url}\nМатериалов: {count} · новейший: {newest}\nПо темам: {matches}\n\n"
        "Добавить как <b>{name}</b>?",
        "uk": "Знайдено: <b>{title}</b> ({kind})\n{url}\nМатеріалів: {count} · найновіший: {newest}\nЗа темами: {matches}\n\n"
        "Додати як <b>{name}</b>?",
    },
    "addfeed_choose": {
        "en": "The page {page} links to {n} feeds. Which one should Dozor follow?",
        "ru": "Страница {page} ссылается на {n} лент(ы). За какой следить?",
        "uk": "Сторінка {page} посилається на {n} стрічок. За якою стежити?",
    },
    "addfeed_choice": {
        "en": "<b>{title}</b>\n{url}\nItems: {count} · newest: {newest}",
        "ru": "<b>{title}</b>\n{url}\nМатериалов: {count} · новейший: {newest}",
        "uk": "<b>{title}</b>\n{url}\nМатеріалів: {count} · найновіший: {newest}",
    },
    "addfeed_discovered": {
        "en": "(feed found on the page {page})",
        "ru": "(лента найдена на странице {page})",
        "uk": "(стрічку знайдено на сторінці {page})",
    },
    "opml_unsupported": {
        "en": "Dozor cannot follow this form of address (/addfeed says which forms it can)",
        "ru": "за адресом такого вида Dozor следить не может (/addfeed подскажет, какие подходят)",
        "uk": "за адресою такого виду Dozor стежити не може (/addfeed підкаже, які підходять)",
    },
    "addfeed_accepts": {
        "en": "Dozor cannot follow {value}. It accepts a feed or site URL (http:// or https://), a Telegram channel "
        "(@channel, t.me/channel), a Mastodon account (@user@instance or its profile URL), a Bluesky profile "
        "(bsky.app/profile/HANDLE), a YouTube channel (youtube.com/@handle, youtube.com/channel/ID) or a subreddit (r/NAME).",
        "ru": "Dozor не может следить за {value}. Подходят: адрес ленты или сайта (http:// или https://), канал Telegram "
        "(@channel, t.me/channel), аккаунт Mastodon (@user@instance или адрес профиля), профиль Bluesky "
        "(bsky.app/profile/HANDLE), канал YouTube (youtube.com/@handle, youtube.com/channel/ID) или сабреддит (r/NAME).",
        "uk": "Dozor не може стежити за {value}. Підходять: адреса стрічки або сайту (http:// або https://), канал Telegram "
        "(@channel, t.me/channel), акаунт Mastodon (@user@instance або адреса профілю), профіль Bluesky "
        "(bsky.app/profile/HANDLE), канал YouTube (youtube.com/@handle, youtube.com/channel/ID) або сабреддит (r/NAME).",
    },
    "addfeed_account_mastodon": {
        "en": "(Mastodon account {account}: its public RSS)",
        "ru": "(аккаунт Mastodon {account}: его публичный RSS)",
        "uk": "(акаунт Mastodon {account}: його публічний RSS)",
    },
    "addfeed_account_bluesky": {
        "en": "(Bluesky profile {account}: its public RSS)",
        "ru": "(профиль Bluesky {account}: его публичный RSS)",
        "uk": "(профіль Bluesky {account}: його публічний RSS)",
    },
    "addfeed_account_youtube": {
        "en": "(YouTube channel {account}: its public feed)",
        "ru": "(канал YouTube {account}: его публичная лента)",
        "uk": "(канал YouTube {account}: його публічна стрічка)",
    },
    "addfeed_account_reddit": {
        "en": "(subreddit {account}: its public feed)",
        "ru": "(сабреддит {account}: его публичная лента)",
        "uk": "(сабреддит {account}: його публічна стрічка)",
    },
    "feed_paging_running": {
        "en": "Paging back through older posts: {paged} read, {recovered} recovered so far.",
        "ru": "Дочитываю старые посты: прочитано {paged}, восстановлено {recovered}.",
        "uk": "Дочитую старі пости: прочитано {paged}, відновлено {recovered}.",
    },
    "feed_paging_done": {
        "en": "Last paging back ({at}): {paged} posts read, {recovered} recovered; {reason}.",
        "ru": "Последнее дочитывание ({at}): прочитано {paged}, восстановлено {recovered}; {reason}.",
        "uk": "Останнє дочитування ({at}): прочитано {paged}, відновлено {recovered}; {reason}.",
    },
    "paging_overlap": {"en": "reached the posts stored before", "ru": "дошёл до сохранённых постов", "uk": "дійшов до збережених постів"},
    "paging_age_limit": {"en": "stopped at the age limit", "ru": "остановлено по пределу давности", "uk": "зупинено за межею давності"},
    "paging_post_limit": {"en": "stopped at the post limit", "ru": "остановлено по пределу числа постов", "uk": "зупинено за межею кількості постів"},
    "paging_channel_start": {"en": "reached the channel's first post", "ru": "дошёл до первого поста канала", "uk": "дійшов до першого посту каналу"},
    "paging_no_progress": {"en": "Telegram showed no older posts", "ru": "Telegram не показал более старых постов", "uk": "Telegram не показав старіших постів"},
    "feed_websub_offered": {
        "en": "Push: the feed names the hub {hub}; Dozor subscribes when it runs with a public URL (webhook mode).",
        "ru": "Push: лента называет хаб {hub}; Dozor подпишется, когда будет работать с публичным адресом (webhook).",
        "uk": "Push: стрічка називає хаб {hub}; Dozor підпишеться, коли працюватиме з публічною адресою (webhook).",
    },
    "feed_websub_requested": {
        "en": "Push: subscription requested at {hub}, waiting for the hub to confirm.",
        "ru": "Push: подписка запрошена у {hub}, ждём подтверждения хаба.",
        "uk": "Push: підписку запитано в {hub}, чекаємо підтвердження хаба.",
    },
    "feed_websub_active": {
        "en": "Push: subscribed at {hub} until {until}; {pushes} deliveries, {refused} refused.",
        "ru": "Push: подписка у {hub} до {until}; доставок {pushes}, отклонено {refused}.",
        "uk": "Push: підписка в {hub} до {until}; доставок {pushes}, відхилено {refused}.",
    },
    "feed_websub_failed": {
        "en": "Push: the hub {hub} did not take the subscription ({error}); the feed is polled only.",
        "ru": "Push: хаб {hub} не принял подписку ({error}); ленту только опрашиваем.",
        "uk": "Push: хаб {hub} не прийняв підписку ({error}); стрічку лише опитуємо.",
    },
    "feed_full_text": {
        "en": "Full text: {mode} · extracted {ok}, failed {failed} (/feed {id} fulltext auto|always|never)",
        "ru": "Полный текст: {mode} · извлечено {ok}, не вышло {failed} (/feed {id} fulltext auto|always|never)",
        "uk": "Повний текст: {mode} · видобуто {ok}, не вийшло {failed} (/feed {id} fulltext auto|always|never)",
    },
    "feed_full_text_telegram": {
        "en": "Full text: the posts themselves",
        "ru": "Полный текст: сами посты",
        "uk": "Повний текст: самі пости",
    },
    "feed_extract_error": {
        "en": "Last extraction failure ({at}): {problem} — <code>{error}</code>",
        "ru": "Последняя неудача извлечения ({at}): {problem} — <code>{error}</code>",
        "uk": "Остання невдача видобування ({at}): {problem} — <code>{error}</code>",
    },
    "usage_feed_full_text": {
        "en": "/feed {id} fulltext auto|always|never (auto: when the feed's text is short)",
        "ru": "/feed {id} fulltext auto|always|never (auto: когда текст в ленте короткий)",
        "uk": "/feed {id} fulltext auto|always|never (auto: коли текст у стрічці короткий)",
    },
    "full_text_set": {
        "en": "Source #{id} {name}: full text is now <b>{mode}</b>.",
        "ru": "Источник #{id} {name}: полный текст теперь <b>{mode}</b>.",
        "uk": "Джерело #{id} {name}: повний текст тепер <b>{mode}</b>.",
    },
    "full_text_same": {
        "en": "Source #{id} {name}: full text is {mode} already.",
        "ru": "Источник #{id} {name}: полный текст уже {mode}.",
        "uk": "Джерело #{id} {name}: повний текст вже {mode}.",
    },
    "feed_origin": {"en": "Added as: {origin}", "ru": "Добавлен как: {origin}", "uk": "Додано як: {origin}"},
    "none": {"en": "none", "ru": "нет", "uk": "немає"},
    "btn_add": {"en": "✅ Add", "ru": "✅ Добавить", "uk": "✅ Додати"},
    "btn_cancel": {"en": "✖ Cancel", "ru": "✖ Отмена", "uk": "✖ Скасувати"},
    "addfeed_added": {
        "en": "Added source #{id} <b>{name}</b>; it is checked at the next tick.",
        "ru": "Добавлен источник #{id} <b>{name}</b>; проверка на следующем шаге.",
        "uk": "Додано джерело #{id} <b>{name}</b>; перевірка на наступному кроці.",
    },
    "cancelled": {"en": "Cancelled; nothing changed.", "ru": "Отменено; ничего не изменилось.", "uk": "Скасовано; нічого не змінилося."},
    "opml_checking": {
        "en": "Importing {file}: checking each feed as /addfeed does, {done} of {total} done…",
        "ru": "Импорт {file}: проверяю каждую ленту, как /addfeed, готово {done} из {total}…",
        "uk": "Імпорт {file}: перевіряю кожну стрічку, як /addfeed, готово {done} з {total}…",
    },
    "opml_summary": {
        "en": "OPML import: {added} added, {duplicates} skipped as duplicates, {invalid} refused.",
        "ru": "Импорт OPML: добавлено {added}, пропущено дубликатов {duplicates}, отклонено {invalid}.",
        "uk": "Імпорт OPML: додано {added}, пропущено дублікатів {duplicates}, відхилено {invalid}.",
    },
    "opml_more_refused": {
        "en": "…and {n} more refused.",
        "ru": "…и ещё отклонено: {n}.",
        "uk": "…і ще відхилено: {n}.",
    },
    "opml_bad": {"en": "Cannot import this file: {reason}", "ru": "Не удалось импортировать файл: {reason}", "uk": "Не вдалося імпортувати файл: {reason}"},
    "opml_too_large": {
        "en": "Cannot import this file: it is larger than {most} MiB.",
        "ru": "Не удалось импортировать файл: он больше {most} МиБ.",
        "uk": "Не вдалося імпортувати файл: він більший за {most} МіБ.",
    },
    "opml_caption": {"en": "{n} sources as OPML.", "ru": "Источников в OPML: {n}.", "uk": "Джерел в OPML: {n}."},
    # channels and groups Dozor posts into
    "channel_unknown": {
        "en": "Telegram shows Dozor no channel or group {chat}. Add @{bot} to it as an administrator first "
        "(a private channel is named by its id, -100…).",
        "ru": "Telegram не показывает Dozor канала или группы {chat}. Сначала добавьте @{bot} туда администратором "
        "(закрытый канал указывается по id, -100…).",
        "uk": "Telegram не показує Dozor каналу чи групи {chat}. Спершу додайте @{bot} туди адміністратором "
        "(закритий канал вказується за id, -100…).",
    },
    "channel_private": {
        "en": "{chat} is a private chat with a person: Dozor posts only into channels and groups.",
        "ru": "{chat} — личный чат: Dozor публикует только в каналы и группы.",
        "uk": "{chat} — особистий чат: Dozor публікує лише в канали та групи.",
    },
    "channel_bot_not_admin": {
        "en": "@{bot} is not an administrator of {chat} with the right to post messages. Make it one, then try again.",
        "ru": "@{bot} не администратор {chat} с правом публиковать сообщения. Назначьте его, затем повторите.",
        "uk": "@{bot} не адміністратор {chat} з правом публікувати повідомлення. Призначте його, потім повторіть.",
    },
    "channel_you_not_admin": {
        "en": "Only an administrator of {chat} may have Dozor post there, and you are not one.",
        "ru": "Публикации Dozor в {chat} может включить только администратор {chat}, а вы им не являетесь.",
        "uk": "Публікації Dozor у {chat} може ввімкнути лише адміністратор {chat}, а ви ним не є.",
    },
    "channel_added": {
        "en": "Dozor posts <b>{topic}</b> into {chat}: {mode}. Telegram lets a bot post about 20 messages a "
        "minute there: a burst of alerts becomes one message. Stop with /channel remove {reference}.",
        "ru": "Dozor публикует <b>{topic}</b> в {chat}: {mode}. Telegram разрешает боту около 20 сообщений "
        "в минуту: всплеск оповещений станет одним сообщением. Остановить: /channel remove {reference}.",
        "uk": "Dozor публікує <b>{topic}</b> у {chat}: {mode}. Telegram дозволяє боту близько 20 повідомлень "
        "на хвилину: сплеск сповіщень стане одним повідомленням. Зупинити: /channel remove {reference}.",
    },
    "channels_title": {
        "en": "Channels and groups Dozor posts into ({n}):",
        "ru": "Каналы и группы, куда публикует Dozor ({n}):",
        "uk": "Канали та групи, куди публікує Dozor ({n}):",
    },
    "channels_none": {
        "en": "Dozor posts into no channel yet. Usage: /channel add @channel TOPIC alerts|hourly|daily",
        "ru": "Dozor пока не публикует ни в один канал. Использование: /channel add @канал ТЕМА alerts|hourly|daily",
        "uk": "Dozor поки не публікує в жоден канал. Використання: /channel add @канал ТЕМА alerts|hourly|daily",
    },
    "channel_line": {"en": "• {chat}: {topics} · {mode}", "ru": "• {chat}: {topics} · {mode}",
                     "uk": "• {chat}: {topics} · {mode}"},
    "channel_stopped": {
        "en": "   ⚠️ stopped: {reason}", "ru": "   ⚠️ остановлено: {reason}", "uk": "   ⚠️ зупинено: {reason}",
    },
    "channel_not_posted": {
        "en": "Dozor posts into no channel {chat}; see /channel.",
        "ru": "Dozor не публикует в канал {chat}; см. /channel.",
        "uk": "Dozor не публікує в канал {chat}; див. /channel.",
    },
    "channel_topic_unknown": {
        "en": "{chat} gets no topic {topic}; it gets: {known}.",
        "ru": "{chat} не получает тему {topic}; получает: {known}.",
        "uk": "{chat} не отримує тему {topic}; отримує: {known}.",
    },
    "channel_topic_removed": {
        "en": "Dozor no longer posts <b>{topic}</b> into {chat}; it still posts {left}.",
        "ru": "Dozor больше не публикует <b>{topic}</b> в {chat}; по-прежнему публикует {left}.",
        "uk": "Dozor більше не публікує <b>{topic}</b> у {chat}; як і раніше публікує {left}.",
    },
    "channel_removed": {
        "en": "Dozor no longer posts into {chat}; messages not yet sent there are dropped.",
        "ru": "Dozor больше не публикует в {chat}; ещё не отправленные туда сообщения отменены.",
        "uk": "Dozor більше не публікує в {chat}; ще не надіслані туди повідомлення скасовано.",
    },
    "channel_lost_notice": {
        "en": "⚠️ Dozor can no longer post into {chat}: {reason}\nIts topics are kept: once @{bot} is an "
        "administrator there again, /channel add {chat} TOPIC MODE resumes posting.",
        "ru": "⚠️ Dozor больше не может публиковать в {chat}: {reason}\nЕго темы сохранены: когда @{bot} снова станет "
        "там администратором, /channel add {chat} ТЕМА РЕЖИМ возобновит публикации.",
        "uk": "⚠️ Dozor більше не може публікувати в {chat}: {reason}\nЙого теми збережено: коли @{bot} знову стане "
        "там адміністратором, /channel add {chat} ТЕМА РЕЖИМ відновить публікації.",
    },
    "audit_channel_add": {
        "en": "{chat} gets {topic} ({mode})", "ru": "{chat} получает {topic} ({mode})", "uk": "{chat} отримує {topic} ({mode})",
    },
    "audit_channel_remove": {
        "en": "{chat} no longer gets {topics}", "ru": "{chat} больше не получает {topics}",
        "uk": "{chat} більше не отримує {topics}",
    },
    # topics and rules
    "bad_topic_id": {
        "en": "{id} cannot be a topic id: use lowercase letters, digits, _ and -, at most 32.",
        "ru": "{id} не подходит как id темы: строчные латинские буквы, цифры, _ и -, не длиннее 32.",
        "uk": "{id} не підходить як id теми: малі латинські літери, цифри, _ і -, не довше 32.",
    },
    "narrative_added": {
        "en": "Narrative <b>{title}</b> ({id}) added. Give it rules with /addkw {id} RULE, try them with /testrule {id} "
        "RULE; /narratives TOPIC shows its share.",
        "ru": "Нарратив <b>{title}</b> ({id}) добавлен. Правила: /addkw {id} ПРАВИЛО, проверка: /testrule {id} ПРАВИЛО; "
        "/narratives ТЕМА покажет его долю.",
        "uk": "Наратив <b>{title}</b> ({id}) додано. Правила: /addkw {id} ПРАВИЛО, перевірка: /testrule {id} ПРАВИЛО; "
        "/narratives ТЕМА покаже його частку.",
    },
    "narratives_known": {"en": "Narratives: {known}.", "ru": "Нарративы: {known}.", "uk": "Наративи: {known}."},
    "topic_exists": {"en": "Topic {id} exists already.", "ru": "Тема {id} уже есть.", "uk": "Тема {id} вже є."},
    "topic_added": {
        "en": "Added topic <b>{title}</b> ({id}). Give it rules with /addkw {id} RULE.",
        "ru": "Тема <b>{title}</b> ({id}) создана. Добавьте правила: /addkw {id} ПРАВИЛО.",
        "uk": "Тему <b>{title}</b> ({id}) створено. Додайте правила: /addkw {id} ПРАВИЛО.",
    },
    "removetopic_confirm": {
        "en": "Remove topic <b>{title}</b> ({id}) with its {rules} rules and its matches? {chats} chats follow it: "
        "they will be told, and their subscriptions to it go.",
        "ru": "Удалить тему <b>{title}</b> ({id}) с правилами ({rules}) и совпадениями? На неё подписаны чаты: {chats}; "
        "они получат уведомление, а их подписки на тему исчезнут.",
        "uk": "Видалити тему <b>{title}</b> ({id}) з правилами ({rules}) і збігами? На неї підписані чати: {chats}; "
        "вони отримають повідомлення, а їхні підписки на тему зникнуть.",
    },
    "topic_removed": {
        "en": "Removed topic <b>{title}</b> ({id}) with its rules, matches and subscriptions; {chats} chats that "
        "followed it are being told.",
        "ru": "Тема <b>{title}</b> ({id}) удалена вместе с правилами, совпадениями и подписками; подписанным чатам "
        "({chats}) отправлено уведомление.",
        "uk": "Тему <b>{title}</b> ({id}) видалено разом із правилами, збігами та підписками; підписаним чатам "
        "({chats}) надіслано повідомлення.",
    },
    "no_such_topic": {"en": "There is no topic {topic}. Topics: {known}.", "ru": "Темы {topic} нет. Темы: {known}.", "uk": "Теми {topic} немає. Теми: {known}."},
    "rule_error": {
        "en": "This rule has an error at position {position}: {message}",
        "ru": "В правиле ошибка в позиции {position}: {message}",
        "uk": "У правилі помилка в позиції {position}: {message}",
    },
    "rule_added": {
        "en": "Rule {n} added to <b>{title}</b>; new items match it from the next tick. Stored items: /reapply {id}",
        "ru": "Правило {n} добавлено в <b>{title}</b>; новые материалы проверяются с следующего шага. Старые: /reapply {id}",
        "uk": "Правило {n} додано до <b>{title}</b>; нові матеріали перевіряються з наступного кроку. Старі: /reapply {id}",
    },
    "rule_exists": {"en": "<b>{title}</b> has this rule already.", "ru": "В <b>{title}</b> это правило уже есть.", "uk": "У <b>{title}</b> це правило вже є."},
    "rule_removed": {
        "en": "Removed rule {n} from <b>{title}</b>: {rule}",
        "ru": "Правило {n} удалено из <b>{title}</b>: {rule}",
        "uk": "Правило {n} видалено з <b>{title}</b>: {rule}",
    },
    "rule_not_found": {
        "en": "<b>{title}</b> has no rule {rule}; see /keywords {id}.",
        "ru": "В <b>{title}</b> нет правила {rule}; см. /keywords {id}.",
        "uk": "У <b>{title}</b> немає правила {rule}; див. /keywords {id}.",
    },
    "keywords_title": {"en": "Rules of <b>{title}</b> ({id}):", "ru": "Правила темы <b>{title}</b> ({id}):", "uk": "Правила теми <b>{title}</b> ({id}):"},
    "keywords_none": {"en": "no rules yet", "ru": "правил пока нет", "uk": "правил поки немає"},
    "rules_title": {"en": "Rules (admins only):", "ru": "Правила (видят только администраторы):", "uk": "Правила (бачать лише адміністратори):"},
    "testrule_result": {
        "en": "Dry run for <b>{title}</b> on {checked} {checked:item|items} published in the last {days} {days:day|days}:\n"
        "would gain <b>{gained}</b>, would lose <b>{lost}</b>.",
        "ru": "Проверка для <b>{title}</b> на материалах, опубликованных за последние {days} {days:день|дня|дней} "
        "({checked}):\nдобавится <b>{gained}</b>, уйдёт <b>{lost}</b>.",
        "uk": "Перевірка для <b>{title}</b> на матеріалах, опублікованих за останні {days} {days:день|дні|днів} "
        "({checked}):\nдодасться <b>{gained}</b>, піде <b>{lost}</b>.",
    },
    "change_add": {"en": "Change: add rule {rule}", "ru": "Изменение: новое правило {rule}", "uk": "Зміна: нове правило {rule}"},
    "change_replace": {
        "en": "Change: rule {n} becomes {rule}",
        "ru": "Изменение: правило {n} станет {rule}",
        "uk": "Зміна: правило {n} стане {rule}",
    },
    "change_remove": {"en": "Change: remove rule {n} {rule}", "ru": "Изменение: удалить правило {n} {rule}", "uk": "Зміна: видалити правило {n} {rule}"},
    "gained_examples": {"en": "Would gain, for example:", "ru": "Добавится, например:", "uk": "Додасться, наприклад:"},
    "lost_examples": {"en": "Would lose, for example:", "ru": "Уйдёт, например:", "uk": "Піде, наприклад:"},
    "btn_save": {"en": "💾 Save", "ru": "💾 Сохранить", "uk": "💾 Зберегти"},
    "btn_discard": {"en": "🗑 Discard", "ru": "🗑 Отменить", "uk": "🗑 Скасувати"},
    "testrule_saved": {
        "en": "Saved. New items follow it from the next tick; stored items: /reapply {id} {days}",
        "ru": "Сохранено. Новые материалы — со следующего шага; старые: /reapply {id} {days}",
        "uk": "Збережено. Нові матеріали — з наступного кроку; старі: /reapply {id} {days}",
    },
    "testrule_stale": {
        "en": "The rules of {id} changed since this dry run; run /testrule again.",
        "ru": "Правила {id} изменились после проверки; запустите /testrule снова.",
        "uk": "Правила {id} змінилися після перевірки; запустіть /testrule знову.",
    },
    "bad_rule_number": {"en": "{reason}", "ru": "{reason}", "uk": "{reason}"},
    "reapply_progress": {
        "en": "Re-matching <b>{title}</b>: {done} of {total} items…",
        "ru": "Пересчёт <b>{title}</b>: {done} из {total} материалов…",
        "uk": "Перерахунок <b>{title}</b>: {done} з {total} матеріалів…",
    },
    "reapply_done": {
        "en": "Re-matched {total} items published in the last {days} days: <b>{title}</b> gained {added} and lost {removed}. "
        "Old items are never sent as alerts.",
        "ru": "Пересчитано {total} материалов, опубликованных за {days} дн.: <b>{title}</b> +{added}, −{removed}. "
        "Старые материалы не рассылаются как оповещения.",
        "uk": "Перераховано {total} матеріалів, опублікованих за {days} дн.: <b>{title}</b> +{added}, −{removed}. "
        "Старі матеріали не надсилаються як сповіщення.",
    },
    # audit
    "audit_empty": {"en": "The audit log is empty.", "ru": "Журнал изменений пуст.", "uk": "Журнал змін порожній."},
    "audit_title": {"en": "Latest changes ({n}):", "ru": "Последние изменения ({n}):", "uk": "Останні зміни ({n}):"},
    "audit_cli": {"en": "command line", "ru": "командная строка", "uk": "командний рядок"},
    "audit_rule_added": {
        "en": "rule added to {topic}: {rule}", "ru": "правило добавлено в {topic}: {rule}",
        "uk": "правило додано до {topic}: {rule}",
    },
    "audit_rule_removed": {
        "en": "rule removed from {topic}: {rule}", "ru": "правило удалено из {topic}: {rule}",
        "uk": "правило видалено з {topic}: {rule}",
    },
    "audit_rules_reordered": {
        "en": "rules of {topic} reordered", "ru": "правила {topic} переставлены", "uk": "правила {topic} переставлено",
    },
    "audit_topic_renamed": {
        "en": "topic {topic} renamed: {old} → {new}", "ru": "тема {topic} переименована: {old} → {new}",
        "uk": "тему {topic} перейменовано: {old} → {new}",
    },
    "audit_topic_add": {
        "en": "topic {topic} added: {title} ({n} rules)", "ru": "тема {topic} создана: {title} (правил: {n})",
        "uk": "тему {topic} створено: {title} (правил: {n})",
    },
    "audit_topic_remove": {
        "en": "topic {topic} removed: {title} ({n} rules)", "ru": "тема {topic} удалена: {title} (правил: {n})",
        "uk": "тему {topic} видалено: {title} (правил: {n})",
    },
    "audit_topic_reapply": {
        "en": "{topic} re-matched over {days} days: {items} items, +{added} −{removed}",
        "ru": "{topic} пересчитана за {days} дн.: {items} материалов, +{added} −{removed}",
        "uk": "{topic} перераховано за {days} дн.: {items} матеріалів, +{added} −{removed}",
    },
    "audit_source_add": {
        "en": "source {source} added: {url}", "ru": "источник {source} добавлен: {url}",
        "uk": "джерело {source} додано: {url}",
    },
    "audit_source_remove": {"en": "source {source} removed", "ru": "источник {source} удалён", "uk": "джерело {source} видалено"},
    "audit_source_pause": {
        "en": "source {source} paused", "ru": "источник {source} поставлен на паузу", "uk": "джерело {source} поставлено на паузу",
    },
    "audit_source_resume": {
        "en": "source {source} resumed", "ru": "источник {source} возобновлён", "uk": "джерело {source} відновлено",
    },
    "audit_source_update": {
        "en": "source {source} changed: {changes}", "ru": "источник {source} изменён: {changes}",
        "uk": "джерело {source} змінено: {changes}",
    },
    "audit_admin_add": {"en": "admin {user} added", "ru": "администратор {user} добавлен", "uk": "адміністратора {user} додано"},
    "audit_admin_remove": {"en": "admin {user} removed", "ru": "администратор {user} удалён", "uk": "адміністратора {user} видалено"},
    "audit_volunteer_add": {
        "en": "volunteer {user} added to the allow-list", "ru": "волонтёр {user} добавлен в список",
        "uk": "волонтера {user} додано до списку",
    },
    "audit_volunteer_remove": {
        "en": "volunteer {user} taken off the allow-list", "ru": "волонтёр {user} убран из списка",
        "uk": "волонтера {user} прибрано зі списку",
    },
    "audit_volunteers_all": {
        "en": "volunteer commands opened to everyone", "ru": "команды волонтёров открыты всем",
        "uk": "команди волонтерів відкрито всім",
    },
    "audit_volunteers_list": {
        "en": "volunteer commands limited to the allow-list", "ru": "команды волонтёров — только для списка",
        "uk": "команди волонтерів — лише для списку",
    },
    "audit_analysis_add": {
        "en": "analysis {analysis} added: {url}", "ru": "анализ {analysis} добавлен: {url}",
        "uk": "аналіз {analysis} додано: {url}",
    },
    "audit_analysis_update": {
        "en": "analysis {analysis} replaced: {url}", "ru": "анализ {analysis} заменён: {url}",
        "uk": "аналіз {analysis} замінено: {url}",
    },
    "audit_opml_import": {
        "en": "{n} sources imported from OPML", "ru": "из OPML импортировано источников: {n}",
        "uk": "з OPML імпортовано джерел: {n}",
    },
}
