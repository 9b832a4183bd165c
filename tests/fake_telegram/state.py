"""What the fake Telegram remembers: users, chats, messages, files, updates, commands."""

import time
from dataclasses import dataclass, field

ANONYMOUS_ADMIN = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}


@dataclass
class StoredFile:
    """An uploaded file that getFile and the file download route serve."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    filename: str | None
    mime_type: str | None

    def as_file(self) -> dict:
        """The File object getFile returns."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


@dataclass
class SentMessage:
    """A message the bot sent, as the user now sees it (edits update it in place)."""

    chat_id: int
    message_id: int
    method: str
    text: str | None
    parse_mode: str | None
    plain_text: str
    entities: list[dict]
    reply_markup: dict | None
    message: dict
    sent_at: float = field(default_factory=time.monotonic)
    link_preview_options: dict | None = None
    silent: bool = False  # sent with disable_notification
    file: StoredFile | None = None
    edits: int = 0
    deleted: bool = False

    @property
    def buttons(self) -> list[dict]:
        """Inline keyboard buttons, row by row, flattened."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]

    @property
    def callback_data(self) -> list[str]:
        """The callback_data of every inline button."""
        return [button["callback_data"] for button in self.buttons if "callback_data" in button]

    @property
    def date(self) -> int:
        """Unix time of sending, as in Message.date."""
        return self.message["date"]


def chat_type_for(chat_id: int) -> str:
    """Private for positive ids, supergroup for -100..., group for other negative ids."""
    if chat_id > 0:
        return "private"
    return "supergroup" if str(chat_id).startswith("-100") else "group"


def default_user(user_id: int) -> dict:
    """A plausible User object for an id nobody described."""
    return {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}


class World:
    """The Bot API's data, guarded by the server's lock."""

    def __init__(self, bot_user: dict):
        self.bot = bot_user
        self.users: dict[int, dict] = {}
        self.chats: dict[int, dict] = {}
        self.messages: dict[tuple[int, int], dict] = {}
        self.sent: list[SentMessage] = []
        self.sent_by_id: dict[tuple[int, int], SentMessage] = {}
        self.files: dict[str, StoredFile] = {}
        self.files_by_path: dict[str, StoredFile] = {}
        self.updates: list[dict] = []
        self.admins: dict[int, set[int]] = {}
        self.owners: dict[int, int] = {}
        self.usernames: dict[str, int] = {}  # public channels and groups by @username (lowercase)
        self.cannot_post: set[tuple[int, int]] = set()  # channel administrators without the right to post
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.callback_queries: dict[str, dict] = {}
        self.callback_answers: list[dict] = []
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.allowed_updates: list[str] = []
        self._last_message_id: dict[int, int] = {}
        self.next_update_id = 1
        self._file_count = 0

    def user(self, user_id: int) -> dict:
        """The User object for an id, registered or made up."""
        return self.users.get(user_id) or default_user(user_id)

    def chat(self, chat_id: int) -> dict:
        """The Chat object for an id, registered or made up from the id's shape."""
        if chat_id not in self.chats:
            kind = chat_type_for(chat_id)
            if kind == "private":
                user = self.user(chat_id)
                chat = {"id": chat_id, "type": kind, "first_name": user["first_name"]}
                if "username" in user:
                    chat["username"] = user["username"]
            else:
                chat = {"id": chat_id, "type": kind, "title": f"Group {chat_id}"}
            self.chats[chat_id] = chat
        return self.chats[chat_id]

    def new_message(self, chat_id: int, sender: dict, **content) -> dict:
        """Store and return a Message with the chat's next message_id."""
        message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = message_id
        message = {"message_id": message_id, "from": sender, "chat": self.chat(chat_id), "date": int(time.time())}
        message.update({key: value for key, value in content.items() if value is not None})
        self.messages[(chat_id, message_id)] = message
        return message

    def record(self, sent: SentMessage) -> None:
        """Remember a message the bot sent."""
        self.sent.append(sent)
        self.sent_by_id[(sent.chat_id, sent.message_id)] = sent

    def push_update(self, kind: str, payload: dict) -> dict:
        """Queue an Update of the given kind for getUpdates."""
        update = {"update_id": self.next_update_id, kind: payload}
        self.next_update_id += 1
        self.updates.append(update)
        return update

    def store_file(self, data: bytes, filename: str | None, mime_type: str | None, folder: str) -> StoredFile:
        """Keep uploaded bytes under a new file_id and file_path."""
        self._file_count += 1
        number = self._file_count
        suffix = "." + filename.rsplit(".", 1)[1] if filename and "." in filename else ""
        stored = StoredFile(
            file_id=f"FAKE-{folder}-{number:06d}",
            file_unique_id=f"U{number:06d}",
            file_path=f"{folder}/file_{number}{suffix}",
            data=data,
            filename=filename,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        self.files_by_path[stored.file_path] = stored
        return stored

    def member_status(self, chat_id: int, user_id: int) -> str:
        """creator, administrator or member, from the configured admin lists; in a channel a non-admin bot has left."""
        if self.owners.get(chat_id) == user_id:
            return "creator"
        if user_id in self.admins.get(chat_id, set()):
            return "administrator"
        return "left" if user_id == self.bot["id"] and self.chat(chat_id)["type"] == "channel" else "member"

    def bot_may_post(self, chat_id: int) -> bool:
        """Whether the bot may send into the chat: anywhere but a channel it administers without the right to post."""
        chat = self.chats.get(chat_id)
        return chat is None or chat["type"] != "channel" or (chat_id, self.bot["id"]) not in self.cannot_post

    def chat_id_for(self, value) -> int | None:
        """The numeric id of a chat_id parameter: a number, or the @username of a public channel or group."""
        if isinstance(value, str) and value.startswith("@"):
            return self.usernames.get(value[1:].lower())
        return value if isinstance(value, int) else None
