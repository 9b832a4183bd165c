"""The one text catalogue: every text in English, Russian and Ukrainian, every coded error and usage line worded."""
from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest

from bot.texts import LANGUAGES, TEXTS, Html, explain, t
from storage.search.types import QueryError

ROOT = Path(__file__).resolve().parents[1]


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_every_text_is_in_every_language_with_the_same_placeholders(key):
    entry = TEXTS[key]
    assert set(entry) == set(LANGUAGES) and all(entry.values()), key
    assert placeholders(entry["ru"]) == placeholders(entry["uk"]) == placeholders(entry["en"]), key


def codes(pattern: str, *folders: str) -> set[str]:
    found = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            found.update(re.findall(pattern, path.read_text("utf-8")))
    return found


@pytest.mark.parametrize(
    ("kind", "pattern", "folder"),
    [
        ("query", r'QueryError\("(\w+)"', "storage/search"),
        ("settings", r'(?:SettingsInputError|_fail)\("(\w+)"', "bot/delivery"),
        ("", r'await usage\(update, "(\w+)"', "bot/admin"),
    ],
)
def test_every_coded_error_and_usage_line_has_its_text(kind, pattern, folder):
    found = codes(pattern, folder)
    assert found, pattern
    keys = {f"{kind}_{code}" if kind else code for code in found}
    assert keys - TEXTS.keys() == set()


def test_values_are_escaped_and_catalogue_html_is_not_escaped_twice():
    inner = t("query_unknown_topic", "en", given="<x&y>", known="csto")
    assert inner == "There is no topic &lt;x&amp;y&gt;. Topics: csto." and isinstance(inner, Html)
    outer = t("search_bad", "en", reason=inner, example="a<b")
    assert "There is no topic &lt;x&amp;y&gt;." in outer and "a&lt;b" in outer


def test_an_error_is_worded_in_the_users_language_with_what_they_typed_cut_short():
    error = QueryError("operator", "NEAR(" + "x" * 500)
    assert explain(error, "ru", "query").startswith("операторы поиска вроде NEAR(xxx")
    assert len(explain(error, "en", "query")) < 250


def test_kazakh_texts_have_the_placeholders_of_the_english_ones():
    from bot.texts import SEPARATE

    for key, text in SEPARATE["kk"].items():
        assert key in TEXTS, key
        assert placeholders(text) == placeholders(TEXTS[key]["en"]), key


def test_a_kazakh_sentence_is_wholly_russian_when_a_reason_inserted_into_it_is_not_written_in_kazakh_yet():
    from bot.texts import SEPARATE

    worded = t("settings_bad_zone", "kk", given="Марс")
    assert t("settings_bad", "kk", reason=worded).startswith("Түсінбедім. «Марс» — уақыт белдеуі емес")
    assert "query_long_phrase" in SEPARATE["kk"] and "problem_fetch_timeout" not in SEPARATE["kk"]
    russian_reason = t("problem_fetch_timeout", "kk")
    assert russian_reason == "сайт не ответил вовремя"
    assert t("source_line", "kk", mark="⚠️", name="A", kind="rss", per_day=1, ok=russian_reason) == (
        "⚠️ <b>A</b> (rss): 1 в день, последний успех сайт не ответил вовремя"
    )
    assert t("search_bad", "kk", reason=t("query_long_phrase", "kk", most=5), example="x").startswith("Мұндай іздеу")


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        ("ru", {1: "1 новый материал", 3: "3 новых материала", 5: "5 новых материалов", 21: "21 новый материал",
                12: "12 новых материалов", 104: "104 новых материала"}),
        ("uk", {1: "1 новий матеріал", 2: "2 нові матеріали", 11: "11 нових матеріалів", 31: "31 новий матеріал"}),
        ("en", {1: "1 new item", 0: "0 new items", 2: "2 new items"}),
        ("kk", {1: "жаңа материалдар: 1", 7: "жаңа материалдар: 7"}),
    ],
)
def test_counts_take_their_languages_plural_form(lang, counts):
    assert {n: t("more_items", lang, n=n) for n in counts} == counts


def test_every_feed_error_code_and_rule_error_code_is_worded():
    from bot.texts import problem

    feed_codes = codes(r'FeedError\(\s*"([\w.]+)"', "feeds") | codes(r'WorkerStopped\(\s*"([\w.]+)"', "feeds")
    assert {"fetch.dns", "parse.not_a_feed", "parse.timeout"} <= feed_codes
    for code in feed_codes:
        assert not problem(code, "ru").startswith("непредвиденная"), code
    for status, words in [("404", "нет страницы"), ("503", "сбой"), ("418", "ответил ошибкой (HTTP 418)")]:
        assert words in problem(f"fetch.http_{status}", "ru")
    rule_codes = codes(r'(?:token|None|rule, [\w.]+), "(\w+)"', "feeds/matching")
    assert {"unclosed_quote", "too_long", "too_deep"} <= rule_codes
    assert {f"rule_{code}" for code in rule_codes} - TEXTS.keys() == set()
