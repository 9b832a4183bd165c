"""Checks Telegram makes on message text and inline keyboards, with its error wording."""

import re

from .faults import ApiError
from .html import HtmlError, parse_html, utf16_len

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
BUTTON_ACTIONS = {
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
}


def bad_request(what: str) -> ApiError:
    """A 400 with Telegram's "Bad Request: " prefix."""
    return ApiError(400, f"Bad Request: {what}")


def format_text(text, parse_mode, entities, *, limit: int, kind: str) -> tuple[str, list[dict]]:
    """The visible text and its entities, or the 400 Telegram gives for bad markup or length."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            text, entities = parse_html(text)
        except HtmlError as error:
            raise bad_request(f"can't parse entities: {error}") from error
    elif mode in ("markdown", "markdownv2"):
        raise bad_request("the fake Telegram server supports only the HTML parse mode")
    elif mode:
        raise bad_request("unsupported parse_mode")
    text, entities = _strip(text, list(entities or []))
    if kind == "text" and not text:
        raise bad_request("message text is empty")
    if utf16_len(text) > limit:
        raise bad_request("message is too long" if kind == "text" else "message caption is too long")
    return text, entities


def _strip(text: str, entities: list[dict]) -> tuple[str, list[dict]]:
    """Trim surrounding whitespace as Telegram does, shifting entities to match."""
    stripped = text.strip()
    if stripped == text:
        return text, entities
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    end = utf16_len(stripped)
    kept = []
    for entity in entities:
        start = max(0, entity["offset"] - shift)
        stop = min(end, entity["offset"] + entity["length"] - shift)
        if stop > start:
            kept.append({**entity, "offset": start, "length": stop - start})
    return stripped, kept


def check_reply_markup(markup) -> dict | None:
    """The reply_markup if Telegram would accept it; inline buttons are checked one by one."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" not in markup:
        return markup
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
    for button in (button for row in rows for button in row):
        _check_button(button)
    return markup


def _check_button(button) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str) or not button["text"]:
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    if len(BUTTON_ACTIONS & button.keys()) != 1:
        raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button and not re.match(r"(https?|tg)://\S", str(button["url"])):
        raise bad_request("BUTTON_URL_INVALID")


def inline_keyboard(markup: dict | None) -> dict | None:
    """The part of reply_markup that a Message carries back: inline keyboards only."""
    return markup if markup and "inline_keyboard" in markup else None
