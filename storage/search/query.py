"""The /search query language, the topic rules' own where they overlap (feeds/matching/rules.py).

    Казахстан            the word in any form; with a capital letter a name, found in Latin and
                         Kazakh letters too (Kazakhstan, Қазақстан)
    "мирные силы"        a phrase: these words in a row, in any form
    казахстан*           words starting so (at least MIN_PREFIX letters)
    a b, a AND b         both;  a OR b: either;  AND binds tighter than OR: a b OR c is (a b) OR c
    -word, NOT word      exclude (next to a word to find);  ( ... ) groups
    topic: source: lang: since: until: sort:relevance    filters and the order of results

Operators may be written in any case; to look for the word "or", put it in quotes. The parser
turns user text into stems (storage.search.textindex) and plain filters; user syntax never
reaches the database's MATCH or tsquery.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from storage.search.index import FLAGS
from storage.search.textindex import WORD, normalize
from storage.search.types import EXAMPLE, SORTS, Group, Node, ParsedQuery, QueryError, Term
from storage.search.variants import own_stem, phrase_spellings, word_spellings

__all__ = ["EXAMPLE", "LANGS", "ParsedQuery", "QueryError", "Term", "parse_query"]

LANGS = ("ru", "uk", "kk", "en", "ky", "be")
FILTERS = ("topic", "source", "lang", "since", "until", "sort", "is")
MAX_QUERY_CHARS = 500
MAX_TERMS = 12
MAX_PHRASE_WORDS = 10
MAX_NESTING = 10  # parentheses and exclusions inside each other
MIN_PREFIX = 3

_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"'})
_TOKEN = re.compile(
    r'(?P<key>[A-Za-z]+):"(?P<quoted>[^"]*)"'
    r'|(?P<minus>-?)"(?P<phrase>[^"]*)"(?P<star>\*?)'
    r"|(?P<paren>-?[()])"
    r'|(?P<bare>[^\s"()]+)'
)
_FILTER = re.compile(r"(?P<key>[A-Za-z]+):(?P<value>.*)")
_OPERATORS = {"and": "AND", "or": "OR", "not": "NOT"}
_OPERATOR_MARKS = ("{", "}", "NEAR/", "&", "|", "^", "<", ">")  # other search engines' syntax
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "AND", "OR", "NOT", "TERM"
    text: str = ""
    excluded: bool = False  # written with a leading minus
    prefix: bool = False  # ends in *


def parse_query(text: str) -> ParsedQuery:
    """Parse a /search query; raise QueryError with an explanation the user can act on."""
    text = (text or "").translate(_QUOTES).strip()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError("too_long", most=MAX_QUERY_CHARS)
    if text.count('"') % 2:
        raise QueryError("unbalanced_quotes")
    filters: dict[str, str] = {}
    tokens = _tokens(text, filters)
    tree = _Parser(tokens).parse() if tokens else None
    return _finish(tree, filters)


def _tokens(text: str, filters: dict[str, str]) -> list[_Token]:
    """The query's words, phrases, operators and parentheses; filters go into `filters`."""
    tokens = []
    for piece in _TOKEN.finditer(text):
        if piece["key"] is not None:
            _add_filter(filters, piece["key"], piece["quoted"])
        elif piece["phrase"] is not None:
            phrase = piece["phrase"].strip()
            prefix = bool(piece["star"]) or phrase.endswith("*")
            phrase = phrase.removesuffix("*")
            if "*" in phrase:
                raise QueryError("star_inside", phrase)
            tokens.append(_Token("TERM", phrase, bool(piece["minus"]), prefix))
        elif piece["paren"] is not None:
            if piece["paren"].startswith("-"):
                tokens.append(_Token("NOT"))
            tokens.append(_Token(piece["paren"][-1]))
        else:
            tokens.extend(_bare(piece["bare"], filters))
    return tokens


def _bare(token: str, filters: dict[str, str]) -> list[_Token]:
    _refuse_operators(token)
    found = _FILTER.fullmatch(token)
    if found and (found["value"] or found["key"].lower() in FILTERS):
        _add_filter(filters, found["key"], found["value"])
        return []
    if token.lower() in _OPERATORS:
        return [_Token(_OPERATORS[token.lower()])]
    excluded = token.startswith("-") and len(token) > 1
    word = token[1:] if excluded else token
    prefix = word.endswith("*")
    word = word.removesuffix("*")
    if "*" in word:
        raise QueryError("star_inside", token)
    return [_Token("TERM", word, excluded, prefix)]


def _refuse_operators(token: str) -> None:
    if token == "NEAR" or any(mark in token for mark in _OPERATOR_MARKS):
        raise QueryError("operator", token)


class _Parser:
    """Recursive descent, as in the topic rules: or := and (OR and)*; and := unary ([AND] unary)*."""

    def __init__(self, tokens: list[_Token]):
        self.tokens, self.index, self.depth, self.leaves = tokens, 0, 0, 0

    def parse(self) -> Node | None:
        tree = self._or()
        if self.index < len(self.tokens):  # only a ')' stops the top level early
            raise QueryError("stray_paren")
        return tree

    def _peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _or(self) -> Node | None:
        operands = [self._and()]
        while (token := self._peek()) and token.kind == "OR":
            self.index += 1
            operands.append(self._and())
        if len(operands) > 1 and None in operands:
            raise QueryError("dangling_operator", "OR")
        return operands[0] if len(operands) == 1 else _group("or", operands, [])

    def _and(self) -> Node | None:
        found, excluded = [], []
        while (token := self._peek()) and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self.index += 1
                following = self._peek()
                if not found or following is None or following.kind in ("AND", "OR", ")"):
                    raise QueryError("dangling_operator", "AND")
                continue
            negated, node = self._unary()
            if node is not None:
                (excluded if negated else found).append(node)
        if excluded and not found:
            raise QueryError("no_words")
        if not found:
            return None
        return _group("and", found, excluded)

    def _unary(self) -> tuple[bool, Node | None]:
        token = self._peek()
        if token.kind == "NOT":
            self.index += 1
            following = self._peek()
            if following is None or following.kind not in ("TERM", "("):
                raise QueryError("dangling_not")
            return True, self._nested(self._atom)
        return token.excluded, self._nested(self._atom) if token.excluded else self._atom()

    def _nested(self, parse):
        if self.depth >= MAX_NESTING:
            raise QueryError("too_deep", most=MAX_NESTING)
        self.depth += 1
        node = parse()
        self.depth -= 1
        return node

    def _atom(self) -> Node | None:
        token = self._peek()
        self.index += 1
        if token.kind == "(":
            node = self._nested(self._or)
            closing = self._peek()
            if closing is None or closing.kind != ")":
                raise QueryError("unclosed_paren")
            self.index += 1
            return node
        term = _term(token)
        if term is not None:
            self.leaves += 1
            if self.leaves > MAX_TERMS:
                raise QueryError("too_many_words", most=MAX_TERMS)
        return term


def _group(op: str, operands: list[Node], excluded: list[Node]) -> Node:
    """A group, flattened into a same-operator operand and left out when it holds one operand only."""
    flat: list[Node] = []
    for node in operands:
        if isinstance(node, Group) and node.op == op and not node.excluded:
            flat.extend(node.operands)
        elif node not in flat:
            flat.append(node)
    if len(flat) == 1 and not excluded:
        return flat[0]
    return Group(op, tuple(flat), tuple(dict.fromkeys(excluded)))


def _term(token: _Token) -> Term | None:
    """A word or a phrase as stems, with its other spellings; None if it holds no word."""
    raw_words = WORD.findall(unicodedata.normalize("NFKC", token.text))
    words = []
    for n, raw in enumerate(raw_words):
        prefix = token.prefix and n == len(raw_words) - 1
        stem = own_stem(normalize(raw), prefix)
        if stem.rstrip("*"):
            words.append((stem, word_spellings(raw, prefix)))
    if not words:
        return None
    if len(words) > MAX_PHRASE_WORDS:
        raise QueryError("long_phrase", most=MAX_PHRASE_WORDS)
    if words[-1][0].endswith("*") and len(words[-1][0]) - 1 < MIN_PREFIX:
        raise QueryError("short_prefix", token.text + "*", least=MIN_PREFIX)
    stems = tuple(stem for stem, _ in words)
    return Term(token.text.strip(), stems, phrase_spellings(words))


def _add_filter(filters: dict[str, str], key: str, value: str) -> None:
    key, value = key.lower(), value.strip()
    if key not in FILTERS:
        raise QueryError("unknown_filter", key, filters=", ".join(f + ":" for f in FILTERS))
    if not value:
        raise QueryError("empty_filter", key=key)
    if key in filters:
        raise QueryError("repeated_filter", key=key)
    filters[key] = value


def _finish(tree: Node | None, filters: dict[str, str]) -> ParsedQuery:
    if tree is None and "is" not in filters:  # is:edited or is:deleted alone lists every such item
        if filters:
            raise QueryError("no_words")
        raise QueryError("empty")
    lang = filters.get("lang", "").lower() or None
    if lang is not None and lang not in LANGS:
        raise QueryError("bad_lang", lang, langs=", ".join(LANGS))
    sort = filters.get("sort", SORTS[0]).lower()
    if sort not in SORTS:
        raise QueryError("bad_sort", sort, sorts=", ".join(SORTS))
    flag = filters.get("is", "").lower() or None
    if flag is not None and flag not in FLAGS:
        raise QueryError("bad_flag", flag, flags=", ".join(f"is:{f}" for f in FLAGS))
    since, until = _date(filters, "since"), _date(filters, "until")
    if since and until and since > until:
        raise QueryError("dates_reversed")
    return ParsedQuery(
        tree=tree,
        topic=filters.get("topic", "").lower() or None,
        source=filters.get("source"),
        lang=lang,
        since=since,
        until=until,
        sort=sort,
        flags=(flag,) if flag else (),
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
