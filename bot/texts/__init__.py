"""The bot's one text catalogue: every string a user reads, by key, in English, Russian and Ukrainian,
and in Kazakh where bot.texts.kazakh has it (Russian otherwise, which Kazakh users read, not English).

The strings live in one data module per audience (subscriber, volunteer, admin), plus `problems` (technical
causes in words: feed errors, pause reasons, refused addresses, rule errors) and `languages` (/lang,
/topictitle); `t` reads them all.
A number inserted as `{n:form|forms}` takes the plural form its language needs, by the CLDR rules
(Babel): forms in CLDR order (one, few, many for Russian and Ukrainian; one, other for English and Kazakh).
"""
from __future__ import annotations

from functools import lru_cache
from html import escape
from string import Formatter

from babel import Locale

from bot.markup import echo
from bot.texts import admin, kazakh, languages, problems, subscriber, volunteer
from storage.sources import PAUSED_BY, PAUSED_BY_CONFIG, PAUSED_FAILURES

LANGUAGES = ("en", "ru", "uk")  # every text is written in each
CHOOSABLE = (*LANGUAGES, "kk")  # what /lang offers and what Telegram's language codes map to
FALLBACK = {"kk": "ru"}  # where a language's missing text is taken from (else English)
_CLDR_ORDER = ("zero", "one", "two", "few", "many", "other")


def _merged(*catalogues: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for catalogue in catalogues:
        twice = merged.keys() & catalogue.keys()
        if twice:
            raise RuntimeError(f"text keys defined twice: {sorted(twice)}")
        merged.update(catalogue)
    return merged


TEXTS = _merged(subscriber.TEXTS, volunteer.TEXTS, admin.TEXTS, problems.TEXTS, languages.TEXTS)
SEPARATE = {"kk": kazakh.TEXTS}  # languages kept in a module of their own: key -> text
SEPARATE_COMMANDS = {"kk": kazakh.COMMANDS}  # and their command descriptions: command -> description


class Html(str):
    """Telegram HTML ready to send: `t` inserts it into another text as it is, where plain values are escaped.

    `lang` is the language `t` wrote it in (None for HTML made otherwise).
    """

    lang: str | None = None


def language_of(code: str | None) -> str:
    """The catalogue language for a Telegram language code."""
    base = (code or "").split("-")[0].lower()
    return base if base in CHOOSABLE else "en"


def written(key: str, lang: str) -> str:
    """The template of `key` in `lang`, else in its fallback language, else in English."""
    entry = TEXTS[key]
    return SEPARATE.get(lang, {}).get(key) or entry.get(lang) or entry.get(FALLBACK.get(lang, "en")) or entry["en"]


def t(key: str, lang: str, /, **values) -> Html:
    """The text `key` in `lang`, as Telegram HTML with the plain values escaped and counts in their plural form.

    One sentence, one language: if a text inserted into it had to fall back (a Kazakh reason not written
    yet, shown in Russian), the whole sentence is in the fallback language too.
    """
    language = lang if key in SEPARATE.get(lang, {}) or lang in TEXTS[key] else FALLBACK.get(lang, "en")
    fallback = FALLBACK.get(lang)
    if language != fallback and any(isinstance(v, Html) and v.lang == fallback for v in values.values()):
        language = fallback
    inserted = {name: _inserted(value) for name, value in values.items()}
    text = Html(_Counting(language).vformat(written(key, language), (), inserted))
    text.lang = language
    return text


def _inserted(value):
    """A value as it goes into a text: catalogue HTML and numbers as they are, anything else escaped."""
    return value if isinstance(value, Html) or isinstance(value, int) else escape(str(value), quote=False)


class _Counting(Formatter):
    """str.format, where `{n:form|forms}` is the word that agrees with the number n in the text's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value, format_spec: str) -> str:
        if "|" in format_spec:
            return plural(int(value), self.lang, format_spec.split("|"))
        return super().format_field(value, format_spec)


def plural(n: int, lang: str, forms: list[str]) -> str:
    """Of forms in CLDR order, the one `n` takes in `lang` (a category past the last form takes the last)."""
    categories = _categories(lang)
    index = categories.index(_rule(lang)(abs(n)))
    return forms[min(index, len(forms) - 1)]


@lru_cache(maxsize=None)
def _rule(lang: str):
    return Locale.parse(lang).plural_form


@lru_cache(maxsize=None)
def _categories(lang: str) -> tuple[str, ...]:
    return tuple(tag for tag in _CLDR_ORDER if tag in _rule(lang).tags or tag == "other")  # "other" is implied


def explain(error, lang: str, kind: str) -> Html:
    """An input error (code, given, params) in words: text `kind_code`, with what the user typed cut short."""
    values = dict(error.params)
    if error.given is not None:
        values["given"] = echo(error.given)
    return t(f"{kind}_{error.code}", lang, **values)


def problem(code: str | None, lang: str, **values) -> Html:
    """A technical cause (a code such as fetch.http_404 or parse.not_a_feed) in words a person understands."""
    code = code or "internal.error"
    key = "problem_" + code.replace(".", "_")
    if key in TEXTS:
        return t(key, lang, **values)
    status = code.removeprefix("fetch.http_")
    if status != code and status.isdigit():
        return t("problem_fetch_http_5xx" if status.startswith("5") else "problem_fetch_http", lang, status=status)
    return t("problem_unknown", lang, code=code)


def pause_reason(source, lang: str) -> Html:
    """Why a source (storage.models.Source) is paused, from its reason code (storage.sources.PAUSED_*) and last error."""
    reason = source.paused_reason or ""
    if reason == PAUSED_FAILURES:
        return t("pause_failures", lang, n=source.error_count, problem=problem(source.last_error_code, lang))
    if reason.startswith(PAUSED_BY):
        return t("pause_admin", lang, actor=reason.removeprefix(PAUSED_BY))
    if reason == PAUSED_BY_CONFIG:
        return t("pause_config", lang)
    return Html(escape(reason))  # a reason this version does not know


def problem_of(error, lang: str) -> Html:
    """An error carrying `code` and `params` (feeds' BadSourceUrl, DiscoveryError) in words; a `cause`
    parameter is a feed error code, worded too, and a `given` one is what the user typed, cut short."""
    values = dict(error.params)
    if "cause" in values:
        values["problem"] = problem(values.pop("cause"), lang)
    if values.get("given") is not None:
        values["given"] = echo(values["given"])
    return problem(error.code, lang, **values)


def plain(key: str, lang: str, /, **values) -> str:
    """The text `key` in `lang` as plain text, values as they are (for Markdown files, not Telegram HTML)."""
    language = lang if key in SEPARATE.get(lang, {}) or lang in TEXTS[key] else FALLBACK.get(lang, "en")
    return _Counting(language).vformat(written(key, language), (), values)
