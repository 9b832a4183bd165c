"""A local WebSub hub for tests, on a loopback port: it takes (un)subscription requests, verifies intent by
calling the subscriber back with a challenge, and delivers content signed with `X-Hub-Signature: sha256=...`.

    hub = LocalHub().start()
    feed links rel="hub" to hub.url
    ... Dozor subscribes; hub.subscribers(topic) lists the verified ones
    hub.publish(topic, body)                      -> the callbacks' HTTP statuses
    hub.publish(topic, body, signature="sha256=00")  (a forged delivery), hub.publish(..., signature=None) (unsigned)
    hub.close()
"""
from __future__ import annotations

import secrets
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from feeds.websub.signature import sign

UNSET = object()


@dataclass
class Subscription:
    callback: str
    topic: str
    secret: str
    lease_seconds: int


@dataclass
class HubRequest:
    """A request the hub received, and how verifying it went."""

    mode: str
    topic: str
    callback: str
    secret: str | None
    lease_seconds: str | None
    verified: threading.Event = field(default_factory=threading.Event)
    verification_status: int | None = None


class LocalHub:
    """A hub on 127.0.0.1 that verifies asynchronously, as the spec lets hubs do (202 Accepted first)."""

    def __init__(self, lease_seconds: int = 3600) -> None:
        self.lease_seconds = lease_seconds
        self.requests: list[HubRequest] = []
        self.accept = True  # False: answer 503 to requests
        self._subscriptions: dict[tuple[str, str], Subscription] = {}
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/hub"

    def start(self) -> LocalHub:
        self._thread.start()
        return self

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def subscribers(self, topic: str) -> list[Subscription]:
        with self._lock:
            return [s for (_, t), s in self._subscriptions.items() if t == topic]

    def publish(self, topic: str, body: bytes, content_type: str = "application/atom+xml", signature=UNSET) -> list[int]:
        """Deliver `body` to every verified subscriber of `topic`; `signature` overrides the right one (None: unsigned)."""
        statuses = []
        for subscription in self.subscribers(topic):
            headers = {"Content-Type": content_type, "Link": f'<{self.url}>; rel="hub", <{topic}>; rel="self"'}
            value = sign(subscription.secret, body) if signature is UNSET else signature
            if value is not None:
                headers["X-Hub-Signature"] = value
            statuses.append(_send("POST", subscription.callback, body, headers)[0])
        return statuses

    def _request(self, fields: dict[str, str]) -> int:
        mode, topic, callback = fields.get("hub.mode"), fields.get("hub.topic"), fields.get("hub.callback")
        if mode not in ("subscribe", "unsubscribe") or not topic or not callback:
            return 400
        if not self.accept:
            return 503
        request = HubRequest(mode, topic, callback, fields.get("hub.secret"), fields.get("hub.lease_seconds"))
        self.requests.append(request)
        threading.Thread(target=self._verify, args=(request,), daemon=True).start()
        return 202

    def _verify(self, request: HubRequest) -> None:
        """Call the subscriber back with a challenge; act on the request only if it echoes it."""
        challenge = secrets.token_urlsafe(16)
        query = {"hub.mode": request.mode, "hub.topic": request.topic, "hub.challenge": challenge}
        if request.mode == "subscribe":
            query["hub.lease_seconds"] = str(self.lease_seconds)
        separator = "&" if "?" in request.callback else "?"
        status, answer = _send("GET", request.callback + separator + urllib.parse.urlencode(query))
        request.verification_status = status
        if status == 200 and answer.decode() == challenge:
            key = (request.callback, request.topic)
            with self._lock:
                if request.mode == "subscribe":
                    self._subscriptions[key] = Subscription(request.callback, request.topic, request.secret or "", self.lease_seconds)
                else:
                    self._subscriptions.pop(key, None)
        request.verified.set()


def _send(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


def _handler(hub: LocalHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            fields = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            status = hub._request(fields) if self.path == "/hub" else 404
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
