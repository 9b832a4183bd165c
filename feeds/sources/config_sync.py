"""Config as code: sources (with their labels), topics and rules written to TOML and imported back, idempotently."""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from feeds.matching import RuleSyntaxError, check_rule
from feeds.sources.source_urls import BadSourceUrl, resolve_source
from storage import audit, topic_edits
from storage import sources as source_store
from storage.models import Source
from storage.topics import NARRATIVE, TOPIC

HEADER = (
    "# Dozor configuration: sources, topics, narratives and their rules.\n"
    "# Apply with `dozor config import FILE`: it adds and updates, and says what changed;\n"
    "# with --prune it also removes sources, topics and narratives this file does not list\n"
    "# (narratives only if the file has a [[narratives]] section).\n"
)


class ConfigError(ValueError):
    """A configuration file that cannot be applied; nothing was changed."""


@dataclass
class SourceSpec:
    url: str
    name: str
    kind: str
    paused: bool | None = None  # None: leave the state as it is
    platform: str | None = None  # recognised from the URL, kept on a source the import adds
    origin: str | None = None
    label: str | None = None  # None: leave the label as it is
    full_text: str = "auto"  # when its items' article pages are read: auto | always | never


@dataclass
class TopicSpec:
    id: str
    title: str
    rules: list[str] = field(default_factory=list)


@dataclass
class Config:
    sources: list[SourceSpec] = field(default_factory=list)
    topics: list[TopicSpec] = field(default_factory=list)
    narratives: list[TopicSpec] = field(default_factory=list)
    lists_narratives: bool = True  # a file from before narratives has no [[narratives]]: --prune leaves them alone


def current_config(session: Session) -> Config:
    """The database's sources, topics and rules."""
    sources = [
        SourceSpec(s.url, s.name, s.kind, paused=s.status == "paused" or None, label=s.label, full_text=s.full_text)
        for s in session.scalars(select(Source).order_by(Source.id))
    ]
    topics, narratives = (
        [TopicSpec(t.id, t.title, [r.text for r in t.rules]) for t in topic_edits.all_topics(session, kind)]
        for kind in (TOPIC, NARRATIVE)
    )
    return Config(sources, topics, narratives)


def toml_string(text: str) -> str:
    """A TOML string: "basic" as usual, 'literal' when that spares escaping the double quotes of a rule."""
    plain = not any(ord(c) < 32 or ord(c) == 127 for c in text)
    if plain and '"' in text and "'" not in text and "\\" not in text:
        return f"'{text}'"
    # JSON string escapes are all valid TOML basic-string escapes; DEL must be escaped in TOML, not in JSON.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def to_toml(config: Config) -> str:
    """The configuration as a TOML document."""
    out = [HEADER]
    for source in config.sources:
        out.append("[[sources]]")
        out.append(f"name = {toml_string(source.name)}")
        out.append(f"url = {toml_string(source.url)}")
        out.append(f"kind = {toml_string(source.kind)}")
        if source.label:
            out.append(f"label = {toml_string(source.label)}")
        if source.paused:
            out.append("paused = true")
        if source.full_text != "auto":
            out.append(f"full_text = {toml_string(source.full_text)}")
        out.append("")
    for section, topic in [("topics", t) for t in config.topics] + [("narratives", n) for n in config.narratives]:
        out.append(f"[[{section}]]")
        out.append(f"id = {toml_string(topic.id)}")
        out.append(f"title = {toml_string(topic.title)}")
        rules = "".join(f"\n    {toml_string(rule)}," for rule in topic.rules)
        out.append(f"rules = [{rules}\n]" if rules else "rules = []")
        out.append("")
    return "\n".join(out)


def _string(table: dict, key: str, where: str, problems: list[str], default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: `{key}` must be a non-empty string")
        return ""
    return value.strip()


def _source(table: dict, where: str, problems: list[str]) -> SourceSpec | None:
    url = _string(table, "url", where, problems)
    if not url:
        return None
    kind = table.get("kind")
    if kind is not None and kind not in source_store.KINDS:
        problems.append(f"{where}: kind must be one of {', '.join(source_store.KINDS)}")
        return None
    try:
        resolved = resolve_source(url, kind)
    except BadSourceUrl as exc:
        problems.append(f"{where}: {exc}")
        return None
    name = table.get("name") or resolved.name
    paused = table.get("paused")
    if paused is not None and not isinstance(paused, bool):
        problems.append(f"{where}: paused must be true or false")
    label = table.get("label")
    try:
        if label is not None and not isinstance(label, str):
            raise ValueError("label must be a string")
        source_store.check_label(label)
    except ValueError as exc:
        problems.append(f"{where}: {exc}")
    full_text = table.get("full_text", "auto")
    if full_text not in source_store.FULL_TEXT_MODES:
        problems.append(f"{where}: full_text must be one of {', '.join(source_store.FULL_TEXT_MODES)}")
        full_text = "auto"
    return SourceSpec(
        resolved.url, str(name)[:200], resolved.kind, paused, resolved.platform, resolved.origin, label, full_text
    )


def _topic(table: dict, where: str, problems: list[str]) -> TopicSpec | None:
    topic_id = _string(table, "id", where, problems)
    if topic_id and not topic_edits.valid_topic_id(topic_id):
        problems.append(f"{where}: {topic_id!r} is not a valid topic id (a-z, 0-9, _ and -, at most 32)")
    rules = table.get("rules", [])
    if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
        problems.append(f"{where}: rules must be a list of strings")
        return None
    for number, rule in enumerate(rules, 1):
        try:
            check_rule(rule)
        except RuleSyntaxError as error:
            problems.append(f"{where} ({topic_id}), rule {number}: {error}")
    title = table.get("title") or topic_id
    return TopicSpec(topic_id, str(title)[:200], list(rules))


def parse_config(text: str) -> Config:
    """Read and check a TOML configuration; raise ConfigError listing every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError("not valid TOML: arrays or tables nested too deeply") from None
    problems: list[str] = []
    config = Config()
    for index, table in enumerate(data.get("sources", []), 1):
        spec = _source(table, f"sources[{index}]", problems)
        if spec:
            config.sources.append(spec)
    for section, found in (("topics", config.topics), ("narratives", config.narratives)):
        for index, table in enumerate(data.get(section, []), 1):
            spec = _topic(table, f"{section}[{index}]", problems)
            if spec:
                found.append(spec)
    config.lists_narratives = "narratives" in data
    unknown = sorted(set(data) - {"sources", "topics", "narratives"})
    if unknown:
        problems.append(f"unknown sections: {', '.join(unknown)} (expected [[sources]], [[topics]] and [[narratives]])")
    _no_duplicates([s.url for s in config.sources], "source url", problems)
    _no_duplicates([t.id for t in config.topics + config.narratives], "topic or narrative id", problems)
    if len(problems) == 1:
        raise ConfigError(f"the configuration has a problem, nothing was changed: {problems[0]}")
    if problems:
        raise ConfigError("the configuration has problems, nothing was changed:\n  " + "\n  ".join(problems))
    return config


def _no_duplicates(values: list[str], what: str, problems: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            problems.append(f"{what} {value} appears twice")
        seen.add(value)


def apply_config(session: Session, config: Config, actor: audit.Actor, prune: bool = False) -> list[str]:
    """Make the database match the configuration; return one line per change (none when it already does)."""
    changes: list[str] = []
    _apply_sources(session, config.sources, actor, prune, changes)
    _apply_topics(session, config.topics, actor, prune, changes, TOPIC)
    _apply_topics(session, config.narratives, actor, prune and config.lists_narratives, changes, NARRATIVE)
    return changes


def _source_state(source: Source) -> dict:
    return {
        "name": source.name, "url": source.url, "kind": source.kind, "label": source.label, "status": source.status,
        "full_text": source.full_text,
    }


def _apply_sources(session: Session, specs: list[SourceSpec], actor, prune: bool, changes: list[str]) -> None:
    existing = {s.url: s for s in session.scalars(select(Source))}
    for spec in specs:
        source = existing.get(spec.url)
        if source is None:
            source = source_store.add_source(
                session, spec.url, spec.name, spec.kind, platform=spec.platform, origin=spec.origin, label=spec.label,
                full_text=spec.full_text,
            )
            if spec.paused:
                source.status, source.paused_reason = "paused", source_store.PAUSED_BY_CONFIG
            audit.record(session, actor, "config.source.add", spec.url, None, _source_state(source))
            changes.append(f"added source {spec.url} ({spec.name})")
            continue
        before = _source_state(source)
        source.name, source.kind, source.full_text = spec.name, spec.kind, spec.full_text
        if spec.label is not None:
            source.label = source_store.check_label(spec.label)
        if spec.paused is not None and spec.paused != (source.status == "paused"):
            source_store.set_status(session, source.id, "paused" if spec.paused else "active")
            if spec.paused:
                source.paused_reason = source_store.PAUSED_BY_CONFIG
        after = _source_state(source)
        if after != before:
            audit.record(session, actor, "config.source.update", spec.url, before, after)
            changes.append(f"updated source {spec.url}: " + _difference(before, after))
    if prune:
        wanted = {spec.url for spec in specs}
        for url, source in existing.items():
            if url not in wanted:
                audit.record(session, actor, "config.source.remove", url, _source_state(source), None)
                source_store.remove_source(session, source.id)
                changes.append(f"removed source {url}")


def _apply_topics(session: Session, specs: list[TopicSpec], actor, prune: bool, changes: list[str], kind: str) -> None:
    existing = {t.id: t for t in topic_edits.all_topics(session, kind)}
    for spec in specs:
        topic = existing.get(spec.id)
        if topic is None:
            try:
                topic = topic_edits.add_topic(session, spec.id, spec.title, kind)
            except topic_edits.TopicEditError as exc:  # a topic's id given to a narrative, or the other way round
                raise ConfigError(f"{kind} {spec.id}: {exc} as a {TOPIC if kind == NARRATIVE else NARRATIVE}") from None
            topic_edits.set_rules(session, topic, spec.rules)
            audit.record(session, actor, f"config.{kind}.add", spec.id, None, topic_edits.snapshot(topic))
            changes.append(f"added {kind} {spec.id} with {len(spec.rules)} rules")
            continue
        before = topic_edits.snapshot(topic)
        topic.title = spec.title
        if [r.text for r in topic.rules] != spec.rules:
            topic_edits.set_rules(session, topic, spec.rules)
        after = topic_edits.snapshot(topic)
        if after != before:
            audit.record(session, actor, f"config.{kind}.update", spec.id, before, after)
            changes.append(f"updated {kind} {spec.id}: " + _topic_difference(before, after))
    if prune:
        wanted = {spec.id for spec in specs}
        for topic_id in existing:
            if topic_id not in wanted:
                before = topic_edits.remove_topic(session, topic_id)
                audit.record(session, actor, f"config.{kind}.remove", topic_id, before, None)
                changes.append(f"removed {kind} {topic_id}")


def _difference(before: dict, after: dict) -> str:
    return ", ".join(f"{key} {before[key]!r} -> {after[key]!r}" for key in before if before[key] != after[key])


def _topic_difference(before: dict, after: dict) -> str:
    parts = []
    if before["title"] != after["title"]:
        parts.append(f"title {before['title']!r} -> {after['title']!r}")
    added = [r for r in after["rules"] if r not in before["rules"]]
    removed = [r for r in before["rules"] if r not in after["rules"]]
    if added or removed:
        parts.append(f"rules +{len(added)} -{len(removed)}")
    if not added and not removed and before["rules"] != after["rules"]:
        parts.append("rules reordered")
    return ", ".join(parts)
