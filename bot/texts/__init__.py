"""The bot's one text catalogue: every string a user reads, by key, in English, Russian and Ukrainian.

The strings live in one data module per audience (subscriber, volunteer, admin); `t` reads them all.
"""
from __future__ import annotations

from html import escape

from bot.markup import echo
from bot.texts import admin, subscriber, volunteer

LANGUAGES = ("en", "ru", "uk")


def _merged(*catalogues: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for catalogue in catalogues:
        twice = merged.keys() & catalogue.keys()
        if twice:
            raise RuntimeError(f"text keys defined twice: {sorted(twice)}")
        merged.update(catalogue)
    return merged


TEXTS = _merged(subscriber.TEXTS, volunteer.TEXTS, admin.TEXTS)


class Html(str):
    """Telegram HTML ready to send: `t` inserts it into another text as it is, where plain values are escaped."""


def language_of(code: str | None) -> str:
    """The catalogue language for a Telegram language code."""
    base = (code or "").split("-")[0].lower()
    return base if base in LANGUAGES else "en"


def t(key: str, lang: str, /, **values) -> Html:
    """The text `key` in `lang` (English if missing), as Telegram HTML with the plain values escaped."""
    entry = TEXTS[key]
    text = entry.get(lang) or entry["en"]
    return Html(text.format(**{name: _inserted(value) for name, value in values.items()}))


def _inserted(value) -> str:
    return value if isinstance(value, Html) else escape(str(value), quote=False)


def explain(error, lang: str, kind: str) -> Html:
    """An input error (code, given, params) in words: text `kind_code`, with what the user typed cut short."""
    values = dict(error.params)
    if error.given is not None:
        values["given"] = echo(error.given)
    return t(f"{kind}_{error.code}", lang, **values)


def plain(key: str, lang: str, /, **values) -> str:
    """The text `key` in `lang` as plain text, values as they are (for Markdown files, not Telegram HTML)."""
    entry = TEXTS[key]
    return (entry.get(lang) or entry["en"]).format(**values)
