"""A database of its own for tests that run ``manage.py`` in other processes.

A file SQLite database in the SQLite pass of the suite; in the PostgreSQL pass, a scratch
PostgreSQL database created beside the test database and dropped afterwards (never the
test database itself). The test reads it directly with ``query``.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Scratch:
    """A database the subprocesses own, and a way to query it from here."""

    url: str
    query: Callable[[str], list[tuple]]


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def sqlite_database(path: Path) -> Scratch:
    def query(sql: str) -> list[tuple]:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=20)) as db:
            return db.execute(sql).fetchall()

    return Scratch(url=f"sqlite:///{path}", query=query)


@contextmanager
def postgres_database(url: str, prefix: str) -> Iterator[Scratch]:
    import psycopg

    name = f"{prefix}_{os.getpid()}"
    parts = urlsplit(url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    scratch_url = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')

    def query(sql: str) -> list[tuple]:
        with psycopg.connect(scratch_url) as db:
            return db.execute(sql).fetchall()

    try:
        yield Scratch(url=scratch_url, query=query)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(database_url: str, *args: str, env: dict | None = None, **popen) -> subprocess.Popen:
    environment = os.environ | {"DATABASE_URL": database_url, "DJANGO_DEBUG": "1"} | (env or {})
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **popen,
    )


def run(database_url: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    process = manage(database_url, *args, env=env)
    out, err = process.communicate(timeout=180)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@contextmanager
def scratch_database(path: Path, prefix: str) -> Iterator[Scratch]:
    """A file SQLite database at ``path``, or in the PostgreSQL pass a scratch PostgreSQL one."""
    url = postgres_url()
    if url is None:
        yield sqlite_database(path)
    else:
        with postgres_database(url, prefix) as database:
            yield database
