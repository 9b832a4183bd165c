"""What grouping compares of an item: its names, places, numbers and dates, its title words and title.

Names are the capitalized words and abbreviations of the title and the first lines of the text,
folded with the matcher's normalization and written in Latin with its transliteration, then cut
to a consonant skeleton: Токаева, Тоқаевтың, Токаєв and Tokayev's all become "tkv", Алматы,
Алматыда and Almaty "almt". Numbers and dates count as names: "164 погибших" and "164 killed",
"19 января" and "January 19" read the same in every language.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

from feeds.matching.normalize import normalize
from storage.search.spellings import latin_variants
from feeds.stories.concepts import concepts, listed_name_rules

LEAD_CHARS = 400  # names are taken from the title and this much of the text
SKELETON = 5
MIN_SKELETON = 3
MAX_NAMES = 40
MAX_WORDS = 16

_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)?|\d+(?:[.,:]\d+)*")
_SENTENCE_MARKS = frozenset(".!?…;\n«»\"“”—-")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
# Case endings cut from a Cyrillic name before it is transliterated (longest first): Токаеву -> Токаев.
_SLAVIC_CASES = sorted(
    "а я у ю е і и ы ом ем ём ым им ой ей ою ею ові еві ого ому ую ая ий ый".split(), key=len, reverse=True
)
_KAZAKH_CASES = sorted(
    "ның нің дың дің тың тің ға ге қа ке на не ны ні ды ді ты ті да де та те нда нде дан ден тан тен "
    "нан нен мен бен пен дағы дегі тағы тегі ндағы ндегі".split(),
    key=len, reverse=True,
)
_KAZAKH_LETTERS = frozenset("әғқңөұүһ")
# Latin spellings that differ between transliteration schemes, folded to one (Zhomart, Jomart).
_LATIN_FOLDS = (("shch", "s"), ("sch", "s"), ("zh", "j"), ("kh", "k"), ("ch", "c"), ("sh", "s"), ("ts", "c"),
                ("q", "k"), ("x", "ks"), ("w", "v"), ("ph", "f"))
_VOWELS = frozenset("aeiouy")
# Month stems after normalize() (Kazakh letters folded), for dates that read the same in every language.
_MONTHS = {
    stem: number
    for number, stems in enumerate(
        [
            "январ січ кантар jan", "феврал лют акпан feb", "март берез наурыз mar", "апрел квіт сауір apr",
            "мая май мае трав мамыр may", "июн черв маусым jun", "июл лип шілде jul", "август серп тамыз aug",
            "сентябр верес кыркуйек sep", "октябр жовт казан oct", "ноябр листопад караша nov",
            "декабр груд желтоксан dec",
        ],
        1,
    )
    for stem in stems.split()
}
_MONTH_STEMS = sorted(_MONTHS, key=len, reverse=True)
# Function words that open sentences and English title-case headlines; never names.
STOPWORDS = frozenset(
    """a an the and or of in on at to for from by with as is are was were be has have had it its this that
    after over under into about amid says said new not no but will would could can may up out off than
    в во на по с со к ко из от до за для о об при и а но не что как это его ее их после перед под над
    у та і й з зі від про через це що як його її та також
    және мен бен да де үшін бұл""".split()
)


@dataclass(frozen=True, slots=True)
class Features:
    """One item as grouping sees it."""

    names: frozenset[str]  # skeletons of names and places, numbers (#164) and dates (@19.01)
    words: frozenset[str]  # skeletons of the title's other words (they match within a language)
    title: str  # the title folded and in Latin letters, for rapidfuzz
    concepts: frozenset[str] = frozenset()  # what happened, in words of any language (feeds.stories.concepts)

    def name_keys(self) -> dict[str, int]:
        """Each name's key in the story index."""
        return {name: key_hash("n:" + name) for name in self.names}

    def keys(self) -> list[int]:
        """The item's keys in the story index: one hash per name and per word."""
        found = set(self.name_keys().values())
        found.update(key_hash("w:" + w) for w in self.words)
        return sorted(found)


def key_hash(text: str) -> int:
    """A stable 31-bit hash of a key (the same in every process, on every run, and fits any INTEGER)."""
    return zlib.crc32(text.encode("utf-8")) & 0x7FFFFFFF


def item_features(title: str, text: str, lang: str | None = None) -> Features:
    """The features of one item."""
    title = title or ""
    lead = (text or "")[:LEAD_CHARS]
    kazakh = lang == "kk"
    names: set[str] = set()
    # Capitalized words opening a sentence are names only if written so elsewhere too (the title's first
    # word opening the text as well, or the same word in mid-sentence): "Реформа" in a headline is no name.
    title_openers: set[str] = set()
    lead_openers: set[str] = set()
    words: set[str] = set()
    _read(title, kazakh, names, title_openers, words)
    _read(lead, kazakh, names, lead_openers, None)
    names |= (title_openers & (names | lead_openers)) | (lead_openers & (names | title_openers))
    latin_title = " ".join(_latin(w) for w in _TOKEN.findall(normalize(title).key))
    events, listed_names = concepts(title, lead)
    for listed in listed_names:
        names -= _spellings().get(listed, frozenset())  # ОДКБ and CSTO are one name, not two
    return Features(
        frozenset(sorted(names)[:MAX_NAMES]) | listed_names,
        frozenset(sorted(words - names)[:MAX_WORDS]),
        latin_title,
        events,
    )


@lru_cache(maxsize=1)
def _spellings() -> dict[str, frozenset[str]]:
    """The skeletons of the capitalized words each listed name is written with, which the listed name replaces."""
    return {
        name: frozenset(s for word in _TOKEN.findall(rule) if word[0].isupper() and (s := _name_skeleton(word, False)))
        for name, rule in listed_name_rules().items()
    }


def _read(fragment: str, kazakh: bool, names: set[str], openers: set[str], words: set[str] | None) -> None:
    """Add a fragment's names (with numbers and dates), sentence openers and, if asked, other words, as skeletons."""
    tokens = list(_TOKEN.finditer(fragment))
    for index, match in enumerate(tokens):
        word = match.group()
        first = word[0]
        if first.isdecimal():
            names.update(_number(word, tokens, index))
        elif first.isupper():
            skeleton = _name_skeleton(word, kazakh)
            if not skeleton:
                continue
            if word.isupper() or not _opens_sentence(fragment, match.start()):
                names.add(skeleton)
            else:
                openers.add(skeleton)
                if words is not None and (other := _word_skeleton(word)):
                    words.add(other)
        elif words is not None and len(word) >= 5:
            skeleton = _word_skeleton(word)
            if skeleton:
                words.add(skeleton)


@lru_cache(maxsize=1 << 16)
def _name_skeleton(word: str, kazakh: bool) -> str:
    """The skeleton of a capitalized word ("" for a function word or a short one)."""
    lowered = word.casefold()
    if lowered in STOPWORDS or len(lowered) < 3:
        return ""
    folded = normalize(re.split(r"['’ʼ]", lowered)[0]).key
    kazakh = kazakh or not _KAZAKH_LETTERS.isdisjoint(lowered)
    return _skeleton(_latin(_cut_case(folded, kazakh)))


@lru_cache(maxsize=1 << 16)
def _word_skeleton(word: str) -> str:
    """The skeleton of a word of five letters or more ("" for short and function words)."""
    lowered = word.casefold()
    if len(lowered) < 5 or lowered in STOPWORDS:
        return ""
    return _skeleton(_latin(normalize(lowered).key))


def _number(word: str, tokens: list[re.Match], index: int) -> set[str]:
    """A number of two digits or more (#164), or a day of a month (@19.01)."""
    digits = re.sub(r"\D", "", word)
    found = {"#" + digits} if len(digits) >= 2 else set()
    if word.isdecimal() and 1 <= int(word) <= 31:
        for neighbour in (index - 1, index + 1):
            if 0 <= neighbour < len(tokens):
                month = _month(tokens[neighbour].group())
                if month:
                    found.add(f"@{int(word)}.{month:02d}")
    return found


@lru_cache(maxsize=4096)
def _month(word: str) -> int | None:
    folded = normalize(word).key
    return next((_MONTHS[s] for s in _MONTH_STEMS if folded.startswith(s)), None)


def _opens_sentence(fragment: str, start: int) -> bool:
    before = fragment[max(0, start - 4):start].rstrip(" \t(")
    return not before or before[-1] in _SENTENCE_MARKS


def _cut_case(word: str, kazakh: bool) -> str:
    """A Cyrillic name without its case ending (Kazakh endings for Kazakh words)."""
    if not _CYRILLIC.search(word):
        return word
    for ending in _KAZAKH_CASES if kazakh else _SLAVIC_CASES:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=1 << 16)
def _latin(word: str) -> str:
    """A folded word in Latin letters (the first of the matcher's transliterations)."""
    if not _CYRILLIC.search(word):
        return word
    variants = latin_variants(word)
    return variants[0] if variants else word


def _skeleton(latin: str) -> str:
    """The first letter and the consonants after it, spelling variants folded, cut to SKELETON letters."""
    word = latin
    for spelled, folded in _LATIN_FOLDS:
        word = word.replace(spelled, folded)
    if not word.isalpha():
        return ""
    consonants = [c for c in word[1:] if c not in _VOWELS]
    deduped = [c for i, c in enumerate(consonants) if i == 0 or consonants[i - 1] != c]
    skeleton = (word[0] + "".join(deduped))[:SKELETON]
    return skeleton if len(skeleton) >= MIN_SKELETON else ""
