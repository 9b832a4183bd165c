"""Kazakh endings: plural, possessive and case, chosen by the sound a word ends in.

Kazakh glues endings on: Қазақстан-да, Алматы-ға, Тоқаев-тың, ұйым-ы-ның. Each ending has
variants for vowel harmony and for the last sound of the word; both harmony variants are kept
(rules are written in Russian spelling too), the consonant variants are chosen, which keeps a
Russian word from matching a Kazakh ending that could never follow it (полимер-на).
"""
from __future__ import annotations

from collections.abc import Callable

_CASES = {
    "vowel": "ның нің ға ге ны ні н да де дан ден мен ша ше дағы дегі",
    "nasal": "ның нің ға ге ды ді да де нан нен дан ден мен бен ша ше дағы дегі",
    "sonorant": "ның нің дың дің ға ге ды ді да де дан ден мен бен ша ше дағы дегі",
    "voiceless": "тың тің қа ке ты ті та те тан тен пен ша ше тағы тегі",
}
# After a third-person possessive (ұйым-ы, Республика-сы) cases take an n: ұйымы-ның, -на, -нда.
_AFTER_THIRD_PERSON = "ның нің на не н нда нде нан нен мен ндағы ндегі"
_PLURAL = {"vowel": "лар лер", "nasal": "дар дер", "sonorant": "лар лер дар дер", "voiceless": "тар тер"}
_POSSESSIVE = {"vowel": "сы сі м мыз міз", "consonant": "ы і ым ім ымыз іміз"}
_CLASS_OF_LAST = {
    **dict.fromkeys("аеиоыэюяі", ("vowel",)),
    "у": ("vowel", "sonorant"),  # Kazakh у is a vowel or a glide: Ұлытау-да, Атырау-ды
    **dict.fromkeys("мн", ("nasal",)),
    **dict.fromkeys("лрйзж", ("sonorant",)),
    **dict.fromkeys("гвбд", ("sonorant", "voiceless")),  # devoiced at the end of loanwords: Тоқаев-қа
    **dict.fromkeys("кпстшфхцчщ", ("voiceless",)),
}


def _after_possessive(possessive: str) -> list[str]:
    if possessive.endswith(("ы", "і")):
        return _AFTER_THIRD_PERSON.split()
    return _CASES["nasal" if possessive.endswith("м") else "sonorant"].split() + ["а", "е"]


def _endings(kind: str) -> set[str]:
    """Every chain [plural] [possessive] [case] after a word ending in this kind of sound."""
    endings = {""} | set(_CASES[kind].split())
    if kind == "vowel":
        endings |= set(_AFTER_THIRD_PERSON.split())  # the word may end in a possessive itself
    possessives = _POSSESSIVE["vowel" if kind == "vowel" else "consonant"].split()
    for possessive in possessives:
        endings |= {possessive + case for case in [""] + _after_possessive(possessive)}
    for plural in _PLURAL[kind].split():
        endings |= {plural + case for case in [""] + _CASES["sonorant"].split()}
        for possessive in _POSSESSIVE["consonant"].split():
            endings |= {plural + possessive + case for case in [""] + _after_possessive(possessive)}
    return endings


def build_endings(fold: Callable[[str], str]) -> dict[str, frozenset[str]]:
    """Folded last letter -> the Kazakh endings that may follow a word ending in it."""
    by_kind = {kind: _endings(kind) for kind in _CASES}
    return {
        fold(letter): frozenset(fold(e) for kind in kinds for e in by_kind[kind])
        for letter, kinds in _CLASS_OF_LAST.items()
    }
