"""Load test (issue 5 §5): 50 users create, edit and delete annotations on one article at once.

Usage (from the project root):
    .venv/bin/python benchmarks/load.py [--db sqlite|postgres|both] [--seconds 30] [--workers 4]

Each run starts from a fresh database (benchmarks/out/stance_bench_load.sqlite3
or PostgreSQL stance_bench_load on 127.0.0.1) with 50 users and one article,
serves the site with gunicorn on 127.0.0.1, and runs one thread per user, each
with its own session, for a bounded time. Every write the server acknowledged
is recorded: a create's id is the one new id among the user's own cards in the
response (requests carry f_mine=1, so the fragment lists only the user's
annotations). Afterwards the database must hold exactly the acknowledged
state: every acknowledged create that was not deleted, with the last
acknowledged note and version; no acknowledged delete; nothing else. 429
(rate limit) answers are counted apart from errors; a 500, a refused
connection or "database is locked" anywhere is an error.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import benchenv  # noqa: E402
from benchmarks.httpload import Gunicorn, auth_headers, percentile, send, session_cookie  # noqa: E402

NAME = "stance_bench_load"
USERS = 50
# The create posts with the "only mine" filter on, so every card answered is the user's own.
OWN_CARD = re.compile(rb'<li class="card mine" id="ann-([0-9a-f-]{36})"')
LOCKED = b"database is locked"


@dataclass
class Live:
    start: int
    end: int
    note: str
    version: int = 1


@dataclass
class Ledger:
    """What one simulated user was told happened."""

    live: dict[str, Live] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    uncertain: int = 0  # writes whose outcome the user never learned (no answer)


@dataclass
class Outcome:
    op: str
    status: int
    seconds: float
    locked: bool = False


def prepare(db: str) -> dict:
    """A fresh database with the load users and one article; returns what the threads need."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from annotations.models import Stance
    from benchmarks.seed_data import assemble, load_base_texts, sanitized_blocks
    from reader.models import Article, text_digest

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    bases = load_base_texts()
    base = min(bases, key=lambda b: abs(sum(len(p) for p in b.paragraphs) - 6000))
    body = assemble(sanitized_blocks(base))
    article = Article.objects.create(
        title="Load test article",
        slug="load-test-article",
        body_html=body.html,
        text=body.text,
        text_hash=text_digest(body.text),
        raw_input=b"",
    )
    User = get_user_model()
    password = make_password("load-password-not-secret-1")
    users = User.objects.bulk_create(
        [User(username=f"load{n:02d}", password=password) for n in range(1, USERS + 1)]
    )
    return {
        "article": article,
        "stances": list(Stance.objects.values_list("pk", flat=True)),
        "headers": [auth_headers(session_cookie(user)) for user in users],
        "users": users,
    }


def simulate(
    port: int,
    setup: dict,
    index: int,
    deadline: float,
    ledger: Ledger,
    outcomes: list[Outcome],
    lock: threading.Lock,
) -> None:
    from benchmarks.seed_data import spans

    rng = random.Random(1000 + index)
    article = setup["article"]
    text = article.text
    headers = dict(setup["headers"][index]) | {
        "Content-Type": "application/x-www-form-urlencoded",
        "HX-Request": "true",
    }
    selections = spans(text, 100_000, rng)
    sequence = 0

    def post(op: str, path: str, fields: dict) -> tuple[int, bytes]:
        reply = send(
            port, "POST", path, headers=headers, body=urlencode(fields, doseq=True).encode()
        )
        with lock:
            outcomes.append(
                Outcome(
                    op,
                    reply.status,
                    reply.seconds,
                    LOCKED in reply.body or LOCKED in reply.error.encode(),
                )
            )
        return reply.status, reply.body

    while time.perf_counter() < deadline:
        sequence += 1
        roll = rng.random()
        stances = rng.sample(setup["stances"], rng.randint(0, 2))
        if len(ledger.live) < 3 or roll < 0.5:
            start, end = next(selections)
            note = f"load {index} create {sequence}"
            status, body = post(
                "create",
                "/annotations/new/",
                {
                    "article": article.pk,
                    "start": start,
                    "end": end,
                    "quote": text[start:end],
                    "stances": stances,
                    "note": note,
                    "visibility": rng.choice(("shared", "shared", "private")),
                    "f_mine": "1",
                },
            )
            if status == 200:
                new = {i.decode() for i in OWN_CARD.findall(body)} - set(ledger.live)
                if len(new) == 1:
                    ledger.live[new.pop()] = Live(start, end, note)
                else:
                    ledger.uncertain += 1
            elif status == 0:
                ledger.uncertain += 1
        elif roll < 0.8:
            pk = rng.choice(sorted(ledger.live))
            live = ledger.live[pk]
            note = f"load {index} edit {sequence}"
            status, _ = post(
                "edit",
                f"/annotations/{pk}/edit/",
                {
                    "version": live.version,
                    "note": note,
                    "stances": stances,
                    "visibility": "shared",
                    "f_mine": "1",
                },
            )
            if status == 200:
                live.note, live.version = note, live.version + 1
            elif status == 0:
                ledger.uncertain += 1
        else:
            pk = rng.choice(sorted(ledger.live))
            status, _ = post("delete", f"/annotations/{pk}/delete/", {"f_mine": "1"})
            if status == 200:
                del ledger.live[pk]
                ledger.deleted.add(pk)
            elif status == 0:
                ledger.uncertain += 1


def verify(setup: dict, ledgers: list[Ledger]) -> dict:
    """Compare the database with what the users were told."""
    from annotations.models import Annotation

    stored = {
        str(a.pk): a
        for a in Annotation.objects.filter(article=setup["article"]).only(
            "id", "user_id", "note", "version"
        )
    }
    missing, stale, resurrected = 0, 0, 0
    acknowledged: set[str] = set()
    for user, ledger in zip(setup["users"], ledgers, strict=True):
        for pk, live in ledger.live.items():
            acknowledged.add(pk)
            row = stored.get(pk)
            if row is None or row.user_id != user.pk:
                missing += 1
            elif row.note != live.note or row.version != live.version:
                stale += 1
        resurrected += sum(1 for pk in ledger.deleted if pk in stored)
    return {
        "acknowledged_live": len(acknowledged),
        "acknowledged_deleted": sum(len(ledger.deleted) for ledger in ledgers),
        "missing": missing,
        "stale": stale,
        "deleted_but_present": resurrected,
        "unacknowledged_present": len(set(stored) - acknowledged),
        "uncertain_requests": sum(ledger.uncertain for ledger in ledgers),
    }


def run(db: str, seconds: float, workers: int) -> dict:
    benchenv.recreate_database(db, NAME)
    benchenv.setup_django(db, NAME)
    setup = prepare(db)
    ledgers = [Ledger() for _ in range(USERS)]
    outcomes: list[Outcome] = []
    lock = threading.Lock()
    with Gunicorn(db, NAME, workers=workers, timeout=60) as server:
        server.log.write_text("")
        began = time.perf_counter()
        deadline = began + seconds
        threads = [
            threading.Thread(
                target=simulate, args=(server.port, setup, n, deadline, ledgers[n], outcomes, lock)
            )
            for n in range(USERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    log = server.log.read_text(errors="replace")
    from django.db import connections

    connections.close_all()
    statuses: dict[str, dict[int, int]] = {}
    for outcome in outcomes:
        per_op = statuses.setdefault(outcome.op, {})
        per_op[outcome.status] = per_op.get(outcome.status, 0) + 1
    answered = [o for o in outcomes if o.status != 429]
    errors = [o for o in outcomes if o.status == 0 or o.status >= 500 or o.locked]
    return {
        "db": db,
        "workers": workers,
        "users": USERS,
        "seconds": round(elapsed, 1),
        "requests": len(outcomes),
        "requests_per_s": round(len(outcomes) / elapsed, 1),
        "p50_ms": round(percentile([o.seconds for o in answered], 0.5) * 1000, 1),
        "p95_ms": round(percentile([o.seconds for o in answered], 0.95) * 1000, 1),
        "rate_limited_429": sum(1 for o in outcomes if o.status == 429),
        "errors": len(errors),
        "server_errors_500": sum(1 for o in outcomes if o.status >= 500),
        "database_locked": sum(1 for o in outcomes if o.locked) + log.count("database is locked"),
        "tracebacks_in_log": log.count("Traceback"),
        "statuses": statuses,
        **verify(setup, ledgers),
    }


# Counts that must all be 0 for a clean run: no error, and nothing lost or resurrected.
CLEAN = (
    "errors",
    "server_errors_500",
    "database_locked",
    "missing",
    "stale",
    "deleted_but_present",
    "unacknowledged_present",
)


def passed(result: dict) -> bool:
    return not any(result[key] for key in CLEAN)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=[*benchenv.DATABASES, "both"], default="both")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)
    databases = benchenv.DATABASES if args.db == "both" else (args.db,)
    if len(databases) > 1:
        # Django is set up once per process: run each database in its own.
        import subprocess

        results = []
        for db in databases:
            command = [sys.executable, __file__, "--db", db, "--seconds", str(args.seconds)]
            command += ["--workers", str(args.workers)]
            output = subprocess.run(command, check=False, capture_output=True, text=True)
            sys.stderr.write(output.stderr)
            results.append(json.loads(output.stdout.strip().splitlines()[-1]))
        print(json.dumps(results))
        return 0 if all(passed(r) for r in results) else 1
    result = run(databases[0], args.seconds, args.workers)
    print(
        f"{result['db']}: {result['requests_per_s']} req/s, p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms, errors {result['errors']}, 429s {result['rate_limited_429']}, "
        f"{'OK' if passed(result) else 'FAILED'}",
        file=sys.stderr,
    )
    print(json.dumps(result))
    return 0 if passed(result) else 1


if __name__ == "__main__":
    raise SystemExit(main())
