"""What narrative shares are counted from: a topic's items per hour and source label, and of them those telling each narrative.

Counting is by UTC hour (the caller folds hours into local days): an item carried by two sources with one
label counts once for it, an item of two labels once for each. Whole hours are read from narrative_hours,
counted in advance; the partial hours at the ends of a period, and the hours that the triggers of migration
0016 marked stale (an item stored or matched again, a source relabeled, an item deleted...), are counted
from the items themselves. recount_stale() brings the stale hours up to date (the collector calls it each tick),
so a reader never waits for it and never sees a stale count.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from sqlalchemy import Connection, Integer, bindparam, case, cast, delete, exists, func, or_, select, text
from sqlalchemy.orm import Session, aliased

from storage import fleet
from storage.db import in_chunks
from storage.models import Item, ItemSource, Match, NarrativeHour, NarrativeStaleHour, Source, UTCDateTime
from storage.topics import NARRATIVE

HourCount = tuple[datetime, str | None, int, dict[str, int]]  # (hour, label, items, narrative -> items telling it)
ALL_ITEMS = ""  # narrative_hours.narrative of a label's count of all the topic's items
MAX_RUNS = 24  # stretches of hours read from the items in one request; more are joined over the shortest gaps
HOUR = 3600
SCAN_SHARE = 4  # hours read from the items are looked up by time while under a quarter of the period

# Hours since 1970 of a timestamp column `{at}`, the same on both sides of the summary.
HOUR_SQL = {
    "sqlite": "(CAST(strftime('%s', {at}) AS INTEGER) / 3600)",
    "postgresql": "CAST(floor(extract(epoch FROM {at}) / 3600) AS INTEGER)",
}
_COUNT_SQL = """SELECT m.topic_id, {hour}, COALESCE(s.label, ''), {narrative}, COUNT(DISTINCT i.id)
    FROM items i
    JOIN matches m ON m.item_id = i.id
    JOIN item_sources o ON o.item_id = i.id
    JOIN sources s ON s.id = o.source_id {join}
    WHERE {where}
    GROUP BY m.topic_id, {hour}, COALESCE(s.label, ''){narrative_group}"""
_TOLD_JOIN = "\n    JOIN matches n ON n.item_id = i.id JOIN topics t ON t.id = n.topic_id AND t.kind = :narrative_kind"


def hour_sql(dialect: str, at: str) -> str:
    """SQL for the hour (since 1970, UTC) of the timestamp `at` on this backend."""
    return HOUR_SQL[dialect].format(at=at)


def _hour_expression(session: Session):
    """The published hour as hours since 1970, on either backend."""
    if session.get_bind().dialect.name == "sqlite":
        return cast(func.strftime("%s", Item.published_at), Integer) // HOUR
    return cast(func.floor(func.extract("epoch", Item.published_at) / HOUR), Integer)


def _hour_of(moment: datetime) -> int:
    return int(moment.timestamp()) // HOUR


def _start(hour: int) -> datetime:
    return datetime.fromtimestamp(hour * HOUR, timezone.utc)


def counts_per_hour(
    session: Session, topic: str, narratives: Sequence[str], since: datetime, until: datetime
) -> list[HourCount]:
    """(hour, label, items, {narrative: items}) for the topic's items published in [since, until]."""
    first, last = _hour_of(since), _hour_of(until)
    stale = set(session.scalars(select(NarrativeStaleHour.hour).where(NarrativeStaleHour.hour.between(first, last))))
    whole = {h for h in range(first, last + 1) if since <= _start(h) and _start(h + 1) <= until}
    runs = _runs(sorted(h for h in range(first, last + 1) if h not in whole or h in stale))
    from_items = {h for start, end in runs for h in range(start, end)}
    summed = _summed_counts(session, topic, narratives, first, last, whole - from_items)
    return summed + (_item_counts(session, topic, narratives, since, until, runs) if runs else [])


def _runs(hours: list[int], most: int = MAX_RUNS) -> list[tuple[int, int]]:
    """Sorted hours as stretches [start, end), at most `most` of them: the shortest gaps are read along."""
    runs: list[list[int]] = []
    for hour in hours:
        if runs and runs[-1][1] == hour:
            runs[-1][1] = hour + 1
        else:
            runs.append([hour, hour + 1])
    while len(runs) > most:
        gap = min(range(len(runs) - 1), key=lambda n: runs[n + 1][0] - runs[n][1])
        runs[gap][1] = runs.pop(gap + 1)[1]
    return [(start, end) for start, end in runs]


def _summed_counts(
    session: Session, topic: str, narratives: Sequence[str], first: int, last: int, hours: set[int]
) -> list[HourCount]:
    """The counts of these whole hours, from narrative_hours."""
    query = select(NarrativeHour.hour, NarrativeHour.label, NarrativeHour.narrative, NarrativeHour.items).where(
        NarrativeHour.topic_id == topic, NarrativeHour.hour.between(first, last),
        NarrativeHour.narrative.in_([ALL_ITEMS, *narratives]),
    )
    totals: dict[tuple[int, str], int] = {}
    told: dict[tuple[int, str], dict[str, int]] = {}
    for hour, label, narrative, items in session.execute(query):
        if hour not in hours:
            continue
        if narrative == ALL_ITEMS:
            totals[hour, label] = items
        else:
            told.setdefault((hour, label), {})[narrative] = items
    return [(_start(hour), label or None, items, told.get((hour, label), {})) for (hour, label), items in totals.items()]


def _item_counts(
    session: Session, topic: str, narratives: Sequence[str], since: datetime, until: datetime,
    runs: list[tuple[int, int]],
) -> list[HourCount]:
    """The counts of the hours in `runs` (within [since, until]), from the items themselves."""
    hour = _hour_expression(session).label("hour")
    narrative = aliased(Match)
    told = [func.count(func.distinct(case((narrative.topic_id == name, Item.id)))) for name in narratives]
    within = or_(*(_within(max(since, _start(start)), _start(end), until) for start, end in runs))
    query = select(hour, Source.label, func.count(func.distinct(Item.id)), *told)
    if sum(end - start for start, end in runs) * SCAN_SHARE < _hour_of(until) - _hour_of(since) + 1:
        # A few hours: their items looked up by time, each tested for the topic (SQLite would read all its matches).
        query = query.select_from(Item).where(within, exists().where(Match.item_id == Item.id, Match.topic_id == topic))
    else:
        query = query.select_from(Match).join(Item, Item.id == Match.item_id).where(Match.topic_id == topic, within)
    query = (
        query.join(ItemSource, ItemSource.item_id == Item.id)
        .join(Source, Source.id == ItemSource.source_id)
        # One look per item at its narrative matches (an item telling two narratives gives two rows).
        .outerjoin(narrative, (narrative.item_id == Item.id) & narrative.topic_id.in_(list(narratives) or [""]))
        .group_by(hour, Source.label)
    )
    return [
        (_start(int(row[0])), row[1], row[2], {name: n for name, n in zip(narratives, row[3:]) if n})
        for row in session.execute(query)
    ]


def _within(start: datetime, end: datetime, until: datetime):
    """Published in [start, end), or in [start, until] where the period ends first."""
    return (Item.published_at >= start) & (Item.published_at < end if end <= until else Item.published_at <= until)


def recount_stale(session: Session, most: int | None = None) -> int:
    """Count the stale hours again from the items, the latest `most` of them if given; return how many.

    None while another process of the fleet is counting (the same hours, twice, would collide).
    """
    if not fleet.exclusive(session, "narrative-recount"):
        return 0
    if most is None:
        hours = sorted(session.scalars(delete(NarrativeStaleHour).returning(NarrativeStaleHour.hour)))
    else:
        latest = select(NarrativeStaleHour.hour).order_by(NarrativeStaleHour.hour.desc()).limit(most)
        hours = sorted(session.scalars(latest))
        for chunk in in_chunks(hours):
            session.execute(delete(NarrativeStaleHour).where(NarrativeStaleHour.hour.in_(chunk)))
    for start, end in _runs(hours, most=len(hours)):
        session.execute(delete(NarrativeHour).where(NarrativeHour.hour >= start, NarrativeHour.hour < end))
        _count_into_summary(session.connection(), "i.published_at >= :since AND i.published_at < :until",
                            since=_start(start), until=_start(end))
    return len(hours)


def recount_all(connection: Connection) -> None:
    """Count every hour again (the migration that adds the summary fills it with this)."""
    connection.execute(text("DELETE FROM narrative_hours"))
    connection.execute(text("DELETE FROM narrative_stale_hours"))
    _count_into_summary(connection, "1 = 1")


def _count_into_summary(connection: Connection, where: str, **bounds: datetime) -> None:
    """Insert the counts of the items matching `where` into narrative_hours, per topic, hour and label."""
    hour = hour_sql(connection.dialect.name, "i.published_at")
    parts = [
        _COUNT_SQL.format(hour=hour, narrative=f"'{ALL_ITEMS}'", join="", where=where, narrative_group=""),
        _COUNT_SQL.format(hour=hour, narrative="n.topic_id", join=_TOLD_JOIN, where=where, narrative_group=", n.topic_id"),
    ]
    statement = text("INSERT INTO narrative_hours (topic_id, hour, label, narrative, items)\n" + "\nUNION ALL\n".join(parts))
    statement = statement.bindparams(*(bindparam(name, type_=UTCDateTime()) for name in bounds))
    connection.execute(statement, {"narrative_kind": NARRATIVE, **bounds})
