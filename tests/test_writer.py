"""The batching writer: queued jobs share a transaction, and one failing job fails alone."""
from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import event, select

from storage import sources as source_store
from storage.models import Source
from storage.writer import BatchWriter


def _add(url: str):
    def job(session):
        return source_store.add_source(session, url, url).id

    return job


def _boom(session):
    session.add(Source(url="http://fails.example/", name="fails", kind="rss"))
    session.flush()
    raise ValueError("this job fails")


async def test_jobs_queued_together_share_a_transaction_and_all_land(sessions):
    commits = []
    event.listen(sessions.kw["bind"], "commit", lambda connection: commits.append(1))
    writer = BatchWriter(sessions)
    gate = threading.Event()
    try:
        blocker = asyncio.ensure_future(writer.run(lambda s: gate.wait(5)))
        await asyncio.sleep(0.05)  # the thread is now inside the first job; the next ones queue up
        jobs = [asyncio.ensure_future(writer.run(_add(f"http://feed{n}.example/rss"))) for n in range(5)]
        await asyncio.sleep(0.05)
        gate.set()
        ids = await asyncio.gather(*jobs)
        await blocker
    finally:
        writer.close()
    assert len(set(ids)) == 5
    assert len(commits) == 1  # the five queued behind a busy writer went in one transaction
    with sessions() as session:
        seen = session.scalars(select(Source.url).order_by(Source.id)).all()
    assert seen == [f"http://feed{n}.example/rss" for n in range(5)]


async def test_a_failing_job_fails_alone_and_leaves_nothing_behind(sessions):
    writer = BatchWriter(sessions)
    gate = threading.Event()
    try:
        blocker = asyncio.ensure_future(writer.run(lambda s: gate.wait(5)))
        await asyncio.sleep(0.05)
        before = asyncio.ensure_future(writer.run(_add("http://a.example/rss")))
        failing = asyncio.ensure_future(writer.run(_boom))
        after = asyncio.ensure_future(writer.run(_add("http://b.example/rss")))
        await asyncio.sleep(0.05)
        gate.set()
        await blocker
        assert isinstance(await before, int)
        assert isinstance(await after, int)
        with pytest.raises(ValueError, match="this job fails"):
            await failing
    finally:
        writer.close()
    with sessions() as session:
        urls = set(session.scalars(select(Source.url)))
    assert urls == {"http://a.example/rss", "http://b.example/rss"}


async def test_close_finishes_what_is_queued(sessions):
    writer = BatchWriter(sessions)
    jobs = [asyncio.ensure_future(writer.run(_add(f"http://q{n}.example/rss"))) for n in range(3)]
    await asyncio.sleep(0)
    await asyncio.to_thread(writer.close)
    await asyncio.gather(*jobs)
    with sessions() as session:
        assert len(session.scalars(select(Source.id)).all()) == 3
