"""RSS/Atom bodies become normalized entries: real feeds, feedparser's own test corpus, hostile input."""
from __future__ import annotations

import io
import re
import time
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

import feedparser
import pytest

from feeds.errors import FeedError
from feeds.parse import parse_body
from tests.conftest import CORPUS
from tests.conftest import rss as shared_rss

FEEDPARSER_FILES = sorted(path for path in (CORPUS / "feedparser" / "tests").rglob("*") if path.is_file())
REAL_FILES = sorted((CORPUS / "real").glob("*.xml"))
FETCHED_AT = datetime(2026, 7, 1, tzinfo=timezone.utc)
RSS = {"content-type": "application/rss+xml; charset=utf-8"}
_HEADER_LINE = re.compile(r"^Header:\s+([^:]+):(.*)$", re.MULTILINE)


def parse(body: bytes, headers: dict[str, str] | None = None, url: str = "https://example.com/feed"):
    return parse_body(body, RSS if headers is None else headers, kind="rss", url=url, fetched_at=FETCHED_AT)


# Undeclared encoding and a Cyrillic channel title, for the code-page tests.
rss = partial(shared_rss, title="Лента", declaration='<?xml version="1.0"?>')


def item(title: str = "Заголовок", text: str = "Текст", extra: str = "") -> str:
    return f"<item><title>{title}</title><description>{text}</description>{extra}</item>"


def corpus_headers(path: Path) -> dict[str, str]:
    """The `Header:` lines of an http_* corpus file's comment, as lower-cased response headers."""
    if "http" not in path.name:
        return {}
    comment = path.read_bytes()[:2000].decode("latin-1")
    return {name.strip().lower(): value.strip() for name, value in _HEADER_LINE.findall(comment)}


@pytest.mark.parametrize("path", FEEDPARSER_FILES + REAL_FILES, ids=lambda path: path.name)
def test_corpus_file_gives_feedparsers_entries_or_a_feed_error(path):
    body = path.read_bytes()
    headers = corpus_headers(path)
    expected = len(feedparser.parse(io.BytesIO(body), response_headers=headers).entries)
    try:
        parsed = parse(body, headers, url=f"http://127.0.0.1:8097/{path.name}")
    except FeedError as error:
        assert error.code == "parse.not_a_feed" and expected == 0
        return
    if expected:
        assert len(parsed.entries) == expected
    for entry in parsed.entries:
        assert "\x00" not in entry.title + entry.text
        assert entry.published_at.tzinfo is not None and entry.published_at <= FETCHED_AT


def test_corpus_is_there():
    assert len(FEEDPARSER_FILES) > 300 and len(REAL_FILES) == 4


def real_feed(name: str):
    return parse((CORPUS / "real" / name).read_bytes())


def test_meduza():
    feed = real_feed("meduza.xml")
    first = feed.entries[0]
    assert feed.title == "Meduza.io" and len(feed.entries) == 30 and feed.warning is None
    assert first.title == "Президент Киргизии ушел в отставку из-за массовых протестов. Главное"
    assert first.text.startswith("Президент Киргизии Сооронбай Жээнбеков объявил о своей отставке.")
    assert first.url == (
        "https://meduza.io/feature/2020/10/15/prezident-kirgizii-ushel-v-otstavku-iz-za-masoovyh-protestov-glavnoe"
    )
    assert first.published_at == datetime(2020, 10, 15, 11, 27, 5, tzinfo=timezone.utc)
    assert all(entry.lang == "ru" for entry in feed.entries)


def test_liga_net():
    feed = real_feed("liga_net.xml")
    first = feed.entries[0]
    assert feed.title == "ЛІГА.Новости" and len(feed.entries) == 12
    assert first.title == 'Футбол. "Арсенал" – "Челси": где и когда смотреть матч английской Премьер-лиги'
    assert first.text == (
        "Сегодня пройдет матч между Арсеналом и Челси – где и когда смотреть онлайн матч английской Премьер-лиги"
    )
    assert first.url == (
        "https://news.liga.net/sport/news/futbol-arsenal-chelsi-gde-i-kogda-smotret-match-angliyskoy-premer-ligi"
    )
    assert first.published_at == datetime(2021, 8, 22, 10, 45, tzinfo=timezone.utc)  # 13:45 +0300


def test_rbc_link_is_the_items_own_not_a_related_one():
    feed = real_feed("rbc.xml")
    first = feed.entries[0]
    assert feed.title == "www.rbc.ru" and len(feed.entries) == 4
    assert first.title == "Три аэропорта Краснодарского края приостановили полеты на фоне атаки БПЛА"
    assert first.url == "https://www.rbc.ru/rbcfreenews/6a2a0f4a9a7947670efc4796"
    assert first.guid == "rssexport.rbc.ru:politics:6a2a0f4a9a7947670efc4796"
    assert first.extra == {"author": "Полина Дуганова", "tags": ["Политика"]}
    assert first.text.startswith("Аэропорты Краснодара, Геленджика и Сочи приостановили прием")


def test_kommersant():
    feed = real_feed("kommersant.xml")
    first = feed.entries[0]
    assert feed.title == "Коммерсантъ. Лента новостей" and len(feed.entries) == 4
    assert first.title == "Посол Феоктистов: Россия хочет видеть Аргентину в числе своих друзей"
    assert first.url == first.canonical_url == "https://www.kommersant.ru/doc/8736197"
    assert first.extra["tags"] == ["Мир"]
    assert first.published_at == datetime(2026, 6, 11, 1, 51, 12, tzinfo=timezone.utc)


SENTENCES = {
    "ru": ("Президент Киргизии ушел в отставку", "Власти Москвы частично изменили правила передачи сведений."),
    "uk": ("Україна отримає нову партію озброєння", "У Києві пролунали вибухи, працює протиповітряна оборона."),
}


@pytest.mark.parametrize("encoding", ["windows-1251", "koi8-r"])
@pytest.mark.parametrize("content_type", [None, "text/xml", "application/rss+xml"])
@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_undeclared_cyrillic_code_page(encoding, content_type, lang):
    if encoding == "koi8-r" and lang == "uk":
        encoding = "koi8-u"  # koi8-r has no і, ї, є
    title, text = SENTENCES[lang]
    body = rss(item(title, text)).encode(encoding)
    feed = parse(body, {"content-type": content_type} if content_type else {})
    assert feed.title == "Лента"
    assert (feed.entries[0].title, feed.entries[0].text, feed.entries[0].lang) == (title, text, lang)


def test_undeclared_western_feed_stays_latin():
    body = rss(item("Café déjà vu à Noël", "Müller grüßt Ångström"), title="Actualité").encode("windows-1252")
    feed = parse(body, {})
    assert feed.title == "Actualité"
    assert (feed.entries[0].title, feed.entries[0].text) == ("Café déjà vu à Noël", "Müller grüßt Ångström")


def test_declared_code_page_is_respected():
    body = rss(item("Новости", "Текст"), declaration='<?xml version="1.0" encoding="windows-1251"?>')
    assert parse(body.encode("windows-1251"), {}).entries[0].title == "Новости"
    koi8 = rss(item("Новости", "Текст")).encode("koi8-r")
    assert parse(koi8, {"content-type": "text/xml; charset=koi8-r"}).entries[0].title == "Новости"


def test_invalid_utf8_in_a_utf8_feed_keeps_the_items():
    good = rss(item("Первый заголовок", "Текст") + item("Второй", "Ещё текст")).encode()
    broken = good.replace("Текст".encode(), b"\xff\xfe" + "Текст".encode())
    feed = parse(broken)
    assert [entry.title for entry in feed.entries] == ["Первый заголовок", "Второй"]
    assert feed.entries[0].text == "\ufffd\ufffdТекст"
    assert feed.title == "Лента"


def test_nul_and_control_bytes_are_dropped():
    body = rss(item("Заго\x00ловок\x01", "Те\x00кст\x1f") + item()).encode()
    feed = parse(body)
    assert [entry.title for entry in feed.entries] == ["Заголовок", "Заголовок"]
    assert feed.entries[0].text == "Текст"
    assert feed.warning is None  # the strict parser coped


BAD_CHARACTER_REFERENCES = ["&#xD800;", "&#55296;", "&#xdfff;", "&#XDC00;", "&#x0000DBFF;", "&#57343;", "&#xD800",
                            "&#x110000;", "&#1114112;", "&#99999999999999999999;"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@pytest.mark.parametrize("reference", BAD_CHARACTER_REFERENCES)
def test_a_reference_to_no_character_costs_only_that_character(reference, encoding):
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>'
    items = item("Первый") + item(f"Плохой {reference} символ", f"Текст {reference}") + item("Третий")
    feed = parse(rss(items, declaration=declaration).encode(encoding), {"content-type": "application/rss+xml"})
    assert [entry.title for entry in feed.entries] == ["Первый", "Плохой \ufffd символ", "Третий"]
    assert feed.entries[1].text == "Текст \ufffd"


def test_references_to_real_characters_are_kept():
    items = item("&#x41;&#1046;&#x4E00;&#19968;&#x1F600;&#128512;&#xFFFD;&#xd7ff;&#xE000;")
    assert parse(rss(items).encode()).entries[0].title == "AЖ一一😀😀\ufffd\ud7ff\ue000"


def test_html_page_is_not_a_feed():
    page = b"<!DOCTYPE html><html><head><title>Shop</title></head><body><h1>Welcome</h1></body></html>"
    with pytest.raises(FeedError) as error:
        parse(page, {"content-type": "text/html; charset=utf-8"})
    assert error.value.code == "parse.not_a_feed"
    assert "text/html" in error.value.message


@pytest.mark.parametrize("body", [b"", b"   ", b'{"version": "https://jsonfeed.org/version/1"}', b"\x00\x01garbage"])
def test_other_non_feeds(body):
    with pytest.raises(FeedError) as error:
        parse(body)
    assert error.value.code == "parse.not_a_feed"


def test_empty_but_valid_feed():
    feed = parse(rss("").encode())
    assert feed.title == "Лента" and feed.entries == []


def test_bozo_feed_with_entries_is_a_warning():
    body = rss(item("Один", "a <b>unclosed & bare ampersand") + item("Два")).encode()
    feed = parse(body)
    assert [entry.title for entry in feed.entries] == ["Один", "Два"]
    assert feed.warning


def test_ten_thousand_entries():
    items = "".join(
        item(f"Новость {n}", f"Текст {n}", f"<link>/news/{n}</link><guid>id-{n}</guid>") for n in range(10_000)
    )
    feed = parse(rss(items).encode())
    assert len(feed.entries) == 10_000
    assert feed.entries[-1].title == "Новость 9999"
    assert feed.entries[-1].url == "https://example.com/news/9999"
    assert feed.entries[-1].guid == "id-9999"


PIECE = "a" * 500
PIECES = 131  # 64 KB of author text in all
# Author text that feedparser's quadratic e-mail search would take 15-30 s over, in every form the text can take.
LONG_AUTHORS = {
    "plain": "<author>" + "a" * 65536 + "</author>",
    "cdata": "<author><![CDATA[" + "a" * 65536 + "]]></author>",
    "dc:creator": '<dc:creator xmlns:dc="http://purl.org/dc/elements/1.1/">' + "a" * 65536 + "</dc:creator>",
    "managingEditor": "<managingEditor>" + "a" * 65536 + "</managingEditor>",
    "split by comments": "<author>" + "<!-- -->".join([PIECE] * PIECES) + "</author>",
    "split into CDATA pieces": "<author>" + "".join(f"<![CDATA[{PIECE}]]>" for _ in range(PIECES)) + "</author>",
    "split by processing instructions": "<author>" + "<?x?>".join([PIECE] * PIECES) + "</author>",
    "character references": "<author>" + "&#97;" * 65536 + "</author>",
    "webMaster split by comments": "<webMaster>" + "<!---->".join([PIECE] * PIECES) + "</webMaster>",
    "dc:publisher in a default namespace": (
        '<publisher xmlns="http://purl.org/dc/elements/1.1/">' + "<!---->".join([PIECE] * PIECES) + "</publisher>"
    ),
    "not well-formed (loose parser)": "<author>" + "<!---->".join([PIECE] * PIECES) + "</author>&nbsp;",
}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
@pytest.mark.parametrize("author", LONG_AUTHORS.values(), ids=LONG_AUTHORS.keys())
def test_64_kb_author_does_not_stall_the_parser(author, encoding):
    # Unpatched, feedparser needs 15-30 s for each of these (a quadratic e-mail regex).
    declaration = f'<?xml version="1.0" encoding="{encoding}"?>'
    body = rss(item("Заголовок", "Текст", author) + item("Второй"), declaration=declaration).encode(encoding)
    started = time.monotonic()
    feed = parse(body, {"content-type": "application/rss+xml"})
    assert time.monotonic() - started < 5
    assert [entry.title for entry in feed.entries] == ["Заголовок", "Второй"]


def test_long_author_with_multibyte_text_is_cut_cleanly():
    body = rss(item("Заголовок", "Текст", f"<author>{'Иван&amp;' * 3000}</author>")).encode()
    feed = parse(body)
    assert feed.warning is None
    assert feed.entries[0].extra["author"].startswith("Иван&Иван&")


def test_links_resolve_against_content_location_and_stay_web_links():
    items = (
        item("Относительная", extra="<link>../news/1?utm_source=rss&amp;id=5#top</link>")
        + item("Скрипт", extra="<link>javascript:alert(1)</link>")
    )
    feed = parse_body(
        rss(items).encode(),
        {"content-type": "application/rss+xml", "content-location": "/feeds/all.xml"},
        kind="rss",
        url="https://Example.com/old/rss",
        fetched_at=FETCHED_AT,
    )
    relative, script = feed.entries
    assert relative.url == "https://Example.com/news/1?utm_source=rss&id=5#top"
    assert relative.canonical_url == "https://example.com/news/1?id=5"
    assert script.url is None and script.canonical_url is None


def test_dates_missing_or_in_the_future_become_the_fetch_time():
    items = (
        item("Прошлое", extra="<pubDate>Thu, 15 Oct 2020 14:27:05 +0300</pubDate>")
        + item("Будущее", extra="<pubDate>Fri, 01 Jan 2100 00:00:00 +0000</pubDate>")
        + item("Без даты")
    )
    dates = [entry.published_at for entry in parse(rss(items).encode()).entries]
    assert dates == [datetime(2020, 10, 15, 11, 27, 5, tzinfo=timezone.utc), FETCHED_AT, FETCHED_AT]


def test_text_is_the_longer_of_content_and_summary():
    full = "&lt;p&gt;Полный текст статьи&lt;/p&gt;&lt;p&gt;со вторым абзацем&lt;/p&gt;"
    content = f'<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">{full}</content:encoded>'
    body = rss(
        item("С контентом", "Анонс", content)
        + item("Только анонс", "Анонс &lt;b&gt;жирный&lt;/b&gt; &amp;amp; прочее")
    ).encode()
    with_content, summary_only = parse(body).entries
    assert with_content.text == "Полный текст статьи\nсо вторым абзацем"
    assert summary_only.text == "Анонс жирный & прочее"


def test_title_falls_back_to_the_text():
    feed = parse(rss("<item><description>Только текст, без заголовка</description></item>").encode())
    assert feed.entries[0].title == "Только текст, без заголовка"


def test_atom_plain_text_title_keeps_angle_brackets():
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>
    <entry><title type="text">Bill &lt;S-1&gt; &amp; C</title><id>tag:x,2024:1</id>
    <link href="https://example.com/1"/><updated>2024-04-30T10:00:00+02:00</updated>
    <content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry></feed>"""
    (entry,) = parse(body, {"content-type": "application/atom+xml"}).entries
    assert (entry.title, entry.text, entry.guid, entry.lang) == ("Bill <S-1> & C", "Body", "tag:x,2024:1", "en")
    assert entry.published_at == datetime(2024, 4, 30, 8, 0, tzinfo=timezone.utc)


def test_analysis_kind_parses_like_rss():
    body = rss(item()).encode()
    feed = parse_body(body, RSS, kind="analysis", url="https://example.com/", fetched_at=FETCHED_AT)
    assert feed.entries[0].title == "Заголовок"


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        parse_body(b"", {}, kind="email", url="https://example.com/", fetched_at=FETCHED_AT)


def test_items_without_a_link_never_get_the_feeds_url():
    items = (
        item("Без ссылки и guid")
        + item("Guid не адрес", extra="<guid>abc-123</guid>")
        + item("Guid-адрес", extra="<guid>https://example.com/p/3?utm_source=rss</guid>")
        + item("Guid-адрес, не permalink", extra='<guid isPermaLink="false">https://example.com/p/4</guid>')
        + item("Guid urn", extra="<guid>urn:uuid:5</guid>")
    )
    none, opaque, url_guid, not_permalink, urn = parse(rss(items).encode(), url="https://example.com/feed").entries
    assert (none.url, none.canonical_url, none.guid) == (None, None, None)
    assert (opaque.url, opaque.guid) == (None, "abc-123")
    assert (url_guid.url, url_guid.canonical_url) == ("https://example.com/p/3?utm_source=rss", "https://example.com/p/3")
    assert not_permalink.url == "https://example.com/p/4"
    assert urn.url is None


def test_a_real_link_wins_over_the_guid_wherever_it_stands():
    items = item("До", extra="<guid>abc-1</guid><link>/news/1</link>") + item("После", extra="<link>/news/2</link><guid>abc-2</guid>")
    before, after = parse(rss(items).encode(), url="https://example.com/feed").entries
    assert (before.url, after.url) == ("https://example.com/news/1", "https://example.com/news/2")


@pytest.mark.parametrize(
    "title,expected",
    [
        ("&lt;script&gt;alert(1)&lt;/script&gt;Тревога &amp;amp; шум", "Тревога & шум"),
        ("&lt;b&gt;ОДКБ&lt;/b&gt; в Алматы", "ОДКБ в Алматы"),
        ("Tom &amp;amp; Jerry", "Tom & Jerry"),
        ("AT&amp;T и Q&amp;A", "AT&T и Q&A"),
        ("a &lt; b, c &gt; d", "a < b, c > d"),
        ("Bill &lt;S-1&gt; passed", "Bill <S-1> passed"),
    ],
)
def test_markup_in_a_plain_text_title_is_cleaned_like_html(title, expected):
    (entry,) = parse(rss(item(title, "x")).encode()).entries
    assert entry.title == expected


def test_markup_in_a_plain_text_atom_summary_is_cleaned_like_html():
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>
    <entry><title type="text">T</title><id>tag:x,2024:1</id><link href="https://example.com/1"/>
    <summary type="text">&lt;p&gt;One&lt;/p&gt;&lt;script&gt;bad()&lt;/script&gt;&lt;p&gt;Two &amp;amp; three&lt;/p&gt;</summary>
    </entry></feed>"""
    (entry,) = parse(body, {"content-type": "application/atom+xml"}).entries
    assert entry.text == "One\nTwo & three"


def test_huge_titles_and_texts_are_cut_before_matching_and_storage():
    from feeds.entry import TEXT_CHARS, TITLE_CHARS

    body = rss(item("ОДКБ " * 100_000, "<p>" + "Текст " * 400_000 + "</p>")).encode()
    (entry,) = parse(body).entries
    assert len(entry.title) <= TITLE_CHARS + 1 and entry.title.startswith("ОДКБ ОДКБ") and entry.title.endswith("ОДКБ…")
    assert len(entry.text) <= TEXT_CHARS + 1 and entry.text.endswith("Текст…")
