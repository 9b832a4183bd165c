"""What changed between two versions of a text, word by word with a little context, for people to read.

`word_changes` gives plain data; `changes_html` renders it as Telegram HTML (removed words struck
through, added ones in bold) and `changes_plain` for the command line.
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from html import escape

CONTEXT_WORDS = 6
MOST_CHANGES = 5
MOST_WORDS = 20_000  # longer texts are compared on their first words only
SHOWN_WORDS = 40  # of one removed or added run


@dataclass(frozen=True)
class Change:
    """One run of removed and added words, with the words around it."""

    before: str
    removed: str
    added: str
    after: str


def word_changes(old: str, new: str, context: int = CONTEXT_WORDS, most: int = MOST_CHANGES) -> list[Change]:
    """The runs of words that differ, in order, at most `most` of them."""
    a, b = (old or "").split()[:MOST_WORDS], (new or "").split()[:MOST_WORDS]
    changes = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        changes.append(Change(
            before=" ".join(a[max(0, i1 - context):i1]),
            removed=_clipped(a[i1:i2]),
            added=_clipped(b[j1:j2]),
            after=" ".join(a[i2:i2 + context]),
        ))
        if len(changes) == most:
            break
    return changes


def _clipped(words: list[str]) -> str:
    return " ".join(words[:SHOWN_WORDS]) + (" …" if len(words) > SHOWN_WORDS else "")


def changes_html(changes: list[Change]) -> str:
    """The changes as Telegram HTML, one per line: …context <s>removed</s> <b>added</b> context…"""
    lines = []
    for change in changes:
        parts = ["…" + escape(change.before, quote=False) if change.before else ""]
        if change.removed:
            parts.append(f"<s>{escape(change.removed, quote=False)}</s>")
        if change.added:
            parts.append(f"<b>{escape(change.added, quote=False)}</b>")
        parts.append(escape(change.after, quote=False) + "…" if change.after else "")
        lines.append(" ".join(part for part in parts if part))
    return "\n".join(lines)


def changes_plain(changes: list[Change]) -> str:
    """The changes as plain text, one per line: …context [-removed-] {+added+} context…"""
    lines = []
    for change in changes:
        parts = ["…" + change.before if change.before else ""]
        parts += [f"[-{change.removed}-]" if change.removed else "", f"{{+{change.added}+}}" if change.added else ""]
        parts.append(change.after + "…" if change.after else "")
        lines.append(" ".join(part for part in parts if part))
    return "\n".join(lines)
