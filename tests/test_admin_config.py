"""Config as code and OPML on the command line, and the pure helpers behind the admin commands."""
from __future__ import annotations

import tomllib

import pytest

from bot.admin.topics import parse_options
from bot.cli import main
from feeds.sources.config_sync import toml_string
from feeds.sources.discover import common_feed_urls, feed_links, with_scheme
from storage import audit
from storage import topics as topic_store
from storage.db import make_engine, session_factory
from storage.models import Source


@pytest.fixture
def cli(sqlite_url, monkeypatch, capsysbinary):
    """Run `dozor ARGS` in this process on a fresh database; return (exit code, stdout, stderr)."""
    for name in ("DOZOR_ADMIN_IDS", "DOZOR_BOT_TOKEN", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOZOR_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("DOZOR_DEFAULT_FEEDS", "0")

    def run(*args: str):
        code = main(list(args))
        captured = capsysbinary.readouterr()
        return code, captured.out, captured.err.decode()

    return run


@pytest.fixture
def sessions(sqlite_url):
    engine = make_engine(sqlite_url)
    yield session_factory(engine)
    engine.dispose()


def sources(sessions) -> list[tuple[str, str, str, str]]:
    with sessions() as session:
        return [(s.url, s.name, s.kind, s.status) for s in session.query(Source).order_by(Source.id)]


def test_config_export_then_import_changes_nothing_until_the_file_does(cli, sessions, tmp_path):
    assert cli("feeds", "add", "@voenkorKotenok")[0] == 0
    assert cli("feeds", "add", "https://informnapalm.org/feed/", "--kind", "analysis", "--name", "InformNapalm")[0] == 0
    code, out, _ = cli("config", "export")
    assert code == 0
    exported = out.decode()
    data = tomllib.loads(exported)
    assert [s["url"] for s in data["sources"]] == ["https://t.me/s/voenkorKotenok", "https://informnapalm.org/feed/"]
    assert data["sources"][1]["kind"] == "analysis"
    with sessions() as session:
        assert {t["id"]: t["rules"] for t in data["topics"]} == topic_store.topic_rules(session)
    path = tmp_path / "dozor.toml"
    path.write_text(exported, encoding="utf-8")
    assert cli("config", "import", str(path))[1].decode().strip() == "nothing to change: the database matches the file"

    edited = exported.replace('title = "CSTO (ОДКБ)"', 'title = "ОДКБ"') + (
        '\n[[sources]]\nurl = "https://www.liga.net/news/all/rss.xml"\nname = "LIGA"\nkind = "rss"\n'
        '\n[[topics]]\nid = "weather"\ntitle = "Погода"\nrules = [\'"штормовое предупреждение"\', "гроза OR ливень"]\n'
    )
    path.write_text(edited, encoding="utf-8")
    code, out, _ = cli("config", "import", str(path), "--dry-run")
    assert code == 0 and "would change 3 things" in out.decode()
    assert len(sources(sessions)) == 2
    code, out, _ = cli("config", "import", str(path))
    report = out.decode().splitlines()
    assert report == [
        "added source https://www.liga.net/news/all/rss.xml (LIGA)",
        "updated topic csto: title 'CSTO (ОДКБ)' -> 'ОДКБ'",
        "added topic weather with 2 rules",
        "changed 3 things",
    ]
    with sessions() as session:
        assert topic_store.topic_rules(session)["weather"] == ['"штормовое предупреждение"', "гроза OR ливень"]
        logged = [(e.actor, e.action) for e in reversed(audit.latest(session, 10))]
    actions = ("source.add", "source.add", "config.source.add", "config.topic.update", "config.topic.add")
    assert logged == [("command line", a) for a in actions]
    assert cli("config", "import", str(path))[1].decode().strip().endswith("the database matches the file")
    assert tomllib.loads(cli("config", "export")[1].decode()) == tomllib.loads(edited)


def test_changes_from_the_command_line_are_audited_as_the_command_line(cli, sessions):
    from bot.admin.audit_log import sentences

    assert cli("feeds", "add", "https://www.liga.net/news/all/rss.xml", "--name", "LIGA")[0] == 0
    assert cli("feeds", "remove", "1")[0] == 0
    with sessions() as session:
        entries = list(reversed(audit.latest(session, 10)))
    assert [(e.actor_id, e.actor, e.action, e.target) for e in entries] == [
        (None, "command line", "source.add", "#1 LIGA"), (None, "command line", "source.remove", "#1 LIGA"),
    ]
    assert [sentences(e, "ru") for e in entries] == [
        ["источник #1 LIGA добавлен: https://www.liga.net/news/all/rss.xml"], ["источник #1 LIGA удалён"],
    ]


def test_config_import_with_problems_changes_nothing(cli, sessions, tmp_path):
    cli("feeds", "add", "https://www.liga.net/news/all/rss.xml")
    before = sources(sessions)
    path = tmp_path / "bad.toml"
    path.write_text(
        '[[sources]]\nurl = "https://a.example/rss"\n[[sources]]\nurl = "https://a.example/rss"\n'
        '[[sources]]\nurl = "ftp://b.example/"\n'
        '[[topics]]\nid = "Bad Id"\nrules = ["x"]\n[[topics]]\nid = "ok"\nrules = ["(open"]\n',
        encoding="utf-8",
    )
    code, _, err = cli("config", "import", str(path))
    assert code == 2 and "nothing was changed" in err
    for problem in ("appears twice", "only http:// and https://", "'Bad Id' is not a valid topic id", "rule 1: unclosed '('"):
        assert problem in err
    path.write_text("[[sources]\n", encoding="utf-8")
    code, _, err = cli("config", "import", str(path))
    assert code == 2 and "not valid TOML" in err
    assert sources(sessions) == before


def test_config_prune_removes_what_the_file_lacks(cli, sessions, tmp_path):
    cli("feeds", "add", "https://www.liga.net/news/all/rss.xml")
    path = tmp_path / "small.toml"
    path.write_text('[[topics]]\nid = "csto"\ntitle = "ОДКБ"\nrules = ["ОДКБ"]\n', encoding="utf-8")
    code, out, _ = cli("config", "import", str(path), "--prune")
    assert code == 0
    assert out.decode().splitlines() == [
        "removed source https://www.liga.net/news/all/rss.xml",
        "updated topic csto: title 'CSTO (ОДКБ)' -> 'ОДКБ', rules +1 -10",
        "removed topic kazakhstan",
        "changed 3 things",
    ]
    with sessions() as session:
        assert topic_store.topic_rules(session) == {"csto": ["ОДКБ"]}
    assert sources(sessions) == []


def test_opml_on_the_command_line_round_trips(cli, sessions, tmp_path):
    path = tmp_path / "in.opml"
    path.write_bytes(
        b'<opml version="2.0"><body><outline text="Tech"><outline text="LIGA" xmlUrl="https://www.liga.net/news/all/rss.xml"/>'
        b'<outline title="Kotenok" xmlUrl="@voenkorKotenok"/><outline text="dup" xmlUrl="https://www.liga.net/news/all/rss.xml"/>'
        b'<outline text="bad" type="rss" xmlUrl="file:///etc/passwd"/></outline></body></opml>'
    )
    code, out, err = cli("feeds", "import-opml", str(path))
    assert code == 0 and out.decode().strip() == "2 added, 1 skipped as duplicates, 1 invalid"
    assert "file:///etc/passwd" in err
    assert sources(sessions) == [
        ("https://www.liga.net/news/all/rss.xml", "LIGA", "rss", "active"),
        ("https://t.me/s/voenkorKotenok", "Kotenok", "telegram", "active"),
    ]
    code, exported, _ = cli("feeds", "export-opml")
    assert code == 0 and exported.startswith(b"<?xml")
    path.write_bytes(exported)
    assert cli("feeds", "import-opml", str(path))[1].decode().strip() == "0 added, 2 skipped as duplicates, 0 invalid"
    path.write_bytes(b"<html><body>not opml</body></html>")
    code, _, err = cli("feeds", "import-opml", str(path))
    assert code == 2 and "not an OPML document" in err


@pytest.mark.parametrize("text", [
    "plain", 'ОДКБ OR "Организация Договора"', "it's \"quoted\"", "back\\slash", "tab\tand\nnewline", "del\x7f", "",
])
def test_toml_strings_read_back_unchanged(text):
    assert tomllib.loads(f"value = {toml_string(text)}")["value"] == text


def test_feed_links_of_a_page():
    page = b"""<html><head>
    <link rel="alternate" type="application/rss+xml" href="/rss.xml">
    <link rel="Alternate" type="application/atom+xml; charset=utf-8" href="https://other.example/atom">
    <link rel="alternate" type="text/html" hreflang="en" href="/en/">
    <link rel="stylesheet" type="text/css" href="/style.css">
    <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
    </head><body><link rel="alternate" type="application/rss+xml" href="/rss.xml"></body></html>"""
    assert feed_links(page, "https://site.example/news/") == ["https://site.example/rss.xml", "https://other.example/atom"]
    assert feed_links(b"", "https://site.example/") == []
    assert common_feed_urls("https://site.example/a/b?c=1")[:2] == ["https://site.example/feed", "https://site.example/rss"]


@pytest.mark.parametrize("text,options,rule", [
    ("ОДКБ", {}, "ОДКБ"),
    ("days:30 ОДКБ OR CSTO", {"days": 30}, "ОДКБ OR CSTO"),
    ('replace:2 "Алма-Ата"  AND  город days:3', {"replace": 2, "days": 3}, '"Алма-Ата"  AND  город'),
    ("remove:1", {"remove": 1}, ""),
    ("title:ОДКБ", {}, "title:ОДКБ"),
])
def test_testrule_options(text, options, rule):
    assert parse_options(text) == (options, rule)


@pytest.mark.parametrize("typed,url", [
    ("site.kz", "https://site.kz"),
    ("www.site.kz/news/", "https://www.site.kz/news/"),
    ("http://site.kz/rss", "http://site.kz/rss"),
    ("@voenkorKotenok", "@voenkorKotenok"),
    ("t.me/voenkorKotenok", "https://t.me/voenkorKotenok"),
    ("localhost/feed", "localhost/feed"),
])
def test_addfeed_accepts_a_site_without_a_scheme(typed, url):
    assert with_scheme(typed) == url


def test_source_labels_travel_through_the_configuration_file(cli, sessions, tmp_path):
    assert cli("feeds", "add", "https://www.inform.kz/rss/rus.xml", "--label", "state-kz")[0] == 0
    exported = cli("config", "export")[1].decode()
    assert 'label = "state-kz"' in exported
    path = tmp_path / "dozor.toml"
    path.write_text(exported.replace('label = "state-kz"', 'label = "independent"'), encoding="utf-8")
    code, out, _ = cli("config", "import", str(path))
    assert code == 0 and "label 'state-kz' -> 'independent'" in out.decode()
    with sessions() as session:
        assert session.query(Source).one().label == "independent"
    path.write_text(exported.replace('label = "state-kz"', 'label = "State KZ"'), encoding="utf-8")
    code, _, err = cli("config", "import", str(path))
    assert code == 2 and "label 'State KZ' must be lowercase letters" in err
    without = "\n".join(line for line in exported.splitlines() if not line.startswith("label"))
    path.write_text(without, encoding="utf-8")
    cli("config", "import", str(path))
    with sessions() as session:
        assert session.query(Source).one().label == "independent"  # a file without labels leaves them as they are


def test_narratives_travel_through_the_file_and_prune_only_when_listed(cli, sessions, tmp_path):
    exported = cli("config", "export")[1].decode()
    data = tomllib.loads(exported)
    assert [n["id"] for n in data["narratives"]] == ["coup", "external-forces", "maidan", "peacekeepers", "terrorists"]
    path = tmp_path / "narratives.toml"
    path.write_text('[[narratives]]\nid = "coup"\ntitle = "Coup"\nrules = ["переворот*", "coup OR"]\n', encoding="utf-8")
    code, _, err = cli("config", "import", str(path), "--prune")
    assert code == 2 and "narratives[1] (coup), rule 2" in err
    path.write_text('[[narratives]]\nid = "coup"\ntitle = "Coup"\nrules = ["переворот*"]\n', encoding="utf-8")
    code, out, _ = cli("config", "import", str(path), "--prune")
    assert code == 0 and "removed narrative maidan" in out.decode() and "removed topic" in out.decode()
    with sessions() as session:
        assert topic_store.topic_rules(session, topic_store.NARRATIVE) == {"coup": ["переворот*"]}
    path.write_text('[[topics]]\nid = "kazakhstan"\nrules = ["Казахстан"]\n[[narratives]]\nid = "kazakhstan"\nrules = ["x"]\n',
                    encoding="utf-8")
    code, _, err = cli("config", "import", str(path))
    assert code == 2 and "topic or narrative id kazakhstan appears twice" in err
