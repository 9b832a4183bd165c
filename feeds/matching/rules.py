"""The rule language admins write; no regular expressions, so nothing to backtrack on.

    Казахстан                 the word in any of its forms: Казахстане, Казахстану, Қазақстанда...
                              A word with a capital letter is a name: its transliterations match
                              too (Токаев -> Tokayev, Tokaev). A Kazakh letter (қ, ғ, ң, ө, ү, ұ,
                              һ, ә) in a rule must be in the text; a Russian letter also matches
                              its Kazakh counterpart (Токаев finds Тоқаев).
    =ОДК                      exactly this form, no other forms, no transliterations
    казахстан*                any word starting like this (казахстанский, казахстанцы)
    "Алма-Ата", «...»         a phrase: these words in this order, each in any form, with only
                              spaces, hyphens or quotes between them; a hyphenated word is one too
    a AND b, a b              both (juxtaposition means AND)
    a OR b                    either
    NOT a, a AND NOT b        not; a rule must need at least one word to be present
    ( ... )                   grouping; NOT binds tightest, then AND, then OR (at most 50 levels
                              of parentheses and NOT inside each other)
    title:word, text:(...)    look only in the title or only in the text (also заголовок:, текст:)

Operators may be written in any case; to look for the word "or" put it in quotes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

FIELDS = ("title", "text")
_FIELD_ALIASES = {"title": ("title",), "text": ("text",), "заголовок": ("title",), "текст": ("text",)}
_OPERATORS = {"and": "AND", "or": "OR", "not": "NOT"}
_QUOTES = {'"': '"', "«": "»", "“": "”", "„": "“"}
_WORD_END = re.compile(r"""[\s()"«»“”„]""")
_FIELD = re.compile(r"([^\W\d_]+):")
# Parentheses and NOTs inside each other; far beyond what a person writes, far below Python's recursion limit.
MAX_NESTING = 50
SHOWN_RULE_CHARS = 80  # of a rule quoted in an error message


class RuleSyntaxError(ValueError):
    """A rule that cannot be read; `position` is the 0-based character index of the problem.

    `message` is English (the command line's); `code` and `params` let the bot say it in the user's language.
    """

    def __init__(self, message: str, rule: str, position: int, code: str = "syntax", **params):
        shown = rule if len(rule) <= SHOWN_RULE_CHARS else rule[:SHOWN_RULE_CHARS] + "…"
        super().__init__(f"{message} at position {position} in rule {shown!r}")
        self.message = message
        self.rule = rule
        self.position = position
        self.code = code
        self.given = params.pop("given", None)  # the part of the rule at fault, if it is one word
        self.params = params


@dataclass(frozen=True, slots=True)
class Term:
    """One thing to look for: a word or a phrase, as written, restricted to some fields."""

    source: str  # as written, e.g. '"Алма-Ата"' or 'казахстан*'
    words: tuple[str, ...]  # raw words; a word may end in * (prefix)
    exact: bool
    fields: tuple[str, ...]
    position: int


@dataclass(frozen=True, slots=True)
class Not:
    operand: object


@dataclass(frozen=True, slots=True)
class And:
    operands: tuple


@dataclass(frozen=True, slots=True)
class Or:
    operands: tuple


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(", ")", "AND", "OR", "NOT", "FIELD", "TERM"
    text: str
    position: int
    end: int
    exact: bool = False
    quoted: bool = False


@lru_cache(maxsize=50_000)
def parse_rule(rule: str):
    """Parse `rule` into a tree of Term / Not / And / Or; raise RuleSyntaxError."""
    tokens = _tokenize(rule)
    if not tokens:
        raise RuleSyntaxError("empty rule", rule, 0, "empty")
    parser = _Parser(rule, tokens)
    tree = parser.parse_or(FIELDS)
    if parser.index < len(tokens):
        token = tokens[parser.index]
        if token.kind == ")":
            raise RuleSyntaxError("unmatched ')'", rule, token.position, "unmatched_paren")
        raise RuleSyntaxError(f"unexpected {token.text!r}", rule, token.position, "unexpected", given=token.text)
    if evaluate(tree, lambda term: False):
        raise RuleSyntaxError("rule has no word that must be present (it would match every item)", rule, 0, "matches_all")
    return tree


def evaluate(tree, is_found) -> bool:
    """Truth of the tree when `is_found(term)` tells which terms were found."""
    if isinstance(tree, Term):
        return is_found(tree)
    if isinstance(tree, Not):
        return not evaluate(tree.operand, is_found)
    if isinstance(tree, And):
        return all(evaluate(op, is_found) for op in tree.operands)
    return any(evaluate(op, is_found) for op in tree.operands)


def positive_terms(tree, negated: bool = False):
    """Terms whose presence can make the rule true (not under an odd number of NOTs)."""
    if isinstance(tree, Term):
        if not negated:
            yield tree
    elif isinstance(tree, Not):
        yield from positive_terms(tree.operand, not negated)
    else:
        for operand in tree.operands:
            yield from positive_terms(operand, negated)


def all_terms(tree):
    """Every term of the tree."""
    if isinstance(tree, Term):
        yield tree
    elif isinstance(tree, Not):
        yield from all_terms(tree.operand)
    else:
        for operand in tree.operands:
            yield from all_terms(operand)


def _tokenize(rule: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(rule):
        char = rule[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char, char, i, i + 1))
            i += 1
        else:
            token, i = _read_term(rule, i)
            tokens.append(token)
    return tokens


def _read_term(rule: str, i: int) -> tuple[_Token, int]:
    """Read a field prefix, an operator, a quoted phrase or a bare word starting at `i`."""
    field = _FIELD.match(rule, i)
    if field:
        return _Token("FIELD", field.group(1).lower(), i, field.end()), field.end()
    start = i
    exact = rule[i] == "="
    if exact:
        i += 1
        if i >= len(rule) or rule[i].isspace() or rule[i] in "()":
            raise RuleSyntaxError("'=' must be followed by a word or a phrase", rule, start, "bare_equals")
    if rule[i] in _QUOTES:
        close = rule.find(_QUOTES[rule[i]], i + 1)
        if close < 0:
            raise RuleSyntaxError("unclosed quote", rule, i, "unclosed_quote")
        text = rule[i + 1:close]
        if not text.strip():
            raise RuleSyntaxError("empty phrase", rule, i, "empty_phrase")
        return _Token("TERM", text, start, close + 1, exact, quoted=True), close + 1
    end = _WORD_END.search(rule, i)
    end = len(rule) if end is None else end.start()
    text = rule[i:end]
    if not exact and text.lower() in _OPERATORS:
        return _Token(_OPERATORS[text.lower()], text, start, end), end
    return _Token("TERM", text, start, end, exact), end


class _Parser:
    """Recursive descent: or := and (OR and)*; and := not ([AND] not)*; not := NOT not | atom."""

    def __init__(self, rule: str, tokens: list[_Token]):
        self.rule = rule
        self.tokens = tokens
        self.index = 0
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def fail(self, message: str, token: _Token | None, code: str, **params):
        position = token.position if token else len(self.rule)
        raise RuleSyntaxError(message, self.rule, position, code, **params)

    def parse_or(self, fields):
        operands = [self.parse_and(fields)]
        while (token := self.peek()) and token.kind == "OR":
            self.index += 1
            operands.append(self.parse_and(fields))
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def parse_and(self, fields):
        operands = [self.parse_not(fields)]
        while (token := self.peek()) and token.kind in ("AND", "NOT", "TERM", "FIELD", "("):
            if token.kind == "AND":
                self.index += 1
            operands.append(self.parse_not(fields))
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def nested(self, token: _Token, parse):
        """Parse one level deeper (inside '(' or NOT), refusing a nesting too deep to evaluate."""
        if self.depth >= MAX_NESTING:
            self.fail(f"nested too deeply (at most {MAX_NESTING} levels of parentheses and NOT)", token, "too_deep", most=MAX_NESTING)
        self.depth += 1
        tree = parse()
        self.depth -= 1
        return tree

    def parse_not(self, fields):
        token = self.peek()
        if token and token.kind == "NOT":
            self.index += 1
            return Not(self.nested(token, lambda: self.parse_not(fields)))
        return self.parse_atom(fields)

    def parse_atom(self, fields):
        token = self.peek()
        if token is None:
            self.fail("a word or '(' is missing at the end", None, "missing_end")
        self.index += 1
        if token.kind == "(":
            tree = self.nested(token, lambda: self.parse_or(fields))
            closing = self.peek()
            if closing is None or closing.kind != ")":
                self.fail("unclosed '('", token, "unclosed_paren")
            self.index += 1
            return tree
        if token.kind == "FIELD":
            if token.text not in _FIELD_ALIASES:
                self.fail(f"unknown field {token.text!r} (use title: or text:)", token, "unknown_field", given=token.text)
            following = self.peek()
            if following is None or following.kind not in ("TERM", "(", "NOT"):
                self.fail(f"'{token.text}:' must be followed by a word, a phrase or '('", token, "bare_field", given=token.text)
            return self.parse_not(_FIELD_ALIASES[token.text])
        if token.kind == "TERM":
            return self._term(token, fields)
        self.fail(f"expected a word or '(' but found {token.text!r}", token, "expected_word", given=token.text)

    def _term(self, token: _Token, fields) -> Term:
        words = tuple(token.text.split()) if token.quoted else (token.text,)
        for offset, word in _word_offsets(token.text, words):
            position = token.position + offset + (1 if token.exact else 0) + (1 if token.quoted else 0)
            star = word.find("*")
            if star >= 0 and (star != len(word) - 1 or token.exact):
                where = position + star
                if token.exact:
                    raise RuleSyntaxError("'=' and '*' do not mix", self.rule, where, "equals_star")
                raise RuleSyntaxError("'*' goes only at the end of a word", self.rule, where, "star_inside")
            if not any(c.isalnum() for c in word):
                raise RuleSyntaxError(f"{word!r} has no letters or digits", self.rule, position, "no_letters", given=word)
        source = self.rule[token.position:token.end]
        return Term(source, words, token.exact, tuple(fields), token.position)


def _word_offsets(text: str, words: tuple[str, ...]):
    """Each word with its offset inside `text`."""
    offset = 0
    for word in words:
        offset = text.index(word, offset)
        yield offset, word
        offset += len(word)
