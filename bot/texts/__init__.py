"""The bot's one text catalogue: every string a user reads, by key, in English, Russian and Ukrainian.

The strings live in one data module per audience (subscriber, volunteer, admin); `t` reads them all.
"""
from __future__ import annotations

from html import escape

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
QUERY_REASONS = volunteer.QUERY_REASONS


def language_of(code: str | None) -> str:
    """The catalogue language for a Telegram language code."""
    base = (code or "").split("-")[0].lower()
    return base if base in LANGUAGES else "en"


def t(key: str, lang: str, **values) -> str:
    """The text `key` in `lang` (English if missing), as Telegram HTML with the values escaped."""
    entry = TEXTS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**{name: escape(str(value), quote=False) for name, value in values.items()})


def query_reason(code: str, english: str, lang: str) -> str:
    """Why a search query was refused, in the user's language (plain text)."""
    return QUERY_REASONS.get(code, {}).get(lang) or english
