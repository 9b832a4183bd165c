"""Normalization for matching: every spelling of a word gets one key, and spans still point at the original."""
from __future__ import annotations

import random

import pytest

from feeds.matching.normalize import WORD, normalize, normalize_words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("КАЗАХСТАН", ["казахстан"]),
        ("Казах\u00adстан", ["казахстан"]),  # soft hyphen
        ("Казах\u200bстан", ["казахстан"]),  # zero-width space
        ("Алма\u00a0Ата", ["алма", "ата"]),  # non-breaking space
        ("Ёлка", ["елка"]),
        ("Токаєв", ["токаев"]),
        ("Қазақстан", ["казакстан"]),
        ("Kaзaхстaн", ["казахстан"]),  # Latin a and K inside a Cyrillic word
        ("СSТО", ["csto"]),  # Cyrillic С, Т, О inside a Latin word
        ("OДKБ", ["одкб"]),
        ("C\u0405TO", ["csto"]),  # Macedonian Dze posing as S
        ("Казахстанскии\u0306", ["казахстанский"]),  # decomposed й
        ("ｏｄｋｂ", ["odkb"]),  # full-width letters
        ("Kazakhstan’s", ["kazakhstan", "s"]),
        ("Straße", ["strasse"]),
        ("«Нур-Султан»…", ["нур", "султан"]),
    ],
)
def test_spellings_fold_to_one_key(text, words):
    assert normalize_words(text) == words


def test_pure_words_of_each_script_are_left_alone():
    assert normalize_words("Рот pot hot") == ["рот", "pot", "hot"]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("В Ка\u00adзах\u00adстане", "Ка\u00adзах\u00adстане"),
        ("Ｋazakhstan now", "Ｋazakhstan"),
        ("ß then Kaзaхстaн.", "Kaзaхстaн"),
        ("x\u0301 Казахстанскии\u0306!", "Казахстанскии\u0306"),
    ],
)
def test_spans_map_back_to_the_original_text(text, word):
    norm = normalize(text)
    key_start = norm.key.index(normalize_words(word)[0])
    start, end = norm.span(key_start, key_start + len(normalize_words(word)[0]))
    assert text[start:end] == word


def test_every_word_of_messy_text_maps_back_to_a_span_that_folds_to_it():
    pieces = list("Казахстан Қазақстан ОДКБ Kazakhstan ,.-«»\u00ad\u200b\u00a0\u0301\u0306ﬁｏßİ\x00\n") + ["й", "ё", "ѕ", "😀"]
    rng = random.Random(7)
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        norm = normalize(text)
        for match in WORD.finditer(norm.key):
            start, end = norm.span(*match.span())
            assert 0 <= start < end <= len(text)
            assert normalize_words(text[start:end]) == [match.group()]
