"""Stories: the items about one event, across outlets and languages, grouped as they are stored.

- `features`: what an item is compared by (names, places, numbers and dates as Latin skeletons;
  title words; the title in Latin letters) and `concepts`: the event words it uses, found by the
  topic matcher in ru/uk/kk/en (feeds/data/story_concepts.json).
- `similarity`: whether two items tell the same story (rapidfuzz for titles, weighted names, concepts).
- `placing`: placing one item into a story through a `StoryIndex`; `memory_index` keeps one in
  memory (the batch regroup and the quality benchmark), `sql_index` in the database (the collector).
- `regroup`: placing stored items that have no story yet, and regrouping everything from scratch.
"""
