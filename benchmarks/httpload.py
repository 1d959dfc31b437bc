"""A small load generator and a gunicorn runner, on 127.0.0.1 only.

Threads with http.client, one connection per request (gunicorn's sync workers
close the connection after each response anyway), bounded by a request count
and a deadline, whichever comes first.
"""

from __future__ import annotations

import http.client
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import benchenv

HOST = "127.0.0.1"


@dataclass
class Reply:
    status: int
    seconds: float
    body: bytes = b""
    error: str = ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def send(
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 30.0,
) -> Reply:
    began = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return Reply(response.status, time.perf_counter() - began, data)
    except OSError as error:  # refused, reset, timed out: the request was not answered
        return Reply(0, time.perf_counter() - began, error=f"{type(error).__name__}: {error}")
    finally:
        connection.close()


def session_cookie(user) -> str:
    """A logged-in session for ``user``, made the way login() makes one (Django must be set up)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def auth_headers(session_key: str) -> dict[str, str]:
    """Cookies and CSRF header of a logged-in browser (an unmasked 32-character secret)."""
    csrf = secrets.token_hex(16)
    return {
        "Cookie": f"sessionid={session_key}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
    }


@dataclass
class LoadResult:
    replies: list[Reply] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return len(self.replies) / self.seconds if self.seconds else 0.0

    def statuses(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for reply in self.replies:
            counts[reply.status] = counts.get(reply.status, 0) + 1
        return counts

    def percentile(self, fraction: float) -> float:
        return percentile([r.seconds for r in self.replies], fraction)


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def hammer(
    port: int,
    path: str,
    *,
    headers: dict[str, str],
    threads: int = 4,
    seconds: float = 10.0,
    max_requests: int = 5_000,
) -> LoadResult:
    """GET ``path`` from ``threads`` threads until the deadline or the request cap."""
    result = LoadResult()
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def loop() -> None:
        while time.perf_counter() < deadline:
            with lock:
                if len(result.replies) >= max_requests:
                    return
            reply = send(port, "GET", path, headers=headers)
            reply.body = b""
            with lock:
                result.replies.append(reply)

    began = time.perf_counter()
    workers = [threading.Thread(target=loop) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    result.seconds = time.perf_counter() - began
    return result


def run_threads(count: int, target: Callable[[int], None]) -> None:
    workers = [threading.Thread(target=target, args=(n,)) for n in range(count)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


class Gunicorn:
    """gunicorn serving the site (benchmark settings) on 127.0.0.1 with ``workers`` sync workers."""

    def __init__(self, db: str, name: str, *, workers: int = 2, timeout: int = 60) -> None:
        self.db, self.name, self.workers, self.timeout = db, name, workers, timeout
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = benchenv.OUT / f"gunicorn-{db}-{name}.log"

    def __enter__(self) -> Gunicorn:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.log.parent.mkdir(parents=True, exist_ok=True)
        # gunicorn's own log and the site's (errors with their tracebacks) share the file.
        log = self.log.open("w")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
                "config.wsgi:application",
                "--workers",
                str(self.workers),
                "--bind",
                f"{HOST}:{self.port}",
                "--timeout",
                str(self.timeout),
                "--backlog",
                "256",
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
            ],
            cwd=benchenv.PROJECT_ROOT,
            env=benchenv.environment(self.db, self.name),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            reply = send(self.port, "GET", "/bench/fixed/", timeout=5)
            if reply.status == 200 and len(self.worker_pids()) == self.workers:
                return self
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not answer on {HOST}:{self.port}; see {self.log}")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def peak_rss_mb(self) -> dict[int, float]:
        """Each worker's peak resident set (VmHWM), in MB."""
        peaks = {}
        for pid in self.worker_pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks[pid] = int(line.split()[1]) / 1024
        return peaks

    def __exit__(self, *exc) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
