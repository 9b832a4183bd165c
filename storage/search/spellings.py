"""How one word is spelled in the other scripts Dozor reads: Latin, Russian and Kazakh letters.

Plain data and pure functions that import nothing, so the topic matcher (feeds.matching) and the
search (storage.search) share them: a name in one script is found in the others by both.
"""
from __future__ import annotations

from itertools import islice, product

MAX_VARIANTS = 16

# Kazakh letters and the Russian letter each is folded to. The matcher folds texts this way (a Russian
# letter in a rule matches its Kazakh counterpart: Токаев finds Тоқаев); the search index keeps the
# Kazakh letters, so the search spells a word both ways instead.
KAZAKH_TO_RUSSIAN = {"қ": "к", "ғ": "г", "ң": "н", "ө": "о", "ү": "у", "ұ": "у", "һ": "х", "ә": "а"}
KAZAKH_LETTERS = frozenset(KAZAKH_TO_RUSSIAN)
MAX_KAZAKH_SPELLINGS = 24
_KAZAKH_VOWELS = frozenset("әөүұ")


def _kazakh_for_russian() -> dict[str, tuple[str, ...]]:
    """Russian letter -> the Kazakh letters it may stand for. Russian also writes қ as х in the
    country's own name (Қазақстан is Казахстан)."""
    found: dict[str, tuple[str, ...]] = {"х": ("қ",)}
    for kazakh, russian in KAZAKH_TO_RUSSIAN.items():
        found[russian] = found.get(russian, ()) + (kazakh,)
    return found


_KAZAKH_FOR_RUSSIAN = _kazakh_for_russian()

# Options per letter, the most common spelling first. Kazakh қ is only q: as k, Қазақ would be
# "kazak", a rug and an old word for Cossack; rules spell the Russian form with к anyway.
_CYRILLIC_TO_LATIN = {
    "а": ("a",), "б": ("b",), "в": ("v",), "г": ("g", "h"), "д": ("d",), "е": ("e",), "ё": ("yo", "e"),
    "ж": ("zh", "j"), "з": ("z",), "и": ("i", "y"), "й": ("y", "i", "j"), "к": ("k",), "л": ("l",),
    "м": ("m",), "н": ("n",), "о": ("o",), "п": ("p",), "р": ("r",), "с": ("s",), "т": ("t",),
    "у": ("u",), "ф": ("f",), "х": ("kh", "h", "x"), "ц": ("ts", "c"), "ч": ("ch",), "ш": ("sh",),
    "щ": ("shch", "sch"), "ъ": ("",), "ы": ("y", "i"), "ь": ("",), "э": ("e",), "ю": ("yu", "iu", "u"),
    "я": ("ya", "ia", "a"), "і": ("i",), "ї": ("yi", "i"), "є": ("ye", "ie", "e"), "ґ": ("g",),
    "қ": ("q",), "ғ": ("gh", "g"), "ң": ("ng", "n"), "ө": ("o",), "ү": ("u",), "ұ": ("u",),
    "һ": ("h",), "ә": ("a",),
}
_IOTATED_E = ("ye", "e")  # е at the start of a word or after a vowel: Yerlan, Tokayev
_VOWELS = set("аеёиоуыэюяіїєөүұә")

_LATIN_DIGRAPHS = {
    "shch": "щ", "zh": "ж", "kh": "х", "ch": "ч", "sh": "ш", "ts": "ц", "ya": "я", "yu": "ю", "yo": "ё",
    "ye": "е", "gh": "г",
}
_LATIN_TO_CYRILLIC = {
    "a": "а", "b": "б", "c": "к", "d": "д", "e": "е", "f": "ф", "g": "г", "h": "х", "i": "и", "j": "ж",
    "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "к", "r": "р", "s": "с", "t": "т",
    "u": "у", "v": "в", "w": "в", "x": "кс", "z": "з",
}


def is_abbreviation(raw: str) -> bool:
    """ОДКБ, CSTO: two or more letters, all capitals."""
    return len(raw) >= 2 and raw.isupper()


def transliterations(raw: str, lowered: str) -> list[str]:
    """Other-script spellings of a name (a word written with a capital letter), of its lower-case form.

    A Cyrillic name gets its Latin spellings, a Latin one its Russian spelling (not a Latin
    abbreviation: CSTO is no Russian word). `lowered` may be an inflection-free form of `raw`.
    """
    if not raw[:1].isupper() or not lowered.isalpha():
        return []
    if lowered.isascii():
        return [] if is_abbreviation(raw) else [cyrillic_variant(lowered)]
    return latin_variants(lowered)


def latin_variants(word: str) -> list[str]:
    """Latin spellings of a lower-case Cyrillic word (Токаев -> tokaev, tokayev)."""
    options = []
    for i, char in enumerate(word):
        if char == "е" and (i == 0 or word[i - 1] in _VOWELS):
            options.append(_IOTATED_E)
        else:
            options.append(_CYRILLIC_TO_LATIN.get(char, (char,)))
    spellings = ("".join(parts) for parts in product(*options))
    return list(dict.fromkeys(islice(spellings, MAX_VARIANTS)))


def cyrillic_variant(word: str) -> str:
    """A Russian spelling of a lower-case Latin name (Tokayev -> токаев, Almaty -> алматы)."""
    out: list[str] = []
    i = 0
    while i < len(word):
        digraph = next((d for d in _LATIN_DIGRAPHS if word.startswith(d, i)), None)
        if digraph == "ye" and out and out[-1] not in _VOWELS and i > 0:
            digraph = None  # 'ye' after a consonant: the y belongs to the consonant (Yerlan vs Tokayev)
        if digraph:
            out.append(_LATIN_DIGRAPHS[digraph])
            i += len(digraph)
            continue
        char = word[i]
        if char == "y":
            out.append("й" if out and out[-1] in _VOWELS else "ы")
        else:
            out.append(_LATIN_TO_CYRILLIC.get(char, char))
        i += 1
    return "".join(out)


def kazakh_spellings(word: str, leading: int) -> list[str]:
    """Kazakh spellings of a lower-case Russian-spelled word, changing only its first `leading` letters.

    Токаев -> тоқаев, Казахстан -> қазақстан: each has at least one Kazakh letter; those changing
    only consonants (қ, ғ, ң, һ) come first, then those changing fewer vowels (ә, ө, ү, ұ), at most
    MAX_KAZAKH_SPELLINGS. Kazakh words never start with ң.
    """
    if not KAZAKH_LETTERS.isdisjoint(word):
        return []
    places = [i for i, char in enumerate(word[:leading]) if char in _KAZAKH_FOR_RUSSIAN and (i or char != "н")]
    options = [(word[i],) + _KAZAKH_FOR_RUSSIAN[word[i]] for i in places]
    spelled = []
    for letters in product(*options):
        changed = [(i, letter) for i, letter in zip(places, letters) if letter != word[i]]
        if changed:
            vowels = sum(1 for _, letter in changed if letter in _KAZAKH_VOWELS)
            spelled.append(((vowels, len(changed)), changed))
    found = []
    for _, changed in sorted(spelled, key=lambda pair: pair[0]):
        letters = list(word)
        for i, letter in changed:
            letters[i] = letter
        found.append("".join(letters))
    return found[:MAX_KAZAKH_SPELLINGS]
