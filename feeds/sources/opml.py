"""OPML: reading a subscription list into sources, and writing the sources as one."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from feeds.sources.source_urls import BadSourceUrl, resolve_source
from storage import audit
from storage import sources as source_store
from storage.models import Source

MAX_OPML_BYTES = 2 * 1024 * 1024
KIND_ATTRIBUTE = "dozorKind"  # our own attribute, for kinds a URL does not reveal (analysis)


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


@dataclass
class OpmlFeeds:
    """The feeds of a document, and the outlines that cannot be sources (with the reason)."""

    feeds: list[Outline] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)


@dataclass
class ImportSummary:
    """What an import did."""

    added: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)


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
            found.invalid.append(f"{name or '?'}: no xmlUrl")
        return  # a folder, or a plain link
    kind = _attribute(outline, KIND_ATTRIBUTE)
    try:
        resolved = resolve_source(xml_url, kind if kind in source_store.KINDS else None)
    except BadSourceUrl as exc:
        found.invalid.append(str(exc))
        return
    found.feeds.append(
        Outline(resolved.url, (name or resolved.name)[:200], resolved.kind, resolved.platform, resolved.origin)
    )


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
