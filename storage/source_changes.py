"""Changes people make to sources, each written to the audit log: the same for the bot and the command line."""
from __future__ import annotations

from sqlalchemy.orm import Session

from storage import audit
from storage import sources as source_store
from storage.models import Source


def snapshot(source: Source) -> dict:
    """A source as plain data for the audit log."""
    return {
        "id": source.id, "name": source.name, "url": source.url, "kind": source.kind, "label": source.label,
        "status": source.status, "full_text": source.full_text,
    }


def target(source: Source) -> str:
    """How the audit log names a source: `#12 Azattyk`."""
    return f"#{source.id} {source.name}"


def add(
    session: Session, url: str, name: str, kind: str, actor: audit.Actor, *,
    platform: str | None = None, origin: str | None = None, label: str | None = None, full_text: str = "auto",
) -> Source:
    """Add a source (a social account's: its `platform`, and why this URL: its `origin`); raise SourceExists
    (ValueError for a bad label)."""
    source = source_store.add_source(
        session, url, name, kind, platform=platform, origin=origin, label=label, full_text=full_text
    )
    audit.record(session, actor, "source.add", target(source), None, snapshot(source))
    return source


def remove(session: Session, source_id: int, actor: audit.Actor) -> dict | None:
    """Stop monitoring a source; what it was, or None if there is no such source."""
    source = session.get(Source, source_id)
    if source is None:
        return None
    before = snapshot(source)
    audit.record(session, actor, "source.remove", target(source), before, None)
    source_store.remove_source(session, source_id)
    return before


def set_status(session: Session, source_id: int, status: str, actor: audit.Actor) -> tuple[str, Source | None]:
    """Pause or resume a source: ("no_source" | "source_same_state" | "source_paused" | "source_resumed", source)."""
    source = session.get(Source, source_id)
    if source is None:
        return "no_source", None
    if source.status == status:
        return "source_same_state", source
    before = snapshot(source)
    source_store.set_status(session, source_id, status)
    if status == "paused":
        source.paused_reason = f"{source_store.PAUSED_BY}{actor}"
    action = "source.pause" if status == "paused" else "source.resume"
    audit.record(session, actor, action, target(source), before, snapshot(source))
    return ("source_paused" if status == "paused" else "source_resumed"), source


def set_label(session: Session, source_id: int, label: str | None, actor: audit.Actor) -> Source | None:
    """Set or clear a source's label (checked with sources.check_label); None if there is no such source."""
    source = session.get(Source, source_id)
    if source is None:
        return None
    before = snapshot(source)
    source_store.set_label(session, source_id, label)
    audit.record(session, actor, "source.label", target(source), before, snapshot(source))
    return source
def set_full_text(session: Session, source_id: int, mode: str, actor: audit.Actor) -> tuple[str, Source | None]:
    """When the source's article pages are read: ("no_source" | "full_text_same" | "full_text_set", source)."""
    source = session.get(Source, source_id)
    if source is None:
        return "no_source", None
    if source.full_text == source_store.check_full_text(mode):
        return "full_text_same", source
    before = snapshot(source)
    source.full_text = mode
    audit.record(session, actor, "source.update", target(source), before, snapshot(source))
    return "full_text_set", source
