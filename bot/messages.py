"""The one message packer: rendered pieces of Telegram HTML into messages under Telegram's limit.

A piece is a complete HTML fragment (an item, a line of a list). Lengths are counted as Telegram
counts them: the text after parsing, so a link's target costs nothing. Messages are split only between
pieces; a piece too long for a message on its own has its text cut short and its open tags closed,
never a tag, an entity or a character cut.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from html import unescape

MESSAGE_LIMIT = 4096  # Telegram's limit, in UTF-16 code units of the text after entity parsing
ENTITY_LIMIT = 100  # Telegram renders only about this many formatting entities in one message
ELLIPSIS = "…"
_TOKEN = re.compile(r"</?[a-zA-Z][^>]*>|&#?\w+;|[^<&]+|[<&]")


def _units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _visible(token: str) -> str:
    """What Telegram shows for one token: nothing for a tag, the character for an entity."""
    if token.startswith("<") and len(token) > 1:
        return ""
    return unescape(token) if token.startswith("&") else token


def html_length(html: str) -> int:
    """How long Telegram counts the HTML: its text after parsing, in UTF-16 code units."""
    return sum(_units(_visible(token)) for token in _TOKEN.findall(html))


def _prefix(text: str, units: int) -> str:
    """The longest prefix of `text` at most `units` UTF-16 code units long (a character is never split)."""
    used = 0
    for n, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            return text[:n]
    return text


def fit(html: str, limit: int = MESSAGE_LIMIT) -> str:
    """The HTML as it is if it fits in `limit`; else its text cut short with an ellipsis, every open tag closed."""
    if html_length(html) <= limit:
        return html
    room = limit - _units(ELLIPSIS)
    out: list[str] = []
    closers: list[str] = []
    for token in _TOKEN.findall(html):
        size = _units(_visible(token))
        if size > room:
            if not token.startswith("&"):
                out.append(_prefix(token, room))
            break
        room -= size
        out.append(token)
        if token.startswith("</") and closers:
            closers.pop()
        elif size == 0 and token.startswith("<"):
            closers.append("</" + re.match(r"<([a-zA-Z][\w-]*)", token)[1] + ">")
    return "".join(out).rstrip() + ELLIPSIS + "".join(reversed(closers))


def entity_count(html: str) -> int:
    """How many formatting entities the HTML makes (its opening tags)."""
    return sum(1 for token in _TOKEN.findall(html) if token.startswith("<") and token[1:2].isalpha())


def pack(pieces: Iterable[str], joiner: str = "\n\n", limit: int = MESSAGE_LIMIT) -> list[str]:
    """Whole pieces joined into as few messages as fit `limit` and Telegram's rendered entities, in order."""
    messages: list[str] = []
    current, size, entities = "", 0, 0
    gap = html_length(joiner)
    for piece in pieces:
        length = html_length(piece)
        if length > limit:
            piece = fit(piece, limit)
            length = html_length(piece)
        marks = entity_count(piece)
        if current and size + gap + length <= limit and entities + marks <= ENTITY_LIMIT:
            current, size, entities = current + joiner + piece, size + gap + length, entities + marks
            continue
        if current:
            messages.append(current)
        current, size, entities = piece, length, marks
    if current:
        messages.append(current)
    return messages


def text_pieces(text: str, size: int = MESSAGE_LIMIT // 2) -> list[str]:
    """Plain text as pieces for `pack` of at most `size` characters: its lines, a longer line cut between words."""
    pieces: list[str] = []
    for line in text.split("\n"):
        while len(line) > size:
            cut = line.rfind(" ", size // 2, size)
            cut = cut if cut > 0 else size
            pieces.append(line[:cut])
            line = line[cut:].lstrip()
        pieces.append(line)
    return pieces
