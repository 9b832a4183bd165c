"""The collector (imports storage, never bot).

The pipeline is flat, in stage order: fetch (netguard, inflate) -> encoding, parse, telegram_preview,
normalize, citations -> entry, errors -> parse_pool, analyze (matching/ and search stems) -> refresh ->
collector -> schedule; rematch re-applies changed rules to stored items.
- `matching/`: topic rules and the matcher (plain data only: no Telegram, no database).
- `sources/`: discovering, adding and syncing sources (discover, source_urls, opml, config_sync, bootstrap).
- `analyses/`: the community's analyses and how items link to them (linking, similarity).
"""
