"""Normalization of raw feed values: text, URLs, timestamps, language."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from feeds.normalize import (
    canonical_url,
    clean_text,
    detect_language,
    fold_whitespace,
    headline,
    html_to_text,
    looks_like_markup,
    strip_controls,
    utc_datetime,
)

FETCHED_AT = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("", ""),
        (None, ""),
        ("plain words", "plain words"),
        ("AT&amp;T &laquo;news&raquo; &#x41C;&#x44B;", "AT&T «news» Мы"),
        ("<p>First</p><p>Second</p>", "First\nSecond"),
        ("one<br>two<br/>three", "one\ntwo\nthree"),
        ("para<br><br>next para", "para\n\nnext para"),
        ("<b>bold</b> and <i>italic</i>", "bold and italic"),
        ("  lots \t of\n\n   space  ", "lots of\n\nspace"),
        ("<div>source\n   newlines   are spaces</div>", "source newlines are spaces"),
        ("no markup\nkeeps typed lines", "no markup\nkeeps typed lines"),
        ("<ul><li>a</li><li>b</li></ul>", "a\nb"),
        ("<p>x</p><script>alert(1)</script><style>p{}</style>", "x"),
        ("<p>kept<!-- a comment --></p>", "kept"),
        ("nul\x00 and\x07 bell<br>\x1b", "nul and bell"),
        ("<p>unclosed <b>tags", "unclosed tags"),
        ("5 < 6 &amp; 7 > 3", "5 < 6 & 7 > 3"),
        ("&lt;p&gt;escaped markup stays text&lt;/p&gt;", "<p>escaped markup stays text</p>"),
        ("non&nbsp;breaking", "non breaking"),
    ],
)
def test_html_to_text(html, text):
    assert html_to_text(html) == text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\x00b", "ab"),
        ("tab\tand\nline\r\nkept", "tab\tand\nline\r\nkept"),
        ("\x01\x02\x1f\x7fx", "x"),
        ("Привет", "Привет"),
    ],
)
def test_strip_controls(raw, clean):
    assert strip_controls(raw) == clean


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("a  b", "a b"),
        ("\n\n a \n\n\n\n b \n", "a\n\nb"),
        ("a\r\nb", "a\nb"),
        ("a\u00a0\u2009b", "a b"),
    ],
)
def test_fold_whitespace(raw, folded):
    assert fold_whitespace(raw) == folded


def test_clean_text_keeps_markup_characters():
    assert clean_text("AT&T <rocks>\x00") == "AT&T <rocks>"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Short title\nsecond line", "Short title"),
        ("", ""),
        ("  \n  Leading blank line", "Leading blank line"),
        ("word " * 40, ("word " * 24).strip() + "…"),
        ("x" * 200, "x" * 120 + "…"),
        (
            "Ночью над Белгородом сбили три беспилотника, они упали на улицы города, сообщается, "
            "что на себе БПЛА несли взрывчатку из пластида",
            "Ночью над Белгородом сбили три беспилотника, они упали на улицы города, сообщается, "
            "что на себе БПЛА несли взрывчатку…",
        ),
    ],
)
def test_headline(text, title):
    assert headline(text) == title
    assert len(headline(text)) <= 121


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (None, None),
        ("", None),
        ("HTTPS://Example.COM/Path?q=1", "https://example.com/Path?q=1"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("http://example.com:443/a", "http://example.com:443/a"),
        ("https://example.com/a#section", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        (
            "https://example.com/a?utm_source=tg&id=5&UTM_Medium=x&fbclid=abc&b=2&gclid=1&yclid=2",
            "https://example.com/a?id=5&b=2",
        ),
        ("https://example.com/a?utm_source=rss", "https://example.com/a"),
        ("https://example.com/a?z=1&a=2&a=1", "https://example.com/a?z=1&a=2&a=1"),
        ("https://example.com/a?q=%D0%9C%D0%B8%D1%80", "https://example.com/a?q=%D0%9C%D0%B8%D1%80"),
        ("https://user@Example.com:443/", "https://user@example.com/"),
        ("http://[2001:DB8::1]:80/x", "http://[2001:db8::1]/x"),
        ("  https://example.com/x  ", "https://example.com/x"),
        ("http://example.com:notaport/x", "http://example.com:notaport/x"),
    ],
)
def test_canonical_url(url, canonical):
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, FETCHED_AT),
        (time.struct_time((2024, 4, 30, 9, 15, 0, 1, 121, 0)), datetime(2024, 4, 30, 9, 15, tzinfo=timezone.utc)),
        (time.struct_time((2031, 1, 1, 0, 0, 0, 2, 1, 0)), FETCHED_AT),
        (
            datetime(2024, 4, 30, 12, 0, tzinfo=timezone(timedelta(hours=3))),
            datetime(2024, 4, 30, 9, 0, tzinfo=timezone.utc),
        ),
        (datetime(2024, 4, 30, 12, 0), datetime(2024, 4, 30, 12, 0, tzinfo=timezone.utc)),
        (FETCHED_AT + timedelta(seconds=1), FETCHED_AT),
    ],
)
def test_utc_datetime(value, expected):
    result = utc_datetime(value, FETCHED_AT)
    assert result == expected
    assert result.utcoffset() == timedelta(0)


def test_utc_datetime_accepts_a_naive_fetch_time():
    assert utc_datetime(None, datetime(2024, 5, 1, 12, 0)) == FETCHED_AT


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Президент Киргизии ушел в отставку из-за массовых протестов. Главное", "ru"),
        ("Власти Москвы частично изменили правила передачи сведений о сотрудниках.", "ru"),
        ("Зеленський підписав закон про мобілізацію, який набуде чинності через місяць.", "uk"),
        ("Україна отримає нову партію озброєння від партнерів", "uk"),
        ("У Києві пролунали вибухи, працює протиповітряна оборона", "uk"),
        ("Президент Казахстана провёл встречу с послом России в Киеве", "ru"),
        (
            "Мэр Киева Виталий Кличко сообщил, что в Київській области объявлена воздушная тревога, "
            "жителям рекомендуют быть в укрытиях.",
            "ru",
        ),
        (
            "Посольство Казахстана сообщило, что граждане, находящиеся в городе Алматы и в "
            "Қарағанды, должны соблюдать меры безопасности и следить за новостями.",
            "ru",
        ),
        ("Қазақстан Республикасының Президенті жаңа заңға қол қойды.", "kk"),
        ("Бүгін Алматыда ауа райы бұлтты болады, жаңбыр жауады.", "kk"),
        ("Мен сені сүйемін", "kk"),
        (
            "Қазақстан Республикасы – Орталық Азиядағы мемлекет. Елдің астанасы – Астана қаласы. "
            "Қазақстан аумағы бойынша әлемдегі ең ірі тоғызыншы мемлекет болып табылады, "
            "ал халқының саны жиырма миллионнан асады.",
            "kk",
        ),
        (
            "Верховна Рада України ухвалила в цілому законопроєкт про посилення відповідальності "
            "за порушення правил військового обліку. Документ набуде чинності після підписання президентом.",
            "uk",
        ),
        ("Кыргызстандын президенти өлкөнүн түштүгүнө сапар менен барды.", "ky"),
        ("Беларускія ўлады абвясцілі пра новыя абмежаванні.", "be"),
        ("The president resigned after mass protests in Bishkek.", "en"),
        ("Meduza: «Президент Киргизии ушел в отставку»", "ru"),
        ("12:45 — 2024", None),
        ("", None),
        ("🔥🔥🔥", None),
    ],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


@pytest.mark.parametrize(
    ("text", "markup"),
    [
        ("<script>alert(1)</script>", True),
        ("Tom &amp; Jerry", True),
        ("x &#1041; y", True),
        ("line<br/>break", True),
        ("<!-- comment -->", True),
        ("AT&T", False),
        ("Q&A; R&D;", False),
        ("a < b", False),
        ("a<b", False),
        ("Bill <S-1>", False),
        ("", False),
    ],
)
def test_looks_like_markup(text, markup):
    assert looks_like_markup(text) is markup
