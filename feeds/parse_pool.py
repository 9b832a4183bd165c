"""Parsing and matching in worker processes: both cores work, and a pathological feed is stopped at its deadline."""
from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime

from feeds.analyze import Rules, analyze_entries
from feeds.entry import ParsedFeed
from feeds.errors import FeedError
from feeds.parse import parse_body


class ParsePool:
    """A pool of parser processes with a per-body deadline."""

    def __init__(self, workers: int | None = None, deadline_seconds: float = 30.0) -> None:
        self.workers = workers or max(1, min(4, os.cpu_count() or 1))
        self.deadline_seconds = deadline_seconds
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["feeds.parse", "feeds.analyze"])
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
        return self._pool

    async def parse(
        self, body: bytes, headers: dict[str, str], *, kind: str, url: str, fetched_at: datetime, rules: Rules = ()
    ) -> ParsedFeed:
        """Parse one body and match its entries in a worker; raise FeedError('parse.timeout') past the deadline."""
        for attempt in (1, 2):
            pool = self._executor()
            future = asyncio.get_running_loop().run_in_executor(
                pool, _parse, body, headers, kind, url, fetched_at, rules
            )
            try:
                return await asyncio.wait_for(future, self.deadline_seconds)
            except asyncio.TimeoutError:
                self._kill(pool)
                raise FeedError(
                    "parse.timeout", f"parsing took longer than {self.deadline_seconds:g} s and was stopped"
                ) from None
            except BrokenProcessPool:
                # Another body's timeout killed the workers under this one: parse it again once.
                self._kill(pool)
                if attempt == 2:
                    raise FeedError("parse.worker_lost", "the parser process stopped unexpectedly") from None
        raise AssertionError("unreachable")

    def _kill(self, pool: ProcessPoolExecutor) -> None:
        if self._pool is pool:
            self._pool = None
        for process in list(getattr(pool, "_processes", {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the worker processes."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _parse(body: bytes, headers: dict[str, str], kind: str, url: str, fetched_at: datetime, rules: Rules) -> ParsedFeed:
    parsed = parse_body(body, headers, kind=kind, url=url, fetched_at=fetched_at)
    analyze_entries(parsed.entries, rules)
    return parsed
