"""Stories: items about one event grouped across outlets and languages, on the labeled set and in the database."""
from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from feeds.stories import regroup
from storage import items as item_store
from storage import sources as source_store
from storage import stories as story_store
from storage.items import NewItem
from storage.story_models import Story, StoryKey, StoryMember

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import stories_quality  # noqa: E402

T0 = datetime(2022, 1, 5, 19, 50, tzinfo=timezone.utc)
ASKS_CSTO = [
    ("Kazinform", "ru", 0, "Токаев обратился к главам государств ОДКБ за помощью",
     "Касым-Жомарт Токаев заявил, что страну атаковали террористические банды, прошедшие подготовку за рубежом, "
     "и попросил ОДКБ помочь."),
    ("DW", "en", 70, "Kazakhstan's Tokayev asks Russia-led CSTO for help",
     "President Kassym-Jomart Tokayev appealed to the CSTO, saying terrorist gangs trained abroad had attacked the country."),
    ("Kazinform", "kk", 30, "Тоқаев ҰҚШҰ елдерінің басшыларына көмек сұрап жүгінді",
     "Қасым-Жомарт Тоқаев елге шетелде дайындалған террористік топтар шабуыл жасағанын айтып, ҰҚШҰ-дан көмек сұрады."),
    ("LIGA.net", "uk", 100, "Токаєв звернувся до ОДКБ по допомогу",
     "Президент Казахстану Касим-Жомарт Токаєв попросив ОДКБ допомогти, заявивши про терористичні банди, навчені за кордоном."),
]
INTERNET = ("Azattyk", "ru", 45, "В Казахстане почти полностью отключили интернет",
            "По данным NetBlocks, связность интернета в Казахстане упала до 2% от обычного уровня.")


def test_labeled_pairs_reach_the_target():
    items, pairs = stories_quality.load("story_items.jsonl"), stories_quality.load("story_pairs.jsonl")
    assert {i["lang"] for i in items} == {"ru", "uk", "kk", "en"}
    assert len({i["story"] for i in items}) >= 20 and len(pairs) == len(items) * (len(items) - 1) // 2
    labels = {i["id"]: i["story"] for i in items}
    assert all(p["same"] == (labels[p["a"]] == labels[p["b"]]) for p in pairs)
    precision, recall, wrong = stories_quality.scores(stories_quality.grouped(items), pairs)
    assert precision >= 0.95 and recall >= 0.95, wrong


def _store(sessions, rows, url_prefix="https://example.org/") -> list[int]:
    ids = []
    with sessions.begin() as session:
        for n, (source, lang, minutes, title, text) in enumerate(rows):
            known = {s.name: s.id for s, _ in source_store.list_sources(session)}
            source_id = known.get(source) or source_store.add_source(session, f"https://{source.lower()}.example/rss", source).id
            item = NewItem(f"{source}-{title}", title, text, T0 + timedelta(minutes=minutes),
                           canonical_url=f"{url_prefix}{lang}/{n}-{minutes}", lang=lang)
            stored = item_store.store_items(session, source_id, [item])
            regroup.place_new(session, stored)
            ids += stored
    return ids


def _stories(sessions, ids) -> dict[int, int]:
    with sessions() as session:
        return story_store.story_ids(session, ids)


def test_one_event_in_four_languages_is_one_story_with_its_first_report(sessions):
    ids = _store(sessions, ASKS_CSTO + [INTERNET])
    found = _stories(sessions, ids)
    assert len({found[i] for i in ids[:4]}) == 1
    assert found[ids[4]] != found[ids[0]]
    with sessions() as session:
        story = session.get(Story, found[ids[0]])
    assert story.first_item_id == ids[0] and story.first_seen_at == T0  # Kazinform ru at 19:50 came first


def test_an_earlier_item_placed_later_becomes_the_first_report(sessions):
    later = _store(sessions, ASKS_CSTO[1:2])
    earlier = _store(sessions, [("Azattyk", "ru", -20, ASKS_CSTO[0][3], ASKS_CSTO[0][4])], "https://azattyk.example/")
    found = _stories(sessions, later + earlier)
    assert found[later[0]] == found[earlier[0]]
    with sessions() as session:
        story = session.get(Story, found[later[0]])
    assert story.first_item_id == earlier[0] and story.first_seen_at == T0 - timedelta(minutes=20)


def test_regroup_and_backfill_give_the_online_grouping(sessions):
    ids = _store(sessions, ASKS_CSTO + [INTERNET])
    online = _stories(sessions, ids)
    result = regroup.regroup(sessions, T0 + timedelta(days=1))
    assert (result.items, result.stories) == (5, 2)
    again = _stories(sessions, ids)
    assert len({again[i] for i in ids[:4]}) == 1 and again[ids[4]] != again[ids[0]]
    with sessions.begin() as session:
        story_store.clear(session)
    assert regroup.backfill(sessions) == 5
    backfilled = _stories(sessions, ids)
    assert [backfilled[i] == backfilled[ids[0]] for i in ids] == [online[i] == online[ids[0]] for i in ids]


def test_pruned_items_leave_no_story_behind(sessions):
    ids = _store(sessions, [INTERNET])
    with sessions.begin() as session:
        assert item_store.prune_unmatched(session, datetime.now(timezone.utc) + timedelta(days=60), 30) == 1
    regroup.prune(sessions, datetime.now(timezone.utc))
    with sessions() as session:
        assert session.scalars(select(StoryMember)).all() == []
        assert session.scalars(select(StoryKey)).all() == []
        assert session.scalars(select(Story)).all() == []
    assert ids


def test_a_digest_shows_each_story_once_with_its_first_report(database_url):
    from datetime import datetime as moment

    from bot.delivery.outbox_writer import OutboxWriter
    from feeds.sources.bootstrap import open_database
    from storage import chats as chat_store
    from storage.models import Outbox, Subscription
    from tests.stories_seed import seed_labeled

    sessions = open_database(database_url, seed_sources=False)
    with sessions.begin() as session:
        chat = chat_store.ensure_chat(session, 42, "private", None, "en")
        chat_store.subscribe(session, chat.id, "csto")
        session.flush()
        session.get(Subscription, (chat.id, "csto")).digest_since = moment(2020, 1, 1, tzinfo=timezone.utc)
        chat_pk = chat.id
    seed_labeled(sessions)
    assert OutboxWriter(sessions).digest_now(chat_pk, datetime.now(timezone.utc)) >= 1
    with sessions() as session:
        text = "".join(row.text for row in session.query(Outbox).order_by(Outbox.id))
    sessions.kw["bind"].dispose()
    asks = ["Токаев обратился к главам государств ОДКБ за помощью", "Токаев попросил ОДКБ о помощи",
            "Kazakhstan's Tokayev asks Russia-led CSTO for help", "Токаєв звернувся до ОДКБ по допомогу"]
    assert sum(text.count(title) for title in asks) == 1  # the story once, under its newest headline
    assert "first: <a href=\"https://www.inform.kz/ru/tokayev-asks-csto-1\">Kazinform</a> 19:50, then " in text


def test_an_instant_alert_tells_a_story_once_however_many_outlets_follow(database_url):
    from bot.delivery.outbox_writer import OutboxWriter
    from feeds.sources.bootstrap import open_database
    from storage import chats as chat_store
    from storage.models import Outbox

    sessions = open_database(database_url, seed_sources=False)
    with sessions.begin() as session:
        chat = chat_store.ensure_chat(session, 42, "private", None, "en")
        chat.mode = "instant"
        chat_store.subscribe(session, chat.id, "csto")
    writer = OutboxWriter(sessions)
    rows = [(source, lang, minutes, title, text) for source, lang, minutes, title, text in ASKS_CSTO]
    start = datetime.now(timezone.utc) - timedelta(hours=3)  # news, not an archive newly seen (that is late)
    _store_matched(sessions, rows[:1], start)
    assert writer.alerts(datetime.now(timezone.utc)) == 1
    _store_matched(sessions, rows[1:], start)  # DW, Kazinform kk and LIGA.net tell the same story later
    writer.alerts(datetime.now(timezone.utc))
    with sessions() as session:
        alerts = [row.text for row in session.query(Outbox).filter(Outbox.kind == "alert")]
    sessions.kw["bind"].dispose()
    assert len(alerts) == 1 and "Токаев обратился к главам государств ОДКБ" in alerts[0]


def _store_matched(sessions, rows, start: datetime = T0) -> None:
    with sessions.begin() as session:
        for n, (source, lang, minutes, title, text) in enumerate(rows):
            known = {s.name: s.id for s, _ in source_store.list_sources(session)}
            source_id = known.get(source) or source_store.add_source(session, f"https://{source.lower()}.example/rss", source).id
            item = NewItem(f"{source}-{title}", title, text, start + timedelta(minutes=minutes),
                           canonical_url=f"https://m.example/{lang}/{n}-{minutes}", lang=lang,
                           matches={"csto": [{"term": "ОДКБ"}]})
            regroup.place_new(session, item_store.store_items(session, source_id, [item]))


def test_superscript_digits_are_no_numbers():
    from feeds.stories.features import item_features

    found = item_features("Площадь 12 км² выросла в 10³ раз", "Формула x² и ¹²³ не даты: 19 января", "ru")
    assert {"#12", "#10", "#19", "@19.01"} <= found.names and not any("²" in n or "³" in n for n in found.names)


def test_a_channel_in_a_story_is_named_by_its_own_title(database_url):
    from bot.delivery.outbox_writer import OutboxWriter
    from feeds.sources.bootstrap import open_database
    from storage import chats as chat_store
    from storage.models import Outbox, Source

    sessions = open_database(database_url, seed_sources=False)
    with sessions.begin() as session:
        channel = source_store.add_source(session, "https://t.me/s/azattyk", "azattyk", "telegram")
        channel.title = "Азаттык Азия"
        source_store.add_source(session, "https://dw.example/rss", "DW")
        chat = chat_store.ensure_chat(session, 42, "private", None, "en")
        chat_store.subscribe(session, chat.id, "csto")
        chat_pk = chat.id
    start = datetime.now(timezone.utc) - timedelta(hours=3)
    rows = [row for row in ASKS_CSTO if row[0] in ("Kazinform", "DW")][:2]
    _store_matched(sessions, [("azattyk", *rows[0][1:]), rows[1]], start)
    assert OutboxWriter(sessions).digest_now(chat_pk, datetime.now(timezone.utc)) == 1
    with sessions() as session:
        text = "".join(row.text for row in session.query(Outbox))
    sessions.kw["bind"].dispose()
    assert "first: <a href" in text and "Азаттык Азия</a>" in text and ">azattyk<" not in text
