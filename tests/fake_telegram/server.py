"""FakeTelegram: a Bot API server on 127.0.0.1 in a thread, with simulated users and injected errors."""

import asyncio
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from . import users
from .bodies import BodyError, Upload, decode_request
from .faults import FORBIDDEN, ApiError, Faults, Flood, FloodLimits
from .methods import METHODS
from .state import SentMessage, World

DEFAULT_TOKEN = "123456789:AAFakeTokenForDozorTests"
SEND_METHODS = {"sendmessage", "sendphoto", "senddocument", "editmessagetext", "editmessagereplymarkup"}
HIDDEN_BY_DEFAULT = {"chat_member", "message_reaction", "message_reaction_count"}
POLL_CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)


@dataclass
class ApiCall:
    """One request the bot made and how the server answered it."""

    method: str
    params: dict
    status: int
    description: str | None = None
    at: float = field(default_factory=time.monotonic)


class FakeTelegram:
    """A local Telegram Bot API for tests: point PTB's base_url and base_file_url at it."""

    def __init__(self, token: str = DEFAULT_TOKEN, *, bot_username: str = "dozor_test_bot", bot_name: str = "Dozor"):
        self.token = token
        self.lock = threading.Condition()
        self.world = World(
            {
                "id": int(token.split(":")[0]),
                "is_bot": True,
                "first_name": bot_name,
                "username": bot_username,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            }
        )
        self.faults = Faults()
        self.calls: list[ApiCall] = []
        self.flood_errors_served = 0
        self._poll_generation = 0
        self._closing = False
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> "FakeTelegram":
        """Listen on a free loopback port in a background thread."""
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._httpd.api = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-telegram", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Answer waiting long polls, stop listening and join the thread."""
        with self.lock:
            self._closing = True
            self.lock.notify_all()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=5)
            self._httpd = None

    def __enter__(self) -> "FakeTelegram":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        """For Bot(base_url=...) and ApplicationBuilder().base_url(...); the token is appended."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For Bot(base_file_url=...) and ApplicationBuilder().base_file_url(...)."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    # --- serving ---------------------------------------------------------------------------

    def handle(self, token: str, method: str, params: dict, uploads: dict[str, Upload]) -> tuple[int, bytes]:
        """Answer one Bot API call: status code and JSON body."""
        if token != self.token:
            return 401, encode({"ok": False, "error_code": 401, "description": "Unauthorized"})
        with self.lock:
            try:
                status, body = 200, {"ok": True, "result": self._call(method.lower(), params, uploads)}
            except ApiError as error:
                self.flood_errors_served += error.code == 429
                status, body = error.code, error.payload()
            self.calls.append(ApiCall(method, params, status, body.get("description")))
            self.lock.notify_all()
            return status, encode(body)  # under the lock: edits mutate stored messages

    def _call(self, name: str, params: dict, uploads: dict[str, Upload]):
        if name == "getupdates":
            return self._get_updates(params)
        handler = METHODS.get(name)
        if handler is None:
            raise ApiError(404, "Not Found")
        if "chat_id" in params and isinstance(params["chat_id"], str) and params["chat_id"].startswith("@"):
            if (found := self.world.chat_id_for(params["chat_id"])) is None:
                raise ApiError(400, "Bad Request: chat not found")
            params = {**params, "chat_id": found}  # Telegram accepts @username for public channels and groups
        chat_id = params.get("chat_id")
        if isinstance(chat_id, int):
            self.faults.check_chat(chat_id)
            if name in SEND_METHODS:
                self.faults.check_send(chat_id, formatted=bool(params.get("parse_mode")))
        return handler(self.world, params, uploads)

    def _get_updates(self, params: dict) -> list[dict]:
        """Confirm updates below offset, then return pending ones, waiting up to timeout."""
        world = self.world
        if world.webhook_url:
            raise ApiError(409, WEBHOOK_CONFLICT)
        if params.get("allowed_updates") is not None:
            world.allowed_updates = list(params["allowed_updates"])
        self._confirm(int(params.get("offset") or 0))
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        deadline = time.monotonic() + max(float(params.get("timeout") or 0), 0)
        self._poll_generation += 1
        generation = self._poll_generation
        self.lock.notify_all()
        while True:
            if generation != self._poll_generation:
                raise ApiError(409, POLL_CONFLICT)
            self._drop_unwanted_updates()
            remaining = deadline - time.monotonic()
            if world.updates or remaining <= 0 or self._closing:
                return world.updates[:limit]
            self.lock.wait(remaining)

    def _confirm(self, offset: int) -> None:
        updates = self.world.updates
        if offset > 0:
            updates[:] = [update for update in updates if update["update_id"] >= offset]
        elif offset < 0:
            updates[:] = updates[offset:]

    def _drop_unwanted_updates(self) -> None:
        allowed = set(self.world.allowed_updates)
        wanted = (lambda kind: kind in allowed) if allowed else (lambda kind: kind not in HIDDEN_BY_DEFAULT)
        self.world.updates[:] = [
            update for update in self.world.updates if all(wanted(key) for key in update if key != "update_id")
        ]

    def file_bytes(self, token: str, file_path: str) -> bytes | None:
        """The content the file download route serves, or None."""
        with self.lock:
            stored = self.world.files_by_path.get(file_path) if token == self.token else None
            return stored.data if stored else None

    # --- simulated users -------------------------------------------------------------------

    def _add_update(self, build: Callable[[], dict]) -> dict:
        with self.lock:
            result = build()
            self.lock.notify_all()
            return result

    def user_message(self, chat_id: int, user_id: int, text: str, **options) -> dict:
        """A user writes text (a leading /command gets its bot_command entity); returns the Message.

        Options: chat_type ("private", "group", "supergroup"; guessed from the id), chat_title,
        language_code ("en"; None for none), username, first_name, admin (the user becomes a
        group admin), anonymous_admin (sent by GroupAnonymousBot on behalf of the group, with
        sender_chat), reply_to (a message_id in the chat).
        """
        content = users.text_content(text)
        return self._add_update(lambda: users.user_message(self.world, chat_id, user_id, **content, **options))

    def user_document(
        self, chat_id: int, user_id: int, filename: str, data: bytes, caption: str | None = None,
        *, mime_type: str | None = None, **options,
    ) -> dict:
        """A user uploads a file the bot can fetch with getFile and the download route."""
        def build() -> dict:
            content = users.document_content(self.world, filename, data, caption, mime_type)
            return users.user_message(self.world, chat_id, user_id, **content, **options)

        return self._add_update(build)

    def press_button(
        self, chat_id: int, user_id: int, message_id: int, callback_data: str, *, forged: bool = False
    ) -> dict:
        """A user presses an inline button of the bot's message; returns the CallbackQuery.

        With forged, the data need not be one of the message's buttons (a modified client can send any).
        """
        return self._add_update(
            lambda: users.press_button(self.world, chat_id, user_id, message_id, callback_data, forged)
        )

    def set_admins(self, chat_id: int, admin_ids, *, owner_id: int | None = None) -> None:
        """Who getChatMember and getChatAdministrators report as the group's owner and admins."""
        with self.lock:
            self.world.admins[chat_id] = set(admin_ids)
            if owner_id is not None:
                self.world.owners[chat_id] = owner_id

    def add_channel(
        self, chat_id: int, title: str, *, username: str | None = None, admins=(), owner_id: int | None = None,
        bot_admin: bool = True, bot_may_post: bool = True, kind: str = "channel",
    ) -> None:
        """A channel (or group) the tests can name by id or @username, with its owner and admins; the bot is
        one of the admins unless bot_admin is False, and may post unless bot_may_post is False."""
        with self.lock:
            chat = {"id": chat_id, "type": kind, "title": title}
            if username:
                chat["username"] = username
                self.world.usernames[username.lower()] = chat_id
            self.world.chats[chat_id] = chat
            bot_id = self.world.bot["id"]
            self.world.admins[chat_id] = set(admins) | ({bot_id} if bot_admin else set())
            if owner_id is not None:
                self.world.owners[chat_id] = owner_id
            if not bot_may_post:
                self.world.cannot_post.add((chat_id, bot_id))

    def set_bot_may_post(self, chat_id: int, may_post: bool) -> None:
        """An owner takes the bot's right to post in a channel away (sends then get 400), or gives it back."""
        with self.lock:
            rights = self.world.cannot_post
            (rights.discard if may_post else rights.add)((chat_id, self.world.bot["id"]))

    # --- injected errors -------------------------------------------------------------------

    def flood(self, chat_id: int | None = None, *, retry_after: int = 1, times: int = 1) -> None:
        """The next `times` sends to the chat (to any chat if None) get 429 with retry_after."""
        with self.lock:
            self.faults.floods[chat_id] = Flood(retry_after, times)

    def block(self, chat_id: int, reason: str = "blocked") -> None:
        """Every call for the chat gets 403: reason is "blocked", "kicked", "deactivated" or "removed" (from a channel)."""
        if reason not in FORBIDDEN:
            raise ValueError(f"reason must be one of {sorted(FORBIDDEN)}")
        with self.lock:
            self.faults.blocked[chat_id] = reason

    def unblock(self, chat_id: int) -> None:
        """The chat accepts messages again."""
        with self.lock:
            self.faults.blocked.pop(chat_id, None)

    def migrate(self, chat_id: int, new_chat_id: int | None = None, *, announce: bool = True) -> int:
        """The group becomes a supergroup: the old id gets 400 with migrate_to_chat_id, the new id works.

        With announce, the service messages (migrate_to_chat_id / migrate_from_chat_id) are queued as updates.
        """
        new_chat_id = new_chat_id or int(f"-100{abs(chat_id)}")
        with self.lock:
            users.migrate_chat(self.world, chat_id, new_chat_id, announce)
            self.faults.migrated[chat_id] = new_chat_id
            self.lock.notify_all()
        return new_chat_id

    def break_entities(self, chat_id: int | None = None, *, times: int = 1) -> None:
        """The next `times` formatted sends to the chat (any chat if None) get "can't parse entities"."""
        with self.lock:
            self.faults.entity_errors[chat_id] = times

    def enforce_flood_limits(self, limits: FloodLimits | None = FloodLimits()) -> None:
        """Serve 429s when sends exceed Telegram-like limits (None turns enforcement off)."""
        with self.lock:
            self.faults.limits = limits
            self.faults.buckets.clear()

    # --- what the bot did ------------------------------------------------------------------

    @property
    def sent(self) -> list[SentMessage]:
        """Every message the bot sent, in order."""
        with self.lock:
            return list(self.world.sent)

    def messages(self, chat_id: int, *, after: int = 0) -> list[SentMessage]:
        """The bot's messages still in the chat with message_id > after, in order."""
        with self.lock:
            return [
                sent
                for sent in self.world.sent
                if sent.chat_id == chat_id and sent.message_id > after and not sent.deleted
            ]

    @property
    def callback_answers(self) -> list[dict]:
        """answerCallbackQuery calls: callback_query_id, user_id, data, text, show_alert, url."""
        with self.lock:
            return list(self.world.callback_answers)

    def commands(self, *, scope: dict | None = None, language_code: str = "") -> list[dict]:
        """The commands setMyCommands stored for a scope and language."""
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        with self.lock:
            return list(self.world.commands.get(key, []))

    def calls_to(self, method: str) -> list[ApiCall]:
        """The calls of one method (any letter case), successful or not."""
        with self.lock:
            return [call for call in self.calls if call.method.lower() == method.lower()]

    @property
    def polls_started(self) -> int:
        """How many getUpdates calls have reached the server."""
        with self.lock:
            return self._poll_generation

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by getUpdates."""
        with self.lock:
            return len(self.world.updates)

    async def wait_for(self, condition: Callable[[], object], *, timeout: float = 10.0, what: str = "condition"):
        """Wait until condition() is truthy and return its value; fail the test after timeout."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"fake Telegram: timed out after {timeout}s waiting for {what}")
            await asyncio.sleep(0.01)

    async def wait_for_messages(
        self, chat_id: int, count: int = 1, *, after: int = 0, timeout: float = 10.0
    ) -> list[SentMessage]:
        """Wait until the bot has sent at least count messages to the chat after message_id `after`."""
        try:
            return await self.wait_for(
                lambda: (found := self.messages(chat_id, after=after)) and len(found) >= count and found,
                timeout=timeout,
            )
        except AssertionError:
            got = [sent.plain_text[:80] for sent in self.messages(chat_id, after=after)]
            raise AssertionError(
                f"fake Telegram: expected {count} message(s) to chat {chat_id} after #{after} "
                f"within {timeout}s, got {len(got)}: {got}"
            ) from None


def encode(body: dict) -> bytes:
    """A JSON response body as Telegram sends it (UTF-8, not ASCII-escaped)."""
    return json.dumps(body, ensure_ascii=False).encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; without TCP_NODELAY each reply waits ~40 ms for delayed ACKs.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        api: FakeTelegram = self.server.api
        if url.path.startswith("/file/bot"):
            token, _, file_path = unquote(url.path).removeprefix("/file/bot").partition("/")
            self._file(api.file_bytes(token, file_path))
            return
        token, _, method = url.path.removeprefix("/bot").partition("/")
        if not url.path.startswith("/bot") or not method or "/" in method:
            self._json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        try:
            params, uploads = decode_request(url.query, self.headers.get("Content-Type", ""), body)
        except BodyError as error:
            self._json(400, {"ok": False, "error_code": 400, "description": f"Bad Request: {error}"})
            return
        self._reply(*api.handle(token, method, params, uploads))

    def _json(self, status: int, body: dict) -> None:
        self._reply(status, encode(body))

    def _file(self, data: bytes | None) -> None:
        if data is None:
            self._json(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        else:
            self._reply(200, data, "application/octet-stream")

    def _reply(self, status: int, payload: bytes, content_type: str = "application/json") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except ConnectionError:
            self.close_connection = True  # the client gave up, e.g. a cancelled long poll

    def log_message(self, format: str, *args) -> None:
        """Keep test output quiet."""
