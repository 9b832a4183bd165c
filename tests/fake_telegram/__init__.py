"""A local fake of the Telegram Bot API for tests, written after https://core.telegram.org/bots/api.

    with FakeTelegram() as telegram:              # or the `fake_telegram` fixture
        app = ApplicationBuilder().token(telegram.token).base_url(telegram.base_url) \
            .base_file_url(telegram.base_file_url).build()
        ...start polling...
        hello = telegram.user_message(chat_id=1, user_id=1, text="/start", language_code="ru")
        [reply] = await telegram.wait_for_messages(1, 1, after=hello["message_id"])
        telegram.press_button(1, 1, reply.message_id, reply.callback_data[0])

Errors to inject: flood() (429), block() (403), migrate() (ChatMigrated), break_entities(),
enforce_flood_limits(); flood_errors_served counts every 429 served.
"""

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
