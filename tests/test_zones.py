"""Time zones as people type them: IANA names in any case, cities in any script, UTC offsets."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.zones import looks_like_zone, resolve_zone, zone_of


@pytest.mark.parametrize(
    "typed,zone",
    [
        ("Europe/Moscow", "Europe/Moscow"), ("europe/kyiv", "Europe/Kyiv"), ("ASIA/ALMATY", "Asia/Almaty"),
        ("Kyiv", "Europe/Kyiv"), ("kiev", "Europe/Kyiv"), ("Київ", "Europe/Kyiv"), ("Алматы", "Asia/Almaty"),
        ("Astana", "Asia/Almaty"), ("Бишкек", "Asia/Bishkek"), ("tashkent", "Asia/Tashkent"), ("London", "Europe/London"),
        ("new_york", "America/New_York"), ("New York", "America/New_York"), ("Sao Paulo", "America/Sao_Paulo"),
        ("UTC", "UTC"), ("utc", "UTC"), ("GMT", "UTC"), ("UTC+5", "UTC+05:00"), ("utc+05:00", "UTC+05:00"),
        ("UTC-3", "UTC-03:00"), ("UTC+5:30", "UTC+05:30"), ("+3", "UTC+03:00"), ("GMT+0", "UTC"), ("UTC−4", "UTC-04:00"),
    ],
)
def test_a_zone_is_found_however_it_is_typed(typed, zone):
    assert resolve_zone(typed) == zone


@pytest.mark.parametrize("typed", ["Mars/Olympus", "Europe", "UTC+15", "UTC+5:20", "25:00", "daily", "", "x" * 500])
def test_what_is_no_zone_is_refused(typed):
    assert resolve_zone(typed) is None


def test_words_meant_as_zones_are_told_apart_from_other_words():
    assert looks_like_zone("Mars/Olympus") and looks_like_zone("UTC+15") and not looks_like_zone("weekly")


def test_a_stored_offset_is_a_fixed_zone():
    moment = datetime(2024, 7, 1, 12, 0, tzinfo=timezone.utc)
    assert moment.astimezone(zone_of("UTC+05:30")).strftime("%H:%M") == "17:30"
    assert moment.astimezone(zone_of("UTC-03:00")).strftime("%H:%M") == "09:00"
    assert moment.astimezone(zone_of("Europe/Kyiv")).strftime("%H:%M") == "15:00"
