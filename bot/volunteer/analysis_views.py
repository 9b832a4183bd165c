"""/analysis without Telegram: the list of analyses, and one analysis with what it cites and what Dozor lacks."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from storage.sites import site_of
from storage import analyses as analysis_store
from storage.analysis_models import Analysis
from storage.models import Item

SUGGESTIONS = 15


@dataclass(frozen=True)
class AnalysisView:
    """One analysis: its stored citations, related items, and cited sites nobody monitors (site, citations)."""

    analysis: Analysis
    citations: int
    cited: list[Item]
    similar: list[tuple[Item, float]]
    suggestions: list[tuple[str, int]]


def analysis_view(session: Session, analysis_id: int) -> AnalysisView | None:
    """/analysis <id>."""
    analysis = session.get(Analysis, analysis_id)
    if analysis is None:
        return None
    cited = analysis_store.cited_items(session, analysis_id)
    monitored = {site_of(url) for url in analysis_store.source_urls(session)}
    monitored |= {site_of(item.url or item.canonical_url or "") for _, item in cited}
    missing = Counter(
        site_of(c.canonical_url) for c in analysis.citations if c.item_id is None
    )
    suggestions = [(site, n) for site, n in missing.most_common() if site and site not in monitored][:SUGGESTIONS]
    return AnalysisView(
        analysis,
        len(analysis.citations),
        [item for _, item in cited],
        analysis_store.similar_items(session, analysis_id),
        suggestions,
    )
