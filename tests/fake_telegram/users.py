"""Simulated users: the Updates Telegram would create when people write, upload and press buttons."""

import hashlib
import re

from .html import utf16_len
from .state import ANONYMOUS_ADMIN, World, chat_type_for


def remember_user(world: World, user_id: int, *, first_name=None, username=None, language_code=None) -> dict:
    """Register or refresh a user; later messages and getChatMember show the same User."""
    user = dict(world.users.get(user_id) or {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"})
    if first_name:
        user["first_name"] = first_name
    if username:
        user["username"] = username
    if language_code:
        user["language_code"] = language_code
    world.users[user_id] = user
    return user


def remember_chat(world: World, chat_id: int, user: dict, chat_type: str | None, title: str | None) -> dict:
    """Register a chat as the user's private chat or as a group with a title."""
    kind = chat_type or chat_type_for(chat_id)
    if kind == "private":
        chat = {"id": chat_id, "type": kind, "first_name": user["first_name"]}
        if "username" in user:
            chat["username"] = user["username"]
    else:
        previous = world.chats.get(chat_id, {})
        chat = {"id": chat_id, "type": kind, "title": title or previous.get("title") or f"Group {chat_id}"}
    world.chats[chat_id] = chat
    return chat


_FOUND = {
    "url": re.compile(r"\bhttps?://[^\s<>\"]+|\b(?:[a-z0-9-]+\.)+(?:com|org|net|me|kz|ru|ua|uz|kg|io|info)(?:/[^\s<>\"]*)?",
                      re.IGNORECASE),
    "mention": re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{4,31}\b"),
}


def command_entities(text: str) -> list[dict] | None:
    """The entities Telegram finds in a text by itself: a leading /command, links and @mentions."""
    entities = []
    if text.startswith("/") and len(text) >= 2:
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(text.split(maxsplit=1)[0])})
    for kind, pattern in _FOUND.items():
        for found in pattern.finditer(text):
            if entities and found.start() < entities[0]["length"] and entities[0]["type"] == "bot_command":
                continue  # inside the command (/start@bot)
            entities.append({"type": kind, "offset": utf16_len(text[: found.start()]), "length": utf16_len(found[0])})
    return sorted(entities, key=lambda e: e["offset"]) or None


def user_message(
    world: World,
    chat_id: int,
    user_id: int,
    *,
    chat_type: str | None = None,
    chat_title: str | None = None,
    language_code: str | None = "en",
    username: str | None = None,
    first_name: str | None = None,
    anonymous_admin: bool = False,
    admin: bool = False,
    reply_to: int | None = None,
    **content,
) -> dict:
    """Store a message from a user (or an anonymous group admin) and queue its Update."""
    user = remember_user(world, user_id, first_name=first_name, username=username, language_code=language_code)
    chat = remember_chat(world, chat_id, user, chat_type, chat_title)
    if admin:
        world.admins.setdefault(chat_id, set()).add(user_id)
    sender = ANONYMOUS_ADMIN if anonymous_admin else user
    if anonymous_admin:
        content["sender_chat"] = chat
    if reply_to is not None:
        content["reply_to_message"] = world.messages[(chat_id, reply_to)]
    message = world.new_message(chat_id, sender, **content)
    world.push_update("message", message)
    return message


def text_content(text: str) -> dict:
    """The content keys of a text message."""
    return {"text": text, "entities": command_entities(text)}


def document_content(world: World, filename: str, data: bytes, caption: str | None, mime_type: str | None) -> dict:
    """Store a user's upload and return the content keys of a document message."""
    stored = world.store_file(data, filename, mime_type, "documents")
    document = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_name": filename,
        "file_size": len(data),
    }
    if mime_type:
        document["mime_type"] = mime_type
    content = {"document": document, "caption": caption}
    if caption:
        content["caption_entities"] = command_entities(caption)
    return content


def press_button(
    world: World, chat_id: int, user_id: int, message_id: int, callback_data: str, forged: bool = False
) -> dict:
    """Queue the CallbackQuery of a press on the bot's inline button (forged: any data, as a modified client)."""
    sent = world.sent_by_id.get((chat_id, message_id))
    if sent is None or sent.deleted:
        raise ValueError(f"the bot has no message {message_id} in chat {chat_id}")
    if not forged and callback_data not in sent.callback_data:
        raise ValueError(f"message {message_id} has no button {callback_data!r}; it has {sent.callback_data}")
    query_id = str(7_000_000_000_000 + world.next_update_id)
    instance = hashlib.sha1(str(chat_id).encode()).hexdigest()[:16]
    query = {
        "id": query_id,
        "from": remember_user(world, user_id),
        "message": dict(sent.message),
        "chat_instance": str(int(instance, 16)),
        "data": callback_data,
    }
    world.callback_queries[query_id] = query
    world.push_update("callback_query", query)
    return query


def migrate_chat(world: World, chat_id: int, new_chat_id: int, announce: bool) -> None:
    """Turn a group into a supergroup; optionally queue the service messages Telegram sends."""
    old_chat = world.chat(chat_id)
    world.chats[new_chat_id] = {"id": new_chat_id, "type": "supergroup", "title": old_chat.get("title", "")}
    if chat_id in world.admins:
        world.admins[new_chat_id] = set(world.admins[chat_id])
    if chat_id in world.owners:
        world.owners[new_chat_id] = world.owners[chat_id]
    if announce:
        owner = world.user(world.owners.get(chat_id, 0)) if chat_id in world.owners else ANONYMOUS_ADMIN
        world.push_update("message", world.new_message(chat_id, owner, migrate_to_chat_id=new_chat_id))
        world.push_update("message", world.new_message(new_chat_id, owner, migrate_from_chat_id=chat_id))
