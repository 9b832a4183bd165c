"""The `dozor` command line as a user runs it: exact commands, clear errors, no tracebacks."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest

from tests.conftest import CORPUS
from tests.failing_db import fill, free
from tests.hostile_feeds import slow_to_parse, small_feed, split_author

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


def test_sources_carry_labels_set_on_add_and_changed_later(env):
    added = dozor(env, "feeds", "add", "https://www.inform.kz/rss/rus.xml", "--name", "Kazinform", "--label", "state-kz")
    assert added.returncode == 0, added.stderr
    plain = dozor(env, "feeds", "add", "https://www.liga.net/news/all/rss.xml")
    listed = {s["name"]: s["label"] for s in json.loads(dozor(env, "feeds", "list", "--json").stdout)}
    assert listed == {"Kazinform": "state-kz", "liga.net": None}
    assert dozor(env, "feeds", "label", plain.stdout.strip(), "ua").returncode == 0
    assert json.loads(dozor(env, "feeds", "list", "--json").stdout)[1]["label"] == "ua"
    bad = dozor(env, "feeds", "add", "https://www.dw.com/rss", "--label", "State RU")
    assert bad.returncode == 2 and "label 'State RU' must be lowercase letters" in bad.stderr
    assert "unlabeled" in dozor(env, "feeds", "add", "@voenkorKotenok").stdout + dozor(env, "feeds", "list").stdout


def test_default_sources_come_labeled(tmp_path, env):
    seeded = {**env, "DOZOR_DEFAULT_FEEDS": "1"}
    listed = json.loads(dozor(seeded, "feeds", "list", "--json").stdout)
    assert len(listed) == 10 and all(s["label"] for s in listed)
    assert {s["name"]: s["label"] for s in listed}["Kazinform"] == "state-kz"
    reasons = (ROOT / "feeds" / "data" / "SOURCES.md").read_text(encoding="utf-8")
    assert all(f"| {s['name']} | `{s['label']}` |" in reasons for s in listed)


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
    assert set(listed[0]) == {
        "id", "name", "url", "kind", "origin", "label", "full_text", "status", "error_count", "last_error", "last_ok_at",
        "next_check_at", "item_count",
    }
    assert listed[0]["full_text"] == "auto"
    duplicate = dozor(env, "feeds", "add", "https://www.liga.net/news/all/rss.xml")
    assert duplicate.returncode != 0 and "already monitored" in duplicate.stderr
    assert dozor(env, "feeds", "remove", str(source_id)).returncode == 0
    missing = dozor(env, "feeds", "remove", str(source_id))
    assert missing.returncode != 0 and "no source" in missing.stderr


def test_feeds_add_takes_social_accounts(env, feed_server):
    page = (ROOT / "tests/data/social/youtube_channel_page.html").read_bytes()
    feed_server.add_file("/@newsdeskvideo", page, content_type="text/html; charset=utf-8")
    env = {**env, "DOZOR_YOUTUBE_URL": feed_server.url("")}
    for typed in ("@newsdesk@mastodon.social", "bsky.app/profile/newsdesk.bsky.social", "r/Kazakhstan", "youtube.com/@newsdeskvideo"):
        added = dozor(env, "feeds", "add", typed)
        assert added.returncode == 0, added.stderr
    listed = json.loads(dozor(env, "feeds", "list", "--json").stdout)
    assert [(s["name"], s["url"], s["kind"]) for s in listed] == [
        ("@newsdesk@mastodon.social", "https://mastodon.social/@newsdesk.rss", "mastodon"),
        ("@newsdesk.bsky.social", "https://bsky.app/profile/newsdesk.bsky.social/rss", "bluesky"),
        ("r/Kazakhstan", "https://www.reddit.com/r/Kazakhstan/.rss", "reddit"),
        ("@newsdeskvideo", "https://www.youtube.com/feeds/videos.xml?channel_id=UCq3Ci-h945sbEYXpVlw7rJg", "youtube"),
    ]
    assert listed[0]["origin"] == "Mastodon account @newsdesk@mastodon.social → its public RSS"
    assert listed[3]["origin"] == "YouTube channel @newsdeskvideo → its public feed (channel UCq3Ci-h945sbEYXpVlw7rJg)"
    assert len(feed_server.requests_to("/@newsdeskvideo")) == 1
    again = dozor(env, "feeds", "add", "https://mastodon.social/@newsdesk")
    assert again.returncode != 0 and "already monitored" in again.stderr
    missing = dozor(env, "feeds", "add", "youtube.com/@nobody_here")
    assert missing.returncode == 1 and "HTTP 404" in missing.stderr and "Traceback" not in missing.stderr
    unknown = dozor(env, "feeds", "add", "hello")
    assert unknown.returncode == 2 and "@user@instance" in unknown.stderr and "r/<name>" in unknown.stderr


@pytest.mark.parametrize(
    "args,expected",
    [
        (["feeds", "add", "file:///etc/passwd"], "only http"),
        (["feeds", "add", "not a url"], "only http"),
        (["feeds", "add", "https://x.example/rss", "--kind", "podcast"], "invalid choice"),
        (["feeds", "remove", "abc"], "'abc' is not an id"),
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
    assert set(lines[0]) == {
        "id", "url", "title", "text", "published", "sources", "lang", "topics", "backlog",
        "full_text", "versions", "edited", "deleted_at", "deleted_reason",
    }
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


def _items_stored(env) -> int:
    """How many items the collector of `env` has stored so far."""
    with sqlite3.connect(env["DOZOR_DATABASE_URL"].removeprefix("sqlite:///")) as connection:
        return connection.execute("SELECT count(*) FROM items").fetchone()[0]


def test_run_without_a_token_collects_and_says_how_to_add_one(env, feed_server):
    feed_server.add_file("/liga.xml", (CORPUS / "real/liga_net.xml").read_bytes())
    assert dozor(env, "feeds", "add", feed_server.url("/liga.xml")).returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"], env={**env, "DOZOR_TICK_SECONDS": "1"}, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60  # the first poll starts the parser processes: slow on a loaded machine
        while time.monotonic() < deadline and not _items_stored(env):
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


# --- failures an operator meets: one clear line, a non-zero exit, no traceback --------------------------


def as_operator() -> list[str]:
    """A command prefix under which file permissions hold: root ignores them, so it drops that power (CAP_DAC_*)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to test read-only databases as root"
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]


def operator_dozor(env, *args) -> subprocess.CompletedProcess:
    """`dozor ARGS` run by someone whom the file permissions bind."""
    return subprocess.run(
        [*as_operator(), sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", *args],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def in_process(env, monkeypatch, capsys):
    """`dozor ARGS` run in this process (quicker than a subprocess) with `env` plus overrides."""
    from bot.cli import main

    for name in list(os.environ):
        if name.startswith(("DOZOR_", "TELEGRAM_")):
            monkeypatch.delenv(name)

    def run(*args: str, **overrides: str) -> subprocess.CompletedProcess:
        for name, value in {**env, **overrides}.items():
            if name.startswith("DOZOR_"):
                monkeypatch.setenv(name, value)
        try:
            code = main(list(args))
        except SystemExit as exited:  # argparse's way out
            code = exited.code
        captured = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, captured.out, captured.err)

    return run


def one_clear_line(result: subprocess.CompletedProcess, *expected: str) -> str:
    """The single line a failed command printed, checked for the expected words."""
    assert result.returncode != 0, result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dozor"), result.stderr
    for words in expected:
        assert words in lines[0], lines[0]
    return lines[0]


def test_a_read_only_database_file_still_lists_and_refuses_changes_in_one_line(env, tmp_path):
    assert dozor(env, "feeds", "add", "https://a.example/rss", "--name", "A").returncode == 0
    database = tmp_path / "cli.sqlite3"
    database.chmod(0o444)
    listed = operator_dozor(env, "feeds", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [s["name"] for s in json.loads(listed.stdout)] == ["A"]
    assert operator_dozor(env, "config", "export").returncode == 0
    one_clear_line(operator_dozor(env, "feeds", "add", "https://b.example/rss"), "read-only", "permissions")
    one_clear_line(operator_dozor(env, "feeds", "remove", "1"), "read-only")
    database.chmod(0o644)
    assert [s["name"] for s in json.loads(dozor(env, "feeds", "list", "--json").stdout)] == ["A"]


def test_a_read_only_database_folder_is_named_in_one_line(env, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    env = {**env, "DOZOR_DATABASE_URL": f"sqlite:///{folder / 'dozor.sqlite3'}"}
    assert dozor(env, "feeds", "add", "https://a.example/rss").returncode == 0
    folder.chmod(0o555)
    try:
        one_clear_line(operator_dozor(env, "feeds", "list"), "cannot open the database", "folder is read-only")
        new = {**env, "DOZOR_DATABASE_URL": f"sqlite:///{folder / 'new.sqlite3'}"}
        one_clear_line(operator_dozor(new, "feeds", "list"), "cannot open the database", "unable to open")
        nested = {**env, "DOZOR_DATABASE_URL": f"sqlite:///{folder / 'sub' / 'new.sqlite3'}"}
        one_clear_line(operator_dozor(nested, "feeds", "list"), f"cannot create the folder {folder / 'sub'}")
    finally:
        folder.chmod(0o755)


def test_an_unreachable_postgresql_is_one_line(in_process):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed once the socket is: nothing listens there
    url = f"postgresql+psycopg://dozor:hunter2@127.0.0.1:{port}/dozor"
    line = one_clear_line(in_process("feeds", "list", DOZOR_DATABASE_URL=url), "cannot open the database",
                          f"127.0.0.1:{port}", "Connection refused")
    assert "hunter2" not in line


@pytest.mark.parametrize(
    "url,expected",
    [
        ("bogus://", "bogus:// databases are not supported"),
        ("not a url", "not a database URL"),
        ("postgres://u@h/db", "postgres:// databases are not supported"),
        ("postgresql+asyncpg://u@h/db", "no driver for postgresql+asyncpg://"),
        ("sqlite:////nonexistent-dozor-dir/sub/dozor.sqlite3", "/nonexistent-dozor-dir does not exist"),
    ],
)
def test_a_bogus_database_url_is_one_line(in_process, url, expected):
    one_clear_line(in_process("feeds", "list", DOZOR_DATABASE_URL=url), expected)
    assert not Path("/nonexistent-dozor-dir").exists()


def test_a_folder_of_the_zone_database_is_not_a_time_zone(in_process):
    one_clear_line(in_process("feeds", "list", DOZOR_TIMEZONE="Europe"), "unknown time zone 'Europe'")


def test_an_argument_with_undecodable_bytes_is_one_line(env):
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())", "feeds", "add",
         b"https://a.example/\xff\xfe"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    one_clear_line(result, "argument 3", "not valid UTF-8")
    assert json.loads(dozor(env, "feeds", "list", "--json").stdout) == []


@pytest.mark.parametrize("value", ["1e23", "100000000000000000000000", "-1", "0", "٣"])
def test_an_id_out_of_range_is_one_line(in_process, value):
    one_clear_line(in_process("feeds", "remove", value), "argument id", f"{value!r} is not an id")


def test_config_import_of_a_rule_nested_too_deeply_is_one_line(in_process, tmp_path):
    deep = tmp_path / "deep.toml"
    for rule, problem in [("(" * 240 + "Шымкент" + ")" * 240, "nested too deeply"),
                          ("(" * 5000 + "Шымкент" + ")" * 5000, "at most 500 characters")]:
        deep.write_text(f'[[topics]]\nid = "kazakhstan"\ntitle = "Казахстан"\nrules = ["{rule}"]\n', encoding="utf-8")
        line = one_clear_line(in_process("config", "import", str(deep)), "nothing was changed", problem)
        assert len(line) < 300
    nested = tmp_path / "nested.toml"
    nested.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    one_clear_line(in_process("config", "import", str(nested)), "not valid TOML", "nested too deeply")


def add_feeds(env, tmp_path, feeds: dict[str, str]) -> None:
    """Add the sources {name: url} with one command (an OPML import) instead of one `feeds add` each."""
    outlines = "".join(f"<outline type='rss' text={quoteattr(name)} xmlUrl={quoteattr(url)}/>" for name, url in feeds.items())
    opml = tmp_path / "feeds.opml"
    opml.write_text(f"<?xml version='1.0'?><opml version='2.0'><body>{outlines}</body></opml>", encoding="utf-8")
    imported = dozor(env, "feeds", "import-opml", str(opml))
    assert imported.returncode == 0 and imported.stdout.startswith(f"{len(feeds)} added"), imported.stderr


def test_collect_once_finishes_every_source_when_some_are_slow_to_parse(env, feed_server, tmp_path):
    feeds = {f"/slow/{n}": slow_to_parse(f"https://slow.example/{n}") for n in range(2)}
    feeds |= {f"/author/{n}": split_author(f"https://author.example/{n}") for n in range(2)}
    feeds |= {f"/good/{n}": small_feed(f"Good {n}", f"https://good.example/{n}") for n in range(6)}
    for path, body in feeds.items():
        feed_server.add_file(path, body)
    add_feeds(env, tmp_path, {path: feed_server.url(path) for path in feeds})
    one_core = {**env, "DOZOR_PARSE_WORKERS": "1", "DOZOR_PARSE_DEADLINE_SECONDS": "3"}
    collected = dozor(one_core, "collect", "--once")
    assert collected.returncode == 0, collected.stderr
    assert "Traceback" not in collected.stderr
    assert collected.stdout.startswith("polled 10 sources: 8 updated, 0 unchanged, 2 failed; 8 new items")
    listed = {s["name"]: s for s in json.loads(dozor(env, "feeds", "list", "--json").stdout)}
    for name, row in listed.items():
        if name.startswith("/slow/"):
            assert (row["error_count"], row["last_error"].split(":")[0]) == (1, "parse.timeout")
        else:
            assert (row["error_count"], row["last_error"], row["item_count"]) == (0, None, 1), name


def _processes() -> dict[int, int]:
    """Pid -> parent pid of every process that has not exited (zombies left out)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state, parent = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, ValueError):
            continue
        if state != "Z":
            parents[int(entry.name)] = int(parent)
    return parents


def _descendants(pid: int) -> set[int]:
    parents, found = _processes(), {pid}
    while grown := {child for child, parent in parents.items() if parent in found} - found:
        found |= grown
    return found - {pid}


def test_parser_processes_exit_when_the_collector_is_killed(env, feed_server, tmp_path):
    feed_server.add_file("/slow.xml", slow_to_parse("https://slow.example/1"))
    feed_server.add_file("/good.xml", small_feed("Good", "https://good.example/1"))
    add_feeds(env, tmp_path, {path: feed_server.url(path) for path in ("/slow.xml", "/good.xml")})
    collector = subprocess.Popen(
        [*DOZOR, "collect"], env={**env, "DOZOR_PARSE_WORKERS": "2"}, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    spawned: set[int] = set()
    try:
        deadline = time.monotonic() + 60  # a forkserver, a resource tracker, and two workers forked by the forkserver
        while time.monotonic() < deadline and not (feed_server.requests_to("/slow.xml") and len(spawned) >= 4):
            time.sleep(0.2)
            spawned = _descendants(collector.pid)
        time.sleep(1)  # one worker is busy with the slow feed
        spawned = _descendants(collector.pid)
        assert len(spawned) >= 4
        collector.kill()
        collector.wait()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and spawned & set(_processes()):
            time.sleep(0.2)
        assert spawned & set(_processes()) == set(), "parser processes outlived the collector"
    finally:
        collector.kill()
        for pid in spawned & set(_processes()):  # what this test started and left behind
            os.kill(pid, signal.SIGKILL)


def test_collect_once_on_a_full_disk_blames_the_database_not_the_sources(env, postgres_url, feed_server, tmp_path):
    from sqlalchemy import create_engine

    env = {**env, "DOZOR_DATABASE_URL": postgres_url}
    for n in range(3):
        feed_server.add_file(f"/news/{n}.xml", small_feed(f"News {n}", f"https://news.example/{n}"))
    add_feeds(env, tmp_path, {f"News {n}": feed_server.url(f"/news/{n}.xml") for n in range(3)})
    engine = create_engine(postgres_url)
    fill(engine)
    try:
        collected = dozor(env, "collect", "--once")
        listed = dozor(env, "feeds", "list")
        rows = json.loads(dozor(env, "feeds", "list", "--json").stdout)
    finally:
        free(engine)
        engine.dispose()
    assert collected.returncode == 1 and "Traceback" not in collected.stderr
    assert collected.stdout.startswith("polled 3 sources: 0 updated, 0 unchanged, 0 failed; 0 new items")
    assert "dozor: storage: OperationalError: " in collected.stderr and "No space left on device" in collected.stderr
    first = listed.stdout.splitlines()[0]
    assert first.startswith("storage: last error at ") and "No space left on device" in first
    assert [(row["error_count"], row["last_error"]) for row in rows] == [(0, None)] * 3
    again = dozor(env, "collect", "--once")
    assert again.returncode == 0 and again.stdout.startswith("polled 3 sources: 3 updated")


async def test_collect_without_a_token_queues_alerts_and_notices_that_the_bot_sends_later(
    env, feed_server, fake_telegram, parse_pool
):
    from feeds.sources.bootstrap import open_database
    from storage import chats as chat_store
    from storage import sources as source_store
    from storage import topic_edits
    from storage.models import Outbox
    from tests.botharness import dozor_bot
    from tests.conftest import MEDUZA

    admin, alice = 6001, 6002
    feed_server.add_file("/meduza.xml", MEDUZA.read_bytes())
    feed_server.add_handler("/gone", lambda r: r.send_error(404))
    sessions = open_database(env["DOZOR_DATABASE_URL"], seed_sources=False)
    with sessions.begin() as session:  # what an earlier run of the bot left: a topic, sources, an instant subscriber
        topic = topic_edits.add_topic(session, "kyrgyzstan", "Kyrgyzstan")
        topic_edits.add_rule(session, topic, "Киргизия OR Бишкек")
        source_store.add_source(session, feed_server.url("/meduza.xml"), "Meduza").backlog_done = True
        source_store.add_source(session, feed_server.url("/gone"), "Gone outlet").error_count = 9
        chat = chat_store.ensure_chat(session, alice, "private", None, "en")
        chat.mode = "instant"
        chat_store.subscribe(session, chat.id, "kyrgyzstan")
    # The captured feed is from October 2020, replayed as news: nothing in it counts as late (an old item newly seen).
    collected = dozor({**env, "DOZOR_ADMIN_IDS": str(admin), "DOZOR_LATE_AFTER_DAYS": "10000"}, "collect", "--once")
    assert collected.returncode == 0, collected.stderr
    with sessions() as session:
        queued = sorted((row.kind, row.status) for row in session.query(Outbox))
    sessions.kw["bind"].dispose()
    assert queued == [("alert", "pending"), ("notice", "pending")]  # two items about Kyrgyzstan: one story, one alert

    async with dozor_bot(fake_telegram, env["DOZOR_DATABASE_URL"], parse_pool, admin_ids=[admin]):
        (alert,) = await fake_telegram.wait_for_messages(alice, 1)
        (notice,) = await fake_telegram.wait_for_messages(admin, 1)
    assert "Президент Киргизии ушел в отставку" in alert.plain_text
    assert "Gone outlet" in notice.plain_text and "/resumefeed" in notice.plain_text


def test_feeds_add_full_text_mode_is_listed_and_history_names_a_missing_item(env):
    added = dozor(env, "feeds", "add", "https://outlet.example/rss", "--full-text", "never")
    assert added.returncode == 0, added.stderr
    assert dozor(env, "feeds", "add", "https://other.example/rss").returncode == 0
    listed = json.loads(dozor(env, "feeds", "list", "--json").stdout)
    assert [s["full_text"] for s in listed] == ["never", "auto"]
    bad = dozor(env, "feeds", "add", "https://third.example/rss", "--full-text", "sometimes")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    changed = dozor(env, "feeds", "set", str(listed[1]["id"]), "--full-text", "always")
    assert changed.returncode == 0 and "now reads full text: always" in changed.stdout
    assert [s["full_text"] for s in json.loads(dozor(env, "feeds", "list", "--json").stdout)] == ["never", "always"]
    nowhere = dozor(env, "feeds", "set", "999", "--full-text", "never")
    assert nowhere.returncode == 1 and "no source with id 999" in nowhere.stderr
    missing = dozor(env, "history", "999")
    assert missing.returncode == 1 and "no item with id 999" in missing.stderr and "Traceback" not in missing.stderr
