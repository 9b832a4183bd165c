"""What the volunteers' commands say (/search /latest /item /sources /trend /analysis), in English, Russian and Ukrainian."""
from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    "search_help": {
        "en": "Type what to search for after /search.\n"
        "• Word forms are found by themselves: казахстан finds Казахстане. A name with a capital letter is found "
        "in Latin and Kazakh letters too: Казахстан finds Kazakhstan and Қазақстанда.\n"
        "• Words apart or joined by AND must all be there; OR finds either side (a b OR c is (a b) OR c); ( ) "
        "group; -word or NOT word excludes; word* finds words starting so; \"quoted phrases\" stay together.\n"
        "• Filters narrow: topic:, source: (a name or a site: source:kaztag.kz), lang:, since:, until:, "
        "is:edited, is:deleted (these two also alone: /search is:deleted).\n"
        "• sort:relevance puts first the items with the words in the title, often in the text, and fresh, "
        "instead of newest first.\n"
        "• Copies of one story (the same title within a day) are shown once, with the number of similar ones.\n"
        "Example: <code>/search {example}</code>",
        "ru": "Напишите после /search, что искать.\n"
        "• Формы слов находятся сами: казахстан найдёт Казахстане. Имя с заглавной буквы ищется и латиницей, и "
        "по-казахски: Казахстан найдёт Kazakhstan и Қазақстанда.\n"
        "• Слова через пробел или AND должны встретиться все; OR — любая из сторон (a b OR c — это (a b) OR c); "
        "( ) группируют; -слово или NOT слово исключает; слово* находит слова с этим началом; \"фразы в "
        "кавычках\" ищутся целиком.\n"
        "• Фильтры сужают: topic:, source: (имя или сайт: source:kaztag.kz), lang:, since:, until:, "
        "is:edited (изменённые), is:deleted (удалённые; эти два и без слов: /search is:deleted).\n"
        "• sort:relevance ставит первыми материалы со словами в заголовке, с частыми упоминаниями и свежие, а не "
        "просто самые новые.\n"
        "• Копии одного материала (тот же заголовок в пределах суток) показаны один раз, с числом похожих.\n"
        "Пример: <code>/search {example}</code>",
        "uk": "Напишіть після /search, що шукати.\n"
        "• Форми слів знаходяться самі: казахстан знайде Казахстане. Ім'я з великої літери шукається і "
        "латиницею, і казахською: Казахстан знайде Kazakhstan і Қазақстанда.\n"
        "• Слова через пробіл або AND мають трапитися всі; OR — будь-яка зі сторін (a b OR c — це (a b) OR c); "
        "( ) групують; -слово або NOT слово виключає; слово* знаходить слова з цим початком; \"фрази в "
        "лапках\" шукаються цілком.\n"
        "• Фільтри звужують: topic:, source: (ім'я або сайт: source:kaztag.kz), lang:, since:, until:, "
        "is:edited (змінені), is:deleted (видалені; ці два й без слів: /search is:deleted).\n"
        "• sort:relevance ставить першими матеріали зі словами в заголовку, з частими згадками та свіжі, а не "
        "просто найновіші.\n"
        "• Копії одного матеріалу (той самий заголовок протягом доби) показано один раз, із числом схожих.\n"
        "Приклад: <code>/search {example}</code>",
    },
    "search_bad": {
        "en": "I cannot search for that: {reason}\nExample: <code>/search {example}</code>",
        "ru": "Такой поиск не получится: {reason}\nПример: <code>/search {example}</code>",
        "uk": "Такий пошук не вийде: {reason}\nПриклад: <code>/search {example}</code>",
    },
    # why a /search query was refused: storage.search QueryError codes, worded by bot.texts.explain
    "query_empty": {
        "en": "Type what to search for.",
        "ru": "напишите, что искать.",
        "uk": "напишіть, що шукати.",
    },
    "query_no_words": {
        "en": "Add a word to search for: filters and -words only narrow a search (a -b, not a OR -b); "
        "is:edited and is:deleted may stand alone.",
        "ru": "добавьте хотя бы одно слово: фильтры и -слова только сужают поиск (a -b, но не a OR -b); "
        "без слов можно только is:edited и is:deleted.",
        "uk": "додайте хоча б одне слово: фільтри та -слова лише звужують пошук (a -b, але не a OR -b); "
        "без слів можна лише is:edited та is:deleted.",
    },
    "query_unbalanced_quotes": {
        "en": "A quote is not closed: put phrases between two quotes.",
        "ru": "кавычка не закрыта: фразу ставьте между двумя кавычками.",
        "uk": "лапки не закриті: фразу ставте між двома лапками.",
    },
    "query_operator": {
        "en": "Search operators such as {given} are not supported: use OR, AND, -word or NOT, ( ), word* and "
        "\"phrases\".",
        "ru": "операторы поиска вроде {given} не поддерживаются: есть OR, AND, -слово или NOT, ( ), слово* и "
        "\"фразы\".",
        "uk": "оператори пошуку на кшталт {given} не підтримуються: є OR, AND, -слово або NOT, ( ), слово* і "
        "\"фрази\".",
    },
    "query_star_inside": {
        "en": "'*' goes only at the end of a word: {given}.",
        "ru": "«*» ставится только в конце слова: {given}.",
        "uk": "«*» ставиться лише в кінці слова: {given}.",
    },
    "query_short_prefix": {
        "en": "Write at least {least} letters before '*': {given}.",
        "ru": "перед «*» нужно хотя бы {least} буквы: {given}.",
        "uk": "перед «*» потрібно щонайменше {least} літери: {given}.",
    },
    "query_dangling_operator": {
        "en": "{given} needs a word, a phrase or '(' on each side.",
        "ru": "по обе стороны от {given} нужно слово, фраза или «(».",
        "uk": "з обох боків від {given} потрібне слово, фраза або «(».",
    },
    "query_dangling_not": {
        "en": "NOT needs a word, a phrase or '(' after it.",
        "ru": "после NOT нужно слово, фраза или «(».",
        "uk": "після NOT потрібне слово, фраза або «(».",
    },
    "query_unclosed_paren": {
        "en": "A '(' is not closed with ')'.",
        "ru": "скобка «(» не закрыта «)».",
        "uk": "дужку «(» не закрито «)».",
    },
    "query_stray_paren": {
        "en": "A ')' has no '(' before it.",
        "ru": "перед «)» нет «(».",
        "uk": "перед «)» немає «(».",
    },
    "query_too_deep": {
        "en": "Use at most {most} levels of parentheses and exclusions.",
        "ru": "не больше {most} уровней скобок и исключений друг в друге.",
        "uk": "не більше {most} рівнів дужок і виключень одне в одному.",
    },
    "query_bad_sort": {
        "en": "sort: is one of {sorts}.",
        "ru": "sort: — одно из {sorts}.",
        "uk": "sort: — одне з {sorts}.",
    },
    "query_bad_date": {
        "en": "{key}:{given} is not a date: write {key}:2022-01-05 (or {key}:05.01.2022).",
        "ru": "{key}:{given} — не дата: пишите {key}:2022-01-05 (или {key}:05.01.2022).",
        "uk": "{key}:{given} — не дата: пишіть {key}:2022-01-05 (або {key}:05.01.2022).",
    },
    "query_dates_reversed": {
        "en": "since: is after until:.",
        "ru": "since: позже, чем until:.",
        "uk": "since: пізніше, ніж until:.",
    },
    "query_unknown_filter": {
        "en": "There is no filter {given}:. Filters are {filters}.",
        "ru": "фильтра {given}: нет. Фильтры: {filters}.",
        "uk": "фільтра {given}: немає. Фільтри: {filters}.",
    },
    "query_bad_flag": {
        "en": "is:{given} is not something an item can be: write {flags}.",
        "ru": "is:{given} — такого признака нет: пишите {flags}.",
        "uk": "is:{given} — такої ознаки немає: пишіть {flags}.",
    },
    "query_empty_filter": {
        "en": "{key}: needs a value.",
        "ru": "у фильтра {key}: нет значения.",
        "uk": "у фільтра {key}: немає значення.",
    },
    "query_repeated_filter": {
        "en": "Use {key}: only once.",
        "ru": "фильтр {key}: — только один раз.",
        "uk": "фільтр {key}: — лише один раз.",
    },
    "query_bad_lang": {
        "en": "lang: is one of {langs}.",
        "ru": "lang: — один из {langs}.",
        "uk": "lang: — один із {langs}.",
    },
    "query_too_long": {
        "en": "The query is longer than {most} characters.",
        "ru": "запрос длиннее {most} символов.",
        "uk": "запит довший за {most} символів.",
    },
    "query_long_phrase": {
        "en": "A phrase may have at most {most} words.",
        "ru": "во фразе может быть не больше {most} слов.",
        "uk": "у фразі може бути не більше {most} слів.",
    },
    "query_too_many_words": {
        "en": "Use at most {most} words and phrases.",
        "ru": "не больше {most} слов и фраз.",
        "uk": "не більше {most} слів і фраз.",
    },
    "query_unknown_topic": {
        "en": "There is no topic {given}. Topics: {known}.",
        "ru": "темы {given} нет. Темы: {known}.",
        "uk": "теми {given} немає. Теми: {known}.",
    },
    "query_unknown_source": {
        "en": "No source is called {given} or is at that site. Sources include: {names}.",
        "ru": "источника {given} нет ни по имени, ни по сайту. Среди источников: {names}.",
        "uk": "джерела {given} немає ні за ім'ям, ні за сайтом. Серед джерел: {names}.",
    },
    "search_header": {
        "en": "🔎 <b>{query}</b>: {total} found, page {page} of {pages}",
        "ru": "🔎 <b>{query}</b>: найдено {total}, страница {page} из {pages}",
        "uk": "🔎 <b>{query}</b>: знайдено {total}, сторінка {page} з {pages}",
    },
    "search_none": {
        "en": "Nothing found for <b>{query}</b>. Try fewer words or fewer filters.",
        "ru": "По запросу <b>{query}</b> ничего не найдено. Попробуйте меньше слов или фильтров.",
        "uk": "За запитом <b>{query}</b> нічого не знайдено. Спробуйте менше слів або фільтрів.",
    },
    "search_expired": {
        "en": "This search is too old to page through: send it again.",
        "ru": "Этот поиск устарел: отправьте его ещё раз.",
        "uk": "Цей пошук застарів: надішліть його ще раз.",
    },
    "search_similar": {"en": "and {n} similar", "ru": "и ещё похожих: {n}", "uk": "і ще схожих: {n}"},
    "btn_prev": {"en": "◀ Prev", "ru": "◀ Назад", "uk": "◀ Назад"},
    "btn_next": {"en": "Next ▶", "ru": "Далее ▶", "uk": "Далі ▶"},
    "analysis_label": {"en": "Analysis:", "ru": "Анализ:", "uk": "Аналіз:"},
    "latest_usage": {
        "en": "Usage: /latest [topic] [N], e.g. /latest {example} 5 (at most {most}). Topics: {known}.",
        "ru": "Так: /latest [тема] [N], например /latest {example} 5 (не больше {most}). Темы: {known}.",
        "uk": "Так: /latest [тема] [N], наприклад /latest {example} 5 (не більше {most}). Теми: {known}.",
    },
    "latest_header": {
        "en": "🆕 <b>Latest matched items</b>{topic}",
        "ru": "🆕 <b>Свежие материалы по темам</b>{topic}",
        "uk": "🆕 <b>Свіжі матеріали за темами</b>{topic}",
    },
    "latest_none": {
        "en": "No matched items yet{topic}.",
        "ru": "Материалов пока нет{topic}.",
        "uk": "Матеріалів поки немає{topic}.",
    },
    "item_usage": {
        "en": "Which item? For example: /item 123 (the numbers are shown by /search and /latest).",
        "ru": "Какой материал? Например: /item 123 (номера показывают /search и /latest).",
        "uk": "Який матеріал? Наприклад: /item 123 (номери показують /search і /latest).",
    },
    "item_missing": {
        "en": "There is no item {id}.",
        "ru": "Материала {id} нет.",
        "uk": "Матеріалу {id} немає.",
    },
    "item_text_cut": {
        "en": "✂ The text is cut here: {shown} of its {total} characters shown. All of it: {where}",
        "ru": "✂ Текст обрезан здесь: показано {shown} из {total} символов. Целиком: {where}",
        "uk": "✂ Текст обрізано тут: показано {shown} з {total} символів. Повністю: {where}",
    },
    "item_text_nowhere": {
        "en": "the item has no link",
        "ru": "у материала нет ссылки",
        "uk": "матеріал не має посилання",
    },
    "item_edited_once": {
        "en": "✏️ edited once · /history_{id}",
        "ru": "✏️ изменён один раз · /history_{id}",
        "uk": "✏️ змінений один раз · /history_{id}",
    },
    "item_edited": {
        "en": "✏️ edited {n} times · /history_{id}",
        "ru": "✏️ изменён, версий после первой: {n} · /history_{id}",
        "uk": "✏️ змінений, версій після першої: {n} · /history_{id}",
    },
    "item_edited_unseen": {
        "en": "✏️ marked edited by Telegram before Dozor saw it",
        "ru": "✏️ Telegram пометил пост изменённым ещё до того, как его увидел Dozor",
        "uk": "✏️ Telegram позначив пост зміненим ще до того, як його побачив Dozor",
    },
    "item_deleted": {
        "en": "🗑 deleted on {when} ({reason}) · /history_{id}",
        "ru": "🗑 удалён {when} ({reason}) · /history_{id}",
        "uk": "🗑 видалений {when} ({reason}) · /history_{id}",
    },
    "item_no_full_text": {
        "en": "The article page gave no text: {problem} ({error})",
        "ru": "Страница статьи не дала текста: {problem} ({error})",
        "uk": "Сторінка статті не дала тексту: {problem} ({error})",
    },
    "history_usage": {
        "en": "Which item? For example: /history 123.",
        "ru": "Какой материал? Например: /history 123.",
        "uk": "Який матеріал? Наприклад: /history 123.",
    },
    "history_title": {
        "en": "History of #{id}: {n} versions",
        "ru": "История #{id}: версий — {n}",
        "uk": "Історія #{id}: версій — {n}",
    },
    "history_version": {
        "en": "<b>Version {n}</b> · first seen {first} · last seen {last}",
        "ru": "<b>Версия {n}</b> · впервые {first} · в последний раз {last}",
        "uk": "<b>Версія {n}</b> · вперше {first} · востаннє {last}",
    },
    "history_same_words": {
        "en": "(the same words; only spacing or boilerplate changed)",
        "ru": "(те же слова; изменились только пробелы или служебные строки)",
        "uk": "(ті самі слова; змінилися лише пробіли або службові рядки)",
    },
    "history_deleted": {
        "en": "🗑 <b>Deleted</b> on {when} ({reason}): {evidence}",
        "ru": "🗑 <b>Удалён</b> {when} ({reason}): {evidence}",
        "uk": "🗑 <b>Видалений</b> {when} ({reason}): {evidence}",
    },
    "item_sources": {"en": "Sources", "ru": "Источники", "uk": "Джерела"},
    "item_topics": {"en": "Topics", "ru": "Темы", "uk": "Теми"},
    "item_no_topics": {"en": "no topic", "ru": "без темы", "uk": "без теми"},
    "item_analyses": {"en": "Analyses", "ru": "Анализы", "uk": "Аналізи"},
    "reason_cited": {"en": "cites it", "ru": "ссылается на него", "uk": "посилається на нього"},
    "reason_similar": {"en": "similar in its text", "ru": "похож по тексту", "uk": "схожий за текстом"},
    "sources_header": {
        "en": "📡 <b>Sources</b> ({n}). Items a day: those published in the last {days} days, divided by {days}.",
        "ru": "📡 <b>Источники</b> ({n}). Материалов в день: опубликованные за последние {days} дн., делённые на {days}.",
        "uk": "📡 <b>Джерела</b> ({n}). Матеріалів на день: опубліковані за останні {days} дн., поділені на {days}.",
    },
    "sources_none": {
        "en": "No sources are monitored yet.",
        "ru": "Источников пока нет.",
        "uk": "Джерел поки немає.",
    },
    "source_line": {
        "en": "{mark} <b>{name}</b> ({kind}): {per_day} items/day, last success {ok}",
        "ru": "{mark} <b>{name}</b> ({kind}): {per_day} в день, последний успех {ok}",
        "uk": "{mark} <b>{name}</b> ({kind}): {per_day} на день, останній успіх {ok}",
    },
    "source_error": {
        "en": "   error ({count}×): {error}",
        "ru": "   ошибка ({count}×): {error}",
        "uk": "   помилка ({count}×): {error}",
    },
    "source_paused_reason": {"en": "   paused: {reason}", "ru": "   приостановлен: {reason}", "uk": "   призупинено: {reason}"},
    "trend_usage": {
        "en": "Trend of what? For example: /trend {example} 30d, /trend Токаев 7d or /trend {example} "
        "2022-01-01..2022-01-20. Periods: 7d, 30d, 90d, up to 366d (1d or 2d give hours), or a range of days. "
        "Topics: {known}.",
        "ru": "Динамика чего? Например: /trend {example} 30d, /trend Токаев 7d или /trend {example} "
        "2022-01-01..2022-01-20. Периоды: 7d, 30d, 90d, до 366d (1d или 2d — по часам) или диапазон дат. "
        "Темы: {known}.",
        "uk": "Динаміка чого? Наприклад: /trend {example} 30d, /trend Токаев 7d або /trend {example} "
        "2022-01-01..2022-01-20. Періоди: 7d, 30d, 90d, до 366d (1d або 2d — по годинах) або діапазон дат. "
        "Теми: {known}.",
    },
    "trend_last": {"en": "in the last {period}", "ru": "за последние {period}", "uk": "за останні {period}"},
    "trend_range": {"en": "from {first} to {last}", "ru": "с {first} по {last}", "uk": "з {first} по {last}"},
    "trend_none": {
        "en": "No items about <b>{what}</b> were published {period}: nothing to chart.",
        "ru": "Материалов о <b>{what}</b> {period} не публиковалось: графика не будет.",
        "uk": "Матеріалів про <b>{what}</b> {period} не публікувалося: графіка не буде.",
    },
    "trend_caption": {
        "en": "📈 <b>{what}</b>: {total} items published {period}. {busiest}",
        "ru": "📈 <b>{what}</b>: материалов {period}: {total}. {busiest}",
        "uk": "📈 <b>{what}</b>: матеріалів {period}: {total}. {busiest}",
    },
    "trend_busiest_day": {
        "en": "Busiest day: <b>{day}</b> ({count}).",
        "ru": "Самый активный день: <b>{day}</b> ({count}).",
        "uk": "Найактивніший день: <b>{day}</b> ({count}).",
    },
    "trend_busiest_hour": {
        "en": "Busiest hour: <b>{hour}</b> ({count}).",
        "ru": "Самый активный час: <b>{hour}</b> ({count}).",
        "uk": "Найактивніша година: <b>{hour}</b> ({count}).",
    },
    "trend_axis_day": {"en": "items per day", "ru": "материалов в день", "uk": "матеріалів на день"},
    "trend_axis_hour": {"en": "items per hour", "ru": "материалов в час", "uk": "матеріалів на годину"},
    "trend_capped": {
        "en": " Only the first {n} items found were counted.",
        "ru": " Учтены только первые {n} найденных материалов.",
        "uk": " Враховано лише перші {n} знайдених матеріалів.",
    },
    "no_topic_line": {"en": "no topic", "ru": "без темы", "uk": "без теми"},
    "analyses_header": {
        "en": "📚 <b>Analyses</b>{topic}",
        "ru": "📚 <b>Анализы</b>{topic}",
        "uk": "📚 <b>Аналізи</b>{topic}",
    },
    "analyses_none": {
        "en": "No analyses yet{topic}. Admins add them with /addanalysis.",
        "ru": "Анализов пока нет{topic}. Админы добавляют их через /addanalysis.",
        "uk": "Аналізів поки немає{topic}. Адміни додають їх через /addanalysis.",
    },
    "analysis_counts": {
        "en": "cites {cited} stored {cited:item|items}, relates to {similar} more · /analysis_{id}",
        "ru": "ссылается на {cited} {cited:сохранённый материал|сохранённых материала|сохранённых материалов}, "
        "связан ещё с {similar} · /analysis_{id}",
        "uk": "посилається на {cited} {cited:збережений матеріал|збережені матеріали|збережених матеріалів}, "
        "пов'язаний ще з {similar} · /analysis_{id}",
    },
    "analysis_missing": {
        "en": "There is no analysis {id}. See /analysis for the list.",
        "ru": "Анализа {id} нет. Список: /analysis",
        "uk": "Аналізу {id} немає. Список: /analysis",
    },
    "analysis_cited_stored": {
        "en": "<b>Cited sources Dozor has stored</b> ({n} of {total} citations):",
        "ru": "<b>Цитируемые источники, которые есть в Dozor</b> ({n} из {total} ссылок):",
        "uk": "<b>Цитовані джерела, які є в Dozor</b> ({n} з {total} посилань):",
    },
    "analysis_similar": {
        "en": "<b>Related items</b> ({n}), the closest first:",
        "ru": "<b>Связанные материалы</b> ({n}), сначала самые близкие:",
        "uk": "<b>Пов'язані матеріали</b> ({n}), спершу найближчі:",
    },
    "analysis_suggest": {
        "en": "<b>Cited sites Dozor does not monitor yet</b> (suggestions for an admin to add with /addfeed):",
        "ru": "<b>Цитируемые сайты, за которыми Dozor пока не следит</b> (админ может добавить их через /addfeed):",
        "uk": "<b>Цитовані сайти, за якими Dozor поки не стежить</b> (адмін може додати їх через /addfeed):",
    },
    "analysis_cites_nothing": {
        "en": "It cites nothing Dozor has stored.",
        "ru": "Ни одной из его ссылок нет в Dozor.",
        "uk": "Жодного з його посилань немає в Dozor.",
    },
    "citations_count": {
        "en": "{n} {n:citation|citations}",
        "ru": "{n} {n:ссылка|ссылки|ссылок}",
        "uk": "{n} {n:посилання|посилання|посилань}",
    },
    "addanalysis_usage": {
        "en": "Send /addanalysis URL Title on the first line and the analysis text below it, or send the text "
        "as a file (.txt or .html) with the caption /addanalysis URL Title.",
        "ru": "Отправьте /addanalysis URL Заголовок в первой строке и текст анализа ниже, или пришлите текст "
        "файлом (.txt или .html) с подписью /addanalysis URL Заголовок.",
        "uk": "Надішліть /addanalysis URL Заголовок у першому рядку і текст аналізу нижче, або надішліть текст "
        "файлом (.txt або .html) з підписом /addanalysis URL Заголовок.",
    },
    "addanalysis_bad": {
        "en": "Could not add the analysis: {reason}",
        "ru": "Не удалось добавить анализ: {reason}",
        "uk": "Не вдалося додати аналіз: {reason}",
    },
    "addanalysis_done": {
        "en": "Analysis {id} {verb}: <b>{title}</b>\n{citations} citations, {cited} of them stored items; "
        "{similar} similar items. Topics: {topics}. See /analysis_{id}",
        "ru": "Анализ {id} {verb}: <b>{title}</b>\nссылок: {citations}, из них сохранённых материалов: {cited}; "
        "похожих материалов: {similar}. Темы: {topics}. Подробнее: /analysis_{id}",
        "uk": "Аналіз {id} {verb}: <b>{title}</b>\nпосилань: {citations}, з них збережених матеріалів: {cited}; "
        "схожих матеріалів: {similar}. Теми: {topics}. Докладніше: /analysis_{id}",
    },
    "added": {"en": "added", "ru": "добавлен", "uk": "додано"},
    "updated": {"en": "updated", "ru": "обновлён", "uk": "оновлено"},
    "volunteers_only": {
        "en": "These commands are for Dozor's volunteers. To become one, ask an admin to add you: your Telegram id "
        "is <code>{user}</code> (they send /volunteers add {user}).",
        "ru": "Эти команды для волонтёров Dozor. Чтобы стать волонтёром, попросите админа добавить вас: ваш id в "
        "Telegram — <code>{user}</code> (админ отправит /volunteers add {user}).",
        "uk": "Ці команди для волонтерів Dozor. Щоб стати волонтером, попросіть адміна додати вас: ваш id у "
        "Telegram — <code>{user}</code> (адмін надішле /volunteers add {user}).",
    },
}

TEXTS.update({
    "timeline_usage": {
        "en": "Timeline of which topic? For example: /timeline {example} 2022-01-05 2022-01-12, or /timeline {example} 30d "
        "(default: the last 7 days). Topics: {known}.",
        "ru": "Хронология какой темы? Например: /timeline {example} 2022-01-05 2022-01-12 или /timeline {example} 30d "
        "(по умолчанию — последние 7 дней). Темы: {known}.",
        "uk": "Хронологія якої теми? Наприклад: /timeline {example} 2022-01-05 2022-01-12 або /timeline {example} 30d "
        "(типово — останні 7 днів). Теми: {known}.",
    },
    "timeline_bad_dates": {
        "en": "I cannot read the period: {reason}. Write dates as 2022-01-05 or 05.01.2022, or a period such as 30d.",
        "ru": "Не понял период: {reason}. Пишите даты как 2022-01-05 или 05.01.2022, или период, например 30d.",
        "uk": "Не зрозумів період: {reason}. Пишіть дати як 2022-01-05 або 05.01.2022, або період, наприклад 30d.",
    },
    "timeline_none": {
        "en": "No stories about <b>{topic}</b> from {since} to {until}.",
        "ru": "Сюжетов по теме <b>{topic}</b> с {since} по {until} нет.",
        "uk": "Сюжетів за темою <b>{topic}</b> з {since} по {until} немає.",
    },
    "timeline_title": {
        "en": "Timeline: {topic}, {since} to {until} (stories: {n})",
        "ru": "Хронология: {topic}, с {since} по {until} (сюжетов: {n})",
        "uk": "Хронологія: {topic}, з {since} по {until} (сюжетів: {n})",
    },
    "timeline_references": {"en": "References", "ru": "Источники", "uk": "Джерела"},
    "timeline_capped": {
        "en": "Only the first {shown} of {total} stories are listed: narrow the period to see the rest.",
        "ru": "Показаны первые {shown} из {total} сюжетов: сузьте период, чтобы увидеть остальные.",
        "uk": "Показано перші {shown} з {total} сюжетів: звузьте період, щоб побачити решту.",
    },
    "timeline_file_caption": {
        "en": "🗓 <b>{topic}</b>: stories from {since} to {until}: {n}, references: {refs}. The timeline is in the file.",
        "ru": "🗓 <b>{topic}</b>: сюжетов с {since} по {until}: {n}, ссылок: {refs}. Хронология — в файле.",
        "uk": "🗓 <b>{topic}</b>: сюжетів з {since} по {until}: {n}, посилань: {refs}. Хронологія — у файлі.",
    },
})

TEXTS.update({
    "narratives_usage": {
        "en": "Narratives in which topic? For example: /narratives {example} 30d (7d, 30d or 90d; default 30d). "
        "Topics: {known}.",
        "ru": "Нарративы какой темы? Например: /narratives {example} 30d (7d, 30d или 90d; по умолчанию 30d). "
        "Темы: {known}.",
        "uk": "Наративи якої теми? Наприклад: /narratives {example} 30d (7d, 30d або 90d; типово 30d). Теми: {known}.",
    },
    "narratives_none": {
        "en": "No items about <b>{topic}</b> {period}.",
        "ru": "Материалов по теме <b>{topic}</b> {period} нет.",
        "uk": "Матеріалів за темою <b>{topic}</b> {period} немає.",
    },
    "narratives_no_narratives": {
        "en": "No narratives are defined: admins add them with /addnarrative.",
        "ru": "Нарративы не заданы: админы добавляют их через /addnarrative.",
        "uk": "Наративи не задано: адміни додають їх через /addnarrative.",
    },
    "narratives_title": {
        "en": "🧭 <b>{topic}</b>, {period}: {items} items",
        "ru": "🧭 <b>{topic}</b>, {period}: материалов {items}",
        "uk": "🧭 <b>{topic}</b>, {period}: матеріалів {items}",
    },
    "narratives_label": {
        "en": "<b>{label}</b> ({items}): {leaders}",
        "ru": "<b>{label}</b> ({items}): {leaders}",
        "uk": "<b>{label}</b> ({items}): {leaders}",
    },
    "narratives_label_none": {
        "en": "<b>{label}</b> ({items}): none of the narratives",
        "ru": "<b>{label}</b> ({items}): ни одного из нарративов",
        "uk": "<b>{label}</b> ({items}): жодного з наративів",
    },
    "narratives_shift": {
        "en": "↪ {label}: from «{before}» to «{after}» since {day}",
        "ru": "↪ {label}: с «{before}» на «{after}» с {day}",
        "uk": "↪ {label}: з «{before}» на «{after}» з {day}",
    },
    "narratives_no_shift": {
        "en": "No shift: each label kept its leading narrative.",
        "ru": "Сдвигов нет: у каждой метки ведущий нарратив не менялся.",
        "uk": "Зсувів немає: у кожної мітки провідний наратив не змінювався.",
    },
    "narratives_chart_axis": {"en": "share of the label's items", "ru": "доля материалов метки", "uk": "частка матеріалів мітки"},
})
