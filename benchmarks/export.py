"""CSV export speed and memory beside the database's own CSV dump of the same join.

Run from the project root:

    .venv/bin/python -m benchmarks.export [--rows 1000000] [--fresh]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/stance_bench .venv/bin/python -m benchmarks.export

Without DATABASE_URL the database is a SQLite file in the temporary directory
(never the site's db.sqlite3). The database is filled once with ``--rows``
annotations (95% shared, 0–2 stances each, a note on 40%) by bulk inserts, and
reused by later runs with the same row count (``--fresh`` rebuilds it).

Each measurement runs in a subprocess of its own, whose peak resident memory is
read from ``wait4``'s rusage:

- ``export``: ``annotations.export.csv_chunks`` as ``manage.py export_annotations``
  without ``--user`` runs it (every shared annotation, wide layout), to /dev/null;
  the time covers the export only, the memory the whole process (Django included).
  On PostgreSQL its rows are formatted by a ``COPY`` of the export's own SELECT, on
  SQLite by ``csv.writer``;
- ``database``: the SQL of the same query, dumped by the database itself — the
  ``sqlite3 -csv`` command-line shell (or, without it, Python's sqlite3 module with
  ``csv.writer`` as a stand-in), or PostgreSQL's ``COPY (…) TO STDOUT WITH CSV``
  read through psycopg.

``--verify`` (PostgreSQL) checks, before measuring, that the COPY path writes the
same bytes as the ``csv.writer`` path for the whole data set, in both layouts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "stance-reader-export-bench.sqlite3"
ARTICLES = 200
USERS = 20
WORDS = (
    "minister said talks would resume after the ceasefire collapsed while opposition "
    "groups accused the government of shelling civilian areas near the border and "
    "officials in Washington and Moscow traded statements on the strikes"
).split()
NOTES = [
    "Attributed to an unnamed official; check the original statement.",
    "Frames the strike as retaliation, “again”.",
    "Casualty figure differs from the monitor's count, see p. 3",
    "=Contrast with the opposition's account",
]
TARGET_MEMORY_MB = 200
TARGET_RATIO = 0.5


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


def setup_django() -> None:
    os.environ["DATABASE_URL"] = database_url()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("DJANGO_DEBUG", None)
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    import django

    django.setup()
    from django.conf import settings

    name = str(settings.DATABASES["default"]["NAME"])
    if Path(name).resolve() == (PROJECT_ROOT / "db.sqlite3").resolve() or name in {"test", ""}:
        raise SystemExit(f"Refusing to fill {name!r}: point DATABASE_URL at a benchmark database.")


# -- data --------------------------------------------------------------------------------


def article_text(rng: random.Random) -> str:
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90))).capitalize() + "."
        for _ in range(12)
    ]
    return "\n\n".join(paragraphs)


def fill(rows: int, log) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    from annotations.anchoring import context
    from annotations.models import Annotation, AnnotationStance, Stance
    from projects.models import CodebookVersion
    from projects.services import default_project
    from reader.models import Article

    call_command("migrate", verbosity=0)
    Annotation.objects.all().delete()
    Article.objects.all().delete()
    get_user_model().objects.filter(username__startswith="bench-").delete()
    rng = random.Random(7)
    users = [
        get_user_model().objects.create_user(f"bench-{n}", password=None, is_staff=n == 0)
        for n in range(USERS)
    ]
    articles = []
    for n in range(ARTICLES):
        article = Article(
            title=f"Talks resume, day {n}: “officials” say",
            source_name="Bench Wire",
            source_url=f"https://news.example/{n}" if n % 2 else None,
            published=dt.datetime(2024, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n),
            raw_input=b"",
        )
        article.set_text(body_html="", text=article_text(rng))
        article.slug = f"bench-article-{n}"
        articles.append(article)
    Article.objects.bulk_create(articles)
    articles = list(Article.objects.only("id", "text"))
    stance_ids = list(Stance.objects.values_list("id", flat=True))
    codebook_version = (
        CodebookVersion.objects.filter(project=default_project()).order_by("-number")
        .values_list("number", flat=True).first()
    )
    postgres = connection.vendor == "postgresql"
    started = time.perf_counter()
    base_time = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)

    def annotation_rows():
        for n in range(rows):
            article = articles[n % len(articles)]
            text = article.text
            start = rng.randrange(0, len(text) - 120)
            end = start + rng.randint(8, 110)
            prefix, suffix = context(text, start, end)
            created = base_time + dt.timedelta(seconds=n * 7)
            pk = uuid.UUID(int=rng.getrandbits(128), version=4)
            yield (
                pk if postgres else pk.hex,
                article.pk,
                users[n % USERS].pk,
                start,
                end,
                text[start:end],
                prefix,
                suffix,
                NOTES[n % len(NOTES)] if n % 5 < 2 else "",
                "private" if n % 20 == 0 else "shared",
                "anchored",
                created if postgres else created.strftime("%Y-%m-%d %H:%M:%S.%f"),
                created if postgres else created.strftime("%Y-%m-%d %H:%M:%S.%f"),
                1,
                1,  # article_version
                "",  # original_quote
                "",  # source_id
                False,  # imported
                codebook_version,  # the stances_as_coded column reads its snapshot
            )

    columns = (
        'id, article_id, user_id, start, "end", quote, prefix, suffix, note, visibility, '
        "anchor_status, created, updated, version, article_version, original_quote, "
        "source_id, imported, codebook_version"
    )
    annotation_table = Annotation._meta.db_table
    tag_table = AnnotationStance._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        ids = []
        if postgres:
            with cursor.cursor.copy(f"COPY {annotation_table} ({columns}) FROM STDIN") as copy:
                for row in annotation_rows():
                    ids.append(row[0])
                    copy.write_row(row)
            with cursor.cursor.copy(
                f"COPY {tag_table} (annotation_id, stance_id) FROM STDIN"
            ) as copy:
                for n, pk in enumerate(ids):
                    for stance_id in stance_ids[: n % 3]:
                        copy.write_row((pk, stance_id))
        else:
            insert = f"INSERT INTO {annotation_table} ({columns}) VALUES ({', '.join('?' * 19)})"
            batch = []
            for row in annotation_rows():
                ids.append(row[0])
                batch.append(row)
                if len(batch) == 20_000:
                    cursor.executemany(insert, batch)
                    batch = []
            cursor.executemany(insert, batch)
            cursor.executemany(
                f"INSERT INTO {tag_table} (annotation_id, stance_id) VALUES (?, ?)",
                ((pk, s) for n, pk in enumerate(ids) for s in stance_ids[: n % 3]),
            )
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {annotation_table}; ANALYZE {tag_table}")
    log(f"  inserted {rows:,} annotations in {time.perf_counter() - started:.1f} s")


def annotation_count() -> int:
    from django.db import DatabaseError

    from annotations.models import Annotation

    try:
        return Annotation.objects.count()
    except DatabaseError:
        return -1


# -- measured children ---------------------------------------------------------------------


def child_export() -> dict:
    """The exporting process: what ``manage.py export_annotations --output /dev/null`` does."""
    from annotations import export

    options = export.ExportOptions()
    started = time.perf_counter()
    with open(os.devnull, "wb") as out:
        for chunk in export.csv_chunks(viewer=None, options=options):
            out.write(chunk)
    seconds = time.perf_counter() - started
    from annotations.models import Annotation

    records = Annotation.objects.filter(visibility="shared").count()
    return {"seconds": seconds, "rows": records, "peak_mb": peak_rss_mb()}


def verify_copy_path(log) -> bool:
    """Whether the COPY path and the ``csv.writer`` path give the same file, by digest."""
    import hashlib

    from annotations import export

    same = True
    for layout in (export.WIDE, export.LONG):
        options = export.ExportOptions(layout=layout)
        annotations = export.annotations_for(viewer=None, options=options)
        digests = []
        for path in (export.copied_csv_chunks, export.python_csv_chunks):
            digest, size = hashlib.sha256(), 0
            for chunk in path(annotations, options=options, base_url="https://reader.example"):
                digest.update(chunk)
                size += len(chunk)
            digests.append((size, digest.hexdigest()))
        match = digests[0] == digests[1]
        same &= match
        log(
            f"  {layout}: COPY {digests[0][0]:,} bytes sha256 {digests[0][1][:16]}…, "
            f"csv.writer {digests[1][0]:,} bytes sha256 {digests[1][1][:16]}… "
            f"{'identical' if match else 'DIFFERENT'}"
        )
    return same


def peak_rss_mb() -> float:
    """This process's own high-water RSS (VmHWM starts afresh at exec, unlike ru_maxrss,
    which carries over the parent's peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def dump_sql() -> str:
    """The export's own SQL with its parameters written in, for the database's dumper."""
    from django.db import connection

    from annotations import export

    sql, params = export.joined_sql(
        export.annotations_for(viewer=None, options=export.ExportOptions())
    )
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        import psycopg

        with psycopg.ClientCursor(connection.connection) as cursor:
            return cursor.mogrify(sql, params)
    return sql % tuple(_sqlite_literal(p) for p in params)


def _sqlite_literal(value) -> str:
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def child_database_dump(sql: str) -> dict:
    from django.db import connection

    started = time.perf_counter()
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with open(os.devnull, "wb") as out, connection.connection.cursor() as cursor:
            with cursor.copy(f"COPY ({sql}) TO STDOUT WITH CSV HEADER") as copy:
                for data in copy:
                    out.write(data)
        how = "PostgreSQL COPY (…) TO STDOUT WITH CSV, read through psycopg"
    else:
        import csv
        import sqlite3

        name = connection.settings_dict["NAME"]
        with sqlite3.connect(name) as db, open(os.devnull, "w", newline="") as out:
            writer = csv.writer(out)
            cursor = db.execute(sql)
            writer.writerow(d[0] for d in cursor.description)
            for batch in iter(lambda: cursor.fetchmany(5000), []):
                writer.writerows(batch)
        how = "Python sqlite3 module + csv.writer (no sqlite3 shell found)"
    return {"seconds": time.perf_counter() - started, "how": how}


def run_child(args: list[str], *, stdin: str | None = None) -> tuple[dict, float]:
    """Run a measured subprocess; its JSON result and the CPU seconds it used."""
    process = subprocess.Popen(
        args,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url()},
    )
    if stdin is not None:
        process.stdin.write(stdin.encode())
        process.stdin.close()
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{args[:4]} failed with {process.returncode}")
    result = json.loads(output) if output.strip() else {}
    return result, usage.ru_utime + usage.ru_stime


def sqlite_shell_dump(sql: str) -> tuple[dict, float] | None:
    shell = shutil.which("sqlite3")
    if shell is None:
        return None
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    started = time.perf_counter()
    process = subprocess.Popen([shell, "-csv", "-header", name, sql], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit("sqlite3 shell failed")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "how": "sqlite3 -csv command-line shell"}, (
        usage.ru_utime + usage.ru_stime
    )


# -- main ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--fresh", action="store_true", help="Rebuild the data even if present.")
    parser.add_argument("--repeat", type=int, default=3, help="Runs of each side; best counts.")
    parser.add_argument(
        "--verify",
        action="store_true",
        help="PostgreSQL: first check that the COPY path writes the csv.writer path's bytes.",
    )
    parser.add_argument("--child", choices=["export", "dump"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    setup_django()
    if args.child == "export":
        print(json.dumps(child_export()))
        return 0
    if args.child == "dump":
        print(json.dumps(child_database_dump(sys.stdin.read())))
        return 0

    from django.db import connection

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    if args.fresh or annotation_count() != args.rows:
        print(f"Filling with {args.rows:,} annotations …")
        fill(args.rows, print)
    if args.verify and connection.vendor == "postgresql":
        print("Comparing the COPY path with the csv.writer path …")
        if not verify_copy_path(print):
            return 1
    connection.close()
    sql = dump_sql()
    me = [sys.executable, "-m", "benchmarks.export", "--rows", str(args.rows)]
    exports, dumps = [], []
    for _ in range(args.repeat):
        exports.append(run_child([*me, "--child", "export"]))
        dumped = sqlite_shell_dump(sql) if connection.vendor == "sqlite" else None
        dumps.append(dumped or run_child([*me, "--child", "dump"], stdin=sql))
    # Best of the repeats: the machine is shared, and the least disturbed run is the
    # fairest picture of each side.
    exported, export_cpu = min(exports, key=lambda r: r[0]["seconds"])
    dump, dump_cpu = min(dumps, key=lambda r: r[0]["seconds"])
    export_mb = max(r[0]["peak_mb"] for r in exports)
    rows = exported["rows"]
    export_rate = rows / exported["seconds"]
    dump_rate = rows / dump["seconds"]
    ratio = export_rate / dump_rate
    print(f"Rows exported: {rows:,} (every shared annotation, wide layout), best of {args.repeat}")
    print(
        f"Stance Reader CSV export: {exported['seconds']:.1f} s, {export_rate:,.0f} rows/s "
        f"(process CPU {export_cpu:.1f} s), peak RSS {export_mb:.0f} MB"
    )
    print(
        f"Database's own dump ({dump['how']}): {dump['seconds']:.1f} s, {dump_rate:,.0f} rows/s "
        f"(dumping process CPU {dump_cpu:.1f} s)"
    )
    memory_ok = export_mb < TARGET_MEMORY_MB
    ratio_ok = ratio >= TARGET_RATIO
    print(
        f"Export / database rate: {ratio:.2f} (target ≥ {TARGET_RATIO}) "
        f"{'met' if ratio_ok else 'MISSED'}; "
        f"peak memory {export_mb:.0f} MB (target < {TARGET_MEMORY_MB} MB) "
        f"{'met' if memory_ok else 'MISSED'}"
    )
    return 0 if memory_ok and ratio_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
