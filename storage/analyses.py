"""Queries on analyses: storing them with their citations, their candidate items, and the links to items."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, func, insert, select
from sqlalchemy.orm import Session, selectinload

from storage.analysis_models import Analysis, AnalysisLink, Citation
from storage.db import in_chunks
from storage.items import items_by_url
from storage.models import Item, ItemSource, Match, Source


@dataclass(frozen=True)
class AnalysisRef:
    """What an item shows of an analysis linked to it."""

    id: int
    title: str
    url: str
    score: float
    reason: str


@dataclass(frozen=True)
class AnalysisSummary:
    """An analysis in a list: how many stored items it cites and how many more relate to it."""

    id: int
    title: str
    url: str
    published_at: datetime
    topics: list[str]
    cited_items: int
    similar_items: int
    citations: int


@dataclass(frozen=True)
class CandidateItem:
    """An item that may relate to an analysis, with the text to compare."""

    id: int
    title: str
    text: str


def any_analysis(session: Session) -> bool:
    """Whether any analysis is stored."""
    return session.scalar(select(Analysis.id).limit(1)) is not None


def find_by_url(session: Session, canonical: str) -> Analysis | None:
    """The analysis with this canonical URL."""
    return session.scalar(select(Analysis).where(Analysis.canonical_url == canonical))


def save_analysis(session: Session, fields: dict, citations: Sequence[tuple[str, str, int | None]]) -> Analysis:
    """Create the analysis, or update the one with the same canonical URL; its citations are replaced."""
    analysis = find_by_url(session, fields["canonical_url"])
    if analysis is None:
        analysis = Analysis(**fields)
        session.add(analysis)
    else:
        for name, value in fields.items():
            if name != "item_id" or value is not None:
                setattr(analysis, name, value)
        analysis.citations.clear()
    session.flush()
    analysis.citations.extend(
        Citation(position=n, url=url, canonical_url=canonical, number=number)
        for n, (url, canonical, number) in enumerate(citations)
    )
    session.flush()
    return analysis


def resolve_citations(session: Session, analysis: Analysis) -> list[int]:
    """Point the analysis's citations at stored items; return the cited item ids."""
    stored = items_by_url(session, (c.canonical_url for c in analysis.citations))
    for citation in analysis.citations:
        citation.item_id = stored.get(citation.canonical_url)
    return sorted({c.item_id for c in analysis.citations if c.item_id is not None})


def candidates(
    session: Session, topics: Sequence[str], since: datetime, until: datetime, exclude: Iterable[int], limit: int
) -> list[CandidateItem]:
    """The newest items of these topics published in [since, until], not analyses themselves."""
    if not topics:
        return []
    query = (
        select(Item.id, Item.title, Item.text)
        .where(
            Item.published_at >= since,
            Item.published_at <= until,
            exists().where(Match.item_id == Item.id, Match.topic_id.in_(list(topics))),
            ~exists().where(Analysis.item_id == Item.id),
        )
        .order_by(Item.published_at.desc(), Item.id.desc())
        .limit(limit)
    )
    skip = set(exclude)
    return [CandidateItem(i, title, text) for i, title, text in session.execute(query) if i not in skip]


def replace_links(session: Session, analysis_id: int, links: dict[int, tuple[float, str]]) -> None:
    """Set the analysis's links to exactly these items: item id -> (score, reason)."""
    session.execute(delete(AnalysisLink).where(AnalysisLink.analysis_id == analysis_id))
    rows = [
        {"analysis_id": analysis_id, "item_id": item_id, "score": score, "reason": reason}
        for item_id, (score, reason) in sorted(links.items())
    ]
    if rows:
        session.execute(insert(AnalysisLink), rows)


def link_cited(session: Session, item_ids_by_url: dict[str, int]) -> list[int]:
    """Attach freshly stored items to the citations of their URLs; return the analyses affected."""
    affected: set[int] = set()
    for chunk in in_chunks(list(item_ids_by_url)):
        citations = session.scalars(select(Citation).where(Citation.canonical_url.in_(chunk), Citation.item_id.is_(None)))
        for citation in citations:
            citation.item_id = item_ids_by_url[citation.canonical_url]
            affected.add(citation.analysis_id)
    return sorted(affected)


def analyses_covering(session: Session, moments: Iterable[datetime], before, after) -> list[Analysis]:
    """Analyses whose time window (published - before .. published + after) holds one of these moments."""
    moments = sorted(moments)
    if not moments:
        return []
    query = select(Analysis).where(
        Analysis.published_at >= moments[0] - after, Analysis.published_at <= moments[-1] + before
    )
    return [a for a in session.scalars(query) if any(a.published_at - before <= m <= a.published_at + after for m in moments)]


def pending_source_items(session: Session, limit: int = 200) -> list[Item]:
    """Items of sources of kind `analysis` that are not analyses yet, oldest first."""
    query = (
        select(Item)
        .where(
            exists().where(ItemSource.item_id == Item.id, ItemSource.source_id == Source.id, Source.kind == "analysis"),
            ~exists().where(Analysis.item_id == Item.id),
        )
        .order_by(Item.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def new_items(session: Session, after_id: int, limit: int) -> list[tuple[int, str | None, datetime, list[str]]]:
    """(id, canonical URL, published, topics) of items with an id above `after_id`, in id order."""
    rows = session.execute(
        select(Item.id, Item.canonical_url, Item.published_at).where(Item.id > after_id).order_by(Item.id).limit(limit)
    ).all()
    topics: dict[int, list[str]] = {}
    for chunk in in_chunks([r[0] for r in rows]):
        for item_id, topic in session.execute(select(Match.item_id, Match.topic_id).where(Match.item_id.in_(chunk))):
            topics.setdefault(item_id, []).append(topic)
    return [(i, url, published, sorted(topics.get(i, []))) for i, url, published in rows]


def links_for_items(session: Session, item_ids: Iterable[int], per_item: int = 2) -> dict[int, list[AnalysisRef]]:
    """Item id -> its linked analyses, cited before similar, best score first."""
    found: dict[int, list[AnalysisRef]] = {}
    for chunk in in_chunks(sorted(set(item_ids))):
        rows = session.execute(
            select(AnalysisLink.item_id, Analysis.id, Analysis.title, Analysis.url, AnalysisLink.score, AnalysisLink.reason)
            .join(Analysis, Analysis.id == AnalysisLink.analysis_id)
            .where(AnalysisLink.item_id.in_(chunk))
            .order_by(AnalysisLink.item_id, AnalysisLink.score.desc(), Analysis.published_at.desc())
        )
        for item_id, *ref in rows:
            refs = found.setdefault(item_id, [])
            if len(refs) < per_item:
                refs.append(AnalysisRef(*ref))
    return found


def _counts(session: Session, analysis_ids: list[int]) -> dict[tuple[int, str], int]:
    rows = session.execute(
        select(AnalysisLink.analysis_id, AnalysisLink.reason, func.count())
        .where(AnalysisLink.analysis_id.in_(analysis_ids))
        .group_by(AnalysisLink.analysis_id, AnalysisLink.reason)
    )
    return {(a, reason): n for a, reason, n in rows}


def _citation_counts(session: Session, analysis_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(Citation.analysis_id, func.count()).where(Citation.analysis_id.in_(analysis_ids)).group_by(Citation.analysis_id)
    )
    return dict(rows.all())


def recent_analyses(session: Session, topic: str | None = None, limit: int = 10) -> list[AnalysisSummary]:
    """The newest analyses (of one topic, if given) with their counts of cited and related items."""
    rows = list(session.scalars(select(Analysis).order_by(Analysis.published_at.desc(), Analysis.id.desc())))
    if topic:
        rows = [a for a in rows if topic in (a.topics or [])]
    rows = rows[:limit]
    ids = [a.id for a in rows]
    counts = _counts(session, ids) if ids else {}
    cited = _citation_counts(session, ids) if ids else {}
    return [
        AnalysisSummary(
            a.id, a.title, a.url, a.published_at, list(a.topics or []),
            counts.get((a.id, "cited"), 0), counts.get((a.id, "similar"), 0), cited.get(a.id, 0),
        )
        for a in rows
    ]


def cited_items(session: Session, analysis_id: int) -> list[tuple[Citation, Item]]:
    """The analysis's citations that Dozor has stored, with their items, in citation order."""
    query = (
        select(Citation, Item)
        .join(Item, Item.id == Citation.item_id)
        .where(Citation.analysis_id == analysis_id)
        .order_by(Citation.position)
        .options(selectinload(Item.origins).selectinload(ItemSource.source))
    )
    return [tuple(row) for row in session.execute(query)]


def similar_items(session: Session, analysis_id: int, limit: int = 10) -> list[tuple[Item, float]]:
    """Items related to the analysis by similarity, best first."""
    query = (
        select(Item, AnalysisLink.score)
        .join(AnalysisLink, AnalysisLink.item_id == Item.id)
        .where(AnalysisLink.analysis_id == analysis_id, AnalysisLink.reason == "similar")
        .order_by(AnalysisLink.score.desc())
        .limit(limit)
        .options(selectinload(Item.origins).selectinload(ItemSource.source))
    )
    return [tuple(row) for row in session.execute(query)]


def source_urls(session: Session) -> list[str]:
    """The URLs of every monitored source."""
    return list(session.scalars(select(Source.url)))
