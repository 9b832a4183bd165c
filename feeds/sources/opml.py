"""OPML: reading a subscription list into sources, checking its feeds as /addfeed does, and writing the
sources as one."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from email.utils import format_datetime

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from feeds.analyze import Rules
from feeds.sources.checks import Refused, readable_feeds
from feeds.sources.discover import Discoverer
from feeds.sources.source_urls import BadSourceUrl, resolve_source
from storage import audit
from storage import sources as source_store
from storage.models import Source

MAX_OPML_BYTES = 2 * 1024 * 1024
KIND_ATTRIBUTE = "dozorKind"  # our own attribute, for kinds a URL does not reveal (analysis)
CHECKED_AT_ONCE = 6  # feeds fetched at the same time while an import is checked (the fetcher limits each host)
MOST_CHECKED = 500  # feeds of one document checked; the rest are refused, to be sent again in another file


class OpmlError(ValueError):
    """A document that is not OPML; the message is English (the command line's), `code` lets the bot word it."""

    def __init__(self, message: str, code: str, **params) -> None:
        super().__init__(message)
        self.code, self.params = code, params


@dataclass(frozen=True)
class Outline:
    """One feed of an OPML document, resolved into a source URL and kind."""

    url: str
    name: str
    kind: str
    platform: str | None = None
    origin: str | None = None


@dataclass(frozen=True)
class Refusal:
    """An outline left out: what it named, why in English (the command line's), and the error whose `code` and
    `params` let the bot word the reason (None: the message is all there is)."""

    what: str
    message: str
    error: Exception | None = None

    def __str__(self) -> str:
        return self.message if self.what in self.message else f"{self.what}: {self.message}"


@dataclass
class OpmlFeeds:
    """The feeds of a document, and the outlines that cannot be sources (with the reason)."""

    feeds: list[Outline] = field(default_factory=list)
    invalid: list[Refusal] = field(default_factory=list)


@dataclass
class ImportSummary:
    """What an import did."""

    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    invalid: list[Refusal] = field(default_factory=list)


def _parser() -> etree.XMLParser:
    # No DTD, no entity expansion, no network: a hostile file cannot blow up or reach out.
    return etree.XMLParser(
        resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, remove_pis=True
    )


def read_opml(data: bytes) -> OpmlFeeds:
    """The feeds of an OPML document; raise OpmlError if it is not one."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(
            f"the file is larger than {MAX_OPML_BYTES // (1024 * 1024)} MiB", "opml.too_large",
            most=MAX_OPML_BYTES // (1024 * 1024),
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise OpmlError(f"not well-formed XML: {exc}", "opml.not_xml") from None
    if root is None or etree.QName(root).localname.lower() != "opml":
        raise OpmlError("not an OPML document (the root element is not <opml>)", "opml.not_opml")
    found = OpmlFeeds()
    for outline in root.iter("{*}outline"):
        _read_outline(outline, found)
    return found


def _attribute(element, name: str) -> str:
    for key, value in element.attrib.items():
        if key.lower() == name.lower():
            return (value or "").strip()
    return ""


def _read_outline(outline, found: OpmlFeeds) -> None:
    xml_url = _attribute(outline, "xmlUrl")
    name = _attribute(outline, "title") or _attribute(outline, "text")
    if not xml_url:
        if len(outline) == 0 and _attribute(outline, "type").lower() in ("rss", "atom"):
            found.invalid.append(Refusal(name or "?", "no xmlUrl", OpmlError("no xmlUrl", "opml.no_url")))
        return  # a folder, or a plain link
    kind = _attribute(outline, KIND_ATTRIBUTE)
    try:
        resolved = resolve_source(xml_url, kind if kind in source_store.KINDS else None)
    except BadSourceUrl as exc:
        found.invalid.append(Refusal(xml_url, str(exc), exc))
        return
    found.feeds.append(
        Outline(resolved.url, (name or resolved.name)[:200], resolved.kind, resolved.platform, resolved.origin)
    )


Progress = Callable[[int, int], Awaitable[None]]
"""Told (feeds checked, feeds to check) after each check."""


async def check_feeds(
    feeds: OpmlFeeds, discoverer: Discoverer, sessions: sessionmaker[Session], rules: Rules, now: datetime,
    progress: Progress | None = None,
) -> OpmlFeeds:
    """The document's feeds after the checks /addfeed makes, each fetched and read once, a few at a time.

    A feed monitored already stays in, to be counted as a duplicate; a page stands for the first feed it
    links to; a feed that cannot be fetched or read moves to `invalid` with the reason.
    """
    with sessions() as session:
        known = set(session.scalars(select(Source.url)))
    todo = [feed for feed in feeds.feeds if feed.url not in known]
    beyond = len(todo) - MOST_CHECKED
    message = f"beyond the first {MOST_CHECKED}: send them in another file"
    refused = [Refusal(f"{beyond} feeds", message, OpmlError(message, "opml.too_many", most=MOST_CHECKED))]
    refused, todo = (refused if beyond > 0 else []), todo[:MOST_CHECKED]
    gate = asyncio.Semaphore(CHECKED_AT_ONCE)
    done = 0

    async def check(feed: Outline) -> Outline | None:
        nonlocal done
        async with gate:
            try:
                found = await readable_feeds(discoverer, sessions, feed.url, rules, now, feed.name)
                checked = _as_found(feed, found[0])
            except Refused as refusal:
                checked = replace(feed, url=refusal.url) if refusal.code == "duplicate" else None
                if checked is None:
                    refused.append(Refusal(feed.url, refusal.message, refusal.cause))
            done += 1
            if progress is not None:
                await progress(done, len(todo))
            return checked

    checked = await asyncio.gather(*(check(feed) for feed in todo))
    kept = [feed for feed in feeds.feeds if feed.url in known] + [feed for feed in checked if feed is not None]
    return OpmlFeeds(feeds=kept, invalid=feeds.invalid + refused)


def _as_found(outline: Outline, preview) -> Outline:
    """The outline as the feed the checks read (a page's outline becomes its feed's)."""
    kind = outline.kind if outline.kind == "analysis" else preview.kind
    origin = preview.origin if preview.url != outline.url else outline.origin
    return Outline(preview.url, outline.name, kind, preview.platform or outline.platform, origin)


def import_feeds(session: Session, feeds: OpmlFeeds, actor: audit.Actor) -> ImportSummary:
    """Add the feeds not monitored yet; skip duplicates; log the import when it added any."""
    summary = ImportSummary(invalid=list(feeds.invalid))
    known = set(session.scalars(select(Source.url)))
    for feed in feeds.feeds:
        if feed.url in known:
            summary.duplicates.append(feed.url)
            continue
        source_store.add_source(session, feed.url, feed.name, feed.kind, platform=feed.platform, origin=feed.origin)
        known.add(feed.url)
        summary.added.append(feed.url)
    if summary.added:
        audit.record(session, actor, "opml.import", f"{len(summary.added)} sources", None, summary.added)
    return summary


def write_opml(sources: list[Source], title: str = "Dozor sources", now: datetime | None = None) -> bytes:
    """The sources as an OPML 2.0 document."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    etree.SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(timezone.utc), usegmt=True)
    body = etree.SubElement(root, "body")
    for source in sources:
        outline = etree.SubElement(body, "outline", type="rss", text=source.name, title=source.name, xmlUrl=source.url)
        if source.kind != _implied_kind(source.url):
            outline.set(KIND_ATTRIBUTE, source.kind)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _implied_kind(url: str) -> str | None:
    try:
        return resolve_source(url).kind
    except BadSourceUrl:
        return None


def all_sources(session: Session) -> list[Source]:
    """Every source, by id, for an export."""
    return list(session.scalars(select(Source).order_by(Source.id)))
