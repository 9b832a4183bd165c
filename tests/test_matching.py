"""Matching items against topics: word forms, scripts, phrases, fields, operators, hits, the CLI."""
from __future__ import annotations

import io
import json
import pickle
from pathlib import Path

import pytest

from feeds.matching import Hit, compile_topics, default_topics
from feeds.matching.cli import load_topics_file, run_match


def topics_of(rules: list[str], text: str, title: str = "") -> list[str]:
    return compile_topics({"t": rules}).match(title, text).topics


def found(rule: str, text: str) -> bool:
    return topics_of([rule], text) == ["t"]


@pytest.fixture(scope="module")
def defaults():
    return compile_topics({t.id: t.rules for t in default_topics()})


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("Казахстан", "в Казахстане"),
        ("Казахстан", "из Казахстана"),
        ("Казахстан", "с Казахстаном"),
        ("Казахстан", "у Казахстані"),  # uk
        ("Казахстан", "Казахстанові"),
        ("Қазақстан", "Қазақстанда"),
        ("Қазақстан", "Қазақстанның"),
        ("Қазақстан", "Қазақстаннан"),
        ("Kazakhstan", "Kazakhstan's"),
        ("Kazakhstan", "Kazakhstan’s"),
        ("казахстанский", "казахстанскому"),
        ("казахстанский", "казахстанская"),
        ("казахстанец", "казахстанцы"),
        ("казахстанец", "казахстанцев"),
        ("казахстанець", "казахстанці"),
        ("Астана", "в Астане"),
        ("Астана", "Астаною"),
        ("Токаев", "с Токаевым"),
        ("Токаев", "Токаєвим"),
        ("Алматы", "Алматыда"),
        ("Kazakhstani", "Kazakhstanis"),
        ("организация", "организациями"),
        ("безопасность", "безопасности"),
    ],
)
def test_a_word_matches_its_inflections(rule, text):
    assert found(rule, text)


@pytest.mark.parametrize(
    ("rule", "text", "expected"),
    [
        ("Тоқаев", "Тоқаевқа", True),
        ("Тоқаев", "Тоқаевтың", True),
        ("Алматы", "Алматыға", True),
        ("Алматы", "Алматының", True),
        ("Ақтау", "Ақтаудағы", True),
        ("Қазақстан", "Қазақстанымыздың", True),
        ("ұйымы", "ұйымының", True),
        ("полимер", "полимерна", False),  # a Russian short adjective, not a Kazakh dative
        ("клен", "кленка", False),
    ],
)
def test_kazakh_endings_follow_the_last_sound(rule, text, expected):
    assert found(rule, text) is expected


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("Казахстан", "казахстанский"),  # derived words only when the rule says so
        ("Казахстан", "Казань"),
        ("Казах", "казаки"),
        ("Қазақ", "казаки"),  # a Kazakh letter in the rule must be in the text
        ("Астана", "Астрахань"),
        ("Токаев", "Токарев"),
        ("Токаев", "Тукаев"),
        ("Актау", "акта"),
        ("Тараз", "Тараса"),
        ("=ОДК", "ОДКБ"),
        ("ОДКБ", "ОДК"),
        ("CSTO", "costs"),
    ],
)
def test_words_sharing_a_prefix_do_not_match(rule, text):
    assert not found(rule, text)


def test_prefix_rule_matches_derived_words():
    assert found("казахстан*", "казахстанцы")
    assert found("казахстан*", "Казахстанский")
    assert not found("казахстан*", "Казань")


def test_exact_form_matches_only_that_form():
    assert found("=ОДК", "ОДК поставила двигатели")
    assert not found("=ОДК", "ОДКБ провела учения")
    assert not found("=Астана", "в Астане")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Токаев", True),
        ("Тоқаев", True),
        ("Токаєв", True),
        ("Tokayev", True),
        ("Tokaev", True),
        ("Tokarev", False),
    ],
)
def test_a_name_matches_its_transliterations(text, expected):
    assert found("Токаев", text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "Tokayev", "Tokaev", "Токаев", "Тоқаев", "Токаєв",
        "Nazarbayev", "Nazarbaev", "Назарбаев", "Назарбаєв",
        "Almaty", "Алматы", "Алмати", "Alma-Ata", "Алма-Ата",
        "Zhanaozen", "Жанаозен", "Жаңаөзен",
        "Aktau", "Актау", "Ақтау",
        "Nur-Sultan", "Нур-Султан",
        "Astana", "Астана",
    ],
)
def test_default_topic_knows_every_spelling_of_the_issue(defaults, text):
    assert defaults.match("", f"Новости: {text} сегодня").topics == ["kazakhstan"]


@pytest.mark.parametrize(
    "text",
    [
        "ОДКБ", "CSTO", "ODKB", "ҰҚШҰ",
        "Организация Договора о коллективной безопасности",
        "Організація Договору про колективну безпеку",
        "Ұжымдық қауіпсіздік туралы шарт ұйымы",
        "Collective Security Treaty Organization",
    ],
)
def test_default_csto_topic_knows_every_name(defaults, text):
    assert defaults.match("", f"Сегодня {text} заявила").topics == ["csto"]


@pytest.mark.parametrize(
    "text",
    [
        "Казань", "казначейство", "Астрахань", "Токарев", "ОДК",
        "NATO says collective security is its core", "ШОС", "Совет Безопасности ООН",
    ],
)
def test_default_topics_ignore_false_friends(defaults, text):
    assert defaults.match(text, text).topics == []


def test_phrase_matches_inflected_head_word():
    rule = '"Организация Договора о коллективной безопасности"'
    assert found(rule, "делегация Организации Договора о коллективной безопасности")
    assert found(rule, "с Организацией Договора о\u00a0коллективной безопасности")


def test_phrase_words_must_be_adjacent_in_one_sentence():
    rule = '"Договора о коллективной безопасности"'
    assert not found(rule, "Договора о новой коллективной безопасности")
    assert not found(rule, "Договора о. Коллективной безопасности")
    assert not found(rule, "безопасности коллективной о Договора")


def test_hyphenated_word_is_a_phrase():
    assert found("Алма-Ата", "в Алма-Ате")
    assert found("Алма-Ата", "в Алма Ате")
    assert not found("Алма-Ата", "Алма, Ата")


def test_field_restriction():
    assert topics_of(["title:Казахстан"], text="", title="Казахстан") == ["t"]
    assert topics_of(["title:Казахстан"], text="Казахстан", title="Новости") == []
    assert topics_of(["text:Казахстан"], text="Казахстан", title="Новости") == ["t"]
    assert topics_of(["text:Казахстан"], text="", title="Казахстан") == []


def test_and_or_not():
    rules = ["(Токаев OR Назарбаев) AND NOT Казань"]
    assert topics_of(rules, "Токаев прибыл") == ["t"]
    assert topics_of(rules, "Назарбаев прибыл") == ["t"]
    assert topics_of(rules, "Токаев прибыл в Казань") == []
    assert topics_of(["Токаев Казань"], "Токаев прибыл") == []
    assert topics_of(["Токаев Казань"], "Токаев прибыл в Казань") == ["t"]


def test_operators_in_any_case_and_quoted_operator_words():
    assert found("Токаев or Назарбаев", "Назарбаев прибыл")
    assert found('"or" AND Токаев', "Токаев or not")
    assert not found('"or" AND Токаев', "Токаев прибыл")
    assert topics_of(["заголовок:Токаев"], text="", title="Токаев") == ["t"]


def test_kazakh_letters_in_a_rule_are_required_russian_ones_are_not():
    assert found("Токаев", "Тоқаев")
    assert not found("Тоқаев", "Токаев")
    assert found("Қазақ", "қазақ тілі")


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("Қазақстан", "Qazaqstanda"),  # Kazakh Latin script, case ending
        ("Қарағанды", "Qaraǵandy"),  # diacritics of the 2018 alphabet
        ("Алматы", "Almatyda"),
    ],
)
def test_names_in_kazakh_latin_script(rule, text):
    assert found(rule, text)


def test_hits_point_at_the_original_text():
    title = "Kaзaхстaн и ОДКБ"
    text = "В Ка\u00adзах\u00adстане прошли учения Организации Договора о\u00a0коллективной безопасности."
    matcher = compile_topics({
        "kazakhstan": ["Казахстан"],
        "csto": ["ОДКБ", '"Организация Договора о коллективной безопасности"'],
    })
    result = matcher.match(title, text)
    assert result.topics == ["csto", "kazakhstan"]
    spans = {(h.topic, h.field, (title if h.field == "title" else text)[h.start:h.end]) for h in result.hits}
    assert spans == {
        ("kazakhstan", "title", "Kaзaхстaн"),
        ("kazakhstan", "text", "Ка\u00adзах\u00adстане"),
        ("csto", "title", "ОДКБ"),
        ("csto", "text", "Организации Договора о\u00a0коллективной безопасности"),
    }
    [hit] = result.hits_for("kazakhstan")[:1]
    assert hit.as_dict() == {"topic": "kazakhstan", "rule": "Казахстан", "term": "Казахстан", "field": "title",
                             "start": 0, "end": 9}


def test_hits_name_the_term_as_written():
    result = compile_topics({"t": ['ОДКБ OR "Алма-Ата" OR казахстан*']}).match("", "казахстанцы в Алма-Ате")
    assert {h.term for h in result.hits} == {'"Алма-Ата"', "казахстан*"}
    assert all(isinstance(h, Hit) and h.rule == 'ОДКБ OR "Алма-Ата" OR казахстан*' for h in result.hits)


def test_negated_terms_are_not_reported_as_hits():
    result = compile_topics({"t": ["Токаев AND NOT Казань", "Казань AND Токаев"]}).match("", "Токаев")
    assert [h.term for h in result.hits] == ["Токаев"]


def test_no_rules_and_empty_items():
    assert compile_topics({}).match("Казахстан", "").topics == []
    assert compile_topics({"t": ["Казахстан"]}).match("", "").topics == []


def test_many_rules_give_the_same_answers(defaults):
    topics = {t.id: t.rules for t in default_topics()}
    topics.update({f"noise{i}": [f"Слово{i}", f'"фраза {i} номер"', f"префикс{i}*"] for i in range(3000)})
    big = compile_topics(topics)
    for text in ("Визит Токаева в Астану", "ОДКБ и Казань", "Казань", "Слово17 и фраза 17 номер"):
        small_topics = defaults.match("", text).topics
        assert [t for t in big.match("", text).topics if not t.startswith("noise")] == small_topics
    assert big.match("", "Слово17 и префикс42ой").topics == ["noise17", "noise4", "noise42"]


def test_a_word_repeated_is_stored_at_its_first_places_with_a_count_of_the_others():
    from feeds.matching.results import PLACES_PER_TERM

    text = "ОДКБ " * 5000 + "Токаев"
    result = compile_topics({"t": ["ОДКБ OR Токаев"]}).match("ОДКБ", text)
    assert len(result.hits) == 5002  # the matcher reports every place
    stored = result.stored_hits("t")
    by_term = {term: [h for h in stored if h["term"] == term] for term in ("ОДКБ", "Токаев")}
    assert len(by_term["ОДКБ"]) == PLACES_PER_TERM and by_term["Токаев"][0]["start"] == len(text) - len("Токаев")
    assert [(h["field"], h["start"]) for h in by_term["ОДКБ"][:3]] == [("title", 0), ("text", 0), ("text", 5)]
    assert [h.get("more", 0) for h in by_term["ОДКБ"]] == [0] * (PLACES_PER_TERM - 1) + [5001 - PLACES_PER_TERM]
    assert "more" not in by_term["Токаев"][0]


def test_matcher_survives_pickling(defaults):
    copy = pickle.loads(pickle.dumps(defaults))
    assert copy.match("Токаев", "").topics == ["kazakhstan"]


def test_default_topics_are_kazakhstan_and_csto():
    specs = default_topics()
    assert [s.id for s in specs] == ["kazakhstan", "csto"]
    assert all(s.title and s.rules for s in specs)


def test_cli_writes_one_line_per_input_and_survives_bad_lines():
    lines = [
        json.dumps({"id": 1, "title": "Токаев в Астане", "text": "Саммит ОДКБ"}, ensure_ascii=False),
        "not json",
        "",
        json.dumps(["a list"]),
        json.dumps({"id": "x", "title": 5}),
        json.dumps({"id": "y", "text": "Казань"}, ensure_ascii=False),
    ]
    out = io.StringIO()
    code = run_match(io.StringIO("\n".join(lines) + "\n"), out, {t.id: t.rules for t in default_topics()})
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert code == 0
    assert len(records) == 5
    first = records[0]
    assert first["id"] == 1 and first["topics"] == ["csto", "kazakhstan"]
    assert {(h["topic"], h["term"], h["field"], h["start"], h["end"]) for h in first["hits"]} >= {
        ("kazakhstan", "Токаев", "title", 0, 6),
        ("csto", "ОДКБ", "text", 7, 11),
    }
    assert set(first["hits"][0]) == {"topic", "term", "field", "start", "end"}
    assert [r["id"] for r in records[1:4]] == [None, None, None]
    assert all(r["error"] for r in records[1:4])
    assert records[4] == {"id": "y", "topics": [], "hits": []}


def test_cli_refuses_a_bad_rule(capsys):
    out = io.StringIO()
    assert run_match(io.StringIO('{"id": 1, "title": "x"}\n'), out, {"t": ["(Казахстан"]}) == 2
    assert out.getvalue() == ""
    assert "position 0" in capsys.readouterr().err


def test_topics_file_in_both_shapes(tmp_path):
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"kz": ["Казахстан"]}, ensure_ascii=False), encoding="utf-8")
    listing = tmp_path / "list.json"
    listing.write_text(json.dumps([{"id": "kz", "title": "KZ", "rules": ["Казахстан"]}]), encoding="utf-8")
    assert load_topics_file(mapping) == load_topics_file(listing) == {"kz": ["Казахстан"]}
    for content in ({"kz": "Казахстан"}, [{"id": "kz"}], ["kz"], "kz"):
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(content), encoding="utf-8")
        with pytest.raises(ValueError):
            load_topics_file(bad)
    assert load_topics_file(Path(__file__).resolve().parents[1] / "feeds" / "data" / "topics.json").keys() == {
        "kazakhstan", "csto"}
