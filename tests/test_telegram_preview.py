"""Telegram channel previews (t.me/s/<channel>) become entries with permalinks, dates and extras."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from feeds.errors import FeedError
from feeds.parse import parse_body
from tests.conftest import CORPUS
from tests.telegram_pages import page_of, real_blocks, text_post

FIXTURES = CORPUS / "telegram/rust-any2feed/test_utils/src/fixtures/telegram_preview"
FETCHED_AT = datetime(2024, 1, 1, tzinfo=timezone.utc)
HTML = {"content-type": "text/html; charset=utf-8"}


def parse_page(body: bytes, url: str = "https://t.me/s/topwar_official", headers=HTML):
    return parse_body(body, headers, kind="telegram", url=url, fetched_at=FETCHED_AT)


def parse_fixture(name: str):
    return parse_page((FIXTURES / name).read_bytes())


def only_entry(name: str):
    (entry,) = parse_fixture(name).entries
    return entry


def test_full_page_yields_every_post_with_permalink_and_utc_date():
    page = parse_fixture("full.html")
    ids = [70989, 70990, 70992, 70995, 70996, 70997, 70998, 70999, 71000, 71006, 71007, 71008]
    assert page.title == "Военное обозрение"
    assert [entry.url for entry in page.entries] == [f"https://t.me/topwar_official/{i}" for i in ids]
    assert [entry.guid for entry in page.entries] == [entry.url for entry in page.entries]
    assert page.entries[0].published_at == datetime(2023, 2, 28, 7, 47, 53, tzinfo=timezone.utc)
    assert page.entries[-1].published_at == datetime(2023, 2, 28, 13, 14, 3, tzinfo=timezone.utc)
    assert all(entry.lang == "ru" and entry.title and entry.text for entry in page.entries)


def test_full_page_text_is_clean_prose():
    first = parse_fixture("full.html").entries[0]
    assert first.text.startswith(
        "В Санкт-Петербурге в небо над городом подняли истребители из-за неизвестного объекта в воздухе"
    )
    assert "\nСудя по сервису Flightradar" in first.text
    assert "<" not in first.text and "  " not in first.text
    assert first.title.endswith("…") and len(first.title) <= 121
    assert first.text.startswith(first.title[:-1])


def test_forwarded_post_keeps_its_origin_and_link_preview():
    post = {entry.url: entry for entry in parse_fixture("full.html").entries}["https://t.me/topwar_official/70996"]
    assert post.extra["forwarded_from"] == {"name": "Военкор Ярем", "url": "https://t.me/yaremshooter/1066", "channel": "yaremshooter"}
    assert post.extra["link_preview"]["title"] == "Милитарист"
    assert post.extra["views"] == 32900


def test_text_message_keeps_line_breaks():
    entry = only_entry("message_text.html")
    assert entry.url == "https://t.me/topwar_official/70991"
    assert entry.title == "Неопознанный летающий объект замечен в 160 – 200 км от Петербурга"
    assert entry.text.startswith(entry.title + "\n\nПо данным «Фонтанки», такую информацию министерство обороны")
    assert entry.published_at == datetime(2023, 2, 28, 8, 48, 1, tzinfo=timezone.utc)
    assert entry.extra == {"views": 33400}


def test_post_that_is_only_a_link_reads_as_its_preview():
    entry = only_entry("message_link_preview.html")
    assert entry.url == "https://t.me/oper_goblin/22360"
    assert entry.extra["link_preview"] == {
        "url": "https://vnnews.ru/georgiy-zotov-okkupaciya-volosatym-kr/",
        "site_name": "Ваши новости — интернет-газета",
        "title": "Георгий Зотов: ОККУПАЦИЯ ВОЛОСАТЫМ КРАБОМ",
        "description": "Современная журналистика превратилась в комедию и тщетную охоту за лайками "
        "с перепостами в попытке обогнать популярные блоги. Выглядит сие довольно жалко…",
    }
    assert entry.title == "Георгий Зотов: ОККУПАЦИЯ ВОЛОСАТЫМ КРАБОМ"
    assert "Современная журналистика" in entry.text
    assert entry.lang == "ru"
    assert entry.extra["views"] == 226200


def test_link_preview_url_keeps_its_query():
    entry = only_entry("message_link_preview_text_only.html")
    preview = entry.extra["link_preview"]
    assert preview["url"] == "http://publication.pravo.gov.ru/Document/View/0001202302270011?index=7&rangeSize=1"
    assert preview["site_name"] == "publication.pravo.gov.ru"
    assert entry.title.startswith("Распоряжение Президента Российской Федерации от 27.02.2023 № 59-рп")


def test_post_with_own_text_keeps_it_over_the_preview():
    entry = only_entry("message_link_preview_video.html")
    assert entry.title == "Жениться вам, барин, пора! 😁"
    assert entry.extra["link_preview"]["url"] == "https://t.me/shalnyak/5410"
    assert entry.extra["link_preview"]["title"] == "Shalnyak"


@pytest.mark.parametrize(
    ("name", "forwarded_from"),
    [
        ("message_media_forwarded_from.html", {"name": "Пул N3", "url": "https://t.me/dimsmirnov175/44604", "channel": "dimsmirnov175"}),
        ("message_media_file.html", {"name": "Кремлёвская прачка", "url": "https://t.me/kremlinprachka/20294", "channel": "kremlinprachka"}),
        ("message_voice.html", {"name": "Спортивный Екб", "url": None, "channel": None}),  # a private channel or a user
    ],
)
def test_forwarded_from(name, forwarded_from):
    assert only_entry(name).extra["forwarded_from"] == forwarded_from


@pytest.mark.parametrize(
    ("name", "url", "media"),
    [
        ("message_media_file.html", "https://t.me/oper_goblin/16936", ["document"]),
        ("message_media_photo_and_video.html", "https://t.me/anna_news/46908", ["photo", "video"]),
        ("message_media_round_video.html", "https://t.me/bolshiepushki/3495", ["round_video"]),
        ("message_poll.html", "https://t.me/it_begin/488", ["poll"]),
        ("message_sticker.html", "https://t.me/channel/5", ["sticker"]),
        ("message_voice.html", "https://t.me/oper_goblin/939", ["voice"]),
    ],
)
def test_media_kinds(name, url, media):
    entry = only_entry(name)
    assert entry.url == url
    assert entry.extra["media"] == media


def test_album_text_is_read_once():
    entry = only_entry("message_media_photo_and_video.html")
    assert entry.text == (
        "Ночью над Белгородом сбили 3 беспилотника\n\nОни упали на улицы города.\n\n"
        "Сообщается, что на себе БПЛА несли взрывчатку из пластида.\n\n#Белгород #Беспилотники\n\n@anna_news"
    )


def test_poll_without_text_reads_as_question_and_options():
    entry = only_entry("message_poll.html")
    assert entry.title == "Как лучше?"
    assert entry.text.split("\n") == [
        "Как лучше?", "Несколько постов в день", "Один пост в несколько дней", "Свой вариант в комментарии",
    ]


def test_document_and_signature():
    assert only_entry("message_media_file.html").extra["document"] == "Оппозиционные медиапроекты.pdf"
    assert only_entry("message_with_from_author.html").extra["author"] == "🅰️rkadiy Ivanov"


def test_post_without_any_text_is_still_an_entry():
    entry = only_entry("message_media_round_video.html")
    assert (entry.title, entry.text, entry.lang) == ("", "", None)
    assert entry.published_at == datetime(2023, 3, 1, 9, 35, 31, tzinfo=timezone.utc)


def message(post: str, body: str, when: str = "2023-02-28T07:47:53+00:00") -> str:
    return (
        f'<div class="tgme_widget_message js-widget_message" data-post="{post}">'
        f'<div class="tgme_widget_message_text js-message_text">{body}</div>'
        f'<a class="tgme_widget_message_date" href="#"><time datetime="{when}">10:47</time></a></div>'
    )


def channel_page(*messages: str) -> bytes:
    history = "".join(messages)
    return (
        '<!DOCTYPE html><html><head><meta property="og:title" content="Канал"></head>'
        f'<body class="tgme_webpreview"><section class="tgme_channel_history">{history}</section></body></html>'
    ).encode()


def test_future_or_missing_date_becomes_fetch_time():
    page = parse_page(
        channel_page(message("chan/1", "будущее", "2099-01-01T00:00:00+00:00"), message("chan/2", "без даты", "junk"))
    )
    assert [entry.published_at for entry in page.entries] == [FETCHED_AT, FETCHED_AT]


def test_malformed_data_post_is_skipped():
    page = parse_page(channel_page(message("no-slash", "x"), message("chan/abc", "y"), message("chan/7", "z")))
    assert [entry.url for entry in page.entries] == ["https://t.me/chan/7"]


def test_control_characters_and_entities_in_a_post():
    page = parse_page(channel_page(message("chan/1", "Ночь\x00 &amp; день<br>Утро\x07")))
    assert page.entries[0].text == "Ночь & день\nУтро"


def test_page_without_charset_is_read_as_utf8():
    page = parse_page(channel_page(message("chan/1", "Привет, мир")), headers={})
    assert page.entries[0].text == "Привет, мир"


def test_channel_preview_without_posts_is_empty():
    page = parse_page(channel_page())
    assert page.entries == [] and page.title == "Канал"


@pytest.mark.parametrize(
    "body",
    [
        b"<html><head><title>Example</title></head><body><p>Hello</p></body></html>",
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>',
        b"",
        b"   ",
        b'<html><body class="tgme_page_body"><div class="tgme_page_title">Private</div></body></html>',
    ],
)
def test_page_that_is_not_a_channel_preview(body):
    with pytest.raises(FeedError) as error:
        parse_page(body, url="https://example.com/")
    assert error.value.code == "parse.not_a_channel"


def test_page_links_to_its_older_posts():
    assert parse_fixture("full.html").older == 70989
    assert parse_page(channel_page(message("chan/7", "x"))).older is None  # no link: nothing older known


def test_albums_are_one_entry_naming_every_post_of_the_group():
    page = parse_fixture("full.html")
    albums = {entry.url: entry.extra["album"] for entry in page.entries if "album" in entry.extra}
    assert albums == {
        "https://t.me/topwar_official/70992": [70992, 70993, 70994],
        "https://t.me/topwar_official/71000": [71000, 71001, 71002, 71003, 71004, 71005],
    }
    assert only_entry("message_media_photo_and_video.html").extra["album"] == [46908, 46909, 46910]


def test_an_album_listed_by_a_later_post_of_its_group_keeps_the_first_posts_link():
    block = real_blocks()[2].replace('data-post="topwar_official/70992"', 'data-post="topwar_official/70994"')
    (entry,) = parse_page(page_of([block], 70992)).entries
    assert entry.url == entry.guid == "https://t.me/topwar_official/70992"


REPLY = (
    '<a class="tgme_widget_message_reply" href="https://t.me/topwar_official/70990">'
    '<div class="tgme_widget_message_author accent_color"><span class="tgme_widget_message_author_name" dir="auto">'
    "Военное обозрение</span></div>"
    '<div class="tgme_widget_message_text js-message_reply_text" dir="auto">Цитата поста, на который ответили</div></a>'
)


def test_a_reply_reads_its_own_text_and_names_the_post_it_answers():
    block = text_post("topwar_official", 70995, "Ответ: объект сбит над заливом", datetime(2023, 2, 28, 9, 0, tzinfo=timezone.utc))
    block = block.replace('<div class="tgme_widget_message_text js-message_text"', REPLY + '<div class="tgme_widget_message_text js-message_text"', 1)
    (entry,) = parse_page(page_of([block], 70995)).entries
    assert entry.text == "Ответ: объект сбит над заливом"
    assert entry.extra["reply_to"] == {
        "name": "Военное обозрение", "url": "https://t.me/topwar_official/70990", "channel": "topwar_official"
    }


def test_a_reply_without_text_of_its_own_does_not_take_the_quote():
    block = real_blocks()[2].replace('<div class="tgme_widget_message_grouped_wrap', REPLY + '<div class="tgme_widget_message_grouped_wrap', 1)
    block = re.sub(r'<div class="tgme_widget_message_text js-message_text before_footer".*?</div>\s*</div>', "", block, flags=re.DOTALL)
    (entry,) = parse_page(page_of([block], 70992)).entries
    assert "Цитата" not in entry.text and entry.extra["reply_to"]["url"] == "https://t.me/topwar_official/70990"


SERVICE = (
    '<div class="message_media_not_supported_wrap"><div class="message_media_not_supported">'
    '<div class="message_media_not_supported_label">Service message</div>'
    '<span class="message_media_view_in_telegram">VIEW IN TELEGRAM</span></div></div>'
)


def test_service_messages_are_not_items_but_the_page_still_pages_back():
    when = datetime(2023, 2, 28, 9, 0, tzinfo=timezone.utc)
    service = text_post("topwar_official", 70988, "", when).replace("js-widget_message\"", "js-widget_message service_message\"")
    service = re.sub(r'<div class="tgme_widget_message_text js-message_text".*?</div>', SERVICE, service, count=1, flags=re.DOTALL)
    assert "service_message" in service
    page = parse_page(page_of([service, text_post("topwar_official", 70989, "Новость", when)], 70988))
    assert [entry.url for entry in page.entries] == ["https://t.me/topwar_official/70989"]
    assert page.older == 70988


def test_telegrams_edited_mark_is_read():
    (edited,) = parse_fixture("message_link_preview_video.html").entries
    (plain,) = parse_fixture("message_text.html").entries
    assert edited.extra["edited"] is True and "edited" not in plain.extra


def test_posts_keep_their_links_and_the_addresses_of_their_photos_and_videos():
    (post,) = parse_fixture("message_media_photo_and_video.html").entries
    assert [url.split("/file/")[0] for url in post.extra["photos"]] == ["https://cdn4.telegram-cdn.org"] * 2
    assert post.extra["videos"][0].startswith("https://cdn4.telegram-cdn.org/file/3fc678ce81.mp4?token=")
    assert post.extra["links"] == ["https://t.me/anna_news"]
    (text,) = parse_fixture("message_link_preview_text_only.html").entries
    assert text.extra["links"] == ["http://publication.pravo.gov.ru/Document/View/0001202302270011?index=7&rangeSize=1"]
