"""Trying a rule change on stored items (gain and loss), and re-matching a topic after one."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from feeds.analyze import compile_valid
from feeds.matching import Matcher, check_rule
from storage import rematch as store
from storage.rematch import StoredText

BATCH = 500
EXAMPLES = 5


@dataclass(frozen=True)
class RuleChange:
    """Add a rule, replace rule `number` (1-based) with it, or remove rule `number`."""

    kind: str  # "add" | "replace" | "remove"
    rule: str = ""
    number: int = 0

    def check(self, rules: list[str]) -> None:
        """Raise RuleSyntaxError for a bad rule, ValueError for a number that is not a rule."""
        if self.kind != "add" and not 1 <= self.number <= len(rules):
            raise ValueError(f"the topic has no rule {self.number} (it has {len(rules)})")
        if self.kind != "remove":
            check_rule(self.rule)

    def applied(self, rules: list[str]) -> list[str]:
        """The topic's rules after the change."""
        if self.kind == "add":
            return rules + [self.rule]
        if self.kind == "replace":
            return rules[: self.number - 1] + [self.rule] + rules[self.number:]
        return rules[: self.number - 1] + rules[self.number:]


@dataclass
class DryRun:
    """What a change would do to the topic's stored matches."""

    checked: int = 0
    gained: int = 0
    lost: int = 0
    gained_examples: list[StoredText] = field(default_factory=list)
    lost_examples: list[StoredText] = field(default_factory=list)


def topic_matcher(topic_id: str, rules: list[str]) -> Matcher:
    """The matcher of one topic's rules (a rule that does not parse is left out, as the collector does)."""
    return compile_valid({topic_id: rules})


def _hits(matcher: Matcher, topic_id: str, items: list[StoredText]) -> dict[int, list[dict]]:
    found = {}
    for item in items:
        result = matcher.match(item.title, item.text)
        if topic_id in result.topics:
            found[item.id] = result.stored_hits(topic_id)
    return found


def _read(sessions: sessionmaker[Session], topic_id: str, since: datetime, after_id: int):
    """The next batch of items and which of them the topic matches now, in a short read transaction."""
    with sessions() as session:
        items = store.items_after(session, since, after_id, BATCH)
        return items, store.matched_ids(session, topic_id, [i.id for i in items])


def dry_run(sessions: sessionmaker[Session], topic_id: str, rules: list[str], since: datetime) -> DryRun:
    """Compare the topic's stored matches since `since` with what `rules` would match (nothing is written)."""
    matcher = topic_matcher(topic_id, rules)
    outcome = DryRun()
    last_id = 0
    while True:
        items, now_matched = _read(sessions, topic_id, since, last_id)
        if not items:
            return outcome
        last_id = items[-1].id
        would_match = _hits(matcher, topic_id, items)
        outcome.checked += len(items)
        for item in items:
            if item.id in would_match and item.id not in now_matched:
                outcome.gained += 1
                if len(outcome.gained_examples) < EXAMPLES:
                    outcome.gained_examples.append(item)
            elif item.id in now_matched and item.id not in would_match:
                outcome.lost += 1
                if len(outcome.lost_examples) < EXAMPLES:
                    outcome.lost_examples.append(item)


@dataclass
class Reapply:
    """Progress and totals of a re-match run."""

    total: int
    done: int = 0
    added: int = 0
    removed: int = 0
    last_id: int = 0

    @property
    def finished(self) -> bool:
        return self.done >= self.total


def start_reapply(sessions: sessionmaker[Session], since: datetime) -> Reapply:
    """A run over the items published since `since`."""
    with sessions() as session:
        return Reapply(total=store.count_items(session, since))


def reapply_batch(
    sessions: sessionmaker[Session], run: Reapply, topic_id: str, matcher: Matcher, since: datetime
) -> Reapply:
    """Re-match the next batch of items and store the topic's matches for them (matching outside any transaction)."""
    items, _ = _read(sessions, topic_id, since, run.last_id)
    if not items:
        run.done = run.total
        return run
    hits = _hits(matcher, topic_id, items)
    with sessions.begin() as session:
        added, removed = store.set_topic_matches(session, topic_id, [i.id for i in items], hits)
    run.added += added
    run.removed += removed
    run.done = min(run.total, run.done + len(items))
    run.last_id = items[-1].id
    return run


def reapply(
    sessions: sessionmaker[Session], topic_id: str, rules: list[str], since: datetime,
    progress: Callable[[Reapply], None] | None = None,
) -> Reapply:
    """Re-match every item published since `since` against the topic's rules, one batch at a time."""
    matcher = topic_matcher(topic_id, rules)
    run = start_reapply(sessions, since)
    while not run.finished:
        run = reapply_batch(sessions, run, topic_id, matcher, since)
        if progress:
            progress(run)
    return run
