"""One normalization and stemming step for the search index and for search queries alike.

Pure Python, no database: the SQLite and PostgreSQL indexes both receive the stems made here,
so the same query finds the same items on both. Stored indexes hold these stems: a change to
the stemming needs a migration that calls storage.search.index.rebuild_index.
"""
from __future__ import annotations

import re
import unicodedata

import snowballstemmer

from storage.search.spellings import KAZAKH_LETTERS

MAX_TITLE_TOKENS = 200
MAX_BODY_TOKENS = 15_000  # PostgreSQL positions stop at 16383; past them phrases would differ
MAX_TOKEN_CHARS = 64
STEM_CACHE_SIZE = 1 << 19
_STEMS: dict[str, str] = {}

# Characters that may sit inside a word without splitting it: soft hyphen, zero-width
# characters, apostrophes (Ukrainian "об'єднання", English "Kazakhstan's") and combining marks
# such as the stress accent of Russian dictionaries.
_MARK_RANGES = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_INNER = "\u00ad\u200b\u200c\u200d\u2060\ufeff'’ʼ`" + _MARK_RANGES
WORD = re.compile(rf"[^\W_][\w{_INNER}]*")  # an inner "_" is dropped like a soft hyphen
_MARKS = re.compile(f"[{_MARK_RANGES}]")
_DROP_INSIDE = str.maketrans("ё", "е", "_\u00ad\u200b\u200c\u200d\u2060\ufeff'’ʼ`")

_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[a-z\u00c0-\u024f]")
_UKRAINIAN_LETTERS = frozenset("іїєґ")
# Latin letters that look like Cyrillic ones (after casefolding), and back.
_TO_CYRILLIC = str.maketrans("aceopxykmthbi", "асеорхукмтнві")
_TO_LATIN = str.maketrans("асеорхукмтнві", "aceopxykmthbi")

_ENGLISH = snowballstemmer.stemmer("english")


def _endings(text: str) -> frozenset[str]:
    return frozenset(text.split())


_RUSSIAN_ENDINGS = _endings(
    "а я о е ы и у ю ь й ом ем ём ам ям ах ях ами ями ов ев ей ой ою ею ью ия ии ию ие ий ье ья ьи ьё "
    "ием ией иям иях иями ьям ьях ьями ый ая яя ое ые ого его ому ему ым им ую юю ых их ыми ими"
)
_UKRAINIAN_ENDINGS = _endings(
    "а я о е у ю і ї и й ь є ою ею єю ам ям ах ях ами ями ів їв ей ом ем ій ий ої ого ому им их ими "
    "ові еві єві ов ев єв ія ії ію ією ая яя ее ую юю"
)
# Surnames and plurals: Токаев, Токаева, Токаеву all keep "тока"; протестов and протест keep "протест".
_NAME_SUFFIXES = ("ов", "ев", "єв")
_KAZAKH_CASES = _endings(
    "ның нің дың дің тың тің ға ге қа ке на не а е ны ні ды ді ты ті н да де та те нда нде "
    "дан ден тан тен нан нен мен бен пен дағы дегі тағы тегі ндағы ндегі"
)
_KAZAKH_POSSESSIVES = _endings("ым ім м ың ің ң ымыз іміз мыз міз ыңыз іңіз ңыз ңіз сы сі ы і")
_KAZAKH_PLURALS = _endings("лар лер дар дер тар тер")
# Kazakh stacks suffixes (Қазақстан-да, Қазақстан-ның); after stripping the usual ones a word is
# cut to a fixed prefix, which keeps forms together where a suffix table alone would not
# ("Қазақстан" itself ends like the ablative "-тан").
KAZAKH_PREFIX = 6
MIN_STEM = 3


def normalize(text: str) -> str:
    """NFKC and casefolded: compatibility forms, full-width letters and case no longer matter."""
    return unicodedata.normalize("NFKC", text).casefold()


def stems(text: str, limit: int | None = None) -> list[str]:
    """The stems of a text in order, at most `limit` of them."""
    cache = _STEMS
    found = []
    for word in WORD.findall(normalize(text)):
        stem = cache.get(word)
        if stem is None:
            stem = stem_word(word)
        if stem:
            found.append(stem)
    return found if limit is None else found[:limit]


def index_text(text: str, limit: int = MAX_BODY_TOKENS) -> str:
    """The stems of a text separated by spaces, as the search indexes store them."""
    return " ".join(stems(text, limit))


def stem_word(word: str) -> str:
    """The stem of one normalized word, remembered for the next time it comes."""
    stem = _STEMS.get(word)
    if stem is None:
        if len(_STEMS) >= STEM_CACHE_SIZE:
            _STEMS.clear()
        stem = _STEMS[word] = _stem(word)
    return stem


def _stem(word: str) -> str:
    """Invisible characters dropped, script unified, suffixes stripped, diacritics folded."""
    word = _spelled(word)
    if not word:
        return ""
    if _CYRILLIC.search(word):
        stem = _stem_cyrillic(word)
    elif _LATIN.search(word):
        stem = _ENGLISH.stemWord(_fold_diacritics(word))
    else:
        stem = word
    return _fold_diacritics(stem)


def base_form(word: str) -> str:
    """A normalized word without its case ending, name suffix kept (Токаева -> токаев, Тоқаевтың ->
    тоқаев): the form to spell in other scripts. Latin words stay whole."""
    word = _spelled(word)
    if not _CYRILLIC.search(word):
        return word
    letters = set(word)
    if letters & KAZAKH_LETTERS:
        return _strip_kazakh(word)
    if letters & _UKRAINIAN_LETTERS:
        return _strip_one(word, _UKRAINIAN_ENDINGS, MIN_STEM)
    return _strip_one(_strip_reflexive(word), _RUSSIAN_ENDINGS, MIN_STEM)


def prefix_stem(word: str) -> str:
    """What a normalized word typed as a prefix (казахстана*) looks for among the index's stems.

    The prefix as spelled, less a last letter its own stem drops (казахстана* -> казахстан*,
    happy* -> happ*); a Kazakh one no longer than the Kazakh stems (their first letters).
    """
    spelled = _fold_diacritics(_spelled(word))
    if not KAZAKH_LETTERS.isdisjoint(spelled):
        return spelled[:KAZAKH_PREFIX]
    stem = stem_word(word)
    if not stem.startswith(spelled) and stem.startswith(spelled[:-1]):
        return spelled[:-1]
    return spelled


def _spelled(word: str) -> str:
    """The word as the stemmer reads it: possessive, invisible characters and marks dropped, one script."""
    if word.endswith(("'s", "’s", "ʼs")):  # English possessive: Kazakhstan's, CSTO's
        word = word[:-2]
    word = _strip_marks(word.translate(_DROP_INSIDE))
    if not word or len(word) > MAX_TOKEN_CHARS:
        return ""
    return _unify_script(word)


def _strip_marks(word: str) -> str:
    return word if word.isascii() else _MARKS.sub("", word)


def _fold_diacritics(word: str) -> str:
    """й -> и, ї -> і, é -> e: SQLite's unicode61 folds Latin ones itself, so fold every one here."""
    if word.isascii():
        return word
    return unicodedata.normalize("NFC", _MARKS.sub("", unicodedata.normalize("NFD", word)))


def _unify_script(word: str) -> str:
    """Spell a word mixing Cyrillic and Latin look-alikes ("Kaзахстан") in its main script."""
    if word.isascii():
        return word
    cyrillic = len(_CYRILLIC.findall(word))
    latin = len(_LATIN.findall(word))
    if not cyrillic or not latin:
        return word
    if cyrillic >= latin:
        folded = word.translate(_TO_CYRILLIC)
        return folded if not _LATIN.search(folded) else word
    folded = word.translate(_TO_LATIN)
    return folded if not _CYRILLIC.search(folded) else word


def _stem_cyrillic(word: str) -> str:
    letters = set(word)
    if letters & KAZAKH_LETTERS:
        return _stem_kazakh(word)
    if letters & _UKRAINIAN_LETTERS:
        return _strip_name_suffix(_strip_one(word, _UKRAINIAN_ENDINGS, MIN_STEM))
    return _strip_name_suffix(_strip_one(_strip_reflexive(word), _RUSSIAN_ENDINGS, MIN_STEM))


def _strip_one(word: str, endings: frozenset[str], keep: int) -> str:
    """Strip the longest of these endings that leaves at least `keep` letters."""
    for size in range(min(5, len(word) - keep), 0, -1):
        if word[-size:] in endings:
            return word[:-size]
    return word


def _strip_reflexive(word: str) -> str:
    if len(word) > 5 and word.endswith(("ся", "сь")):
        return word[:-2]
    return word


def _strip_name_suffix(stem: str) -> str:
    if stem.endswith(_NAME_SUFFIXES) and len(stem) - 2 >= MIN_STEM:
        return stem[:-2]
    return stem


def _stem_kazakh(word: str) -> str:
    return _strip_kazakh(word)[:KAZAKH_PREFIX]


def _strip_kazakh(word: str) -> str:
    for table in (_KAZAKH_CASES, _KAZAKH_POSSESSIVES, _KAZAKH_PLURALS):
        word = _strip_one(word, table, 2)
    return word
