"""Parsing, extracting and matching in worker processes: both cores work, and a pathological body costs only its own source.

A body is a feed or channel page to parse, or an article page to extract the text of (feeds.extract).

Each worker process has a thread here that hands it the next queued body and waits for the
answer. A body's deadline runs from the moment its worker is given it, so time spent queued
behind other bodies never counts; past the deadline only that worker is killed, and the next
body gets a new one. Workers exit by themselves when the collector process is gone, even after
SIGKILL, and the forkserver they are forked from follows them.
"""
from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import queue
import threading
import traceback
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection, wait

from feeds.analyze import Rules, analyze_entries
from feeds.entry import Entry, ParsedFeed
from feeds.errors import FeedError
from feeds.extract import article_text
from feeds.parse import parse_body

log = logging.getLogger(__name__)
START_SECONDS = 120  # for a new worker to start; slow on a loaded host, and counted in no body's deadline
STOP_SECONDS = 5
_READY = "ready"


@dataclass
class _Job:
    stage: str  # parse | extract: names the error codes, parse.timeout or extract.timeout
    args: tuple
    future: Future


class ParsePool:
    """A set of parser processes, one body at a time each, with a per-body deadline."""

    def __init__(self, workers: int | None = None, deadline_seconds: float = 30.0) -> None:
        self.workers = workers or max(1, min(4, os.cpu_count() or 1))
        self.deadline_seconds = deadline_seconds
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._slots: list[_Slot] = []

    async def parse(
        self, body: bytes, headers: dict[str, str], *, kind: str, url: str, fetched_at: datetime, rules: Rules = ()
    ) -> ParsedFeed:
        """Parse one body and match its entries in a worker; raise FeedError('parse.timeout') past the deadline."""
        return await self._run("parse", (body, headers, kind, url, fetched_at, rules))

    async def extract(self, body: bytes, headers: dict[str, str], *, url: str, entry: Entry, rules: Rules) -> Entry:
        """The entry with its article page's text, matched again with it; FeedError('extract.*') if none."""
        return await self._run("extract", (body, headers, url, entry, rules))

    async def _run(self, stage: str, args: tuple):
        self.start()
        job = _Job(stage, args, Future())
        self._jobs.put(job)
        return await asyncio.wrap_future(job.future)

    def start(self) -> None:
        """Start the threads that feed the workers, if not running yet; each worker starts with its first body."""
        with self._lock:
            while len(self._slots) < self.workers:
                self._slots.append(_Slot(self))

    def worker_pids(self) -> list[int]:
        """The process ids of the running workers."""
        return [slot.worker.process.pid for slot in self._slots if slot.worker is not None]

    def close(self) -> None:
        """Stop the worker processes; bodies still queued are cancelled, those being parsed finish first."""
        with self._lock:
            slots, self._slots = self._slots, []
        self._cancel_queued()
        for _ in slots:
            self._jobs.put(None)
        for slot in slots:
            slot.thread.join()
        self._cancel_queued()  # any that came in meanwhile

    def _cancel_queued(self) -> None:
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            if job is not None:
                job.future.cancel()


class WorkerStopped(FeedError):
    """The body's worker was killed at the deadline, or died while parsing it."""


class _Slot:
    """One worker process and the thread here that feeds it."""

    def __init__(self, pool: ParsePool) -> None:
        self.pool = pool
        self.worker: _Worker | None = None
        self.thread = threading.Thread(target=self._serve, name="dozor-parse", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            while (job := self.pool._jobs.get()) is not None:
                if job.future.set_running_or_notify_cancel():
                    self._run(job)
        finally:
            self._drop_worker(gently=True)

    def _run(self, job: _Job) -> None:
        try:
            result = self._parse(job.stage, job.args)
        except Exception as error:
            job.future.set_exception(error)
        else:
            job.future.set_result(result)

    def _parse(self, stage: str, args: tuple):
        if self.worker is None:  # the first body, or the one after a stopped worker
            self.worker = _Worker.start()
        if not self.worker.give((stage, args)):
            # Gone while idle (the OOM killer, a kill by hand): not this body's doing, so it gets a new worker.
            self._drop_worker()
            self.worker = _Worker.start()
            if not self.worker.give((stage, args)):
                self._drop_worker()
                raise FeedError(f"{stage}.worker_lost", "no parser process could be started")
        try:
            return self.worker.answer(stage, self.pool.deadline_seconds)
        except WorkerStopped:
            self._drop_worker()  # the next body gets a new one
            raise

    def _drop_worker(self, gently: bool = False) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop() if gently else worker.kill()


class _Worker:
    """A parser process and our end of its pipe."""

    def __init__(self, process, connection: Connection) -> None:
        self.process = process
        self.connection = connection

    @classmethod
    def start(cls) -> _Worker:
        """A new worker, ready for its first body."""
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["feeds.parse", "feeds.analyze", "feeds.extract"])
        ours, theirs = context.Pipe()
        process = context.Process(target=_work, args=(theirs,), name="dozor-parser", daemon=True)
        process.start()
        theirs.close()
        worker = cls(process, ours)
        try:
            ready = ours.poll(START_SECONDS) and ours.recv() == _READY
        except (EOFError, OSError):
            ready = False
        if not ready:
            log.error("a parser process did not start within %d s", START_SECONDS)
        return worker

    def give(self, args: tuple) -> bool:
        """Send a body to parse; False if the process is gone."""
        try:
            self.connection.send(args)
        except (OSError, ValueError):
            return False
        return True

    def answer(self, stage: str, deadline_seconds: float):
        """Wait for the body's result; raise FeedError past the deadline or if the process died."""
        parsing = stage == "parse"
        doing = "parsing" if parsing else "extracting the text"
        try:
            if not self.connection.poll(deadline_seconds):
                raise WorkerStopped(
                    "parse.timeout" if parsing else "extract.timeout",
                    f"{doing} took longer than {deadline_seconds:g} s and was stopped",
                )
            done, value = self.connection.recv()
        except (EOFError, OSError):
            lost = "parse.worker_lost" if parsing else "extract.worker_lost"
            raise WorkerStopped(lost, f"the parser process stopped while {doing}") from None
        if done:
            return value
        code, message, details = value
        if details:
            log.error("the parser failed:\n%s", details)
        raise FeedError(code, message)

    def stop(self) -> None:
        """Let the process finish and exit; kill it if it does not."""
        self.give(None)
        self.process.join(STOP_SECONDS)
        self.kill()

    def kill(self) -> None:
        """End the process now."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()
        self.process.close()


def _work(connection: Connection) -> None:
    """A worker process: parse each body sent until told to stop or the collector is gone."""
    _exit_with_collector()
    connection.send(_READY)
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        stage, args = job
        connection.send(_answer(_STAGES[stage], *args))


def _exit_with_collector() -> None:
    """Exit as soon as the collector process ends, however it ends (its end of a pipe closes)."""
    collector = multiprocessing.parent_process()
    threading.Thread(target=_exit_when_ready, args=(collector.sentinel,), daemon=True).start()


def _exit_when_ready(sentinel: int) -> None:
    wait([sentinel])
    os._exit(0)


def _parsed(body: bytes, headers: dict[str, str], kind: str, url: str, fetched_at: datetime, rules: Rules) -> ParsedFeed:
    parsed = parse_body(body, headers, kind=kind, url=url, fetched_at=fetched_at)
    analyze_entries(parsed.entries, rules)
    return parsed


def _extracted(body: bytes, headers: dict[str, str], url: str, entry: Entry, rules: Rules) -> Entry:
    entry.full_text = article_text(body, headers, url)
    analyze_entries([entry], rules)
    return entry


_STAGES = {"parse": _parsed, "extract": _extracted}


def _answer(work, *args) -> tuple[bool, object]:
    """(True, the result) or (False, (code, message, traceback or "")): errors are sent as plain data."""
    try:
        return True, work(*args)
    except FeedError as error:
        return False, (error.code, error.message, "")
    except Exception as error:  # a bug: the source says so, the log has the traceback
        return False, ("internal.error", f"{type(error).__name__}: {error}", traceback.format_exc())
