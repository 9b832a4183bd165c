"""The /search query language: words, "quoted phrases", -exclusions and filters such as topic:csto.

The parser turns user text into stems (storage.search.textindex) and plain filters; user syntax never
reaches the database's MATCH or tsquery.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from storage.search.textindex import stems
from storage.search.types import EXAMPLE, ParsedQuery, QueryError, Term

__all__ = ["EXAMPLE", "LANGS", "ParsedQuery", "QueryError", "Term", "parse_query"]

LANGS = ("ru", "uk", "kk", "en", "ky", "be")
FILTERS = ("topic", "source", "lang", "since", "until")
MAX_QUERY_CHARS = 500
MAX_TERMS = 12
MAX_PHRASE_WORDS = 10

_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"'})
_PIECE = re.compile(r'(?P<key>[A-Za-z]+):"(?P<quoted>[^"]*)"|(?P<minus>-?)"(?P<phrase>[^"]*)"|(?P<bare>[^\s"]+)')
_FILTER = re.compile(r"(?P<key>[A-Za-z]+):(?P<value>.*)")
_OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "NEAR"})
_OPERATOR_ONLY = re.compile(r"[&|^<>()]+")
_OPERATOR_MARKS = ("*", "{", "}", "NEAR(", "NEAR/")
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


def parse_query(text: str) -> ParsedQuery:
    """Parse a /search query; raise QueryError with an explanation the user can act on."""
    text = (text or "").translate(_QUOTES).strip()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError("too_long", most=MAX_QUERY_CHARS)
    if text.count('"') % 2:
        raise QueryError("unbalanced_quotes")
    terms: list[Term] = []
    excluded: list[Term] = []
    filters: dict[str, str] = {}
    for piece in _PIECE.finditer(text):
        if piece["key"] is not None:
            _add_filter(filters, piece["key"], piece["quoted"])
        elif piece["phrase"] is not None:
            _add_term(excluded if piece["minus"] else terms, piece["phrase"])
        else:
            _read_bare(piece["bare"], terms, excluded, filters)
    return _finish(terms, excluded, filters)


def _read_bare(token: str, terms: list[Term], excluded: list[Term], filters: dict[str, str]) -> None:
    _refuse_operators(token)
    found = _FILTER.fullmatch(token)
    if found and (found["value"] or found["key"].lower() in FILTERS):
        _add_filter(filters, found["key"], found["value"])
    elif token.startswith("-") and len(token) > 1:
        _add_term(excluded, token[1:])
    else:
        _add_term(terms, token)


def _refuse_operators(token: str) -> None:
    if (
        token in _OPERATOR_WORDS
        or _OPERATOR_ONLY.fullmatch(token)
        or token.startswith("^")
        or any(mark in token for mark in _OPERATOR_MARKS)
    ):
        raise QueryError("operator", token)


def _add_term(target: list[Term], text: str) -> None:
    found = tuple(stems(text))
    if not found:
        return
    if len(found) > MAX_PHRASE_WORDS:
        raise QueryError("long_phrase", most=MAX_PHRASE_WORDS)
    term = Term(text=text.strip(), stems=found)
    if term not in target:
        target.append(term)


def _add_filter(filters: dict[str, str], key: str, value: str) -> None:
    key, value = key.lower(), value.strip()
    if key not in FILTERS:
        raise QueryError("unknown_filter", key, filters=", ".join(f + ":" for f in FILTERS))
    if not value:
        raise QueryError("empty_filter", key=key)
    if key in filters:
        raise QueryError("repeated_filter", key=key)
    filters[key] = value


def _finish(terms: list[Term], excluded: list[Term], filters: dict[str, str]) -> ParsedQuery:
    if not terms:
        if filters or excluded:
            raise QueryError("no_words")
        raise QueryError("empty")
    if len(terms) + len(excluded) > MAX_TERMS:
        raise QueryError("too_many_words", most=MAX_TERMS)
    lang = filters.get("lang", "").lower() or None
    if lang is not None and lang not in LANGS:
        raise QueryError("bad_lang", lang, langs=", ".join(LANGS))
    since, until = _date(filters, "since"), _date(filters, "until")
    if since and until and since > until:
        raise QueryError("dates_reversed")
    return ParsedQuery(
        terms=tuple(terms),
        excluded=tuple(excluded),
        topic=filters.get("topic", "").lower() or None,
        source=filters.get("source"),
        lang=lang,
        since=since,
        until=until,
    )


def _date(filters: dict[str, str], key: str) -> date | None:
    value = filters.get(key)
    if value is None:
        return None
    for layout in _DATE_FORMATS:
        try:
            return datetime.strptime(value, layout).date()
        except ValueError:
            continue
    raise QueryError("bad_date", value, key=key)
