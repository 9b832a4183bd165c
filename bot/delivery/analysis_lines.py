"""The "Analysis: <title>" lines under an item that an analysis of the community cites or relates to."""
from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.markup import link, short
from bot.texts import t
from storage.analyses import AnalysisRef

ANALYSIS_TITLE_CHARS = 100


def analysis_line(refs: Sequence[AnalysisRef], lang: str) -> str | None:
    """ "Analysis: <title>" linking to each analysis, one per line."""
    if not refs:
        return None
    label = t("analysis_label", lang)
    return "\n".join(
        f"📚 {label} {link(r.url, escape(short(r.title, ANALYSIS_TITLE_CHARS), quote=False))}" for r in refs
    )


def analysis_lines(refs: dict[int, list[AnalysisRef]], lang: str) -> dict[int, str]:
    """Item id -> its analysis line, as bot.delivery.digest takes them."""
    return {item_id: line for item_id, found in refs.items() if (line := analysis_line(found, lang))}
