"""Where the benchmark databases live and how a benchmark process points Django at one.

SQLite benchmark databases are files under benchmarks/out/ (never the site's
db.sqlite3); PostgreSQL ones are databases named stance_bench* on 127.0.0.1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
OUT = PROJECT_ROOT / "benchmarks" / "out"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASES = ("sqlite", "postgres")

if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))


def database_name(name: str) -> str:
    if not name.startswith("stance_bench"):
        raise ValueError(f"benchmark databases are named stance_bench*, not {name!r}")
    return name


def database_url(db: str, name: str = "stance_bench") -> str:
    name = database_name(name)
    if db == "sqlite":
        return f"sqlite:///{OUT / (name + '.sqlite3')}"
    if db == "postgres":
        return f"{PG_SERVER}/{name}"
    raise ValueError(f"unknown database {db!r}; use one of {DATABASES}")


def environment(db: str, name: str = "stance_bench") -> dict[str, str]:
    """The environment a benchmark process (or a gunicorn it starts) runs with."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url(db, name),
        DJANGO_SETTINGS_MODULE="benchmarks.bench_settings",
        DJANGO_LOG_LEVEL="ERROR",
    )
    env.pop("DJANGO_DEBUG", None)
    return env


def setup_django(db: str, name: str = "stance_bench") -> None:
    os.environ.update(environment(db, name))
    os.environ.pop("DJANGO_DEBUG", None)
    import django

    django.setup()


def recreate_database(db: str, name: str = "stance_bench") -> None:
    """Start from an empty database of that name (before Django connects to it)."""
    name = database_name(name)
    if db == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            (OUT / f"{name}.sqlite3{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_exists(db: str, name: str = "stance_bench") -> bool:
    name = database_name(name)
    if db == "sqlite":
        return (OUT / f"{name}.sqlite3").exists()
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return row is not None


def fresh_database(name: str, description: str) -> str:
    """For a benchmark's main(): read ``--db``, start from an empty, migrated database of
    that name with Django set up, and return which database it is."""
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", choices=DATABASES, default="sqlite")
    db = parser.parse_args().db
    recreate_database(db, name)
    setup_django(db, name)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return db
