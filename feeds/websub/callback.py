"""The HTTP endpoint WebSub hubs call: GET to verify a request, POST to deliver content (tornado, as PTB's webhook)."""
from __future__ import annotations

import asyncio
import re

import tornado.httpserver
import tornado.netutil
import tornado.web

from feeds.websub.receiver import Receiver

MAX_DELIVERY_BYTES = 10 * 1024 * 1024  # as for a fetched feed
_TOKEN = r"([A-Za-z0-9_-]{16,64})"


class CallbackServer:
    """Serves `<path>/<token>` on its own port, behind the same HTTPS proxy as the Telegram webhook."""

    def __init__(self, receiver: Receiver, path: str = "/websub") -> None:
        prefix = re.escape("/" + path.strip("/")) if path.strip("/") else ""
        self.receiver = receiver
        self._app = tornado.web.Application([(rf"{prefix}/{_TOKEN}", _Callback, {"receiver": receiver})])
        self._server: tornado.httpserver.HTTPServer | None = None

    async def start(self, listen: str, port: int) -> int:
        """Listen; return the port (useful with port 0)."""
        self._server = tornado.httpserver.HTTPServer(self._app, max_body_size=MAX_DELIVERY_BYTES, xheaders=True)
        sockets = tornado.netutil.bind_sockets(port, listen)
        self._server.add_sockets(sockets)
        return sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and let deliveries under way finish."""
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None
        await self.receiver.drain()


class _Callback(tornado.web.RequestHandler):
    def initialize(self, receiver: Receiver) -> None:
        self.receiver = receiver

    async def get(self, token: str) -> None:
        names = ("hub.mode", "hub.topic", "hub.challenge", "hub.lease_seconds")
        params = {name: self.get_query_argument(name, None) for name in names}
        challenge = await asyncio.to_thread(self.receiver.verify, token, params)
        if challenge is None:
            self.send_error(404)
            return
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(challenge)

    async def post(self, token: str) -> None:
        headers = {name.lower(): value for name, value in self.request.headers.get_all()}
        self.set_status(await self.receiver.deliver(token, self.request.body, headers))
        self.finish()
