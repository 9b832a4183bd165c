"""Analyses: adding them, extracting what they cite, and linking them to stored items.

An item is linked to an analysis when the analysis cites the item's canonical URL (score 1), or when
they share a topic, the item was published within the analysis's time window, and their texts are
similar (cosine over tf-idf of stems, idf taken over the analysis and its candidate items).
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from feeds.analyses.similarity import similarities, term_counts
from feeds.analyze import compile_valid
from feeds.citations import extract_citations
from feeds.normalize import canonical_url, headline, html_to_text
from storage import analyses as store
from storage import audit
from storage import fleet
from storage.analysis_models import Analysis
from storage.digests import latest_item_id
from storage.meta import get_meta, set_meta
from storage.models import utcnow
from storage.topics import topic_rules

log = logging.getLogger(__name__)

WINDOW_BEFORE = timedelta(days=30)
WINDOW_AFTER = timedelta(days=2)
SIMILARITY_THRESHOLD = 0.2
MAX_CANDIDATES = 3000
NEW_ITEMS_BATCH = 5000
WATERMARK = "analyses_linked_through"
CITED = "cited"
SIMILAR = "similar"


class AnalysisInputError(ValueError):
    """An analysis that cannot be stored as given (no URL, no text...); `code` lets the bot word it."""

    def __init__(self, message: str, code: str = "analysis.bad", **params) -> None:
        super().__init__(message)
        self.code, self.params = code, params


@dataclass(frozen=True)
class LinkedAnalysis:
    """What adding an analysis did."""

    id: int
    title: str
    created: bool
    topics: list[str]
    citations: int
    cited_items: int
    similar_items: int


def add_analysis(
    session: Session,
    url: str,
    title: str | None,
    content: str,
    published: datetime | None = None,
    *,
    origin: str = "cli",
    item_id: int | None = None,
    topics: list[str] | None = None,
    links: Sequence[str] = (),
    actor: audit.Actor | None = None,
) -> LinkedAnalysis:
    """Store an analysis (HTML or plain text) with its citations and link it to stored items.

    A person's addition (`actor`: an admin, or the command line) is written to the audit log.
    """
    canonical = canonical_url(url)
    if not canonical or not canonical.startswith(("http://", "https://")):
        raise AnalysisInputError(f"{url!r} is not an http(s) URL", "analysis.bad_url", given=url)
    text = html_to_text(content) if "<" in content else content.strip()
    if not text:
        raise AnalysisInputError("the analysis has no text", "analysis.no_text")
    title = " ".join((title or "").split()) or headline(text)
    created = store.find_by_url(session, canonical) is None
    fields = {
        "url": url,
        "canonical_url": canonical,
        "title": title,
        "published_at": published or utcnow(),
        "text": text,
        "topics": topics if topics is not None else topics_of(session, title, text),
        "origin": origin,
        "item_id": item_id,
    }
    found = extract_citations("\n".join([content, *links]), url)
    cited = [(c.url, c.canonical_url, c.number) for c in found]
    analysis = store.save_analysis(session, fields, cited)
    cited_ids, similar = link_analysis(session, analysis)
    if actor is not None:
        action = "analysis.add" if created else "analysis.update"
        audit.record(session, actor, action, f"#{analysis.id} {title}", None, {"url": url, "title": title})
    return LinkedAnalysis(analysis.id, title, created, list(analysis.topics), len(cited), len(cited_ids), similar)


def topics_of(session: Session, title: str, text: str) -> list[str]:
    """The topics whose rules match the analysis."""
    return compile_valid(topic_rules(session)).match(title, text).topics


def link_analysis(session: Session, analysis: Analysis, counts: dict | None = None) -> tuple[list[int], int]:
    """Relink the analysis from scratch; return the cited item ids and the number of similar items.

    `counts` caches the items' stem counts across calls (analyses often share candidates).
    """
    cited = store.resolve_citations(session, analysis)
    links = {item_id: (1.0, CITED) for item_id in cited if item_id != analysis.item_id}
    similar = _similar_items(session, analysis, {analysis.item_id, *links}, {} if counts is None else counts)
    links.update((item_id, (round(score, 4), SIMILAR)) for item_id, score in similar.items())
    store.replace_links(session, analysis.id, links)
    return cited, len(similar)


def _similar_items(session: Session, analysis: Analysis, exclude: set, counts: dict) -> dict[int, float]:
    """Candidate items of the analysis's topics and window whose similarity passes the threshold."""
    pool = store.candidates(
        session,
        analysis.topics or [],
        analysis.published_at - WINDOW_BEFORE,
        analysis.published_at + WINDOW_AFTER,
        exclude,
        MAX_CANDIDATES,
    )
    if not pool:
        return {}
    for candidate in pool:
        if candidate.id not in counts:
            counts[candidate.id] = term_counts(candidate.title, candidate.text)
    scores = similarities(term_counts(analysis.title, analysis.text), [counts[c.id] for c in pool])
    return {c.id: score for c, score in zip(pool, scores) if score >= SIMILARITY_THRESHOLD}


def absorb_source_items(session: Session) -> int:
    """Turn items of `analysis` sources into analyses; return how many."""
    count = 0
    for item in store.pending_source_items(session):
        if not item.url or not (item.text or item.title):
            continue
        topics = sorted(m.topic_id for m in item.matches)
        existing = store.find_by_url(session, canonical_url(item.url))
        if existing is not None and existing.item_id not in (None, item.id):
            continue  # another item already carries this analysis
        links = (item.extra or {}).get("links") or []  # kept by the parser for analysis sources
        add_analysis(
            session, item.url, item.title, item.text or item.title, item.published_at,
            origin="source", item_id=item.id, topics=topics, links=links,
        )
        count += 1
    return count


def link_new_items(session: Session) -> int:
    """Link items stored since the last call to the analyses that cite them or are close to them."""
    done = int(get_meta(session, WATERMARK) or 0)
    if not store.any_analysis(session):
        set_meta(session, WATERMARK, str(max(done, latest_item_id(session))))
        return 0
    rows = store.new_items(session, done, NEW_ITEMS_BATCH)
    if not rows:
        return 0
    by_url = {url: item_id for item_id, url, _, _ in rows if url}
    affected = set(store.link_cited(session, by_url))
    topical = [(published, set(topics)) for _, _, published, topics in rows if topics]
    for analysis in store.analyses_covering(session, [p for p, _ in topical], WINDOW_BEFORE, WINDOW_AFTER):
        if _shares_topic(analysis, topical):
            affected.add(analysis.id)
    counts: dict = {}
    for analysis_id in sorted(affected):
        link_analysis(session, session.get(Analysis, analysis_id), counts)
    set_meta(session, WATERMARK, str(rows[-1][0]))
    return len(affected)


def _shares_topic(analysis: Analysis, topical: list[tuple[datetime, set[str]]]) -> bool:
    wanted = set(analysis.topics or [])
    low, high = analysis.published_at - WINDOW_BEFORE, analysis.published_at + WINDOW_AFTER
    return any(low <= published <= high and topics & wanted for published, topics in topical)


def after_collect(sessions: sessionmaker[Session]) -> tuple[int, int]:
    """The collector's follow-up: new analyses from analysis sources, then links for new items.

    Processes sharing a database take turns: one links while the others wait, then find nothing left.
    """
    with sessions.begin() as session:
        fleet.wait_exclusive(session, "linking")
        absorbed = absorb_source_items(session)
    with sessions.begin() as session:
        fleet.wait_exclusive(session, "linking")
        relinked = link_new_items(session)
    if absorbed or relinked:
        log.info("analyses: %d new from sources, %d relinked", absorbed, relinked)
    return absorbed, relinked
