"""Charset decisions feedparser gets wrong on its own: undeclared Cyrillic, damaged UTF-8, UTF-16 and UTF-32."""
from __future__ import annotations

import codecs
import re

_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_CHARSET_PARAM = re.compile(r";\s*charset\s*=", re.IGNORECASE)
_HIGH_BYTE_RUN = re.compile(rb"[\x80-\xff]+")
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)  # test first: UTF-32-LE's BOM starts like UTF-16-LE's
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# The most frequent lower-case Russian and Ukrainian letters: text decoded with the wrong
# single-byte code page turns them into capitals or symbols, so they make a good score.
_FREQUENT_LETTERS = frozenset("оеаинтсрвлкмдпуяызьгбічй")
# koi8-u is koi8-r plus the Ukrainian letters (in place of a few box-drawing characters).
_CYRILLIC_CANDIDATES = ("windows-1251", "koi8-u")


def declared_charset(body: bytes, headers: dict[str, str]) -> str | None:
    """The charset the response declares (HTTP charset, BOM or XML declaration), if any."""
    content_type = headers.get("content-type", "")
    match = _CHARSET_PARAM.search(content_type)
    if match:
        return content_type[match.end():].split(";")[0].strip(" \"'").lower() or None
    if body.startswith(codecs.BOM_UTF8):
        return "utf-8"
    wide = wide_codec(body)
    if wide:
        return wide
    match = _XML_ENCODING.match(body[:200])
    return match.group(1).decode("ascii").lower() if match else None


def wide_codec(body: bytes) -> str | None:
    """The UTF-16 or UTF-32 codec of the body, told by its BOM or its zero bytes (XML 1.0 appendix F), else None."""
    if body.startswith(_UTF32_BOMS):
        return "utf-32"
    if body.startswith(_UTF16_BOMS):
        return "utf-16"
    head = body[:4]
    if len(head) < 4 or 0 not in head:
        return None
    if head.startswith(b"\0\0\0") or head.endswith(b"\0\0\0"):
        return "utf-32-be" if head[0] == 0 else "utf-32-le"
    return "utf-16-be" if head[0] == 0 else "utf-16-le"


def fix_charset(body: bytes, headers: dict[str, str]) -> tuple[bytes, str | None]:
    """The body to parse and the charset to announce to feedparser (None: let it decide).

    feedparser tries the declared charset, then utf-8, then windows-1252 (chardet is not
    installed), so an undeclared Cyrillic code page or one stray byte in UTF-8 would turn
    the whole feed into mojibake. UTF-16 and UTF-32 come back as UTF-8, so that every body
    is cleaned the same way before parsing; a BOM wins over a declared charset, as in browsers.
    """
    codec = wide_codec(body)
    if codec:
        return body.decode(codec, "replace").encode("utf-8", "replace"), "utf-8"
    declared = declared_charset(body, headers)
    if declared not in (None, "utf-8", "utf8"):
        return body, None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return body, None
    text = body.decode("utf-8", "replace")
    damaged = text.count("\ufffd")
    decoded = len(text) - len(text.encode("ascii", "ignore")) - damaged
    if damaged * 10 < decoded:  # UTF-8 with a few broken bytes: keep it, with replacement chars
        return text.encode("utf-8"), "utf-8"
    return body, guess_cyrillic(body)


def guess_cyrillic(body: bytes) -> str | None:
    """windows-1251 or koi8-u when the non-ASCII bytes read as Cyrillic words, else None."""
    runs = _HIGH_BYTE_RUN.findall(body)
    total = sum(len(run) for run in runs)
    in_words = sum(len(run) for run in runs if len(run) >= 3)
    # Cyrillic words are whole runs of high bytes; accented Latin letters stand alone.
    if not total or in_words * 2 < total:
        return None
    sample = b" ".join(runs)[:20000]
    scores = {name: _letter_score(sample.decode(name, "replace")) for name in _CYRILLIC_CANDIDATES}
    best = max(scores, key=scores.get)
    return best if scores[best] * 3 >= len(sample) else None


def _letter_score(text: str) -> int:
    return sum(1 for char in text if char in _FREQUENT_LETTERS)
