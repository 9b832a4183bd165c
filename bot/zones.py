"""Time zones as people type them (IANA names in any case, cities, UTC offsets), and as stored for a chat.

A chat's zone is stored as an IANA name ("Asia/Almaty") or a fixed offset ("UTC+05:00"); `zone_of`
turns either into a tzinfo.
"""
from __future__ import annotations

import re
from datetime import timedelta, timezone, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from bot.settings import zone_exists

_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+\-−])\s*(\d{1,2})(?:[:.]?(\d{2}))?$", re.IGNORECASE)
_STORED_OFFSET = re.compile(r"^UTC([+-])(\d{2}):(\d{2})$")
_WORDS = re.compile(r"[\s_'’.-]+")
# Names people in Dozor's region type that the zone database does not spell so (in any script).
CITIES = {
    "utc": "UTC", "gmt": "UTC", "z": "UTC", "msk": "Europe/Moscow", "мск": "Europe/Moscow",
    "kiev": "Europe/Kyiv", "киев": "Europe/Kyiv", "київ": "Europe/Kyiv", "харьков": "Europe/Kyiv",
    "харків": "Europe/Kyiv", "kharkiv": "Europe/Kyiv", "odesa": "Europe/Kyiv", "odessa": "Europe/Kyiv",
    "одесса": "Europe/Kyiv", "одеса": "Europe/Kyiv", "lviv": "Europe/Kyiv", "львов": "Europe/Kyiv",
    "львів": "Europe/Kyiv", "dnipro": "Europe/Kyiv", "днепр": "Europe/Kyiv", "дніпро": "Europe/Kyiv",
    "москва": "Europe/Moscow", "saint petersburg": "Europe/Moscow", "st petersburg": "Europe/Moscow",
    "petersburg": "Europe/Moscow", "санкт петербург": "Europe/Moscow", "петербург": "Europe/Moscow",
    "минск": "Europe/Minsk", "мінськ": "Europe/Minsk", "калининград": "Europe/Kaliningrad",
    "самара": "Europe/Samara", "екатеринбург": "Asia/Yekaterinburg", "новосибирск": "Asia/Novosibirsk",
    "омск": "Asia/Omsk", "красноярск": "Asia/Krasnoyarsk", "иркутск": "Asia/Irkutsk",
    "владивосток": "Asia/Vladivostok",
    "astana": "Asia/Almaty", "nur sultan": "Asia/Almaty", "nursultan": "Asia/Almaty", "астана": "Asia/Almaty",
    "нур султан": "Asia/Almaty", "алматы": "Asia/Almaty", "алма ата": "Asia/Almaty", "alma ata": "Asia/Almaty",
    "шымкент": "Asia/Almaty", "shymkent": "Asia/Almaty", "караганда": "Asia/Almaty", "karaganda": "Asia/Almaty",
    "қарағанды": "Asia/Almaty", "актобе": "Asia/Aqtobe", "ақтөбе": "Asia/Aqtobe", "aktobe": "Asia/Aqtobe",
    "актау": "Asia/Aqtau", "ақтау": "Asia/Aqtau", "aktau": "Asia/Aqtau", "атырау": "Asia/Atyrau",
    "atyrau": "Asia/Atyrau", "уральск": "Asia/Oral", "орал": "Asia/Oral", "uralsk": "Asia/Oral",
    "костанай": "Asia/Qostanay", "қостанай": "Asia/Qostanay", "kostanay": "Asia/Qostanay",
    "кызылорда": "Asia/Qyzylorda", "қызылорда": "Asia/Qyzylorda", "kyzylorda": "Asia/Qyzylorda",
    "бишкек": "Asia/Bishkek", "ташкент": "Asia/Tashkent", "тошкент": "Asia/Tashkent", "душанбе": "Asia/Dushanbe",
    "ашхабад": "Asia/Ashgabat", "ashkhabad": "Asia/Ashgabat", "баку": "Asia/Baku", "ереван": "Asia/Yerevan",
    "тбилиси": "Asia/Tbilisi", "кишинёв": "Europe/Chisinau", "кишинев": "Europe/Chisinau",
    "варшава": "Europe/Warsaw", "берлин": "Europe/Berlin", "лондон": "Europe/London",
    "new york": "America/New_York", "нью йорк": "America/New_York",
}


def _key(text: str) -> str:
    return _WORDS.sub(" ", text.strip().casefold().replace("ё", "е")).strip()


@cache
def _known_names() -> dict[str, str]:
    """Every IANA zone by its folded full name and by its city, the city of a canonical name winning."""
    names: dict[str, str] = {}
    by_city: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if name.startswith(("posix/", "right/")) or name in ("Factory", "localtime"):
            continue
        names[_key(name)] = name
        city = _key(name.rsplit("/", 1)[-1])
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")):
            by_city.setdefault(city, name)
    return {**by_city, **names, **{_key(k): v for k, v in CITIES.items()}}


def offset_name(sign: str, hours: int, minutes: int) -> str | None:
    """The stored name of a fixed offset ("UTC+05:00", "UTC" for zero), or None if no place uses it."""
    if hours > 14 or minutes not in (0, 15, 30, 45) or (hours == 14 and minutes):
        return None
    if hours == minutes == 0:
        return "UTC"
    return f"UTC{'-' if sign in '-−' else '+'}{hours:02d}:{minutes:02d}"


def resolve_zone(text: str) -> str | None:
    """The zone someone typed: `Europe/Kyiv` in any case, a city (`Kyiv`, `Алматы`), `UTC+5`; None if none."""
    text = text.strip()
    if not text or len(text) > 64:
        return None
    offset = _OFFSET.match(text)
    if offset:
        return offset_name(offset[1], int(offset[2]), int(offset[3] or 0))
    found = _known_names().get(_key(text))
    return found if found and zone_exists(found) else None


def looks_like_zone(text: str) -> bool:
    """Whether a word that is no zone was probably meant as one (Mars/Olympus, UTC+25), to say so."""
    return "/" in text or bool(re.match(r"^(utc|gmt)|^[+\-−]\d", text, re.IGNORECASE))


@cache
def zone_of(name: str) -> tzinfo:
    """The tzinfo of a stored zone name: an IANA zone or a fixed offset (UTC if the name is unknown)."""
    fixed = _STORED_OFFSET.match(name)
    if fixed:
        delta = timedelta(hours=int(fixed[2]), minutes=int(fixed[3]))
        return timezone(-delta if fixed[1] == "-" else delta, name)
    return ZoneInfo(name) if zone_exists(name) else ZoneInfo("UTC")
