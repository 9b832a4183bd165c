"""Dozor's database: SQLAlchemy models, Alembic migrations and queries (imports nothing from feeds or bot).

- `models`, `admin_models`, `analysis_models`, `language_models`, `db`, `migrate`, `migrations/`: schema and engines.
- `items`, `sources`, `source_health`, `topics`, `topic_edits`, `rematch`, `writer`: what the collector stores;
  `versions`: items' versions, deletions, the events change alerts are made of, and the re-check schedule.
- `chats`, `digests`, `outbox`: subscribers and what they are sent; `languages`: what /lang chose;
  `roles`, `audit`, `meta`: administration.
- `story_models`, `stories`, `timeline`: stories (items about one event), the index that places new items,
  and stories read back; `narratives`, `signals`: the counts narrative shares, spikes and shifts come from.
- `fleet`, `fleet_models`, `send_pace`, `host_slots`, `listen`, `single_writer`: several processes on one
  database (heartbeats, the shared send pace, per-host fetch slots, notifications; one writer on SQLite).
- `search/`: the whole search language: query parser and types, stemmer, index, SQL for both backends, snippets.
"""
