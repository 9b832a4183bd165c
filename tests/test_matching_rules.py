"""The rule language an admin writes: what it accepts and how it points at mistakes."""
from __future__ import annotations

import pytest

from feeds.matching import RuleSyntaxError, check_rule, compile_topics
from feeds.matching.rules import parse_rule


@pytest.mark.parametrize(
    "rule",
    [
        "Казахстан",
        "=ОДК",
        '"Алма-Ата"',
        "казахстан*",
        "ОДКБ OR CSTO",
        "ОДКБ AND NOT ОДК",
        "(Токаев OR Назарбаев) AND Астана",
        "title:Казахстан",
        "title: Казахстан",
        "text:(ОДКБ OR CSTO) AND NOT title:реклама",
        "Казахстан Астана",  # juxtaposition means AND
        'ОДКБ and "collective security"',
        "«Организация Договора о коллективной безопасности»",
        '="Нур-Султан"',
        "NOT Казань AND Казахстан",
    ],
)
def test_valid_rules_compile(rule):
    check_rule(rule)


@pytest.mark.parametrize(
    ("rule", "position", "words"),
    [
        ("", 0, "empty"),
        ("   ", 0, "empty"),
        ("(Казахстан OR Астана", 0, "unclosed '('"),
        ("Казахстан OR Астана)", 19, "unmatched ')'"),
        ('ОДКБ OR "Организация Договора', 8, "unclosed quote"),
        ("Казахстан OR", 12, "missing at the end"),
        ("Казахстан AND OR Астана", 14, "expected a word"),
        ("каз*ахстан", 3, "'*'"),
        ("=ОДК*", 4, "'=' and '*'"),
        ("= ОДК", 0, "'='"),
        ('""', 0, "empty phrase"),
        ("author:Иванов", 0, "unknown field 'author'"),
        ("title:", 0, "must be followed"),
        ("title:OR Астана", 0, "must be followed"),
        ("NOT Казань", 0, "every item"),
        ("Казахстан OR NOT Казань", 0, "every item"),
        ("Казахстан AND --", 14, "no letters"),
        ("Казахстан AND ***", 14, "'*'"),
        ("()", 1, "expected a word"),
    ],
)
def test_syntax_errors_name_their_position(rule, position, words):
    with pytest.raises(RuleSyntaxError) as caught:
        check_rule(rule)
    error = caught.value
    assert error.position == position
    assert error.rule == rule
    assert words in str(error)
    assert f"position {position}" in str(error)


def test_syntax_error_is_a_value_error():
    with pytest.raises(ValueError):
        check_rule("(")


def test_compile_reports_the_bad_rule_of_a_topic():
    with pytest.raises(RuleSyntaxError) as caught:
        compile_topics({"kazakhstan": ["Казахстан", "Астана)"]})
    assert caught.value.rule == "Астана)"
    assert caught.value.position == 6


def test_regex_syntax_is_plain_text_not_a_pattern():
    matcher = compile_topics({"t": ["a.b"]})
    assert matcher.match("", "a b").topics == ["t"]
    assert matcher.match("", "axb").topics == []


DEEP_RULES = [
    ("(" * 5000 + "Шымкент" + ")" * 5000, 50),
    ("NOT " * 5000 + "Шымкент AND Казахстан", 200),
    ("Казахстан AND " + "(NOT " * 26 + "Шымкент" + ")" * 26, 14 + 5 * 25),  # the 51st level is the 26th '('
]


@pytest.mark.parametrize("rule,position", DEEP_RULES)
def test_a_rule_nested_too_deeply_is_refused_with_its_position(rule, position):
    with pytest.raises(RuleSyntaxError, match="nested too deeply") as error:
        parse_rule(rule)  # a stored rule is read by the parser too, whatever its length
    assert error.value.position == position
    assert len(str(error.value)) < 200  # a huge rule is not repeated whole


@pytest.mark.parametrize("rule,position", [("(" * 240 + "Шымкент" + ")" * 240, 50), ("NOT " * 100 + "Шымкент", 200)])
def test_a_new_rule_nested_too_deeply_is_refused_with_its_position(rule, position):
    with pytest.raises(RuleSyntaxError, match="nested too deeply") as error:
        check_rule(rule)
    assert error.value.position == position


def test_a_new_rule_longer_than_500_characters_is_refused_before_it_is_read():
    check_rule(" OR ".join(f"слово{n}" for n in range(46)))  # 492 characters
    with pytest.raises(RuleSyntaxError, match="at most 500 characters") as error:
        check_rule("(" * 5000 + "Шымкент" + ")" * 5000)
    assert error.value.position == 500 and len(str(error.value)) < 200


def test_fifty_levels_of_nesting_still_work():
    deep = ["(" * 50 + "Шымкент" + ")" * 50, "Казахстан AND " + "(" * 49 + "NOT Бишкек" + ")" * 49]
    matcher = compile_topics({"deep": deep})
    assert matcher.match("Шымкент", "").topics == ["deep"]
    assert matcher.match("Казахстан", "").topics == ["deep"]
