"""Transliteration variants of names between Cyrillic (ru, uk, kk) and Latin spellings."""
from __future__ import annotations

from itertools import islice, product

MAX_VARIANTS = 16

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
