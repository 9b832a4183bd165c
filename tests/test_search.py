"""Full-text search: word forms, phrases, exclusions, filters, ranking and paging on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from feeds.parse import parse_feed
from storage import items as item_store
from storage import sources as source_store
from storage import topics as topic_store
from storage.db import make_engine, session_factory
from storage.items import NewItem
from storage.migrate import upgrade
from storage.search import sql as search_sql
from storage.search.execute import search
from storage.search.query import QueryError, parse_query
from storage.search.textindex import stems
from tests.conftest import CORPUS, _fresh_database_url

NOW = datetime(2022, 1, 10, 12, 0, tzinfo=timezone.utc)

# key, title, text, hours before NOW, lang, topics, source
ITEMS = [
    ("kz-loc", "Протесты в Казахстане", "Мирные силы ОДКБ прибыли в Алматы.", 50, "ru", ["csto", "kazakhstan"],
     "Azattyk"),
    ("kz-dat", "Помощь соседям", "Россия отправила помощь Казахстану.", 40, "ru", [], "DW"),
    ("kz-kk", "Қазақстанда интернет қосылды", "Байланыс қалпына келтірілді.", 30, "kk", ["kazakhstan"], "Azattyk"),
    ("uk", "Токаєв звернувся до ОДКБ", "Президент Казахстану попросив допомоги.", 20, "uk", ["csto"], "DW"),
    ("en", "CSTO peacekeepers leave Kazakhstan", "The peacekeeping forces withdrew from Almaty.", 10, "en", ["csto"],
     "DW"),
    ("apart", "Силы и мир", "Силы были мирные и спокойные.", 5, "ru", [], "Azattyk"),
    ("span", "Говорят, отряды мирные", "силы покинули страну.", 1, "ru", [], "Azattyk"),
]


def _seed(sessions, items=ITEMS) -> dict[str, int]:
    """Store the items through store_items; return key -> item id."""
    with sessions.begin() as s:
        topic_store.seed_topics(s, [("csto", "CSTO", ["ОДКБ"]), ("kazakhstan", "Kazakhstan", ["Казахстан"])])
        source_ids = {name: source_store.add_source(s, f"https://{name.lower()}.example/rss", name).id
                      for name in ("Azattyk", "DW")}
    ids = {}
    for key, title, body, hours, lang, topics, source in items:
        new = NewItem(
            dedup_key=key,
            title=title,
            text=body,
            published_at=NOW - timedelta(hours=hours),
            url=f"https://news.example/{key}",
            canonical_url=f"https://news.example/{key}",
            lang=lang,
            matches={t: [] for t in topics},
        )
        with sessions.begin() as s:
            (ids[key],) = item_store.store_items(s, source_ids[source], [new])
    return ids


def _found(sessions, query: str, limit: int = 50, offset: int = 0) -> list[int]:
    with sessions() as s:
        return [hit.item_id for hit in search(s, parse_query(query), limit=limit, offset=offset).results]


@pytest.fixture
def seeded(sessions):
    """Sessions on a database holding ITEMS, and their ids by key."""
    return sessions, _seed(sessions)


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("казахстан", {"kz-loc", "kz-dat", "uk"}),
        ("казахстане", {"kz-loc", "kz-dat", "uk"}),
        # A name (capital letter) is found in Latin and Kazakh letters too, as topic rules find it.
        ("Казахстан", {"kz-loc", "kz-dat", "kz-kk", "uk", "en"}),
        ("Казахстане lang:en", {"en"}),
        ("Казахстане lang:kk", {"kz-kk"}),
        ("Қазақстан", {"kz-kk"}),  # a Kazakh letter must be there, as in topic rules
        ("Токаев", {"uk"}),
        ("Kazakhstan's", {"kz-loc", "kz-dat", "kz-kk", "uk", "en"}),
        ("Kazakhstan's lang:en", {"en"}),
        ("peacekeeping", {"en"}),
        ('"мирные силы"', {"kz-loc"}),
        ("мирные силы", {"kz-loc", "apart", "span"}),
        ("Казахстан -Россия", {"kz-loc", "kz-kk", "uk", "en"}),
        ("казахстан -Россия", {"kz-loc", "uk"}),
        ('ОДКБ -"мирные силы"', {"uk"}),
        ("ОДКБ topic:csto", {"kz-loc", "uk"}),
        ("Казахстан topic:KAZAKHSTAN", {"kz-loc", "kz-kk"}),
        ("казахстан source:dw", {"kz-dat", "uk"}),
        ("Казахстан lang:uk", {"uk"}),
        ("Казахстан since:2022-01-09", {"kz-kk", "uk", "en"}),
        ("Казахстан until:2022-01-08", {"kz-loc", "kz-dat"}),
        ("Казахстан since:08.01.2022 until:2022-01-08", {"kz-loc", "kz-dat"}),
        ("Казахстан since:2022-01-09 lang:ru", set()),
        # OR, AND, NOT, parentheses and prefixes as in topic rules.
        ("ОДКБ OR CSTO", {"kz-loc", "uk", "en"}),
        ("одкб or Алматы", {"kz-loc", "uk", "en"}),
        ("ОДКБ AND Алматы", {"kz-loc"}),
        ("ОДКБ NOT Алматы", {"uk"}),
        ("(протесты OR помощь) казахстан", {"kz-loc", "kz-dat"}),
        ("протесты OR помощь казахстан", {"kz-loc", "kz-dat"}),
        ("протесты OR помощь -Россия", {"kz-loc"}),
        ("казахстан -(Россия OR протесты)", {"uk"}),
        ("миротвор*", set()),
        ("peacekeep*", {"en"}),
        ("мир*", {"kz-loc", "apart", "span"}),
        ('"мирные сил"*', {"kz-loc"}),
        ("Қазақ*", {"kz-kk"}),
        ('"or"', set()),
    ],
)
def test_search_finds(seeded, query, keys):
    sessions, ids = seeded
    assert set(_found(sessions, query)) == {ids[k] for k in keys}


def test_title_matches_rank_first_then_newest(seeded):
    sessions, ids = seeded
    assert _found(sessions, "казахстан") == [ids["kz-loc"], ids["uk"], ids["kz-dat"]]
    in_titles = [ids["en"], ids["kz-kk"], ids["kz-loc"]]  # Kazakhstan, Қазақстанда, Казахстане: newest first
    assert _found(sessions, "Казахстан") == in_titles + [ids["uk"], ids["kz-dat"]]
    with sessions() as s:
        page = search(s, parse_query("мирные силы"))
    # Some words in the title (newest first), then none; "Силы и мир" has only "силы" there.
    assert [(h.item_id, h.rank) for h in page.results] == [(ids["span"], 1), (ids["apart"], 1), (ids["kz-loc"], 0)]
    with sessions() as s:
        page = search(s, parse_query("ОДКБ мирные"))
    assert [(h.item_id, h.rank) for h in page.results] == [(ids["kz-loc"], 0)]


def test_a_phrase_does_not_run_from_title_into_text(seeded):
    sessions, ids = seeded
    assert ids["span"] not in _found(sessions, '"мирные силы"')
    assert _found(sessions, '"отряды мирные"') == [ids["span"]]


def test_hits_carry_what_the_bot_shows(seeded):
    sessions, ids = seeded
    with sessions() as s:
        (hit,) = search(s, parse_query('"мирные силы" Алматы')).results
    assert hit.item_id == ids["kz-loc"]
    assert hit.title == "Протесты в Казахстане"
    assert hit.url == "https://news.example/kz-loc"
    assert hit.sources == ("Azattyk",)
    assert hit.published_at == NOW - timedelta(hours=50)
    marked = [hit.snippet.text[a:b] for a, b in hit.snippet.spans]
    assert marked == ["Мирные силы", "Алматы"]
    assert hit.title_spans == ()


def test_a_long_text_is_cut_around_the_searched_words(sessions):
    filler = " ".join(["Сообщение о погоде и дорогах."] * 30)
    body = f"{filler} Жанаозене возобновились протесты. {filler}"
    ids = _seed(sessions, [("long", "Сводка", body, 1, "ru", [], "DW")])
    with sessions() as s:
        (hit,) = search(s, parse_query("Жанаозен")).results
    assert hit.item_id == ids["long"]
    assert hit.snippet.text.startswith("…") and hit.snippet.text.endswith("…")
    assert len(hit.snippet.text) < 260
    assert [hit.snippet.text[a:b] for a, b in hit.snippet.spans] == ["Жанаозене"]


def _plan_postgres(monkeypatch, plan: str) -> None:
    """PostgreSQL walks large match sets and looks small ones up in the GIN index: force either."""
    if plan == "walk":  # walk always, windows so short that the GIN index must often finish the job
        for name, value in (("WALK_SHARE", 0.0), ("WALK_ROWS", 4), ("COUNT_WALK_SHARE", 0.0), ("COUNT_WALK_ROWS", 6)):
            monkeypatch.setattr(search_sql, name, value)
    elif plan == "gin":
        monkeypatch.setattr(search_sql, "WALK_SHARE", 2.0)
        monkeypatch.setattr(search_sql, "COUNT_WALK_SHARE", 2.0)


@pytest.fixture(params=["walk", "gin"])
def plan(request, monkeypatch):
    _plan_postgres(monkeypatch, request.param)


def test_pages_cover_every_match_once_across_ranks(sessions, plan):
    items = [
        (f"n{i}", f"Сводка {i}" + (" ОДКБ" if i % 3 == 0 else ""), f"ОДКБ сообщение {i}", i, "ru", [], "DW")
        for i in range(13)
    ]
    ids = _seed(sessions, items)
    in_title = [ids[f"n{i}"] for i in range(13) if i % 3 == 0]  # newest first: fewer hours ago
    in_text = [ids[f"n{i}"] for i in range(13) if i % 3]
    pages = []
    with sessions() as s:
        for offset in range(0, 15, 5):
            page = search(s, parse_query("ОДКБ"), limit=5, offset=offset)
            assert (page.total, page.exact, page.has_next) == (13, True, offset < 10)
            pages.append([h.item_id for h in page.results])
    assert [len(p) for p in pages] == [5, 5, 3]
    assert sum(pages, []) == in_title + in_text
    assert _found(sessions, "ОДКБ", limit=3, offset=4) == (in_title + in_text)[4:7]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("Казахстан topic:nosuch", "unknown_topic"),
        ("Казахстан source:Reuters", "unknown_source"),
    ],
)
def test_unknown_topic_or_source_is_explained(seeded, query, code):
    sessions, _ = seeded
    with sessions() as s, pytest.raises(QueryError) as error:
        search(s, parse_query(query))
    assert error.value.code == code
    assert "csto" in str(error.value) or "Azattyk" in str(error.value)


def test_pruned_items_leave_the_index(sessions):
    _seed(sessions, [("old", "ОДКБ", "ОДКБ", 1, "ru", [], "DW"), ("kept", "ОДКБ", "ОДКБ", 2, "ru", ["csto"], "DW")])
    with sessions.begin() as s:
        assert item_store.prune_unmatched(s, datetime.now(timezone.utc) + timedelta(days=31), 30) == 1
    with sessions() as s:
        page = search(s, parse_query("ОДКБ"))
        assert [h.title for h in page.results] == ["ОДКБ"] and page.total == 1
        assert s.execute(text("SELECT count(*) FROM item_search")).scalar_one() == 1


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_migration_indexes_items_stored_before_it(kind, request, tmp_path):
    """Also an upgrade of a database made before the search code moved to storage/search/ (0002 imports it)."""
    engine = make_engine(_fresh_database_url(kind, request, tmp_path))
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO items (title, text, published_at, fetched_at, lang, backlog) "
                "VALUES ('Протесты в Казахстане', 'Жанаозен', :at, :at, 'ru', false)"
            ),
            {"at": NOW},
        )
    upgrade(engine)
    with session_factory(engine)() as s:
        assert [h.title for h in search(s, parse_query("Казахстан")).results] == ["Протесты в Казахстане"]
    engine.dispose()


def _corpus_items() -> list[tuple]:
    """Two real Russian-language feeds (Meduza, LIGA.net) plus ITEMS, as seed rows."""
    rows = list(ITEMS)
    for name, lang in (("meduza.xml", "ru"), ("liga_net.xml", "ru")):
        body = (CORPUS / "real" / name).read_bytes()
        feed = parse_feed(body, {}, url=f"https://{name}/rss", fetched_at=NOW)
        for n, entry in enumerate(feed.entries):
            hours = (NOW - entry.published_at).total_seconds() / 3600
            rows.append((f"{name}-{n}", entry.title, entry.text, hours, lang, [], "DW" if n % 2 else "Azattyk"))
    return rows


SAME_ON_BOTH = [
    "Казахстан",
    "Қазақстан",
    "ОДКБ",
    "Навальный",
    "санкции",
    '"Президент Киргизии"',
    "Россия -Путин",
    "COVID-19",
    "Путин source:dw",
    "президент lang:ru",
    "ОДКБ topic:csto",
    "Киев",
    "Москва since:2020-10-15",
    "в",
    "мирные силы",
    "Kazakhstan",
    "Украина OR Казахстан",
    "(санкции OR протесты) -Путин",
    "Навальн*",
    '"мирные сил"*',
    "Путин source:dw.example",
    "Казахстан sort:relevance",
    "санкции OR Навальный sort:relevance",
    "в sort:relevance",
]


def test_sqlite_and_postgresql_give_identical_results(postgres, request, tmp_path, monkeypatch):
    rows = _corpus_items()
    results = {}
    for kind in ("sqlite", "postgresql estimate", "postgresql walk", "postgresql gin"):
        _plan_postgres(monkeypatch, kind.split()[-1])
        url = _fresh_database_url(kind.split()[0], request, tmp_path)
        engine = make_engine(url)
        upgrade(engine)
        sessions = session_factory(engine)
        _seed(sessions, rows)
        with sessions() as s:
            pages = {q: search(s, parse_query(q), limit=100) for q in SAME_ON_BOTH}
            results[kind] = {
                q: (p.total, p.pages, [(h.item_id, h.rank, h.similar, h.title_spans) for h in p.results])
                for q, p in pages.items()
            }
            results[kind]["в, page 2"] = [h.item_id for h in search(s, parse_query("в"), 5, 5).results]
            relevant = search(s, parse_query("в sort:relevance"), 5, 5).results
            results[kind]["в sort:relevance, page 2"] = [h.item_id for h in relevant]
        engine.dispose()
    assert [q for q in SAME_ON_BOTH if not results["sqlite"][q][2]] == [], "every query should find something"
    for kind in ("postgresql estimate", "postgresql walk", "postgresql gin"):
        assert results[kind] == results["sqlite"], kind


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("— !! ...", "empty"),
        ("topic:csto", "no_words"),
        ("since:2022-01-05 until:2022-01-10", "no_words"),
        ("-Россия", "no_words"),
        ("-Россия is:deleted", "no_words"),
        ('"мирные силы', "unbalanced_quotes"),
        ("«ОДКБ", "unbalanced_quotes"),
        ("NEAR(ОДКБ Казахстан)", "operator"),
        ("{title}: ОДКБ", "operator"),
        ("ОДКБ && CSTO", "operator"),
        ("Ка*", "short_prefix"),
        ("Ка*захстан", "star_inside"),
        ('"мир* силы"', "star_inside"),
        ("ОДКБ OR", "dangling_operator"),
        ("OR ОДКБ", "dangling_operator"),
        ("ОДКБ NOT", "dangling_not"),
        ("ОДКБ AND", "dangling_operator"),
        ("AND ОДКБ", "dangling_operator"),
        ("ОДКБ AND OR CSTO", "dangling_operator"),
        ("ОДКБ OR -Россия", "no_words"),
        ("NOT Россия", "no_words"),
        ("(ОДКБ OR CSTO", "unclosed_paren"),
        ("ОДКБ)", "stray_paren"),
        ("(" * 11 + "ОДКБ" + ")" * 11, "too_deep"),
        ("ОДКБ sort:best", "bad_sort"),
        ("ОДКБ since:2022-13-05", "bad_date"),
        ("ОДКБ until:вчера", "bad_date"),
        ("ОДКБ since:2022-01-10 until:2022-01-05", "dates_reversed"),
        ("ОДКБ lang:de", "bad_lang"),
        ("ОДКБ tag:csto", "unknown_filter"),
        ("ОДКБ topic:a topic:b", "repeated_filter"),
        ("ОДКБ since:", "empty_filter"),
        ("ОДКБ " * 200, "too_long"),
        ('"' + " ".join(f"слово{n}" for n in range(11)) + '"', "long_phrase"),
        (" ".join(f"слово{n}" for n in range(13)), "too_many_words"),
    ],
)
def test_bad_queries_are_explained_with_an_example(query, code):
    with pytest.raises(QueryError) as error:
        parse_query(query)
    assert error.value.code == code
    message = str(error.value)
    assert "Example: " in message and len(message) < 300


def test_query_parts():
    query = parse_query('ОДКБ «мирные силы» -учения -"военные учения" source:"Радио Азаттык" lang:UK since:05.01.2022')
    assert [t.stems for t in query.terms] == [("одкб",), ("мирн", "сил")]
    assert [t.stems for t in query.excluded] == [("учен",), ("военн", "учен")]
    assert (query.source, query.lang, query.since, query.until) == ("Радио Азаттык", "uk", date(2022, 1, 5), None)
    assert parse_query("Касым-Жомарт 10:30 update: Kazakhstan").terms[0].stems == ("кас", "жомарт")
    assert parse_query("ОДКБ ОДКБ").terms == parse_query("ОДКБ").terms


@pytest.mark.parametrize(
    ("forms", "same"),
    [
        ("Казахстан Казахстана Казахстане Казахстану Казахстаном Казахстані", True),
        ("Қазақстан Қазақстанда Қазақстанның Қазақстанға Қазақстаннан", True),
        ("Токаев Токаева Токаеву Токаевым Токаєв", True),
        ("Россия России Россию Россией", True),
        ("власть власти властью", True),
        ("протест протесты протестов протестів", True),
        ("Україна України Україні Україною", True),
        ("peacekeeper peacekeepers", True),
        ("КАЗАХСТАН Ка­зах​стан Kaзахстан Каза́хстан ｋａｚａｋｈｓｔａｎ", False),
        ("ёлка елка", True),
        ("об'єднання об’єднання обʼєднання", True),
        ("Казахстан Узбекистан", False),
    ],
)
def test_word_forms_share_a_stem(forms, same):
    found = [stems(word) for word in forms.split()]
    assert all(len(s) == 1 for s in found)
    assert (len({s[0] for s in found}) == 1) == same


def test_invisible_characters_and_look_alikes_do_not_split_words():
    assert stems("Ка­зах​стан Kaзахстан Каза́хстан КАЗАХСТАН") == ["казахстан"] * 4
    assert stems("ｋａｚａｋｈｓｔａｎ Kazakhstan's") == ["kazakhstan"] * 2
    assert stems("Жанаозен-2022, café") == ["жанаозен", "2022", "cafe"]


def test_filters_follow_new_sources_and_changed_topics(seeded):
    sessions, ids = seeded
    with sessions.begin() as s:
        azattyk = source_store.add_source(s, "https://second.example/rss", "Azattyk KZ").id
        again = NewItem("again", "Помощь соседям", "", NOW, canonical_url="https://news.example/kz-dat")
        assert item_store.store_items(s, azattyk, [again]) == []
    assert _found(sessions, "казахстан source:dw") == [ids["uk"], ids["kz-dat"]]
    assert _found(sessions, 'казахстан source:"azattyk kz"') == [ids["kz-dat"]]
    assert _found(sessions, "казахстан source:azattyk") == [ids["kz-loc"]]  # an exact name wins
    assert _found(sessions, "казахстан source:kz") == [ids["kz-dat"]]  # else a part of one
    with sessions.begin() as s:
        item_store.replace_matches(s, ids["kz-dat"], {"csto": []})
        item_store.replace_matches(s, ids["kz-loc"], {})
    assert _found(sessions, "казахстан topic:csto") == [ids["uk"], ids["kz-dat"]]
    assert _found(sessions, "казахстан lang:ru topic:csto source:dw") == [ids["kz-dat"]]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)  # planner settings are PostgreSQL's
def test_search_leaves_the_planner_settings_as_it_found_them(seeded, plan):
    sessions, _ = seeded
    with sessions() as s:
        s.execute(text("SET LOCAL enable_indexscan = off"))
        search(s, parse_query("Казахстан lang:ru"))
        settings = [s.execute(text(f"SHOW {name}")).scalar_one() for name in ("enable_seqscan", "enable_indexscan")]
    assert settings == ["on", "off"]


def test_a_source_is_found_by_its_address_too(seeded):
    sessions, ids = seeded
    assert _found(sessions, "казахстан source:dw.example") == [ids["uk"], ids["kz-dat"]]
    assert _found(sessions, "казахстан source:https://www.DW.example/news") == [ids["uk"], ids["kz-dat"]]
    assert _found(sessions, "казахстан source:azattyk.example") == [ids["kz-loc"]]
    with sessions() as s, pytest.raises(QueryError) as error:
        search(s, parse_query("казахстан source:nowhere.example"))
    assert error.value.code == "unknown_source"


def test_a_phrase_is_marked_only_where_its_words_stand_together(sessions):
    _seed(sessions, [("p", "Мирные силы и силы мирные", "Силы были мирные. Вчера мирные силы ушли.", 1, "ru", [], "DW")])
    with sessions() as s:
        (hit,) = search(s, parse_query('"мирные силы"')).results
        assert [hit.title[a:b] for a, b in hit.title_spans] == ["Мирные силы"]
        assert [hit.snippet.text[a:b] for a, b in hit.snippet.spans] == ["мирные силы"]
        (hit,) = search(s, parse_query("мир*")).results
        assert [hit.title[a:b] for a, b in hit.title_spans] == ["Мирные", "мирные"]


def test_names_are_marked_in_every_script(seeded):
    sessions, ids = seeded
    with sessions() as s:
        hits = {h.item_id: h for h in search(s, parse_query("Казахстан")).results}
    assert [hits[ids["en"]].title[a:b] for a, b in hits[ids["en"]].title_spans] == ["Kazakhstan"]
    assert [hits[ids["kz-kk"]].title[a:b] for a, b in hits[ids["kz-kk"]].title_spans] == ["Қазақстанда"]


def test_relevance_weighs_title_hits_then_how_often_and_how_recent(sessions):
    often = "Санкции обсуждали. Новые санкции. Санкции снова. Про санкции. Санкции."
    ids = _seed(sessions, [
        ("titled-new", "Санкции продлены", "Решение вступит в силу.", 2, "ru", [], "DW"),
        ("titled-old", "Санкции против банков", "Список опубликован.", 300, "ru", [], "DW"),
        ("once-newest", "Новости дня", "Среди прочего упомянули санкции.", 1, "ru", [], "DW"),
        ("often", "Обзор недели", often, 30, "ru", [], "DW"),
    ])
    newest_first = [ids["titled-new"], ids["titled-old"], ids["once-newest"], ids["often"]]
    assert _found(sessions, "санкции") == newest_first
    assert _found(sessions, "санкции sort:relevance") == [ids[k] for k in ("titled-new", "titled-old", "often", "once-newest")]
    assert _found(sessions, "санкции sort:newest") == newest_first


def test_items_with_the_same_title_are_one_result(sessions):
    copies = [(f"copy{n}", "ОДКБ: итоги саммита!", f"Текст {n}.", n, "ru", [], ("DW", "Azattyk")[n % 2]) for n in range(6)]
    others = [(f"other{n}", f"ОДКБ: новость {n}", "Текст.", 10 + n, "ru", [], "DW") for n in range(6)]
    ids = _seed(sessions, copies + others)
    with sessions() as s:
        first = search(s, parse_query("ОДКБ"), limit=5)
        second = search(s, parse_query("ОДКБ"), limit=5, offset=5)
    assert (first.total, first.pages, first.has_next) == (12, 2, True)
    assert [(h.item_id, h.similar) for h in first.results] == [(ids["copy0"], 5)] + [
        (ids[f"other{n}"], 0) for n in range(4)
    ]
    assert [h.item_id for h in second.results] == [ids["other4"], ids["other5"]]
    assert (second.has_next, second.pages) == (False, 2)


def test_a_title_that_comes_back_another_day_is_another_story(sessions):
    ids = _seed(sessions, [
        ("today", "Главное за день", "Санкции продлены.", 1, "ru", [], "DW"),
        ("repost", "Главное за день!", "Санкции продлены.", 20, "ru", [], "Azattyk"),
        ("yesterday", "Главное за день", "Новые санкции.", 30, "ru", [], "DW"),
        ("last-week", "ГЛАВНОЕ ЗА ДЕНЬ", "Санкции снова.", 170, "ru", [], "Azattyk"),
    ])
    with sessions() as s:
        found = search(s, parse_query("санкции"))
    assert [(h.item_id, h.similar) for h in found.results] == [
        (ids["today"], 1), (ids["yesterday"], 0), (ids["last-week"], 0)
    ]
    assert (found.total, found.pages) == (4, 1)


def test_a_phrase_of_names_is_found_spelled_in_one_other_script(sessions):
    ids = _seed(sessions, [
        ("en", "Zhomart Tokayev met the envoys", "", 1, "en", [], "DW"),
        ("kk", "Жомарт Тоқаев елшілермен кездесті", "", 2, "kk", [], "DW"),
        ("ru", "Жомарт Токаева встретили", "", 3, "ru", [], "DW"),
        ("apart", "Tokayev and Zhomart", "", 4, "en", [], "DW"),
    ])
    assert ("zhomart", "tokayev") in parse_query('"Жомарт Токаев"').terms[0].alternatives
    assert set(_found(sessions, '"Жомарт Токаев"')) == {ids["en"], ids["kk"], ids["ru"]}
