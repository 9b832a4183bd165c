"""One writing thread that runs queued write jobs, several to a transaction when they pile up.

Committing a batch of jobs at once (group commit) saves a commit, and on SQLite a new
full-text index segment, per job. A job is a function of a session; when a batch fails,
it is rolled back and every job of it runs again in its own transaction, so one job's
error reaches only its own caller.
"""
from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")
MAX_BATCH = 16


@dataclass
class _Job:
    function: Callable[[Session], Any]
    future: asyncio.Future
    loop: asyncio.AbstractEventLoop


class BatchWriter:
    """Runs write jobs one thread at a time, in batches of at most `max_batch` per transaction."""

    def __init__(self, sessions: sessionmaker[Session], max_batch: int = MAX_BATCH, name: str = "dozor-store") -> None:
        self.sessions = sessions
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    async def run(self, function: Callable[[Session], T]) -> T:
        """Run `function(session)` in a write transaction, possibly shared with other jobs; return its result."""
        loop = asyncio.get_running_loop()
        job = _Job(function, loop.create_future(), loop)
        self._queue.put(job)
        return await job.future

    def close(self) -> None:
        """Finish the queued jobs and stop the thread."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            batch = [job]
            while len(batch) < self.max_batch:
                try:
                    job = self._queue.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    self._run_batch(batch)
                    return
                batch.append(job)
            self._run_batch(batch)

    def _run_batch(self, batch: list[_Job]) -> None:
        if len(batch) > 1:
            try:
                with self.sessions.begin() as session:
                    results = [job.function(session) for job in batch]
            except Exception:
                pass  # retried one by one below, so that only the failing job sees its error
            else:
                for job, result in zip(batch, results):
                    _settle(job, result=result)
                return
        for job in batch:
            try:
                with self.sessions.begin() as session:
                    result = job.function(session)
            except Exception as exc:
                _settle(job, error=exc)
            else:
                _settle(job, result=result)


def _settle(job: _Job, result: Any = None, error: BaseException | None = None) -> None:
    def settle() -> None:
        if job.future.done():  # the caller was cancelled
            return
        if error is not None:
            job.future.set_exception(error)
        else:
            job.future.set_result(result)

    try:
        job.loop.call_soon_threadsafe(settle)
    except RuntimeError:  # the caller's loop is closed: nobody is waiting any more
        pass
