"""Word forms: a rule word becomes stems, each with the endings its inflections may add (ru, uk, kk, en)."""
from __future__ import annotations

from dataclasses import dataclass

from feeds.matching.kazakh import build_endings
from feeds.matching.normalize import LETTER_FOLDS
from storage.search.spellings import KAZAKH_LETTERS


def fold(text: str) -> str:
    """Apply the letter folds of normalize() to an already lower-case fragment."""
    return "".join(LETTER_FOLDS.get(c, c) for c in text)


def _tails(spaced: str) -> frozenset[str]:
    """A set of endings written as one space-separated string ('-' is the empty ending)."""
    return frozenset("" if t == "-" else fold(t) for t in spaced.split())


# Endings after the stem. Russian and Ukrainian forms share one table per paradigm; a spurious
# combination costs nothing because it only ever matches a word that shares the stem.
NOUN_HARD = _tails("- а у ом е ы и ов ам ами ах ові і ів я ю еві")  # я ю еві: Ukrainian лікар-я
NOUN_HISSING = _tails("ем ей ев еві")  # extra after ж ш ч щ ц
SURNAME = _tails("ым ой ых ыми им их ими ою ої")  # extra for -ов/-ев/-ин/-ын
NOUN_A = _tails("а ы и і е у ой ою о ам ами ах ої ій -")
NOUN_YA = _tails("я и і е ю ей ею ям ями ях ь й ї є")
NOUN_SOFT = _tails("ь я ю ем е и і ей ью ям ями ях ів ею еві")
NOUN_Y = _tails("й я ю ем е и і ев ям ями ях ї єм єві")
PLURAL = _tails("ы и і ов ев ей ів ам ям ами ями ах ях -")  # a word given in the plural: силы, сили
PLURAL_ANE = _tails("е - ам ами ах")
NEUTER = _tails("о е а я у ю ом ем и і ам ами ах ям ями ях ові й")
ADJECTIVE = _tails(
    "ый ий ій ой ого его ому ему ым им ім ом ем ая яя а я ую юю у ю ое ее е є ые ие і ых их ыми ими ою ею ої ьої"
    " о"  # first part of a compound: казахстанско-китайский
)
DEMONYM_EC = _tails("ец ца цу цем цом це цы цев цам цами цах ець ця цю ці ців цям цями цях цеві цева")
ENGLISH = frozenset({"", "s", "es"})
ENGLISH_Y = frozenset({"y", "ies"})
UNCHANGED = frozenset({""})

_ADJECTIVE_ENDINGS = ("ый", "ий", "ій", "ой", "ая", "яя", "ое", "ее", "ые", "ие")
_VOWELS = set("аеиоуыэюяі")
_HISSING = set("жшчщц")
_NEUTER_E_AFTER = set("лрцжшщчия")  # поле, море, сердце, здание; not Актобе


def _chains(plural: str, cases: str, possessives: dict[str, str]) -> frozenset[str]:
    """Plural, then a case ending or a possessive with the case endings that may follow it."""
    endings = {""} | set(cases.split())
    for possessive, its_cases in possessives.items():
        endings.update(p + c for p in possessive.split() for c in [""] + its_cases.split())
    return frozenset(fold(p + e) for p in [""] + plural.split() for e in endings)


KAZAKH_ENDINGS = build_endings(fold)  # by the word's last letter
NO_ENDINGS: frozenset[str] = frozenset()


def _latin_kazakh_suffixes() -> frozenset[str]:
    """The same endings in Kazakh Latin script, diacritics dropped as normalize() drops them."""
    return _chains(
        "lar ler dar der tar ter",
        "nyn nin dyn din tyn tin ga ge qa ke ny ni dy di ty ti da de ta te dan den tan ten nan nen "
        "men ben pen dagy degi tagy tegi na ne n nda nde",
        {"y i sy si": "nyn nin na ne n nda nde nan nen men"},
    )


LATIN_KAZAKH_SUFFIXES = _latin_kazakh_suffixes()
KAZAKH_STRICT = KAZAKH_LETTERS


@dataclass(frozen=True, slots=True)
class Stem:
    """A stem to find at the start of a word and the endings that may follow it."""

    stem: str
    tails: frozenset[str] | None  # None: any ending (a prefix rule)
    kazakh_base: str | None = None  # the word itself = stem + kazakh_base, after which Kazakh chains may follow
    kazakh_suffixes: frozenset[str] = NO_ENDINGS

    def accepts(self, tail: str) -> bool:
        """Whether a word made of the stem and `tail` is one of this stem's forms."""
        if self.tails is None or tail in self.tails:
            return True
        base = self.kazakh_base
        return base is not None and tail.startswith(base) and tail[len(base):] in self.kazakh_suffixes


def inflections(word: str, abbreviation: bool = False, name: bool = False) -> list[Stem]:
    """Stems with endings for one folded, lower-case word, every plausible paradigm at once.

    `name`: written with a capital letter. A Latin name also takes Kazakh Latin endings; a
    Cyrillic name in -ы/-и is not read as a plural (Алматы, not a plural of "алмат").
    """
    if not word.isalpha():
        return [Stem(word, UNCHANGED)]
    if word.isascii():
        if abbreviation:
            return [Stem(word, UNCHANGED)]
        stem = _english(word)
        if name:
            return [stem, Stem(word, UNCHANGED, "", LATIN_KAZAKH_SUFFIXES)]
        return [stem]
    if abbreviation or len(word) < 3:
        return [Stem(word, UNCHANGED)]
    stems: dict[str, set[str]] = {}

    def add(stem: str, tails: frozenset[str]) -> None:
        stems.setdefault(stem, set()).update(tails)

    last = word[-1]
    if word.endswith(_ADJECTIVE_ENDINGS) and len(word) >= 5 and not _neuter_noun_in_ie(word):
        stem = word[:-2]
        add(stem, ADJECTIVE)
        if stem.endswith(("ск", "цк", "зк")):  # the Ukrainian spelling: казахстанский, казахстанський
            add(stem[:-1] + "ь" + stem[-1], ADJECTIVE)
        elif stem.endswith(("ськ", "цьк", "зьк")):
            add(stem[:-2] + stem[-1], ADJECTIVE)
    if word.endswith(("ец", "ець")) and len(word) >= 6:
        add(word[: -3 if word.endswith("ь") else -2], DEMONYM_EC)
    if last == "а":
        add(word[:-1], NOUN_A)
    elif last == "я":
        add(word[:-1], NOUN_YA)
    elif last == "ь":
        add(word[:-1], NOUN_SOFT)
    elif last == "й":
        add(word[:-1], NOUN_Y)
    elif last == "о" or (last == "е" and word[-2] in _NEUTER_E_AFTER):
        add(word[:-1], NEUTER)
    elif last in "ыиі" and len(word) >= 4 and not name:
        add(word[:-1], PLURAL)
    elif last not in _VOWELS:
        add(word, NOUN_HARD | (NOUN_HISSING if last in _HISSING else frozenset()))
        if word.endswith(("ов", "ев", "ин", "ын")) and len(word) >= 5:
            add(word, SURNAME)
        if word.endswith(("ок", "ек", "ёк")) and len(word) >= 5:  # fleeting vowel: кусок, куска
            add(word[:-2] + "к", NOUN_HARD - UNCHANGED)
        if word.endswith(("анин", "янин")):  # горожанин, горожане
            add(word[:-2], PLURAL_ANE)
    if word.endswith(("ие", "ье", "ия", "ья")) and len(word) >= 5:  # здание/зданье, статья/статей
        add(word[:-2] + "ь", NEUTER | NOUN_YA)
    add(word, UNCHANGED)
    kazakh = KAZAKH_ENDINGS.get(last, NO_ENDINGS)
    return [Stem(stem, _shared(frozenset(tails)), word[len(stem):], kazakh) for stem, tails in stems.items()]


def _neuter_noun_in_ie(word: str) -> bool:
    """сжатие, православие are nouns; русские, синие, последние are adjectives."""
    if not word.endswith("ие"):
        return False
    before = word[-3]
    return before not in "кгхжшчщн" or (before == "н" and word[-4] in "еа")


_TAIL_SETS: dict[frozenset[str], frozenset[str]] = {}


def _shared(tails: frozenset[str]) -> frozenset[str]:
    """One object per distinct set of endings: a few dozen serve any number of rules."""
    return _TAIL_SETS.setdefault(tails, tails)


def _english(word: str) -> Stem:
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return Stem(word[:-1], ENGLISH_Y)
    return Stem(word, ENGLISH)


def strict_letters(raw_word: str) -> tuple[tuple[int, str], ...]:
    """Kazakh letters of a rule word that the text must also have (қазақ is not казак)."""
    if KAZAKH_STRICT.isdisjoint(raw_word):
        return ()
    return tuple((i, c) for i, c in enumerate(raw_word) if c in KAZAKH_STRICT)
