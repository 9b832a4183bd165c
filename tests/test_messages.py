"""The one message packer: whole pieces into messages under Telegram's limit, never a tag or entity cut."""
from __future__ import annotations

import pytest

from bot.markup import link
from bot.messages import entity_count, fit, html_length, pack
from tests.fake_telegram.html import parse_html, utf16_len

LONG_URL = "https://news.example/" + "a" * 5000


def test_pack_never_splits_a_block():
    blocks = ["<b>x</b>" * 1000, "y" * 3100, "z" * 10]
    assert pack(blocks, limit=4096) == ["<b>x</b>" * 1000, "y" * 3100 + "\n\n" + "z" * 10]


def test_markup_and_link_targets_do_not_count_as_telegram_counts_only_the_text():
    piece = f'<a href="{LONG_URL}">{"t" * 4000}</a> &amp;'
    assert html_length(piece) == 4002 and pack([piece]) == [piece]


def test_pack_joins_lines_with_the_joiner_given():
    assert pack(["head", "one", "two"], "\n", limit=11) == ["head\none", "two"]


def test_a_message_carries_at_most_100_entities_as_telegram_renders_no_more():
    lines = [f"<b>{n}</b> <i>x</i>" for n in range(120)]
    assert [entity_count(message) for message in pack(lines, "\n")] == [100, 100, 40]


def test_the_limit_counts_utf16_units_as_telegram_does():
    emoji = "📚" * 2048  # 4096 UTF-16 units, 2048 characters
    assert html_length(emoji) == 4096 and pack([emoji, "x"]) == [emoji, "x"]


@pytest.mark.parametrize(
    "html",
    [
        f'<a href="{LONG_URL}">' + "title " * 1000 + "</a>",
        "<b>" + "word " * 2000 + "</b>",
        "<b>bold <i>" + "x&amp;y " * 1100 + "</i></b> tail",
        "<pre>" + "📚" * 3000 + "</pre>",
        "plain " * 1000 + '<a href="https://x.example/">linked</a>',
        "&lt;" * 5000,
    ],
)
def test_a_piece_too_long_alone_is_cut_as_valid_html(html):
    (message,) = pack([html])
    text, _ = parse_html(message)  # raises on a cut tag or entity
    assert html_length(message) <= 4096 and utf16_len(text) <= 4096
    assert message.rstrip("</>abipre").endswith("…")


def test_fit_keeps_what_fits_unchanged():
    html = '<b>a</b> <a href="https://x.example/">b</a>'
    assert fit(html, 100) == html
    assert fit("<b>" + "x" * 50 + "</b> tail", 20) == "<b>" + "x" * 19 + "…</b>"


def test_a_link_target_too_long_is_not_linked():
    assert link(LONG_URL, "title") == "title"
    assert link("https://x.example/?q=1&r=2", "t") == '<a href="https://x.example/?q=1&amp;r=2">t</a>'
