"""A loopback HTTP server for tests: static files with validators, custom handlers, a request log.

    server = FeedServer().start()
    server.add_file("/feed.xml", b"<rss>...</rss>")
    server.add_handler("/old", redirect_to("/feed.xml"))
    url = server.url("/old")
    ...
    server.close()

A handler is `fn(request: BaseHTTPRequestHandler) -> None` and writes the whole
answer itself (see `respond`, `send_stream`). Routing ignores the query string.
"""
from __future__ import annotations

import hashlib
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Handler = Callable[[BaseHTTPRequestHandler], None]

DEFAULT_LAST_MODIFIED = "Mon, 01 Jan 2024 00:00:00 GMT"


@dataclass
class RecordedRequest:
    """One request the server received; header names are lower-cased."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    client_port: int = 0  # the same port for requests on one reused connection
    at: float = field(default_factory=time.monotonic)


class FeedServer:
    """A threaded HTTP/1.1 server on a loopback address (127.0.0.1 by default) with an ephemeral port."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.requests: list[RecordedRequest] = []
        self.in_flight = 0
        self.peak_in_flight = 0
        self._routes: dict[str, Handler] = {}
        self._lock = threading.Lock()
        self._httpd = _Server((host, 0), _make_request_handler(self))
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def url(self, path: str = "/") -> str:
        """The absolute URL of a path on this server."""
        return f"http://{self.host}:{self.port}{path}"

    def add_handler(self, path: str, handler: Handler) -> None:
        """Answer requests for `path` with a custom function."""
        self._routes[path] = handler

    def add_file(
        self,
        path: str,
        body: bytes | str,
        content_type: str = "application/rss+xml; charset=utf-8",
        headers: dict[str, str] | None = None,
        etag: str | None = None,
        last_modified: str | None = DEFAULT_LAST_MODIFIED,
    ) -> None:
        """Serve a fixed body (text as UTF-8) with ETag/Last-Modified, answering 304 to matching conditional GETs."""
        body = body.encode() if isinstance(body, str) else body
        etag = etag or '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        validators = {"ETag": etag}
        if last_modified:
            validators["Last-Modified"] = last_modified

        def serve(request: BaseHTTPRequestHandler) -> None:
            if _not_modified(request, etag, last_modified):
                respond(request, 304, headers=validators)
            else:
                respond(request, 200, body, {"Content-Type": content_type, **validators, **(headers or {})})

        self.add_handler(path, serve)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """The logged requests whose path (without query) is `path`."""
        return [r for r in self.requests if r.path.split("?")[0] == path]

    def _dispatch(self, request: BaseHTTPRequestHandler) -> None:
        self.requests.append(
            RecordedRequest(
                request.command,
                request.path,
                {name.lower(): value for name, value in request.headers.items()},
                request.client_address[1],
            )
        )
        with self._lock:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            handler = self._routes.get(request.path.split("?")[0])
            if handler is None:
                respond(request, 404, b"not found", {"Content-Type": "text/plain"})
            else:
                handler(request)
        finally:
            with self._lock:
                self.in_flight -= 1


def respond(
    request: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: dict[str, str] | None = None
) -> None:
    """Send a complete answer with a Content-Length."""
    request.send_response(status)
    for name, value in (headers or {}).items():
        request.send_header(name, value)
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    if request.command != "HEAD":
        request.wfile.write(body)


def send_stream(
    request: BaseHTTPRequestHandler, chunks: Iterable[bytes], status: int = 200,
    headers: dict[str, str] | None = None,
) -> None:
    """Send a body of unknown length, chunk by chunk (chunked transfer encoding)."""
    request.send_response(status)
    for name, value in (headers or {}).items():
        request.send_header(name, value)
    request.send_header("Transfer-Encoding", "chunked")
    request.end_headers()
    for chunk in chunks:
        if chunk:
            request.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            request.wfile.flush()
    request.wfile.write(b"0\r\n\r\n")


def redirect_to(location: str, status: int = 302) -> Handler:
    """A handler that redirects to `location` (relative or absolute)."""
    return lambda request: respond(request, status, headers={"Location": location})


def status_page(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    """A handler that always answers `status`."""
    return lambda request: respond(request, status, body, headers)


def _not_modified(request: BaseHTTPRequestHandler, etag: str, last_modified: str | None) -> bool:
    """Whether the request's validators match (If-None-Match wins over If-Modified-Since)."""
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")] or if_none_match.strip() == "*"
    return last_modified is not None and request.headers.get("If-Modified-Since") == last_modified


def _make_request_handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, so clients can reuse connections
        # Headers and body go out in two writes; with Nagle's algorithm the body would wait for the
        # client's delayed ACK of the headers (40 ms on Linux) on every answer.
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            server._dispatch(self)

        do_HEAD = do_GET

        def log_message(self, format: str, *args: object) -> None:
            pass

    return RequestHandler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """Clients hanging up mid-answer are expected (size caps, deadlines): stay quiet."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)
