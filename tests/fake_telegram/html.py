"""Telegram's HTML parse mode: the allowed tags only, balanced, every special character escaped."""

import re

SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
}
ALLOWED_TAGS = set(SIMPLE_TAGS) | {"a", "span", "tg-emoji", "blockquote"}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}

TAG_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9-]*")
ATTRIBUTE_NAME = re.compile(r"[a-zA-Z0-9_-]+")
UNQUOTED_VALUE = re.compile(r"[^\s>]+")
END_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9-]*)\s*>")
ENTITY = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z][a-zA-Z0-9]*));")
PLAIN_RUN = re.compile(r"[^&<>]+")
SPACE = re.compile(r"\s*")


class HtmlError(ValueError):
    """The text is not valid Telegram HTML; the message follows Telegram's wording."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's offsets and limits."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def parse_html(source: str) -> tuple[str, list[dict]]:
    """Turn HTML into the plain text the user sees and its MessageEntity dicts."""
    return _Parser(source).run()


class _OpenTag:
    __slots__ = ("name", "entity", "start", "order")

    def __init__(self, name: str, entity: dict | None, start: int, order: int):
        self.name, self.entity, self.start, self.order = name, entity, start, order


class _Parser:
    def __init__(self, source: str):
        self.source = source
        self.pieces: list[str] = []
        self.length = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[tuple[int, dict]] = []
        self.opened = 0

    def run(self) -> tuple[str, list[dict]]:
        position = 0
        while position < len(self.source):
            char = self.source[position]
            if char == "&":
                position = self._entity(position)
            elif self.source.startswith("</", position):
                position = self._end_tag(position)
            elif char == "<":
                position = self._start_tag(position)
            elif char == ">":
                raise self._error('Unescaped ">"', position)
            else:
                run = PLAIN_RUN.match(self.source, position)
                self._append(run.group())
                position = run.end()
        if self.stack:
            raise HtmlError(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"')
        # Telegram lists entities by offset, longer (outer) first, outer before inner on ties.
        self.entities.sort(key=lambda item: (item[1]["offset"], -item[1]["length"], item[0]))
        return "".join(self.pieces), [entity for _, entity in self.entities]

    def _append(self, text: str) -> None:
        self.pieces.append(text)
        self.length += utf16_len(text)

    def _error(self, what: str, position: int, detail: str = "") -> HtmlError:
        offset = len(self.source[:position].encode("utf-8", "surrogatepass"))
        return HtmlError(f"{what} at byte offset {offset}{detail}")

    def _decode_entity(self, position: int) -> tuple[str, int]:
        match = ENTITY.match(self.source, position)
        if not match:
            raise self._error('Unescaped "&"', position)
        decimal, hexadecimal, name = match.groups()
        if name is not None:
            if name not in NAMED_ENTITIES:
                raise self._error(f'Unsupported HTML entity "{match.group()}"', position)
            return NAMED_ENTITIES[name], match.end()
        code = int(decimal) if decimal is not None else int(hexadecimal, 16)
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise self._error(f'Invalid numeric HTML entity "{match.group()}"', position)
        return chr(code), match.end()

    def _entity(self, position: int) -> int:
        char, end = self._decode_entity(position)
        self._append(char)
        return end

    def _start_tag(self, position: int) -> int:
        name_match = TAG_NAME.match(self.source, position + 1)
        name = name_match.group().lower() if name_match else ""
        if name not in ALLOWED_TAGS:
            raise self._error(f'Unsupported start tag "{name}"', position)
        attributes, end = self._attributes(name, name_match.end(), position)
        entity = self._entity_for(name, attributes, position)
        self.opened += 1
        self.stack.append(_OpenTag(name, entity, self.length, self.opened))
        return end

    def _attributes(self, tag: str, cursor: int, tag_start: int) -> tuple[dict[str, str], int]:
        attributes: dict[str, str] = {}
        while True:
            cursor = SPACE.match(self.source, cursor).end()
            if cursor >= len(self.source):
                raise self._error("Unclosed start tag", tag_start)
            if self.source[cursor] == ">":
                return attributes, cursor + 1
            name_match = ATTRIBUTE_NAME.match(self.source, cursor)
            if not name_match:
                raise self._error(f'Unexpected character in the tag "{tag}"', cursor)
            cursor = SPACE.match(self.source, name_match.end()).end()
            value = ""
            if self.source.startswith("=", cursor):
                value, cursor = self._attribute_value(SPACE.match(self.source, cursor + 1).end(), tag_start)
            attributes[name_match.group().lower()] = value

    def _attribute_value(self, cursor: int, tag_start: int) -> tuple[str, int]:
        quote = self.source[cursor : cursor + 1]
        if quote in ('"', "'"):
            end = self.source.find(quote, cursor + 1)
            if end < 0:
                raise self._error("Unclosed start tag", tag_start)
            raw, after = self.source[cursor + 1 : end], end + 1
            start = cursor + 1
        else:
            match = UNQUOTED_VALUE.match(self.source, cursor)
            if not match:
                raise self._error("Unclosed start tag", tag_start)
            raw, after, start = match.group(), match.end(), cursor
        return self._decode_value(raw, start), after

    def _decode_value(self, raw: str, start: int) -> str:
        if "<" in raw:
            raise self._error('Unescaped "<"', start + raw.index("<"))
        decoded, position = [], 0
        while position < len(raw):
            if raw[position] == "&":
                char, end = self._decode_entity(start + position)
                decoded.append(char)
                position = end - start
            else:
                decoded.append(raw[position])
                position += 1
        return "".join(decoded)

    def _entity_for(self, name: str, attributes: dict[str, str], position: int) -> dict | None:
        if name in SIMPLE_TAGS:
            return self._code_or_simple(name, attributes)
        if name == "a":
            return {"type": "text_link", "url": attributes["href"]} if attributes.get("href") else None
        if name == "span":
            if attributes.get("class") != "tg-spoiler":
                raise self._error('Tag "span" must have class "tg-spoiler"', position)
            return {"type": "spoiler"}
        if name == "tg-emoji":
            if not attributes.get("emoji-id", "").isdigit():
                raise self._error('Tag "tg-emoji" must have a numeric "emoji-id" attribute', position)
            return {"type": "custom_emoji", "custom_emoji_id": attributes["emoji-id"]}
        return {"type": "expandable_blockquote" if "expandable" in attributes else "blockquote"}

    def _code_or_simple(self, name: str, attributes: dict[str, str]) -> dict | None:
        language = attributes.get("class", "")
        parent = self.stack[-1] if self.stack else None
        if name == "code" and language.startswith("language-") and parent and parent.name == "pre":
            if parent.entity is not None and parent.start == self.length:
                parent.entity["language"] = language.removeprefix("language-")
                return None
        return {"type": SIMPLE_TAGS[name]}

    def _end_tag(self, position: int) -> int:
        match = END_TAG.match(self.source, position)
        if not match:
            raise self._error("Unclosed end tag", position)
        if not self.stack:
            raise self._error("Unexpected end tag", position)
        name, opened = match.group(1).lower(), self.stack[-1]
        if name != opened.name:
            expected = f', expected "</{opened.name}>", found "</{name}>"'
            raise self._error("Unmatched end tag", position, expected)
        self.stack.pop()
        if opened.entity is not None and self.length > opened.start:
            entity = {**opened.entity, "offset": opened.start, "length": self.length - opened.start}
            self.entities.append((opened.order, entity))
        return match.end()
