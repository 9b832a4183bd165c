"""The collector (imports storage, never bot).

The pipeline is flat, in stage order: fetch (netguard, inflate) -> encoding, parse, telegram_preview,
normalize, citations -> entry, errors -> parse_pool (with extract: an article page's text), analyze
(matching/ and search stems) -> full_text (new items' article pages) -> refresh (with channel_pager,
which pages back through a Telegram channel's gaps and finds deleted posts) -> recheck (matched items
looked at again) -> collector (which hands what it stores on to analyses/linking, then to the stages
its builder passes) -> schedule; rematch re-applies changed rules to stored items.
- `matching/`: topic rules and the matcher (plain data only: no Telegram, no database).
- `sources/`: discovering, adding and syncing sources (discover, source_urls, accounts and youtube for
  social accounts, opml, config_sync, bootstrap).
- `websub/`: feeds that push through a WebSub hub (links, signature, subscriber, receiver, callback).
- `analyses/`: the community's analyses and how items link to them (linking, similarity).
- `stories/`: items about one event grouped into stories as they are stored (features, concepts, similarity,
  placing, memory_index, regroup).
- `signals/`: what the archive says over time: narrative shares per source label and their shifts, volume spikes.
"""
