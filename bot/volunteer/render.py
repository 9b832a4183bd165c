"""Telegram HTML for the volunteers' answers: search results, items, sources, analyses."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.delivery.analysis_lines import analysis_line
from bot.diff import changes_html, word_changes
from bot.markup import echo, link, short
from bot.messages import pack, text_pieces
from bot.texts import Html, explain, pause_reason, problem, t
from bot.volunteer.analysis_views import AnalysisView
from bot.volunteer.use_cases import ItemView, SearchResult, SourceHealth
from storage.analyses import AnalysisRef, AnalysisSummary
from storage.models import Item
from storage.search.execute import SearchHit
from storage.versions import Version, versions_of

TITLE_CHARS = 300
# A page of five results must stay under Telegram's 4096 characters whatever the items hold.
HIT_TITLE_CHARS = 180
HIT_SOURCES_CHARS = 80
LIST_CHARS = 3500  # a section of list lines, packed with the analysis's other sections
ITEM_TEXT_CHARS = 16_000  # of an item's text /item shows, over several messages (about four)
MARKS_PER_FIELD = 6  # Telegram renders only about 100 entities per message


def marked(text: str, spans: Sequence[tuple[int, int]], limit: int | None = None) -> str:
    """Escaped text with the spans in bold, cut to `limit` characters (spans past the cut dropped)."""
    suffix = ""
    if limit is not None and len(text) > limit:
        text, suffix = text[: limit - 1].rstrip(), "…"
    parts, at = [], 0
    inside = [(start, end) for start, end in sorted(spans) if 0 <= start < end <= len(text)]
    for start, end in inside[:MARKS_PER_FIELD]:
        if start < at:
            continue
        parts += [escape(text[at:start], quote=False), "<b>", escape(text[start:end], quote=False), "</b>"]
        at = end
    parts.append(escape(text[at:], quote=False) + suffix)
    return "".join(parts)


def when(moment: datetime, tz: ZoneInfo) -> str:
    """A local date and time."""
    return moment.astimezone(tz).strftime("%d.%m.%Y %H:%M")


def _indented(line: str | None) -> str:
    return "" if not line else "\n" + "\n".join("   " + part for part in line.split("\n"))


def render_hit(number: int, hit: SearchHit, tz: ZoneInfo, lang: str, refs: Sequence[AnalysisRef]) -> str:
    """One search result: linked title, sources and date, snippet, analyses."""
    title = link(hit.url, marked(hit.title or hit.url or "…", hit.title_spans, HIT_TITLE_CHARS))
    sources = escape(short(", ".join(hit.sources), HIT_SOURCES_CHARS), quote=False)
    text = f"{number}. {title}\n   {sources} · {when(hit.published_at, tz)} · /item_{hit.item_id}"
    if hit.similar:
        text += " · " + t("search_similar", lang, n=hit.similar)
    if hit.snippet.text:
        text += "\n   " + marked(hit.snippet.text, hit.snippet.spans)
    return text + _indented(analysis_line(refs, lang))


def render_search(result: SearchResult, tz: ZoneInfo, lang: str) -> str:
    """A page of search results with its header."""
    query = echo(result.text)
    if not result.page.results:
        return t("search_none", lang, query=query)
    total = f"{result.page.total}" if result.page.exact else f"{result.page.total}+"
    header = t("search_header", lang, query=query, total=total, page=result.number + 1, pages=result.pages)
    first = result.page.offset + 1
    blocks = [
        render_hit(first + n, hit, tz, lang, result.analyses.get(hit.item_id, []))
        for n, hit in enumerate(result.page.results)
    ]
    return "\n\n".join([header, *blocks])


def render_query_error(error, lang: str) -> str:
    """Why a query was refused and an example (error is a storage.search.execute.QueryError)."""
    return t("search_bad", lang, reason=explain(error, lang, "query"), example=error.example)


def _topics(item: Item, titles: dict[str, str]) -> list[str]:
    return [titles.get(m.topic_id, m.topic_id) for m in sorted(item.matches, key=lambda m: m.topic_id)]


def _sources(item: Item) -> list[str]:
    return sorted({origin.source.shown_name for origin in item.origins})


def _terms(item: Item) -> list[str]:
    seen: dict[str, None] = {}
    for match in item.matches:
        for hit in match.hits or []:
            if hit.get("term"):
                seen.setdefault(hit["term"], None)
    return list(seen)


def render_brief(item: Item, titles: dict[str, str], tz: ZoneInfo, lang: str, refs: Sequence[AnalysisRef]) -> str:
    """An item in a list: linked title, sources, date, topics and matched terms."""
    title = link(item.url, escape(short(item.title or item.url or "…", TITLE_CHARS), quote=False))
    sources = escape(", ".join(_sources(item)), quote=False)
    topics = escape(", ".join(_topics(item, titles)), quote=False)
    terms = ", ".join(f"<b>{escape(term, quote=False)}</b>" for term in _terms(item)[:5])
    text = f"• {title}\n   {sources} · {when(item.published_at, tz)} · /item_{item.id}\n   {topics}"
    if terms:
        text += ": " + terms
    return text + _indented(analysis_line(refs, lang))


def _item_text(item: Item, lang: str) -> list[str]:
    """The item's text (the article's full text when extracted) as pieces for several messages; past
    ITEM_TEXT_CHARS, a line says where to read the rest."""
    text = (item.full_text or item.text).strip()
    if len(text) <= ITEM_TEXT_CHARS:
        return [escape(piece, quote=False) for piece in text_pieces(text)]
    shown = text[:ITEM_TEXT_CHARS].rsplit(" ", 1)[0]
    pieces = [escape(piece, quote=False) for piece in text_pieces(shown + " …")]
    where = link(item.url, escape(item.url, quote=False)) if item.url else t("item_text_nowhere", lang)
    return pieces + ["\n" + t("item_text_cut", lang, shown=len(shown), total=len(text), where=where)]


def render_item(view: ItemView, tz: ZoneInfo, lang: str) -> list[str]:
    """One item in full, as pieces to pack: title, date, language, every source, topics with terms, text, analyses."""
    item = view.item
    title = link(item.url, f"<b>{escape(short(item.title or item.url or '…', TITLE_CHARS), quote=False)}</b>")
    lines = [title, f"#{item.id} · {when(item.published_at, tz)}" + (f" · {escape(item.lang)}" if item.lang else "")]
    lines.append(f"{t('item_sources', lang)}: " + escape(", ".join(_sources(item)), quote=False))
    topics = []
    for match in sorted(item.matches, key=lambda m: m.topic_id):
        terms = sorted({hit.get("term") for hit in match.hits or [] if hit.get("term")})
        name = escape(view.titles.get(match.topic_id, match.topic_id), quote=False)
        topics.append(name + (": " + ", ".join(f"<b>{escape(t, quote=False)}</b>" for t in terms) if terms else ""))
    lines.append(f"{t('item_topics', lang)}: " + ("; ".join(topics) or t("item_no_topics", lang)))
    lines += _evidence_lines(item, tz, lang)
    if (item.full_text or item.text).strip():
        lines += ["", *_item_text(item, lang)]
    if view.analyses:
        lines.append(f"\n<b>{t('item_analyses', lang)}</b>:")
        for ref in view.analyses:
            why = t("reason_cited" if ref.reason == "cited" else "reason_similar", lang)
            lines.append(f"📚 {link(ref.url, escape(ref.title, quote=False))} ({why}) · /analysis_{ref.id}")
    return lines


def _evidence_lines(item: Item, tz: ZoneInfo, lang: str) -> list[str]:
    """Whether the item was edited or deleted, and why its article page gave no text."""
    lines = []
    if item.edit_count:
        key = "item_edited_once" if item.edit_count == 1 else "item_edited"
        lines.append(t(key, lang, n=item.edit_count, id=item.id))
    elif item.edited:
        lines.append(t("item_edited_unseen", lang))
    if item.deleted_at:
        reason = t(f"deleted_reason_{item.deleted_reason}", lang)
        lines.append(t("item_deleted", lang, when=when(item.deleted_at, tz), reason=reason, id=item.id))
    if item.extract_error and not item.full_text:
        code = item.extract_error.partition(":")[0]  # stored as "code: message"
        lines.append(t("item_no_full_text", lang, problem=problem(code, lang), error=short(item.extract_error, 200)))
    return lines


def render_history(item: Item, tz: ZoneInfo, lang: str) -> list[str]:
    """Every version of an item with its times and what changed from the one before, and its deletion, as pieces."""
    history = versions_of(item)
    title = link(item.url, f"<b>{escape(short(item.title or item.url or '…', TITLE_CHARS), quote=False)}</b>")
    blocks = [t("history_title", lang, id=item.id, n=len(history)) + "\n" + title]
    previous: Version | None = None
    for number, version in enumerate(history, 1):
        head = t("history_version", lang, n=number, first=when(version.first_seen, tz), last=when(version.last_seen, tz))
        blocks.append(head + "\n" + _version_body(previous, version, lang))
        previous = version
    if item.deleted_at:
        evidence = short(item.deleted_evidence or "", 500)
        reason = t(f"deleted_reason_{item.deleted_reason}", lang)
        blocks.append(t("history_deleted", lang, when=when(item.deleted_at, tz), reason=reason, evidence=evidence))
    return blocks


def _version_body(previous: Version | None, version: Version, lang: str) -> str:
    if previous is None:
        return f"<i>{escape(short(version.title, TITLE_CHARS), quote=False)}</i>\n" + escape(
            short(version.best_text, 600), quote=False
        )
    lines = []
    if previous.title != version.title:
        lines.append(t("change_title", lang, old=short(previous.title, TITLE_CHARS), new=short(version.title, TITLE_CHARS)))
    diff = changes_html(word_changes(previous.best_text, version.best_text, most=10))
    if diff:
        lines.append(t("change_text", lang, diff=Html(diff)))
    if previous.url != version.url and version.url:
        lines.append(t("change_link", lang, url=version.url))
    return "\n".join(lines) or t("history_same_words", lang)


def render_source(row: SourceHealth, tz: ZoneInfo, lang: str) -> str:
    """One source and its health."""
    source = row.source
    if source.status != "active":
        mark = "⏸"
    elif source.error_count:
        mark = "⚠️"
    else:
        mark = "✅" if source.last_ok_at else "🕓"  # not polled yet
    ok = when(source.last_ok_at, tz) if source.last_ok_at else t("never", lang)
    per_day = f"{row.per_day:.1f}".removesuffix(".0")
    text = t("source_line", lang, mark=mark, name=source.shown_name, kind=source.shown_kind, per_day=per_day, ok=ok)
    if source.error_count and source.last_error_code:
        text += "\n" + t("source_error", lang, count=source.error_count, error=problem(source.last_error_code, lang))
    if source.status != "active" and source.paused_reason:
        text += "\n" + t("source_paused_reason", lang, reason=pause_reason(source, lang))
    return text


def render_analysis_summary(row: AnalysisSummary, tz: ZoneInfo, lang: str) -> str:
    """An analysis in the list, with its counts of cited and related items."""
    title = link(row.url, f"<b>{escape(short(row.title, TITLE_CHARS), quote=False)}</b>")
    day = row.published_at.astimezone(tz).strftime("%d.%m.%Y")
    counts = t("analysis_counts", lang, cited=row.cited_items, similar=row.similar_items, id=row.id)
    return f"• {title}\n   {day} · {counts}"


def render_analysis(view: AnalysisView, titles: dict[str, str], tz: ZoneInfo, lang: str) -> list[str]:
    """One analysis as blocks: what it is, the stored items it cites, related items, sites to add."""
    analysis = view.analysis
    title = link(analysis.url, f"<b>{escape(short(analysis.title, TITLE_CHARS), quote=False)}</b>")
    topics = ", ".join(titles.get(t, t) for t in analysis.topics or []) or t("item_no_topics", lang)
    head = f"📚 {title}\n#{analysis.id} · {when(analysis.published_at, tz)} · {escape(topics, quote=False)}"
    blocks = [head + " · " + t("citations_count", lang, n=view.citations)]
    if view.cited:
        header = t("analysis_cited_stored", lang, n=len(view.cited), total=view.citations)
        blocks += pack([header, *(_item_line(item, tz) for item in view.cited)], "\n", LIST_CHARS)
    else:
        blocks.append(t("analysis_cites_nothing", lang))
    if view.similar:
        header = t("analysis_similar", lang, n=len(view.similar))
        similar = (_item_line(item, tz) for item, _score in view.similar)  # best first; a raw cosine means nothing to a reader
        blocks += pack([header, *similar], "\n", LIST_CHARS)
    if view.suggestions:
        lines = [t("analysis_suggest", lang)]
        lines += [f"• {escape(site, quote=False)} ({n})" for site, n in view.suggestions]
        blocks += pack(lines, "\n", LIST_CHARS)
    return blocks


def _item_line(item: Item, tz: ZoneInfo) -> str:
    title = link(item.url, escape(short(item.title or item.url or "…", 150), quote=False))
    sources = escape(", ".join(_sources(item)), quote=False)
    day = item.published_at.astimezone(tz).strftime("%d.%m.%Y")
    return f"• {title} · {sources} · {day} · /item_{item.id}"
