"""How the repeating jobs are scheduled (the bot uses PTB's JobQueue; collector processes bot.fleet.collecting)."""
from __future__ import annotations

# A tick may overrun its interval on a slow network; run the next one late rather than drop it.
JOB_OPTIONS = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 300}
