"""The story index in memory: a batch of items placed in time order, then written in a few statements.

The collector loads, for the batch it has just stored, the counts and the candidates the batch
needs (two queries), places the items in memory, and writes the new stories, members, keys and
counts at once; a regroup starts from an empty index and places every stored item.
"""
from __future__ import annotations

from collections import Counter, defaultdict, deque
from datetime import date, datetime

from feeds.stories.placing import ALL_ITEMS, PER_KEY, WINDOW, Member
from storage.stories import MemberRow


class MemoryIndex:
    """Keys, counts and members of the items placed so far, and what is new since the index was loaded."""

    def __init__(self) -> None:
        self._by_key: dict[int, deque[Member]] = defaultdict(lambda: deque(maxlen=PER_KEY))
        self._counts: dict[date, Counter] = defaultdict(Counter)
        self.added: list[Member] = []  # placed here, not yet written
        self.added_keys: dict[int, list[int]] = {}  # item id -> its keys
        self.increments: Counter = Counter()  # (key, day) -> items placed here
        self.earlier_firsts: dict[int, Member] = {}  # stored story -> a new item reported before its first report
        self._next_story = -1  # new stories get temporary negative ids until written
        self.real_ids: dict[int, int] = {}  # temporary story id -> the id it was written with

    def counts(self, keys: list[int], days: list[date]) -> dict[int, int]:
        found: Counter = Counter()
        for day in days:
            counted = self._counts.get(day)
            if counted:
                found.update({key: counted[key] for key in keys if key in counted})
        return dict(found)

    def candidates(self, keys: list[int], since: datetime, until: datetime, most: int) -> list[Member]:
        shared: dict[int, list] = {}  # item id -> [keys shared, member]
        by_key = self._by_key
        for key in keys:
            for member in by_key.get(key, ()):
                found = shared.get(member.item_id)
                if found is not None:
                    found[0] += 1
                elif since <= member.published_at <= until:
                    shared[member.item_id] = [1, member]
        ranked = sorted(shared.values(), key=lambda pair: pair[0], reverse=True)
        return [member for _, member in ranked[:most]]

    def add(self, member: Member, keys: list[int], new_story: bool) -> int:
        if new_story:
            member.story_id = self._next_story
            self._next_story -= 1
        elif member.story_id > 0 and member.published_at < member.story_start:
            earlier = self.earlier_firsts.get(member.story_id)
            if earlier is None or member.published_at < earlier.published_at:
                self.earlier_firsts[member.story_id] = member
        self.added.append(member)
        self.added_keys[member.item_id] = keys
        day = member.published_at.date()
        for key in [ALL_ITEMS, *keys]:
            self._counts[day][key] += 1
            self.increments[(key, day)] += 1
        for key in keys:
            self._by_key[key].append(member)
        return member.story_id

    def load(self, counts: list[tuple[int, date, int]], members: list[tuple[int, MemberRow]]) -> None:
        """Take stored counts and stored members (key, member, oldest first) as the index's start."""
        for key, day, n in counts:
            self._counts[day][key] += n
        known: dict[int, Member] = {}
        for key, row in members:
            member = known.get(row.item_id)
            if member is None:
                member = known[row.item_id] = Member(
                    row.item_id, row.story_id, row.story_start, row.published_at, row.title_key,
                    frozenset(row.names.split()), frozenset(row.concepts.split()), row.name_norm,
                )
            self._by_key[key].append(member)

    def forget_written(self, members: list[Member]) -> None:
        """Drop members that were written (they stay candidates through the per-key lists until pushed out)."""
        written = {m.item_id for m in members}
        self.added = [m for m in self.added if m.item_id not in written]
        for item_id in written:
            self.added_keys.pop(item_id, None)

    def drop_increments_before(self, day: date) -> None:
        """Forget counts of days that will not be written."""
        for key in [k for k in self.increments if k[1] < day]:
            del self.increments[key]

    def forget_before(self, moment: datetime) -> None:
        """Drop the counts of days that no later item's window reaches."""
        for day in [d for d in self._counts if d < (moment - WINDOW).date()]:
            del self._counts[day]
