"""Dozor's Telegram bot and command line (imports feeds and storage; nothing imports bot).

- `app`, `context`, `jobs`: building the PTB Application, the services handlers reach, the repeating jobs.
- `delivery/`: digests and alerts composed, written to the outbox, and sent within Telegram's limits.
- `subscriber/`, `volunteer/`, `admin/`: each role's handlers with the services and rendering only it uses.
- `texts/` (the one catalogue), `markup`, `common`, `commands`, `roles`, `settings`: what every role shares.
- `cli/`: the `dozor` command line.
"""
