"""Admin storage on SQLite and PostgreSQL: roles, the audit log, source error history, topic edits, re-matching."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from feeds import rematch
from storage import audit, roles, source_health, topic_edits
from storage import sources as source_store
from storage.items import NewItem, store_items
from storage.models import Match, Topic, utcnow

BIG_USER = 7_000_000_000  # Telegram user ids need more than 32 bits


def test_roles_and_volunteer_modes(sessions):
    with sessions.begin() as session:
        assert roles.add_admin(session, BIG_USER, 1) and not roles.add_admin(session, BIG_USER, 1)
        assert roles.is_volunteer(session, 5)  # everyone, by default
        assert roles.set_volunteer_mode(session, "list") == "all"
        roles.add_volunteer(session, 6, BIG_USER)
    with sessions.begin() as session:
        assert roles.is_added_admin(session, BIG_USER)
        assert [roles.is_volunteer(session, u, admin_ids=[9]) for u in (5, 6, 9, BIG_USER)] == [False, True, True, True]
        with pytest.raises(ValueError):
            roles.set_volunteer_mode(session, "nobody")
        assert roles.remove_admin(session, BIG_USER) and not roles.remove_admin(session, BIG_USER)


def test_audit_entries_keep_json_before_and_after(sessions):
    with sessions.begin() as session:
        audit.record(session, audit.Actor(BIG_USER, "Alice"), "rule.add", "csto", {"rules": []}, {"rules": ["ОДКБ"]})
        audit.record(session, audit.CLI, "config.source.remove", "https://a.example/rss", {"name": "A"}, None)
    with sessions() as session:
        newest, oldest = audit.latest(session, 5)
    assert (newest.actor_id, newest.actor, newest.before, newest.after) == (None, "command line", {"name": "A"}, None)
    assert (oldest.actor_id, oldest.after) == (BIG_USER, {"rules": ["ОДКБ"]})


def test_audit_entries_keep_only_what_changed(sessions):
    topic = {"id": "kazakhstan", "title": "Казахстан", "rules": [f"rule {n}" for n in range(40)]}
    source = {"id": 12, "name": "Azattyk", "url": "https://azattyk.example/rss", "kind": "rss", "status": "active"}
    changes = [
        (topic, {**topic, "rules": [*topic["rules"], "Шымкент"]}),
        (topic, {**topic, "title": "Kazakhstan", "rules": topic["rules"][1:]}),
        (topic, {**topic, "rules": topic["rules"][::-1]}),
        (source, {**source, "status": "paused"}),
        (None, source),
    ]
    with sessions.begin() as session:
        for before, after in changes:
            audit.record(session, audit.CLI, "change", "x", before, after)
    with sessions() as session:
        kept = [(e.before, e.after) for e in reversed(audit.latest(session, 10))]
    assert kept == [
        (None, {"rules": ["Шымкент"]}),
        ({"title": "Казахстан", "rules": ["rule 0"]}, {"title": "Kazakhstan"}),
        ({"rules": topic["rules"]}, {"rules": topic["rules"][::-1]}),  # only reordered: both orders kept
        ({"status": "active"}, {"status": "paused"}),
        (None, source),
    ]


def test_a_source_keeps_its_latest_errors_and_loses_them_with_it(sessions):
    with sessions.begin() as session:
        source_id = source_store.add_source(session, "https://a.example/rss", "A").id
        for n in range(source_health.ERRORS_KEPT + 5):
            source_store.record_failure(session, source_id, utcnow() + timedelta(seconds=n), "fetch.timeout", f"try {n}")
    with sessions.begin() as session:
        errors = source_health.recent_errors(session, source_id, limit=100)
        assert len(errors) == source_health.ERRORS_KEPT and errors[0].message == "try 24"
        source_store.remove_source(session, source_id)
    with sessions() as session:
        assert source_health.recent_errors(session, source_id) == []


def test_a_source_paused_by_its_errors_waits_to_be_announced_until_resumed(sessions):
    with sessions.begin() as session:
        source_id = source_store.add_source(session, "https://a.example/rss", "A").id
        for n in range(source_store.PAUSE_AFTER_ERRORS - 1):
            source_store.record_failure(session, source_id, utcnow(), "fetch.http_404", "HTTP 404")
        assert source_store.pauses_to_announce(session) == []  # failing, not paused yet
        source_store.record_failure(session, source_id, utcnow(), "fetch.http_404", "HTTP 404")
    with sessions.begin() as session:  # another process's transaction finds it
        (paused,) = source_store.pauses_to_announce(session)
        assert (paused.id, paused.status) == (source_id, "paused")
        source_store.set_status(session, source_id, "active")
    with sessions() as session:
        assert source_store.pauses_to_announce(session) == []


def test_topic_edits_and_a_rematch_of_stored_items(sessions):
    with sessions.begin() as session:
        topic = topic_edits.add_topic(session, "drills", "Учения")
        topic_edits.add_rule(session, topic, "погода")
        with pytest.raises(topic_edits.TopicEditError):
            topic_edits.add_rule(session, topic, "погода")
        source_id = source_store.add_source(session, "https://a.example/rss", "A").id
        items = [
            NewItem("k1", "Учения начались", "", utcnow(), matches={}),
            NewItem("k2", "Погода в Алматы", "", utcnow(), matches={"drills": [{"term": "погода"}]}),
        ]
        first, second = store_items(session, source_id, items)
        topic_edits.set_rules(session, topic, ["учения"])
    since = utcnow() - timedelta(days=1)
    dry = rematch.dry_run(sessions, "drills", ["учения"], since)
    assert (dry.checked, dry.gained, dry.lost) == (2, 1, 1)
    run = rematch.reapply(sessions, "drills", ["учения"], since)
    assert (run.total, run.added, run.removed) == (2, 1, 1)
    with sessions.begin() as session:
        assert session.query(Match.item_id).filter_by(topic_id="drills").all() == [(first,)]
        assert topic_edits.remove_topic(session, "drills") == {"id": "drills", "title": "Учения", "rules": ["учения"]}
    with sessions() as session:
        assert session.get(Topic, "drills") is None and session.query(Match).count() == 0


def test_a_rematch_stores_each_term_at_its_first_places_only(sessions):
    from feeds.matching.results import PLACES_PER_TERM

    with sessions.begin() as session:
        topic_edits.add_topic(session, "drills", "Учения")
        source_id = source_store.add_source(session, "https://a.example/rss", "A").id
        (item_id,) = store_items(session, source_id, [NewItem("k", "Учения", "учения " * 3000, utcnow())])
    run = rematch.reapply(sessions, "drills", ["учения"], utcnow() - timedelta(days=1))
    assert run.added == 1
    with sessions() as session:
        (hits,) = session.query(Match.hits).filter_by(item_id=item_id, topic_id="drills").one()
    assert len(hits) == PLACES_PER_TERM and hits[-1]["more"] == 3001 - PLACES_PER_TERM


def test_rates_and_dry_runs_count_items_by_their_publication(sessions):
    from storage import chats as chat_store

    now = utcnow()
    with sessions.begin() as session:
        source_id = source_store.add_source(session, "https://a.example/rss", "A").id
        topic_edits.add_topic(session, "drills", "Учения")
        store_items(session, source_id, [  # all stored now; two of them published long ago
            NewItem("old", "Учения 2020", "", datetime(2020, 9, 1, tzinfo=timezone.utc)),
            NewItem("2022", "Учения 2022", "", datetime(2022, 1, 6, tzinfo=timezone.utc)),
            NewItem("new", "Учения сегодня", "", now - timedelta(hours=2)),
        ])
        chat = chat_store.ensure_chat(session, -1001234, "channel", "Dozor KZ", "ru")
        chat.username, chat.added_by = "Dozor_KZ", 1001
    with sessions() as session:
        assert source_health.published_counts(session, now) == {source_id: 1}
        assert source_health.items_per_day(session, now) == {source_id: 1 / 7}
        assert source_health.newest_published(session, source_id) == now - timedelta(hours=2)
        assert chat_store.posted_chat(session, "dozor_kz", None).chat_id == -1001234
        assert chat_store.posted_chat(session, None, -1001234).shown_name == "@Dozor_KZ"
        assert [c.chat_id for c, _ in chat_store.posted_into(session)] == [-1001234]
    dry = rematch.dry_run(sessions, "drills", ["учения"], now - timedelta(days=7))
    assert (dry.checked, dry.gained) == (1, 1) and [e.title for e in dry.gained_examples] == ["Учения сегодня"]
    assert rematch.start_reapply(sessions, now - timedelta(days=7)).total == 1


def test_a_rematch_finds_words_that_only_the_articles_full_text_has(sessions):
    with sessions.begin() as session:
        topic_edits.add_topic(session, "drills", "Учения")
        source_id = source_store.add_source(session, "https://a.example/rss", "A").id
        short = NewItem("k", "Новости дня", "Коротко.", utcnow(), full_text="В Алматы начались учения ОДКБ.")
        (item_id,) = store_items(session, source_id, [short])
    assert rematch.dry_run(sessions, "drills", ["учения"], utcnow() - timedelta(days=1)).gained == 1
    assert rematch.reapply(sessions, "drills", ["учения"], utcnow() - timedelta(days=1)).added == 1
    with sessions() as session:
        assert session.query(Match.item_id).filter_by(topic_id="drills").all() == [(item_id,)]
