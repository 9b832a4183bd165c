"""Analyses: what they cite, how they are linked to stored items, and how they come in (sources, CLI)."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from itertools import count

import pytest
from sqlalchemy import select

from feeds.analyses.linking import WATERMARK, add_analysis, after_collect
from feeds.analyze import compile_valid
from feeds.citations import Cited, extract_citations
from feeds.normalize import canonical_url
from feeds.parse import parse_feed
from storage import items as item_store
from storage import sources as source_store
from storage.analysis_models import Analysis, AnalysisLink, Citation
from storage.items import NewItem
from storage.meta import get_meta
from storage.models import Rule, Topic
from storage.topics import topic_rules
from tests.botharness import seed_items
from tests.conftest import CORPUS

UTC = timezone.utc
_keys = count(1)


@pytest.mark.parametrize(
    "content,expected",
    [
        ("no links at all", []),
        ("See https://a.example/x. Then", [("https://a.example/x", None)]),
        ("(source: https://a.example/x)", [("https://a.example/x", None)]),
        ("wiki https://en.example/wiki/A_(b) here", [("https://en.example/wiki/A_(b)", None)]),
        ("«https://a.example/x», “https://b.example/y”", [("https://a.example/x", None), ("https://b.example/y", None)]),
        ("www.a.example/news/1, and more", [("https://www.a.example/news/1", None)]),
        ("[2] Reuters, 5 Jan: https://r.example/a?utm_source=tg&id=7", [("https://r.example/a?id=7", 2)]),
        ("[12]: https://a.example/x\n13. https://b.example/y\n14) https://c.example/z\n(15) https://d.example/w",
         [("https://a.example/x", 12), ("https://b.example/y", 13), ("https://c.example/z", 14), ("https://d.example/w", 15)]),
        ("[1] https://a.example/x https://b.example/y", [("https://a.example/x", 1), ("https://b.example/y", None)]),
        ("inline https://a.example/x first\n[3] https://A.EXAMPLE/x#part", [("https://a.example/x", 3)]),
        ('<p>Read <a href="https://a.example/x?fbclid=1">this</a>.</p>', [("https://a.example/x", None)]),
        ('<a href="/2022/01/other">rel</a>', [("https://blog.example/2022/01/other", None)]),
        ('<ol start="7"><li><a href="https://a.example/">A</a></li><li>B: https://b.example/</li></ol>',
         [("https://a.example/", 7), ("https://b.example/", 8)]),
        ('<a href="javascript:alert(1)">x</a> <a href="mailto:a@b.example">m</a> ftp://files.example/x', []),
        ("the analysis itself: https://blog.example/post", []),
        ("http://localhost/x and https://intranet/y", []),
    ],
)
def test_citations_are_extracted_and_canonicalized(content, expected):
    found = extract_citations(content, "https://blog.example/post")
    assert [(c.canonical_url, c.number) for c in found] == expected


def test_citations_keep_the_url_as_written():
    (cited,) = extract_citations("[4] https://News.Example/a?utm_medium=x")
    assert cited == Cited("https://News.Example/a?utm_medium=x", "https://news.example/a", 4)


# --- linking, on stored items -----------------------------------------------------------------

KYRGYZ_RULES = ["Киргизия OR Кыргызстан OR Бишкек OR Жээнбеков OR Kyrgyzstan"]
ANALYSIS_DAY = datetime(2020, 10, 16, 9, 0, tzinfo=UTC)
OTHER_SITES = [
    "https://24.kg/vlast/148000_protesty/", "https://akipress.com/news:650000/", "https://kloop.kg/blog/2020/10/06/x/",
    "https://t.me/kloopru/12345", "https://t.me/kloopru/12399", "https://www.rferl.org/a/kyrgyz-unrest/30886955.html",
    "https://rus.azattyk.org/a/30891234.html", "https://kabar.kg/news/zaiavlenie/", "https://www.reuters.com/article/kyrgyz",
    "https://eurasianet.org/kyrgyzstan-president-resigns", "https://cabar.asia/ru/kyrgyzstan", "https://ru.sputnik.kg/politics/x/",
    "https://economist.kg/2020/10/12/x", "https://vesti.kg/politika/item/77000", "https://www.bbc.com/russian/news-54561000",
    "https://tass.ru/mezhdunarodnaya-panorama/9700000", "https://ria.ru/20201015/kirgiziya-1579999999.html",
    "https://www.kommersant.ru/doc/4532000", "https://president.kg/ru/news/17000",
]


def store(session, source_name: str, source_url: str, entries: list[dict], kind: str = "rss") -> list[int]:
    """Store items as the collector does: matched against the database's topics."""
    found = [s for s, _ in source_store.list_sources(session) if s.url == source_url]
    source = found[0] if found else source_store.add_source(session, source_url, source_name, kind)
    matcher = compile_valid(topic_rules(session))
    rows = []
    for entry in entries:
        result = matcher.match(entry["title"], entry.get("text", ""))
        rows.append(NewItem(
            dedup_key=f"k{next(_keys)}", title=entry["title"], text=entry.get("text", ""),
            published_at=entry["published"], url=entry["url"], canonical_url=canonical_url(entry["url"]), lang="ru",
            extra=entry.get("extra"),
            matches={t: [h.as_dict() for h in result.hits_for(t)] for t in result.topics},
        ))
    return item_store.store_items(session, source.id, rows)


def meduza_entries() -> list[dict]:
    feed = parse_feed((CORPUS / "real" / "meduza.xml").read_bytes(), {}, url="https://meduza.io/rss/all",
                      fetched_at=datetime(2020, 10, 16, tzinfo=UTC))
    return [{"title": e.title, "text": e.text, "url": e.url, "published": e.published_at} for e in feed.entries]


@pytest.fixture
def archive(sessions):
    """Meduza's feed of 14-15 Oct 2020 plus a few Kyrgyz items, with a kyrgyzstan topic."""
    entries = meduza_entries()
    extra = [
        {"title": "В Бишкеке открылся новый театр кукол", "text": "Театр кукол в Бишкеке покажет спектакли для детей.",
         "url": "https://culture.example/puppets", "published": datetime(2020, 10, 13, tzinfo=UTC)},
        {"title": "Президент Киргизии Жээнбеков и массовые протесты: отставка?",
         "text": "Протестующие в Бишкеке требуют отставки президента Киргизии Жээнбекова после выборов в парламент.",
         "url": "https://old.example/protests", "published": datetime(2020, 7, 1, tzinfo=UTC)},
    ]
    with sessions.begin() as session:
        session.add(Topic(id="kyrgyzstan", title="Kyrgyzstan", rules=[Rule(position=0, text=r) for r in KYRGYZ_RULES]))
        session.flush()
        ids = store(session, "Meduza", "https://meduza.io/rss/all", entries)
        more = store(session, "Other", "https://other.example/rss", extra)
    return {"meduza": ids, "puppets": more[0], "old": more[1], "entries": entries}


def analysis_text(entries: list[dict]) -> str:
    """A Russian analysis of the October 2020 crisis in Kyrgyzstan with a 24-entry reference list."""
    cited = [
        entries[11]["url"] + "?utm_source=telegram&utm_medium=share",  # tracking parameters
        entries[7]["url"] + "#comments",  # a fragment
        entries[23]["url"].replace("https://meduza.io", "HTTPS://MEDUZA.IO"),  # case of scheme and host
        entries[2]["url"],
        entries[4]["url"],
    ]
    references = cited + OTHER_SITES
    body = (
        "Кризис в Киргизии: как протесты привели к отставке Жээнбекова\n"
        "После парламентских выборов 4 октября в Бишкеке начались массовые протесты [1]. Протестующие захватили "
        f"здание парламента ({entries[11]['url']}). Президент Киргизии Сооронбай Жээнбеков 15 октября объявил об "
        "отставке, заявив, что не хочет проливать кровь граждан. Обязанности главы государства перешли к спикеру "
        "парламента Канатбеку Исаеву. Россия заняла выжидательную позицию.\n\nИсточники:\n"
    )
    return body + "\n".join(f"[{n}] {url}" for n, url in enumerate(references, 1))


def links(session, analysis_id: int) -> dict[int, str]:
    rows = session.scalars(select(AnalysisLink).where(AnalysisLink.analysis_id == analysis_id))
    return {row.item_id: row.reason for row in rows}


def test_a_reference_list_of_24_links_is_linked_to_the_stored_items(sessions, archive):
    ids, entries = archive["meduza"], archive["entries"]
    with sessions.begin() as session:
        added = add_analysis(session, "https://analytics.example/2020/kyrgyz-crisis", "Кризис в Киргизии",
                             analysis_text(entries), ANALYSIS_DAY)
    assert added.created and added.topics == ["kyrgyzstan"]
    assert (added.citations, added.cited_items) == (24, 5)
    with sessions() as session:
        citations = session.scalars(select(Citation).where(Citation.analysis_id == added.id).order_by(Citation.position)).all()
        assert [c.number for c in citations] == list(range(1, 25))
        stored = {c.number: c.item_id for c in citations if c.item_id}
        assert stored == {1: ids[11], 2: ids[7], 3: ids[23], 4: ids[2], 5: ids[4]}
        linked = links(session, added.id)
    # Cited: five items whatever their topic. Similar: the other report of the resignation, in the
    # same topic and window; not the puppet theatre (same topic, other story) nor the July item (too old).
    assert linked == {ids[11]: "cited", ids[7]: "cited", ids[23]: "cited", ids[2]: "cited", ids[4]: "cited",
                      ids[0]: "similar"}


def test_adding_the_same_url_again_updates_the_analysis(sessions, archive):
    entries = archive["entries"]
    with sessions.begin() as session:
        first = add_analysis(session, "https://analytics.example/a", "Draft", analysis_text(entries), ANALYSIS_DAY)
    with sessions.begin() as session:
        again = add_analysis(session, "https://analytics.example/a?utm_source=x", "Final",
                             f"Отставка Жээнбекова в Киргизии.\n[1] {entries[2]['url']}", ANALYSIS_DAY)
    assert again.id == first.id and not again.created and again.cited_items == 1
    with sessions() as session:
        assert session.get(Analysis, first.id).title == "Final"
        linked = links(session, first.id)
    assert [item for item, reason in linked.items() if reason == "cited"] == [archive["meduza"][2]]
    assert linked[archive["meduza"][11]] == "similar"  # no longer cited, still about the resignation


def test_items_stored_after_the_analysis_are_linked_after_a_collector_tick(sessions, archive):
    entries = archive["entries"]
    later = "https://kloop.kg/blog/2020/10/06/x/"
    with sessions.begin() as session:
        added = add_analysis(session, "https://analytics.example/b", "Кризис", analysis_text(entries), ANALYSIS_DAY)
    with sessions.begin() as session:
        new = store(session, "Kloop", "https://kloop.kg/feed", [
            {"title": "Протесты в Бишкеке", "text": "Фоторепортаж.", "url": later + "?utm_campaign=rss",
             "published": datetime(2020, 10, 6, tzinfo=UTC)},
            {"title": "Президент Киргизии Жээнбеков ушел в отставку после протестов",
             "text": "Сооронбай Жээнбеков объявил об отставке; обязанности перешли к спикеру парламента Исаеву.",
             "url": "https://kloop.kg/blog/2020/10/15/resigned/", "published": datetime(2020, 10, 15, 12, tzinfo=UTC)},
        ])
    after_collect(sessions)
    with sessions() as session:
        linked = links(session, added.id)
        assert linked[new[0]] == "cited" and linked[new[1]] == "similar"
        assert get_meta(session, WATERMARK) == str(new[1])


def test_items_of_analysis_sources_become_analyses(sessions, archive):
    entries = archive["entries"]
    with sessions.begin() as session:
        (item_id,) = store(session, "Community blog", "https://analytics.example/feed", [{
            "title": "Киргизия: хроника отставки", "text": analysis_text(entries),
            "url": "https://analytics.example/2020/chronicle", "published": ANALYSIS_DAY,
            "extra": {"links": ["[25] https://kloop.kg/extra-from-html"]},
        }], kind="analysis")
    assert after_collect(sessions)[0] == 1
    assert after_collect(sessions)[0] == 0  # only once
    with sessions() as session:
        analysis = session.scalar(select(Analysis).where(Analysis.item_id == item_id))
        assert (analysis.origin, analysis.title, analysis.topics) == ("source", "Киргизия: хроника отставки", ["kyrgyzstan"])
        assert len(analysis.citations) == 25
        assert (analysis.citations[-1].number, analysis.citations[-1].url) == (25, "https://kloop.kg/extra-from-html")
        linked = links(session, analysis.id)
    assert item_id not in linked
    assert sorted(r for r in linked.values()) == ["cited"] * 5 + ["similar"]


# --- the bot and the command line ---------------------------------------------------------------

ADMIN, VOLUNTEER = 3001, 3002


@pytest.fixture
def bot_settings():
    return {"admin_ids": [ADMIN]}


@pytest.fixture
def bot(bot):
    """The shared bot, with a kyrgyzstan topic and Meduza's feed stored."""
    with bot.sessions.begin() as session:
        session.add(Topic(id="kyrgyzstan", title="Kyrgyzstan", rules=[Rule(position=0, text=r) for r in KYRGYZ_RULES]))
        session.flush()
        bot.ids = store(session, "Meduza", "https://meduza.io/rss/all", meduza_entries())
        store(session, "Kloop", "https://t.me/s/kloopru", [])
        for source, _ in source_store.list_sources(session):
            source.status = "paused"  # monitored, but never fetched: the tests stay off the network
    return bot


def texts(messages) -> str:
    return "\n".join(m.plain_text for m in messages)


async def test_an_admin_adds_an_analysis_with_pasted_text(bot):
    text = analysis_text(meduza_entries())
    (done,) = await bot.say(ADMIN, ADMIN, f"/addanalysis https://analytics.example/kg 2020-10-16 Кризис в Киргизии\n{text}")
    assert done.plain_text.startswith("Analysis 1 added: Кризис в Киргизии")
    assert "24 citations, 5 of them stored items; 1 similar items. Topics: kyrgyzstan" in done.plain_text
    (logged,) = await bot.say(ADMIN, ADMIN, "/audit 1")
    assert logged.plain_text.endswith(f"({ADMIN}): analysis #1 Кризис в Киргизии added: https://analytics.example/kg")
    (listing,) = await bot.say(VOLUNTEER, VOLUNTEER, "/analysis")
    assert "Кризис в Киргизии" in listing.plain_text and "cites 5 stored items, relates to 1 more" in listing.plain_text
    (by_topic,) = await bot.say(VOLUNTEER, VOLUNTEER, "/analysis Kyrgyzstan")
    assert "Кризис в Киргизии" in by_topic.plain_text
    (none,) = await bot.say(VOLUNTEER, VOLUNTEER, "/analysis csto")
    assert none.plain_text.startswith("No analyses yet: CSTO")


async def test_one_analysis_lists_stored_citations_and_sites_to_monitor(bot):
    with bot.sessions.begin() as session:
        added = add_analysis(session, "https://analytics.example/kg", "Кризис в Киргизии",
                             analysis_text(meduza_entries()), ANALYSIS_DAY)
    message = bot.fake.user_message(VOLUNTEER, VOLUNTEER, f"/analysis_{added.id}")
    replies = await bot.fake.wait_for_messages(VOLUNTEER, 1, after=message["message_id"])
    text = texts(replies)
    assert "Cited sources Dozor has stored (5 of 24 citations)" in text
    assert f"/item_{bot.ids[11]}" in text and "Президент Киргизии ушел в отставку" in text
    assert "Related items (1), the closest first:" in text
    assert not re.search(r"\b0[.,]\d\d\b", text)  # no raw similarity scores
    (related,) = await bot.say(VOLUNTEER, VOLUNTEER, f"/item {bot.ids[0]}")
    assert "Кризис в Киргизии (similar in its text)" in related.plain_text
    assert not re.search(r"\b0[.,]\d\d\b", related.plain_text)
    suggestions = text.split("does not monitor yet")[1]
    for site in ("24.kg (1)", "akipress.com (1)", "kloop.kg (1)", "rferl.org (1)", "kabar.kg (1)"):
        assert site in suggestions
    assert "meduza.io" not in suggestions and "t.me/kloopru" not in suggestions  # already monitored
    (same,) = await bot.say(VOLUNTEER, VOLUNTEER, f"/analysis {added.id}")
    assert same.plain_text == replies[0].plain_text
    (missing,) = await bot.say(VOLUNTEER, VOLUNTEER, "/analysis 99")
    assert missing.plain_text.startswith("There is no analysis 99")


async def test_an_admin_adds_an_analysis_as_a_file_and_others_may_not(bot):
    html = ("<h1>Хроника</h1><p>Протесты в Бишкеке и отставка Жээнбекова.</p><ol>"
            + "".join(f'<li><a href="{e["url"]}">{e["title"]}</a></li>' for e in meduza_entries()[:3]) + "</ol>")
    upload = bot.fake.user_document(ADMIN, ADMIN, "chronicle.html", html.encode(), caption="/addanalysis https://analytics.example/file Хроника")
    (done,) = await bot.fake.wait_for_messages(ADMIN, 1, after=upload["message_id"])
    assert done.plain_text.startswith("Analysis 1 added: Хроника") and "3 citations, 3 of them stored items" in done.plain_text
    (refused,) = await bot.say(VOLUNTEER, VOLUNTEER, "/addanalysis https://analytics.example/x Title\nText")
    assert refused.plain_text == "Only Dozor admins can do this."
    (usage,) = await bot.say(ADMIN, ADMIN, "/addanalysis https://analytics.example/x Title")
    assert "/addanalysis URL Title" in usage.plain_text
    (bad,) = await bot.say(ADMIN, ADMIN, "/addanalysis not-a-url Title\nText")
    assert bad.plain_text.startswith("Could not add the analysis: not-a-url is not an http(s) address")
    (russian,) = await bot.say(ADMIN, ADMIN, "/addanalysis not-a-url Title\nText", language_code="ru")
    assert russian.plain_text.startswith("Не удалось добавить анализ: not-a-url — не адрес http(s)")


async def test_digest_items_carry_the_analysis_that_cites_them(bot):
    await bot.say(VOLUNTEER, VOLUNTEER, "/subscribe kyrgyzstan")
    (new_id,) = seed_items(bot.sessions, [{"title": "Жапаров стал премьером Киргизии", "url": "https://news.example/kg-pm",
                                          "topics": {"kyrgyzstan": ["Киргизия"]}}])
    with bot.sessions.begin() as session:
        add_analysis(session, "https://analytics.example/pm", "Кто такой Жапаров", "Разбор.\n[1] https://news.example/kg-pm")
    message = bot.fake.user_message(VOLUNTEER, VOLUNTEER, "/digest")
    (digest,) = await bot.fake.wait_for_messages(VOLUNTEER, 1, after=message["message_id"])
    assert "Жапаров стал премьером Киргизии\n  Azattyk" in digest.plain_text
    assert "📚 Analysis: Кто такой Жапаров" in digest.plain_text
    assert "https://analytics.example/pm" in [e.get("url") for e in digest.entities]


def test_the_command_line_adds_and_lists_analyses(tmp_path, monkeypatch, capsys):
    from bot.cli import main

    monkeypatch.setenv("DOZOR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("DOZOR_DEFAULT_FEEDS", "0")
    path = tmp_path / "analysis.txt"
    path.write_text("Казахстан и ОДКБ: итоги января.\n[1] https://a.example/1\n[2] https://b.example/2\n", "utf-8")
    args = ["analyses", "add", "--url", "https://analytics.example/jan", "--title", "Итоги января", "--file", str(path)]
    assert main([*args, "--published", "2022-01-20"]) == 0
    assert capsys.readouterr().out.strip() == (
        "analysis 1 added: 2 citations, 0 of them stored items; 0 similar items; topics: csto, kazakhstan"
    )
    assert main([*args, "--published", "20.01.2022"]) == 0
    assert "analysis 1 updated" in capsys.readouterr().out
    assert main(["analyses", "list"]) == 0
    assert "2022-01-20  cites   0 stored,   0 similar  Итоги января" in capsys.readouterr().out
    assert main([*args, "--published", "January"]) == 2
    assert "not a date" in capsys.readouterr().err
    assert main(["analyses", "add", "--url", "https://x.example/", "--title", "T", "--file", str(tmp_path / "none")]) == 2


async def test_an_analysis_source_is_collected_into_linked_analyses(bot, feed_server):
    entries = meduza_entries()
    anchors = "".join(f'<li><a href="{e["url"]}?utm_source=rss">{e["title"]}</a></li>' for e in (entries[11], entries[7]))
    feed = f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Community</title>
      <item><title>Отставка Жээнбекова: разбор</title><link>https://analytics.example/2020/resign</link>
      <guid>resign</guid><pubDate>Fri, 16 Oct 2020 09:00:00 +0000</pubDate>
      <description><![CDATA[<p>Президент Киргизии Жээнбеков ушел в отставку после массовых протестов в Бишкеке.</p>
      <ol>{anchors}</ol>]]></description></item></channel></rss>"""
    feed_server.add_file("/analyses.xml", feed.encode())
    with bot.sessions.begin() as session:
        source_store.add_source(session, feed_server.url("/analyses.xml"), "Community", "analysis")
    await bot.run_job("collect")
    with bot.sessions() as session:
        analysis = session.scalar(select(Analysis))
        assert (analysis.title, analysis.origin, analysis.topics) == ("Отставка Жээнбекова: разбор", "source", ["kyrgyzstan"])
        assert [(c.number, c.item_id) for c in analysis.citations] == [(1, bot.ids[11]), (2, bot.ids[7])]
        assert links(session, analysis.id) == {bot.ids[11]: "cited", bot.ids[7]: "cited", bot.ids[0]: "similar"}
    (found,) = await bot.say(VOLUNTEER, VOLUNTEER, "/search Навального санкции")
    assert "📚 Analysis: Отставка Жээнбекова: разбор" in found.plain_text


async def test_an_instant_alert_carries_the_analysis_that_cites_the_new_item(bot):
    await bot.say(VOLUNTEER, VOLUNTEER, "/settings instant")
    await bot.say(VOLUNTEER, VOLUNTEER, "/subscribe kyrgyzstan")
    with bot.sessions.begin() as session:
        add_analysis(session, "https://analytics.example/ahead", "Что будет в Бишкеке", "Прогноз.\n[1] https://news.example/next")
    before = len(bot.fake.messages(VOLUNTEER))
    seed_items(bot.sessions, [{"title": "В Бишкеке прошёл митинг", "url": "https://news.example/next",
                               "topics": {"kyrgyzstan": ["Бишкек"]}}])
    await bot.run_job("collect")  # links the new item to the analysis before alerting
    (alert,) = bot.fake.messages(VOLUNTEER)[before:]
    assert "В Бишкеке прошёл митинг" in alert.plain_text and "📚 Analysis: Что будет в Бишкеке" in alert.plain_text


async def test_an_analysis_citing_many_stored_items_is_split_into_messages(bot):
    rows = [{"title": f"Материал о Киргизии номер {n} " + "с подробным заголовком " * 6, "url": f"https://news.example/many/{n}",
             "topics": {"kyrgyzstan": ["Киргизия"]}} for n in range(60)]
    seed_items(bot.sessions, rows)
    with bot.sessions.begin() as session:
        added = add_analysis(session, "https://analytics.example/many", "Обзор",
                             "\n".join(f"[{n + 1}] {row['url']}" for n, row in enumerate(rows)))
    message = bot.fake.user_message(VOLUNTEER, VOLUNTEER, f"/analysis {added.id}")
    await bot.fake.wait_for(
        lambda: texts(bot.fake.messages(VOLUNTEER, after=message["message_id"])).count("/item_") == 60, what="60 items"
    )
    replies = bot.fake.messages(VOLUNTEER, after=message["message_id"])
    assert len(replies) >= 2 and all(len(r.plain_text) <= 4096 for r in replies)
