"""A small threaded HTTP server on 127.0.0.1 for tests that fetch URLs.

    with LocalServer() as server:
        server.route("/article", Reply(body=b"<html>…</html>"))
        server.redirect("/old", "/article")
        fetched = fetch_url(server.url("/old"), allow_loopback=True)
        assert [request.path for request in server.requests] == ["/old", "/article"]

A route answers with a fixed ``Reply`` or with a callable that takes the
``Request`` and returns one. A reply body is bytes, or an iterable of byte chunks
sent as they come (chunked, unless the reply sets Content-Length or
``framing="close"``), ``chunk_delay`` seconds apart. ``delay`` holds back the
status line. Unknown paths answer 404. ``LocalServer(tls=context)`` serves https. ``chunks``, ``repeated`` and ``gzip_bomb``
build slow drips, huge streamed bodies and decompression bombs. Stopping the
server (leaving the ``with`` block) also ends every drip and delay at once.
"""

from __future__ import annotations

import functools
import ssl
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass
class Reply:
    status: int = 200
    body: bytes | Iterable[bytes] = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    framing: str = "auto"  # "auto": Content-Length for bytes, chunked for iterables; or "close"
    delay: float = 0.0  # seconds before the status line
    chunk_delay: float = 0.0  # seconds before each chunk of the body


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names


Route = Reply | Callable[[Request], Reply]


class LocalServer:
    """An HTTP/1.1 server on 127.0.0.1 and a free port, serving programmable routes."""

    def __init__(self, *, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self.scheme = "https" if tls else "http"
        self._httpd = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        if tls:
            # The handshake then happens in the request's thread, not in the accept loop.
            self._httpd.socket = tls.wrap_socket(
                self._httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str = "/", *, host: str | None = None) -> str:
        """The URL of path on this server; ``host`` replaces 127.0.0.1 (for a faked resolver)."""
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def route(self, path: str, reply: Route) -> None:
        self.routes[path] = reply

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.routes[path] = Reply(status=status, headers={"Location": location}, content_type=None)

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def chunks(data: bytes, size: int = 1) -> Iterator[bytes]:
    """data in pieces of size bytes; with ``Reply.chunk_delay`` this is a slow drip."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


def repeated(chunk: bytes, total: int) -> Iterator[bytes]:
    """total bytes made of chunk, generated as they are sent, never held in memory at once."""
    sent = 0
    while sent < total:
        piece = chunk[: total - sent]
        sent += len(piece)
        yield piece


@functools.lru_cache(maxsize=4)
def gzip_bomb(decompressed_size: int) -> bytes:
    """A small gzip stream that unpacks to decompressed_size zero bytes."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = []
    for piece in repeated(block, decompressed_size):
        parts.append(compressor.compress(piece))
    parts.append(compressor.flush())
    return b"".join(parts)


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up or rejects the certificate is what some tests do


def _handler_for(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._answer()

        def do_HEAD(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output quiet

        def _answer(self) -> None:
            request = Request(
                method=self.command,
                path=self.path,
                headers={name.lower(): value for name, value in self.headers.items()},
            )
            server.requests.append(request)
            route = server.routes.get(self.path.split("?", 1)[0])
            if route is None:
                reply = Reply(status=404, body=b"not found", content_type="text/plain")
            else:
                reply = route(request) if callable(route) else route
            try:
                self._send(reply)
            except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
                pass  # the client stopped reading, which is often what a test wants
            self.close_connection = True

        def _send(self, reply: Reply) -> None:
            if reply.delay and server.stopping.wait(reply.delay):
                return
            self.send_response(reply.status)
            headers = dict(reply.headers)
            if reply.content_type is not None:
                headers.setdefault("Content-Type", reply.content_type)
            headers["Connection"] = "close"
            is_bytes = isinstance(reply.body, bytes)
            has_length = any(name.lower() == "content-length" for name in headers)
            chunked = not is_bytes and not has_length and reply.framing == "auto"
            if is_bytes and not has_length and reply.framing == "auto":
                headers["Content-Length"] = str(len(reply.body))
            if chunked:
                headers["Transfer-Encoding"] = "chunked"
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command == "HEAD":
                return
            body = [reply.body] if is_bytes else reply.body
            for piece in body:
                if not piece:
                    continue  # an empty chunk would end a chunked body early
                if reply.chunk_delay and server.stopping.wait(reply.chunk_delay):
                    return
                if server.stopping.is_set():
                    return
                if chunked:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                else:
                    self.wfile.write(piece)
                self.wfile.flush()
            if chunked:
                self.wfile.write(b"0\r\n\r\n")

    return Handler
