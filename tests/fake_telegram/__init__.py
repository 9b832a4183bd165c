"""A local fake of the Telegram Bot API for tests, written after https://core.telegram.org/bots/api."""

from .faults import FloodLimits
from .html import HtmlError, parse_html, utf16_len
from .server import DEFAULT_TOKEN, ApiCall, FakeTelegram
from .state import SentMessage, StoredFile

__all__ = [
    "DEFAULT_TOKEN",
    "ApiCall",
    "FakeTelegram",
    "FloodLimits",
    "HtmlError",
    "SentMessage",
    "StoredFile",
    "parse_html",
    "utf16_len",
]
