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
