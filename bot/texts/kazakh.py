"""What the bot says in Kazakh, key by key as in the other catalogues; a key missing here is shown in Russian.

Kazakh nouns stay singular after a numeral ("5 материал"), so a count needs no plural forms here.
A sentence is written here only with the texts inserted into it (a source's problem goes with the line
that shows it), so that a Kazakh reader never gets one sentence in two languages.
"""
from __future__ import annotations

TEXTS: dict[str, str] = {
    # subscribers
    "start": "<b>Dozor</b> OSINT еріктілері үшін БАҚ пен Telegram-арналарды бақылап, сіздің тақырыптарыңызға "
    "қатысты материалдарды жібереді: бірден немесе дайджест түрінде.\n\nЖазылу үшін тақырыпты басыңыз "
    "немесе /help жіберіңіз.",
    "help_title": "Командалар:",
    "topics": "Тақырыптар (✅ = жазылғансыз). Жазылу немесе жазылымды тоқтату үшін басыңыз:",
    "no_topics": "Әзірге тақырыптар жоқ.",
    "subscribed": "Сіз <b>{topic}</b> тақырыбына жазылдыңыз. Жеткізу: {mode}. Өзгерту: /settings.",
    "already_subscribed": "Сіз <b>{topic}</b> тақырыбына жазылып қойғансыз.",
    "unsubscribed": "<b>{topic}</b> тақырыбына жазылым тоқтатылды.",
    "unsubscribed_all": "Барлық тақырыпқа жазылым тоқтатылды.",
    "not_subscribed": "Сіз <b>{topic}</b> тақырыбына жазылмағансыз.",
    "unknown_topic": "<b>{topic}</b> деген тақырып жоқ. Тақырыптар: {known}.",
    "usage_subscribe": "Қай тақырыпқа? Мысалы: /subscribe {example}",
    "usage_unsubscribe": "Қай тақырыптан? Мысалы: /unsubscribe {example} немесе /unsubscribe all",
    "group_admins_only": "Топтың жазылымдарын тек оның әкімшілері өзгерте алады.",
    "settings_bad": "Түсінбедім. {reason}\nМысалдар: /settings daily 08:00 Asia/Almaty, /settings hourly, "
    "/settings instant, /settings quiet 23:00-07:00",
    "settings_nothing": "Өзгертетін ештеңе жоқ.",
    "settings_unknown": "«{given}» деген баптау жоқ.",
    "settings_no_zone": "Қай уақыт белдеуі? Мысалы, Asia/Almaty.",
    "settings_bad_clock": "«{given}» — 08:00 түріндегі уақыт емес.",
    "settings_bad_zone": "«{given}» — уақыт белдеуі емес; Asia/Almaty, Europe/Kyiv немесе UTC деп көріңіз.",
    "settings_bad_quiet": "Тыныш сағаттар былай жазылады: 23:00-07:00 (немесе off).",
    "mode_instant": "жедел хабарламалар",
    "mode_hourly": "сағат сайынғы дайджест",
    "mode_daily": "күн сайынғы дайджест, сағат {at} ({tz})",
    "quiet_none": "жоқ",
    "digest_empty": "Тақырыптарыңыз бойынша жаңа ештеңе жоқ. Соңғы дайджест: {since}.",
    "digest_no_topics": "Сіз әлі ешбір тақырыпқа жазылмағансыз: /topics қараңыз.",
    "digest_title": "Dozor дайджесті",
    "alert_title": "Жаңа: {topics}",
    "more_items": "жаңа материалдар: {n}",
    "sources": "дереккөздер",
    "button_expired": "Бұл түйменің мерзімі өтті; команданы қайта жіберіңіз.",
    "error": "Менің тарапымда қате шықты; әкімшілерге хабарланды. Кейінірек қайталап көріңіз.",
    "toast_on": "{topic} тақырыбына жазылдыңыз",
    "toast_off": "{topic} тақырыбына жазылым тоқтатылды",
    "btn_instant": "⚡ Бірден",
    "btn_hourly": "🕐 Сағат сайын",
    "btn_daily": "📰 Күн сайын",
    # volunteers
    "search_help": "/search командасынан кейін не іздейтініңізді жазыңыз.\n"
    "• Сөз формалары өздігінен табылады: казахстан сөзі Казахстане дегенді де табады. Бас әріптен басталған "
    "атау латын әрпімен де, қазақша да ізделеді: Казахстан сөзі Kazakhstan мен Қазақстанда дегендерді табады.\n"
    "• Бос орынмен немесе AND арқылы жазылған сөздердің бәрі кездесуі керек; OR — екі жағының кез келгені "
    "(a b OR c дегені (a b) OR c); ( ) топтастырады; -сөз немесе NOT сөз оны алып тастайды; сөз* осылай "
    "басталатын сөздерді табады; \"тырнақшадағы тіркестер\" тұтас ізделеді.\n"
    "• Сүзгілер іздеуді тарылтады: topic:, source: (атауы немесе сайты: source:kaztag.kz), lang:, since:, until:.\n"
    "• sort:relevance ең жаңаларын ғана емес, сөздері тақырыпта тұрған, жиі аталатын және жаңа материалдарды "
    "алдыға шығарады.\n"
    "• Бір материалдың көшірмелері (бір тәулік ішіндегі бірдей тақырып) бір рет, ұқсастарының санымен көрсетіледі.\n"
    "Мысал: <code>/search {example}</code>",
    "search_bad": "Мұндай іздеу болмайды: {reason}\nМысал: <code>/search {example}</code>",
    "query_empty": "не іздейтініңізді жазыңыз.",
    "query_no_words": "кем дегенде бір сөз қосыңыз: сүзгілер мен -сөздер іздеуді тек тарылтады.",
    "query_unbalanced_quotes": "тырнақша жабылмаған: тіркесті екі тырнақшаның арасына алыңыз.",
    "query_bad_date": "{key}:{given} — күн емес: {key}:2022-01-05 (немесе {key}:05.01.2022) деп жазыңыз.",
    "query_dates_reversed": "since: күні until: күнінен кейін тұр.",
    "query_unknown_filter": "{given}: деген сүзгі жоқ. Сүзгілер: {filters}.",
    "query_empty_filter": "{key}: сүзгісінің мәні жоқ.",
    "query_repeated_filter": "{key}: сүзгісін бір рет қана жазыңыз.",
    "query_too_long": "сұрау {most} таңбадан ұзын.",
    "query_operator": "{given} сияқты іздеу операторлары жоқ: OR, AND, -сөз немесе NOT, ( ), сөз* және \"тіркестер\" бар.",
    "query_star_inside": "«*» тек сөздің соңында тұрады: {given}.",
    "query_short_prefix": "«*» алдында кемінде {least} әріп болуы керек: {given}.",
    "query_dangling_operator": "{given} екі жағында да сөз, тіркес немесе «(» болуы керек.",
    "query_dangling_not": "NOT сөзінен кейін сөз, тіркес немесе «(» болуы керек.",
    "query_unclosed_paren": "«(» жақшасы «)» жақшасымен жабылмаған.",
    "query_stray_paren": "«)» алдында «(» жоқ.",
    "query_too_deep": "жақшалар мен алып тастаулар бір-бірінің ішінде ең көбі {most} деңгей болады.",
    "query_bad_sort": "sort: мәні — {sorts} дегендердің бірі.",
    "search_similar": "тағы ұқсастары: {n}",
    "query_bad_lang": "lang: мәні — {langs} тілдерінің бірі.",
    "query_long_phrase": "тіркесте ең көбі {most} сөз болады.",
    "query_too_many_words": "ең көбі {most} сөз бен тіркес жазыңыз.",
    "query_unknown_topic": "{given} деген тақырып жоқ. Тақырыптар: {known}.",
    "query_unknown_source": "{given} деген дереккөз жоқ. Дереккөздердің арасында: {names}.",
    "search_header": "🔎 <b>{query}</b>: табылғаны {total}, бет {page}/{pages}",
    "search_none": "<b>{query}</b> сұрауы бойынша ештеңе табылмады. Сөзді немесе сүзгіні азайтып көріңіз.",
    "search_expired": "Бұл іздеудің мерзімі өтті: оны қайта жіберіңіз.",
    "btn_prev": "◀ Артқа",
    "btn_next": "Әрі қарай ▶",
    "analysis_label": "Талдау:",
    "latest_usage": "Былай жазыңыз: /latest [тақырып] [N], мысалы /latest {example} 5 (ең көбі {most}). "
    "Тақырыптар: {known}.",
    "latest_header": "🆕 <b>Тақырыптар бойынша соңғы материалдар</b>{topic}",
    "latest_none": "Әзірге материалдар жоқ{topic}.",
    "item_usage": "Қай материал? Мысалы: /item 123 (нөмірлерін /search пен /latest көрсетеді).",
    "item_missing": "{id} нөмірлі материал жоқ.",
    "item_sources": "Дереккөздер",
    "item_topics": "Тақырыптар",
    "item_no_topics": "тақырыпсыз",
    "item_analyses": "Талдаулар",
    "sources_header": "📡 <b>Дереккөздер</b> ({n}). Күніне материал: соңғы {days} күнде жарияланғандары {days} "
    "күнге бөлінген.",
    "sources_none": "Әзірге ешбір дереккөз бақыланбайды.",
    "source_line": "{mark} <b>{name}</b> ({kind}): күніне {per_day}, соңғы сәтті тексеру {ok}",
    "never": "ешқашан",
    "trend_axis_day": "күніне материал",
    "trend_axis_hour": "сағатына материал",
    "trend_capped": " Табылған алғашқы {n} материал ғана саналды.",
    "no_topic_line": "тақырыпсыз",
    "analyses_header": "📚 <b>Талдаулар</b>{topic}",
    "analyses_none": "Әзірге талдаулар жоқ{topic}. Әкімшілер оларды /addanalysis арқылы қосады.",
    "analysis_missing": "{id} нөмірлі талдау жоқ. Тізімі: /analysis",
    "analysis_counts": "{cited} сақталған материалға сілтейді, тағы {similar} материалмен байланысты · /analysis_{id}",
    "volunteers_only": "Бұл командалар Dozor еріктілеріне арналған. Ерікті болу үшін әкімшіден сізді қосуды "
    "сұраңыз: Telegram-дағы id-іңіз — <code>{user}</code> (әкімші /volunteers add {user} жібереді).",
}

TEXTS.update({
    # /lang
    "lang_current": "Dozor тілі: <b>{name}</b>{how}. Басқа тілді таңдаңыз:",
    "lang_from_telegram": " (Telegram баптауларыңыздағыдай)",
    "lang_chosen": "Енді мұнда Dozor тілі — <b>{name}</b>, Telegram-да қай тіл тұрса да. Өзгерту: /lang.",
    "lang_reset": "Dozor қайтадан Telegram тілімен сөйлейді: <b>{name}</b>.",
    "lang_unknown": "Dozor «{given}» тілінде сөйлемейді. Тілдер: {known}.",
    "btn_lang_telegram": "🔄 Telegram-дағыдай",
})

# Command descriptions in Telegram's menu (the other languages have theirs in bot.commands).
COMMANDS: dict[str, str] = {
    "start": "Dozor деген не",
    "help": "барлық командалар",
    "topics": "жазылуға болатын тақырыптар",
    "subscribe": "тақырыпқа жазылу",
    "unsubscribe": "тақырыпқа жазылымды тоқтату",
    "settings": "хабарламалар немесе дайджест",
    "digest": "дайджестім қазір",
    "stop": "барлық хабарламаны тоқтату",
    "lang": "тіл",
    "search": "мұрағаттан іздеу",
    "latest": "соңғы материалдар",
    "item": "материалды толық көру",
    "sources": "дереккөздер және олардың жағдайы",
    "trend": "тақырып не сөз динамикасы",
    "analysis": "талдаулар",
}
