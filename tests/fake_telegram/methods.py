"""Bot API methods over the World, validating parameters the way Telegram does."""

import json
import re
import time
from collections.abc import Callable

from .bodies import Upload
from .state import SentMessage, StoredFile, World
from .validation import (
    MAX_CAPTION,
    MAX_TEXT,
    bad_request,
    check_reply_markup,
    format_text,
    inline_keyboard,
)

MAX_DOWNLOAD = 20 * 1024 * 1024
COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what setWebhook accepts as secret_token
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"

Method = Callable[[World, dict, dict[str, Upload]], object]
METHODS: dict[str, Method] = {}


def bot_method(name: str) -> Callable[[Method], Method]:
    """Register a handler under its Bot API name (matched case-insensitively, as Telegram does)."""

    def register(handler: Method) -> Method:
        METHODS[name.lower()] = handler
        return handler

    return register


def chat_id_of(params: dict) -> int:
    """The numeric chat_id parameter (channel usernames are not simulated)."""
    chat_id = params.get("chat_id")
    if chat_id in (None, ""):
        raise bad_request("chat_id is empty")
    if not isinstance(chat_id, int):
        raise bad_request("chat not found")
    return chat_id


def replied_message(world: World, chat_id: int, params: dict) -> dict | None:
    """The message a reply points to, or the 400 for a missing one."""
    reply = params.get("reply_parameters") or {}
    message_id = reply.get("message_id") or params.get("reply_to_message_id")
    if not message_id:
        return None
    target_chat = reply.get("chat_id", chat_id)
    message = world.messages.get((target_chat, message_id))
    if message is None and not (reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply")):
        raise bad_request("message to be replied not found")
    return message


def link_preview(params: dict) -> dict | None:
    """link_preview_options, or its older disable_web_page_preview form."""
    if params.get("link_preview_options"):
        return params["link_preview_options"]
    return {"is_disabled": True} if params.get("disable_web_page_preview") else None


def send_content(world: World, params: dict, method: str, text, entities, content: dict, file=None) -> dict:
    """Store a bot message in the chat, record it, and return it as Telegram does."""
    chat_id = chat_id_of(params)
    if not world.bot_may_post(chat_id):
        raise bad_request("need administrator rights in the channel chat")
    markup = check_reply_markup(params.get("reply_markup"))
    reply_to = replied_message(world, chat_id, params)
    message = world.new_message(
        chat_id, world.bot, reply_to_message=reply_to, reply_markup=inline_keyboard(markup), **content
    )
    world.record(
        SentMessage(
            chat_id=chat_id,
            message_id=message["message_id"],
            method=method,
            text=text,
            parse_mode=params.get("parse_mode"),
            plain_text=content.get("text") or content.get("caption") or "",
            entities=entities,
            reply_markup=markup,
            message=message,
            link_preview_options=link_preview(params),
            silent=params.get("disable_notification") is True,
            file=file,
        )
    )
    return message


@bot_method("sendMessage")
def send_message(world: World, params: dict, uploads: dict[str, Upload]) -> dict:
    """sendMessage: text up to 4096 after entity parsing, optional inline keyboard and reply."""
    chat_id_of(params)
    text, entities = format_text(
        params.get("text"), params.get("parse_mode"), params.get("entities"), limit=MAX_TEXT, kind="text"
    )
    content = {"text": text, "entities": entities or None, "link_preview_options": params.get("link_preview_options")}
    return send_content(world, params, "sendMessage", params.get("text"), entities, content)


def input_file(world: World, params: dict, uploads: dict[str, Upload], field: str, folder: str) -> StoredFile:
    """The file a send method refers to: an upload, attach://name, or a known file_id."""
    value = params.get(field)
    upload = uploads.get(field)
    if isinstance(value, str) and value.startswith("attach://"):
        upload = uploads.get(value.removeprefix("attach://"))
    if upload is not None:
        return world.store_file(upload.data, upload.filename, upload.content_type, folder)
    if isinstance(value, str) and value in world.files:
        return world.files[value]
    if value:
        raise bad_request("wrong file identifier/HTTP URL specified")
    raise bad_request(f"there is no {field} in the request")


def caption_content(params: dict) -> tuple[list[dict], dict]:
    """Caption, its entities, and the content keys they add to a Message."""
    caption, entities = format_text(
        params.get("caption"), params.get("parse_mode"), params.get("caption_entities"),
        limit=MAX_CAPTION, kind="caption",
    )
    return entities, {"caption": caption or None, "caption_entities": entities or None}


@bot_method("sendDocument")
def send_document(world: World, params: dict, uploads: dict[str, Upload]) -> dict:
    """sendDocument: a multipart upload or a known file_id, with an optional caption."""
    chat_id_of(params)
    entities, content = caption_content(params)
    stored = input_file(world, params, uploads, "document", "documents")
    document = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_name": stored.filename,
        "mime_type": stored.mime_type,
        "file_size": len(stored.data),
    }
    content["document"] = {key: value for key, value in document.items() if value is not None}
    return send_content(world, params, "sendDocument", params.get("caption"), entities, content, stored)


@bot_method("sendPhoto")
def send_photo(world: World, params: dict, uploads: dict[str, Upload]) -> dict:
    """sendPhoto: stored as uploaded; the Message lists a thumbnail and the full size."""
    chat_id_of(params)
    entities, content = caption_content(params)
    stored = input_file(world, params, uploads, "photo", "photos")
    width, height = png_size(stored.data) or (1280, 720)
    thumbnail = world.store_file(stored.data, stored.filename, stored.mime_type, "thumbnails")
    content["photo"] = [
        photo_size(thumbnail, min(width, 90), min(height, 90)),
        photo_size(stored, width, height),
    ]
    return send_content(world, params, "sendPhoto", params.get("caption"), entities, content, stored)


def photo_size(stored: StoredFile, width: int, height: int) -> dict:
    """A PhotoSize object."""
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "width": width,
        "height": height,
        "file_size": len(stored.data),
    }


def png_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG header, if the bytes are a PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        return None
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def editable(world: World, params: dict) -> SentMessage:
    """The bot's own message that an edit method targets."""
    if params.get("inline_message_id"):
        raise bad_request("the fake Telegram server does not simulate inline messages")
    chat_id = chat_id_of(params)
    message_id = params.get("message_id")
    if not message_id:
        raise bad_request("message identifier is not specified")
    sent = world.sent_by_id.get((chat_id, message_id))
    if sent is None or sent.deleted:
        if (chat_id, message_id) in world.messages:
            raise bad_request("message can't be edited")
        raise bad_request("message to edit not found")
    return sent


def apply_edit(sent: SentMessage, plain: str, entities: list[dict], markup: dict | None) -> dict:
    """Change the message as the user sees it, or refuse an edit that changes nothing."""
    if plain == sent.plain_text and entities == sent.entities and inline_keyboard(markup) == inline_keyboard(
        sent.reply_markup
    ):
        raise bad_request(NOT_MODIFIED)
    sent.plain_text, sent.entities, sent.reply_markup = plain, entities, markup
    sent.edits += 1
    message = sent.message
    message["edit_date"] = max(message["date"], int(time.time()))
    message.pop("reply_markup", None)
    if inline_keyboard(markup):
        message["reply_markup"] = markup
    return message


@bot_method("editMessageText")
def edit_message_text(world: World, params: dict, uploads: dict[str, Upload]) -> dict:
    """editMessageText: new text; the inline keyboard goes unless reply_markup is sent again."""
    sent = editable(world, params)
    if "text" not in sent.message:
        raise bad_request("there is no text in the message to edit")
    plain, entities = format_text(
        params.get("text"), params.get("parse_mode"), params.get("entities"), limit=MAX_TEXT, kind="text"
    )
    message = apply_edit(sent, plain, entities, check_reply_markup(params.get("reply_markup")))
    sent.text, sent.parse_mode = params.get("text"), params.get("parse_mode")
    message["text"] = plain
    message.pop("entities", None)
    if entities:
        message["entities"] = entities
    return message


@bot_method("editMessageReplyMarkup")
def edit_message_reply_markup(world: World, params: dict, uploads: dict[str, Upload]) -> dict:
    """editMessageReplyMarkup: replace or (without reply_markup) remove the inline keyboard."""
    sent = editable(world, params)
    return apply_edit(sent, sent.plain_text, sent.entities, check_reply_markup(params.get("reply_markup")))


@bot_method("deleteMessage")
def delete_message(world: World, params: dict, uploads: dict[str, Upload]) -> bool:
    """deleteMessage: the message disappears from the chat."""
    key = (chat_id_of(params), params.get("message_id"))
    if world.messages.pop(key, None) is None:
        raise bad_request("message to delete not found")
    if key in world.sent_by_id:
        world.sent_by_id[key].deleted = True
    return True


@bot_method("answerCallbackQuery")
def answer_callback_query(world: World, params: dict, uploads: dict[str, Upload]) -> bool:
    """answerCallbackQuery: once per query; the answer is recorded for tests."""
    query_id = str(params.get("callback_query_id", ""))
    query = world.callback_queries.pop(query_id, None)
    if query is None:
        raise bad_request(QUERY_INVALID)
    if len(params.get("text") or "") > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    world.callback_answers.append(
        {
            "callback_query_id": query_id,
            "user_id": query["from"]["id"],
            "data": query.get("data"),
            "text": params.get("text"),
            "show_alert": bool(params.get("show_alert")),
            "url": params.get("url"),
        }
    )
    return True


def commands_key(params: dict) -> tuple[str, str]:
    """Where commands are stored: per scope and language, as Telegram keeps them."""
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), params.get("language_code") or ""


@bot_method("setMyCommands")
def set_my_commands(world: World, params: dict, uploads: dict[str, Upload]) -> bool:
    """setMyCommands: up to 100 commands, names a-z0-9_ up to 32, descriptions 1..256."""
    commands = params.get("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        if not isinstance(command, dict) or not COMMAND_NAME.fullmatch(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    world.commands[commands_key(params)] = [
        {"command": command["command"], "description": command["description"]} for command in commands
    ]
    return True


@bot_method("getMyCommands")
def get_my_commands(world: World, params: dict, uploads: dict[str, Upload]) -> list[dict]:
    """getMyCommands: the list stored for this scope and language."""
    return world.commands.get(commands_key(params), [])


@bot_method("deleteMyCommands")
def delete_my_commands(world: World, params: dict, uploads: dict[str, Upload]) -> bool:
    """deleteMyCommands: forget the list for this scope and language."""
    world.commands.pop(commands_key(params), None)
    return True


@bot_method("getMe")
def get_me(world: World, params: dict, uploads: dict[str, Upload]) -> dict:
    """getMe: the bot's User object."""
    return world.bot


@bot_method("getFile")
def get_file(world: World, params: dict, uploads: dict[str, Upload]) -> dict:
    """getFile: the File with a file_path for the download route."""
    stored = world.files.get(str(params.get("file_id", "")))
    if stored is None:
        raise bad_request("wrong file_id or the file is temporarily unavailable")
    if len(stored.data) > MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return stored.as_file()


@bot_method("getChat")
def get_chat(world: World, params: dict, uploads: dict[str, Upload]) -> dict:
    """getChat: a ChatFullInfo with the fields Telegram always sends."""
    no_gifts = dict.fromkeys(
        ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription", "gifts_from_channels"), False
    )
    return {
        **world.chat(chat_id_of(params)),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": no_gifts,
    }


def chat_member(world: World, chat_id: int, user_id: int) -> dict:
    """A ChatMember object whose status follows the configured owner and admins.

    In a channel an administrator has can_post_messages and can_edit_messages (channels only), and
    the pin right is a group's only.
    """
    status = world.member_status(chat_id, user_id)
    member = {"status": status, "user": world.bot if user_id == world.bot["id"] else world.user(user_id)}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        rights = (
            "can_manage_chat can_delete_messages can_manage_video_chats can_restrict_members "
            "can_change_info can_invite_users can_post_stories can_edit_stories can_delete_stories"
        ).split()
        member.update(dict.fromkeys(rights, True), can_be_edited=False, is_anonymous=False, can_promote_members=False)
        if world.chat(chat_id)["type"] == "channel":
            may_post = (chat_id, user_id) not in world.cannot_post
            member.update(can_post_messages=may_post, can_edit_messages=may_post)
        else:
            member["can_pin_messages"] = True
    return member


@bot_method("getChatMember")
def get_chat_member(world: World, params: dict, uploads: dict[str, Upload]) -> dict:
    """getChatMember: owner, administrator or member; in a channel, only the bot itself unless it is an admin."""
    user_id = params.get("user_id")
    if not isinstance(user_id, int):
        raise bad_request("user not found")
    chat_id = chat_id_of(params)
    bot_id = world.bot["id"]
    if world.chat(chat_id)["type"] == "channel" and user_id != bot_id and world.member_status(chat_id, bot_id) == "left":
        raise bad_request("member list is inaccessible")
    return chat_member(world, chat_id, user_id)


@bot_method("getChatAdministrators")
def get_chat_administrators(world: World, params: dict, uploads: dict[str, Upload]) -> list[dict]:
    """getChatAdministrators: the owner first, then the admins."""
    chat_id = chat_id_of(params)
    if world.chat(chat_id)["type"] == "private":
        raise bad_request("there are no administrators in the private chat")
    owner = [world.owners[chat_id]] if chat_id in world.owners else []
    admins = owner + sorted(world.admins.get(chat_id, set()) - set(owner))
    return [chat_member(world, chat_id, user_id) for user_id in admins]


@bot_method("sendChatAction")
def send_chat_action(world: World, params: dict, uploads: dict[str, Upload]) -> bool:
    """sendChatAction: accepted and forgotten."""
    chat_id_of(params)
    return True


@bot_method("setWebhook")
def set_webhook(world: World, params: dict, uploads: dict[str, Upload]) -> bool:
    """setWebhook: remembered with its secret_token (updates are not pushed); getUpdates then answers 409."""
    secret = params.get("secret_token")
    if secret is not None and not SECRET_TOKEN.fullmatch(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    world.webhook_url = params.get("url") or ""
    world.webhook_secret = secret
    if params.get("drop_pending_updates"):
        world.updates.clear()
    return True


@bot_method("deleteWebhook")
def delete_webhook(world: World, params: dict, uploads: dict[str, Upload]) -> bool:
    """deleteWebhook: back to getUpdates, optionally dropping pending updates."""
    world.webhook_url = ""
    world.webhook_secret = None
    if params.get("drop_pending_updates"):
        world.updates.clear()
    return True


@bot_method("getWebhookInfo")
def get_webhook_info(world: World, params: dict, uploads: dict[str, Upload]) -> dict:
    """getWebhookInfo: the URL and how many updates wait."""
    return {"url": world.webhook_url, "has_custom_certificate": False, "pending_update_count": len(world.updates)}
