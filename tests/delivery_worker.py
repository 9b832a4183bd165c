"""A sender process for the crash test: drains the outbox of a database into a (fake) Bot API, then reports.

Run: python -m tests.delivery_worker DATABASE_URL BASE_URL TOKEN [--overall-per-second N]
Prints one JSON line at the end: how many rows it found claimed, and how many sending (in flight), at start.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import signal

from telegram import Bot

from bot.delivery.ratelimit import Limits
from bot.delivery.sender import OutboxSender
from storage.db import make_engine, session_factory


async def deliver(database_url: str, base_url: str, token: str, overall_per_second: float) -> dict:
    """Send everything pending; return what was recovered at start."""
    engine = make_engine(database_url)
    limits = Limits(overall_per_second=overall_per_second, chat_per_second=None, group_per_minute=None)
    try:
        async with Bot(token, base_url=base_url) as bot:
            sender = OutboxSender(bot, session_factory(engine), limits, idle_seconds=0.05, retry_base=0.1)
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, sender.stop)  # a restart, as `dozor run` does
            await sender.drain()
            return {"claimed": sender.recovered.claimed, "in_flight": sender.recovered.in_flight}
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url")
    parser.add_argument("base_url")
    parser.add_argument("token")
    parser.add_argument("--overall-per-second", type=float, default=200.0)
    args = parser.parse_args()
    recovered = asyncio.run(deliver(args.database_url, args.base_url, args.token, args.overall_per_second))
    print(json.dumps(recovered), flush=True)


if __name__ == "__main__":
    main()
