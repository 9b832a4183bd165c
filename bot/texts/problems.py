"""Technical causes in words a person understands: feed errors (feeds.errors codes), why a source was
paused, why an address cannot be added, and rule syntax errors (feeds.matching.rules codes)."""
from __future__ import annotations

TEXTS: dict[str, dict[str, str]] = {
    # feed errors by code (fetch.*, parse.*): bot.texts.problem words them; the code stays visible in /feed
    "problem_fetch_dns": {
        "en": "the site's address cannot be found (check the spelling; the site may no longer exist)",
        "ru": "адрес сайта не найден (проверьте написание; возможно, сайта больше нет)",
        "uk": "адресу сайту не знайдено (перевірте написання; можливо, сайту більше немає)",
    },
    "problem_fetch_timeout": {
        "en": "the site did not answer in time",
        "ru": "сайт не ответил вовремя",
        "uk": "сайт не відповів вчасно",
    },
    "problem_fetch_tls": {
        "en": "the secure (HTTPS) connection to the site failed, for example because of an invalid certificate",
        "ru": "не удалось защищённое (HTTPS) соединение с сайтом, например из-за недействительного сертификата",
        "uk": "не вдалося захищене (HTTPS) з'єднання із сайтом, наприклад через недійсний сертифікат",
    },
    "problem_fetch_connection": {
        "en": "the site cannot be reached (the connection failed)",
        "ru": "до сайта не достучаться (соединение не удалось)",
        "uk": "до сайту не достукатися (з'єднання не вдалося)",
    },
    "problem_fetch_too_large": {
        "en": "the page is too large to be a feed",
        "ru": "страница слишком большая для ленты",
        "uk": "сторінка завелика для стрічки",
    },
    "problem_fetch_bad_encoding": {
        "en": "the page's text is in an encoding that cannot be read",
        "ru": "текст страницы в кодировке, которую не прочитать",
        "uk": "текст сторінки в кодуванні, яке не прочитати",
    },
    "problem_fetch_bad_url": {
        "en": "this is not a valid web address",
        "ru": "это не правильный веб-адрес",
        "uk": "це не правильна вебадреса",
    },
    "problem_fetch_bad_scheme": {
        "en": "only http:// and https:// addresses can be read",
        "ru": "читаются только адреса http:// и https://",
        "uk": "читаються лише адреси http:// і https://",
    },
    "problem_fetch_redirect_loop": {
        "en": "the site redirects in a loop",
        "ru": "сайт перенаправляет по кругу",
        "uk": "сайт перенаправляє по колу",
    },
    "problem_fetch_too_many_redirects": {
        "en": "the site redirects too many times",
        "ru": "сайт перенаправляет слишком много раз",
        "uk": "сайт перенаправляє забагато разів",
    },
    "problem_fetch_unexpected_304": {
        "en": "the site answered \"not modified\" to a first request",
        "ru": "сайт ответил «не изменилось» на первый запрос",
        "uk": "сайт відповів «не змінилося» на перший запит",
    },
    "problem_fetch_private_address": {
        "en": "the address leads into a private network, which Dozor does not reach",
        "ru": "адрес ведёт во внутреннюю сеть, куда Dozor не ходит",
        "uk": "адреса веде у внутрішню мережу, куди Dozor не ходить",
    },
    "problem_fetch_http_401": {
        "en": "the site asks for a login (HTTP 401)",
        "ru": "сайт требует входа (HTTP 401)",
        "uk": "сайт вимагає входу (HTTP 401)",
    },
    "problem_fetch_http_403": {
        "en": "the site refuses access (HTTP 403)",
        "ru": "сайт отказывает в доступе (HTTP 403)",
        "uk": "сайт відмовляє в доступі (HTTP 403)",
    },
    "problem_fetch_http_404": {
        "en": "there is no page at this address (HTTP 404)",
        "ru": "по этому адресу нет страницы (HTTP 404)",
        "uk": "за цією адресою немає сторінки (HTTP 404)",
    },
    "problem_fetch_http_410": {
        "en": "the page was removed for good (HTTP 410)",
        "ru": "страница удалена насовсем (HTTP 410)",
        "uk": "сторінку видалено назавжди (HTTP 410)",
    },
    "problem_fetch_http_429": {
        "en": "the site asks Dozor to come back later: too many requests (HTTP 429)",
        "ru": "сайт просит зайти позже: слишком много запросов (HTTP 429)",
        "uk": "сайт просить зайти пізніше: забагато запитів (HTTP 429)",
    },
    "problem_fetch_http_5xx": {
        "en": "the site has a fault on its side (HTTP {status})",
        "ru": "у сайта сбой на его стороне (HTTP {status})",
        "uk": "у сайту збій на його боці (HTTP {status})",
    },
    "problem_fetch_http": {
        "en": "the site answered with an error (HTTP {status})",
        "ru": "сайт ответил ошибкой (HTTP {status})",
        "uk": "сайт відповів помилкою (HTTP {status})",
    },
    "problem_parse_not_a_feed": {
        "en": "the page is not an RSS or Atom feed",
        "ru": "страница — не лента RSS или Atom",
        "uk": "сторінка — не стрічка RSS або Atom",
    },
    "problem_parse_not_a_channel": {
        "en": "this is not a public Telegram channel (its web page shows no posts)",
        "ru": "это не публичный канал Telegram (его веб-страница не показывает постов)",
        "uk": "це не публічний канал Telegram (його вебсторінка не показує постів)",
    },
    "problem_parse_crashed": {
        "en": "the feed is too damaged to read",
        "ru": "лента слишком повреждена, чтобы её прочитать",
        "uk": "стрічка надто пошкоджена, щоб її прочитати",
    },
    "problem_parse_timeout": {
        "en": "reading the feed took too long",
        "ru": "чтение ленты заняло слишком много времени",
        "uk": "читання стрічки тривало надто довго",
    },
    "problem_parse_worker_lost": {
        "en": "the feed reader stopped while reading it",
        "ru": "программа чтения ленты остановилась посреди работы",
        "uk": "програма читання стрічки зупинилася посеред роботи",
    },
    "problem_extract_not_html": {
        "en": "the article link is not an HTML page",
        "ru": "ссылка статьи ведёт не на HTML-страницу",
        "uk": "посилання статті веде не на HTML-сторінку",
    },
    "problem_extract_failed": {
        "en": "the article page could not be read",
        "ru": "страницу статьи не удалось прочитать",
        "uk": "сторінку статті не вдалося прочитати",
    },
    "problem_extract_empty": {
        "en": "the article page has no article text",
        "ru": "на странице статьи нет текста статьи",
        "uk": "на сторінці статті немає тексту статті",
    },
    "problem_extract_too_short": {
        "en": "the article page gave too little text (a login wall or a paywall?)",
        "ru": "страница статьи дала слишком мало текста (вход или платный доступ?)",
        "uk": "сторінка статті дала замало тексту (вхід або платний доступ?)",
    },
    "problem_extract_timeout": {
        "en": "extracting the article's text took too long",
        "ru": "извлечение текста статьи заняло слишком много времени",
        "uk": "видобування тексту статті тривало надто довго",
    },
    "problem_extract_worker_lost": {
        "en": "the text extractor stopped while reading the page",
        "ru": "программа извлечения текста остановилась посреди работы",
        "uk": "програма видобування тексту зупинилася посеред роботи",
    },
    "problem_extract_skipped": {
        "en": "not read: too many article pages in one poll",
        "ru": "не прочитана: слишком много страниц статей за один опрос",
        "uk": "не прочитана: забагато сторінок статей за одне опитування",
    },
    "problem_internal_error": {
        "en": "an error inside Dozor (the admins can see it in the log)",
        "ru": "ошибка внутри Dozor (подробности в журнале)",
        "uk": "помилка всередині Dozor (подробиці в журналі)",
    },
    "problem_unknown": {
        "en": "an unexpected error ({code})",
        "ru": "непредвиденная ошибка ({code})",
        "uk": "непередбачена помилка ({code})",
    },
    # why an address cannot be added (feeds.sources BadSourceUrl and DiscoveryError codes)
    "problem_source_too_long": {
        "en": "an address may have at most {most} characters",
        "ru": "адрес может быть не длиннее {most} символов",
        "uk": "адреса може бути не довша за {most} символів",
    },
    "problem_source_bad_channel": {
        "en": "{given} is neither a channel name (5-32 letters, digits or _) nor @user@instance",
        "ru": "{given} — не имя канала (5–32 латинские буквы, цифры или _) и не @user@instance",
        "uk": "{given} — не ім'я каналу (5–32 латинські літери, цифри або _) і не @user@instance",
    },
    "problem_source_not_a_channel": {
        "en": "{given} is not a public Telegram channel: Dozor reads public channels, given as @NAME or t.me/NAME; "
        "invitation links, private chats and single posts cannot be followed",
        "ru": "{given} — не публичный канал Telegram: Dozor читает публичные каналы, заданные как @ИМЯ или t.me/ИМЯ; "
        "ссылки-приглашения, закрытые чаты и отдельные посты отслеживать нельзя",
        "uk": "{given} — не публічний канал Telegram: Dozor читає публічні канали, задані як @ІМ'Я або t.me/ІМ'Я; "
        "посилання-запрошення, закриті чати та окремі пости відстежувати не можна",
    },
    "problem_source_no_host": {
        "en": "{given} has no site name",
        "ru": "в {given} нет имени сайта",
        "uk": "у {given} немає імені сайту",
    },
    "problem_source_youtube_not_found": {
        "en": "YouTube has no channel {given}",
        "ru": "на YouTube нет канала {given}",
        "uk": "на YouTube немає каналу {given}",
    },
    "problem_discover_timeout": {
        "en": "no feed was found within {seconds} seconds",
        "ru": "ленту не удалось найти за {seconds} секунд",
        "uk": "стрічку не вдалося знайти за {seconds} секунд",
    },
    "problem_discover_cannot_fetch": {
        "en": "{url} cannot be read: {problem}",
        "ru": "{url} не читается: {problem}",
        "uk": "{url} не читається: {problem}",
    },
    "problem_discover_no_feed": {
        "en": "{url}: {problem}, and the page links to no feed",
        "ru": "{url}: {problem}, и ссылок на ленту на странице нет",
        "uk": "{url}: {problem}, і посилань на стрічку на сторінці немає",
    },
    "problem_discover_unreadable": {
        "en": "{url}: {problem}",
        "ru": "{url}: {problem}",
        "uk": "{url}: {problem}",
    },
    # why an OPML file or an analysis cannot be taken (feeds OpmlError and AnalysisInputError codes)
    "problem_opml_too_large": {
        "en": "it is larger than {most} MiB",
        "ru": "он больше {most} МиБ",
        "uk": "він більший за {most} МіБ",
    },
    "problem_opml_not_xml": {
        "en": "it is not well-formed XML (the file may be cut or not OPML at all)",
        "ru": "это не правильный XML (файл обрезан или вовсе не OPML)",
        "uk": "це не правильний XML (файл обрізаний або зовсім не OPML)",
    },
    "problem_opml_not_opml": {
        "en": "it is XML but not OPML (its root element is not &lt;opml&gt;)",
        "ru": "это XML, но не OPML (его корневой элемент не &lt;opml&gt;)",
        "uk": "це XML, але не OPML (його кореневий елемент не &lt;opml&gt;)",
    },
    "problem_opml_no_url": {
        "en": "a feed outline without xmlUrl",
        "ru": "элемент ленты без xmlUrl",
        "uk": "елемент стрічки без xmlUrl",
    },
    "problem_opml_too_many": {
        "en": "beyond the first {most} checked at once: send them in another file",
        "ru": "сверх первых {most}, проверяемых за раз: пришлите их другим файлом",
        "uk": "понад перші {most}, що перевіряються за раз: надішліть їх іншим файлом",
    },
    "problem_analysis_bad_url": {
        "en": "{given} is not an http(s) address",
        "ru": "{given} — не адрес http(s)",
        "uk": "{given} — не адреса http(s)",
    },
    "problem_analysis_no_text": {
        "en": "the analysis has no text",
        "ru": "у анализа нет текста",
        "uk": "аналіз не має тексту",
    },
    # why a source is paused (storage.sources and storage.source_changes reason codes)
    "pause_failures": {
        "en": "{n} {n:failure|failures} in a row; the last: {problem}",
        "ru": "{n} {n:ошибка|ошибки|ошибок} подряд; последняя: {problem}",
        "uk": "{n} {n:помилка|помилки|помилок} поспіль; остання: {problem}",
    },
    "pause_admin": {
        "en": "paused by {actor}",
        "ru": "поставил на паузу {actor}",
        "uk": "поставив на паузу {actor}",
    },
    "pause_config": {
        "en": "paused in the configuration file",
        "ru": "на паузе по файлу конфигурации",
        "uk": "на паузі за файлом конфігурації",
    },
    # why a rule cannot be read: feeds.matching RuleSyntaxError codes, worded by bot.texts.explain
    "rule_syntax": {"en": "it cannot be read", "ru": "его не прочитать", "uk": "його не прочитати"},
    "rule_empty": {"en": "the rule is empty", "ru": "правило пустое", "uk": "правило порожнє"},
    "rule_unmatched_paren": {
        "en": "a ')' closes nothing", "ru": "скобка ')' ничего не закрывает", "uk": "дужка ')' нічого не закриває",
    },
    "rule_unexpected": {"en": "{given} is out of place", "ru": "{given} здесь лишнее", "uk": "{given} тут зайве"},
    "rule_matches_all": {
        "en": "the rule has no word that must be present, so it would match every item",
        "ru": "в правиле нет ни одного обязательного слова, и ему подошёл бы любой материал",
        "uk": "у правилі немає жодного обов'язкового слова, і йому підійшов би будь-який матеріал",
    },
    "rule_bare_equals": {
        "en": "'=' must be followed by a word or a phrase",
        "ru": "после '=' должно идти слово или фраза",
        "uk": "після '=' має йти слово або фраза",
    },
    "rule_unclosed_quote": {"en": "a quote is not closed", "ru": "кавычка не закрыта", "uk": "лапки не закриті"},
    "rule_empty_phrase": {"en": "the quotes hold no words", "ru": "в кавычках нет слов", "uk": "у лапках немає слів"},
    "rule_too_deep": {
        "en": "parentheses and NOT are nested too deeply (at most {most} levels)",
        "ru": "скобки и NOT вложены слишком глубоко (не больше {most} уровней)",
        "uk": "дужки та NOT вкладені надто глибоко (не більше {most} рівнів)",
    },
    "rule_missing_end": {
        "en": "a word or '(' is missing at the end",
        "ru": "в конце не хватает слова или '('",
        "uk": "наприкінці бракує слова або '('",
    },
    "rule_unclosed_paren": {"en": "a '(' is not closed", "ru": "скобка '(' не закрыта", "uk": "дужка '(' не закрита"},
    "rule_unknown_field": {
        "en": "there is no field {given}: (use title: or text:)",
        "ru": "поля {given}: нет (есть title: и text:)",
        "uk": "поля {given}: немає (є title: і text:)",
    },
    "rule_bare_field": {
        "en": "{given}: must be followed by a word, a phrase or '('",
        "ru": "после {given}: должно идти слово, фраза или '('",
        "uk": "після {given}: має йти слово, фраза або '('",
    },
    "rule_expected_word": {
        "en": "a word or '(' was expected, not {given}",
        "ru": "здесь ожидалось слово или '(', а не {given}",
        "uk": "тут очікувалося слово або '(', а не {given}",
    },
    "rule_equals_star": {
        "en": "'=' (this exact word) and '*' (any ending) do not go together",
        "ru": "'=' (точно это слово) и '*' (любое окончание) вместе не ставятся",
        "uk": "'=' (саме це слово) і '*' (будь-яке закінчення) разом не ставляться",
    },
    "rule_star_inside": {
        "en": "'*' goes only at the end of a word",
        "ru": "'*' ставится только в конце слова",
        "uk": "'*' ставиться лише в кінці слова",
    },
    "rule_no_letters": {
        "en": "{given} has no letters or digits",
        "ru": "в {given} нет ни букв, ни цифр",
        "uk": "у {given} немає ні літер, ні цифр",
    },
    "rule_number_missing": {
        "en": "The topic has no rule {n}: it has {count} {count:rule|rules}.",
        "ru": "В теме нет правила {n}: в ней {count} {count:правило|правила|правил}.",
        "uk": "У темі немає правила {n}: у ній {count} {count:правило|правила|правил}.",
    },
    "rule_too_long": {
        "en": "a rule may have at most {most} characters",
        "ru": "правило может быть не длиннее {most} символов",
        "uk": "правило може бути не довше за {most} символів",
    },
}
