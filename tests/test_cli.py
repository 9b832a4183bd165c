"""The `dozor` command line as a user runs it: exact commands, clear errors, no tracebacks."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import CORPUS

ROOT = Path(__file__).resolve().parents[1]
DOZOR = [sys.executable, "-m", "bot.cli"]


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """Environment for a CLI run on its own SQLite file, with no token and no default feeds."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DOZOR_", "TELEGRAM_"))}
    return {
        **clean,
        "DOZOR_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        "DOZOR_ALLOW_PRIVATE_NETWORKS": "1",
        "DOZOR_DEFAULT_FEEDS": "0",
    }


def dozor(env, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", *args],
        env=env, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120,
    )


def test_feeds_add_list_remove(env):
    added = dozor(env, "feeds", "add", "https://www.liga.net/news/all/rss.xml", "--name", "LIGA")
    assert added.returncode == 0, added.stderr
    source_id = int(added.stdout.strip())
    channel = dozor(env, "feeds", "add", "@voenkorKotenok")
    assert channel.returncode == 0
    listed = json.loads(dozor(env, "feeds", "list", "--json").stdout)
    assert [(s["id"], s["name"], s["kind"]) for s in listed] == [
        (source_id, "LIGA", "rss"), (int(channel.stdout), "voenkorKotenok", "telegram")
    ]
    assert listed[1]["url"] == "https://t.me/s/voenkorKotenok"
    assert set(listed[0]) == {"id", "name", "url", "kind", "status", "error_count", "last_error", "last_ok_at", "next_check_at", "item_count"}
    duplicate = dozor(env, "feeds", "add", "https://www.liga.net/news/all/rss.xml")
    assert duplicate.returncode != 0 and "already monitored" in duplicate.stderr
    assert dozor(env, "feeds", "remove", str(source_id)).returncode == 0
    missing = dozor(env, "feeds", "remove", str(source_id))
    assert missing.returncode != 0 and "no source" in missing.stderr


@pytest.mark.parametrize(
    "args,expected",
    [
        (["feeds", "add", "file:///etc/passwd"], "only http"),
        (["feeds", "add", "not a url"], "only http"),
        (["feeds", "add", "https://x.example/rss", "--kind", "podcast"], "invalid choice"),
        (["feeds", "remove", "abc"], "invalid int"),
        (["export", "--since", "yesterday"], "ISO 8601"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_arguments_give_a_clear_error_and_no_traceback(env, args, expected):
    result = dozor(env, *args)
    assert result.returncode != 0
    assert expected in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_settings_are_named(env):
    result = dozor({**env, "DOZOR_ADMIN_IDS": "alice,bob"}, "feeds", "list")
    assert result.returncode == 2 and "DOZOR_ADMIN_IDS" in result.stderr and "Traceback" not in result.stderr


def test_collect_once_and_export(env, feed_server):
    feed_server.add_file("/meduza.xml", (CORPUS / "real/meduza.xml").read_bytes())
    feed_server.add_handler("/gone", lambda r: r.send_error(410))
    assert dozor(env, "feeds", "add", feed_server.url("/meduza.xml"), "--name", "Meduza").returncode == 0
    assert dozor(env, "feeds", "add", feed_server.url("/gone"), "--name", "Gone").returncode == 0
    collected = dozor(env, "collect", "--once")
    assert collected.returncode == 0, collected.stderr
    assert collected.stdout.strip().startswith("polled 2 sources: 1 updated, 0 unchanged, 1 failed; 30 new items")
    listed = {s["name"]: s for s in json.loads(dozor(env, "feeds", "list", "--json").stdout)}
    assert listed["Gone"]["last_error"].startswith("fetch.http_410") and listed["Gone"]["error_count"] == 1
    assert listed["Meduza"]["item_count"] == 30
    lines = [json.loads(line) for line in dozor(env, "export", "--format", "jsonl").stdout.splitlines()]
    assert len(lines) == 30
    assert set(lines[0]) == {"id", "url", "title", "text", "published", "sources", "lang", "topics", "backlog"}
    assert lines[0]["sources"] == ["Meduza"] and lines[0]["backlog"] is True and lines[0]["lang"] == "ru"
    assert lines[0]["published"].endswith("Z")
    kyrgyz = [line for line in lines if "Жээнбеков" in line["text"]]
    assert kyrgyz, "the lead item about Kyrgyzstan's president"
    since = dozor(env, "export", "--format", "jsonl", "--since", "2030-01-01")
    assert since.returncode == 0 and since.stdout == ""


def test_match_reads_json_lines(env):
    lines = "\n".join([
        json.dumps({"id": 1, "title": "Миротворцы ОДКБ покидают Казахстан", "text": ""}),
        json.dumps({"id": 2, "title": "Казань готовится к празднику", "text": ""}),
        "not json",
    ])
    result = dozor(env, "match", stdin=lines)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0]["id"] == 1 and out[0]["topics"] == ["csto", "kazakhstan"]
    assert {"topic", "term", "field", "start", "end"} <= set(out[0]["hits"][0])
    assert out[1] == {"id": 2, "topics": [], "hits": []}
    assert out[2]["id"] is None and "error" in out[2]


def test_db_upgrade(env):
    result = dozor(env, "db", "upgrade")
    assert result.returncode == 0 and "up to date" in result.stdout


def test_run_without_a_token_collects_and_says_how_to_add_one(env, feed_server):
    feed_server.add_file("/liga.xml", (CORPUS / "real/liga_net.xml").read_bytes())
    assert dozor(env, "feeds", "add", feed_server.url("/liga.xml")).returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"], env={**env, "DOZOR_TICK_SECONDS": "1"}, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(feed_server.requests_to("/liga.xml")) < 1:
            time.sleep(0.2)
        time.sleep(2.5)  # a few more ticks
        assert process.poll() is None, "dozor run must keep running"
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    assert stderr.count("no bot token set") == 1
    assert "DOZOR_BOT_TOKEN" in stderr
    assert "polled 1 sources: 1 updated" in stderr
    assert process.returncode == 0


async def test_run_with_a_token_answers_users_and_stops_cleanly(env, fake_telegram):
    import asyncio

    bot_env = {**env, "DOZOR_BOT_TOKEN": fake_telegram.token, "DOZOR_TELEGRAM_BASE_URL": fake_telegram.base_url}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"], env=bot_env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        await fake_telegram.wait_for(lambda: fake_telegram.polls_started, timeout=60, what="the bot polling")
        message = fake_telegram.user_message(1001, 1001, "/start")
        (reply,) = await fake_telegram.wait_for_messages(1001, 1, after=message["message_id"], timeout=30)
        assert "Dozor" in reply.plain_text and reply.callback_data == ["top:csto", "top:kazakhstan"]
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.to_thread(process.communicate, timeout=30)
    assert "no bot token" not in stderr and "Traceback" not in stderr
    assert process.returncode == 0
