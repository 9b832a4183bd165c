"""Dozor's Telegram bot and command line (imports feeds and storage; nothing imports bot).

- `app`, `context`, `jobs`: building the PTB Application, the services handlers reach, the repeating jobs.
- `collecting`: the collector both modes run (with the bot, or `dozor collect`), its ticks and pushes handed on
  to alerts and paused-source notices.
- `delivery/`: digests and alerts composed, written to the outbox, and sent within Telegram's limits.
- `subscriber/`, `volunteer/`, `admin/`: each role's handlers with the services and rendering only it uses.
- What every role shares: `texts/` (the one catalogue), `messages` (the one packer), `markup`, `diff` (what
  changed between two versions of a text), `common` (replies, transactions), `access` (the one role
  decorator), `confirm` (the one confirm/cancel flow), `commands`, `roles`, `menu` (the command menus each
  role sees), `settings`.
- `fleet/`, `metrics`: the roles a process runs, its heartbeat and metrics, the collector and sender without the Application.
- `cli/`: the `dozor` command line.
"""
