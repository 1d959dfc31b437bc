"""The query plans of the project's article list and reading page, as the site runs them.

Usage (from the project root, after benchmarks/seed_data.py has seeded the database):
    .venv/bin/python benchmarks/explain_projects.py --db postgres [--name stance_bench] > plans.md

Requests the list of the hot article's project (/p/bench-p000/), a search in it, and the
hot article's reading page twice: with its highlighted fragment cached (as a reader who
comes back gets it: the page then asks only for the annotations' count and latest change)
and with the fragment cache off (so the annotation queries run). It does so as a member,
captures every query the views run, and prints each one with its plan: EXPLAIN (ANALYZE,
BUFFERS) on PostgreSQL, EXPLAIN QUERY PLAN on SQLite. The session and user lookups of
every request are left out, and a query already shown for an earlier page is named, not
planned again. Prints Markdown.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import benchenv  # noqa: E402

SKIPPED = ('FROM "django_session"', 'FROM "auth_user" WHERE "auth_user"."id" =')


def plan(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(f"{'  ' * (row[1] > 0)}{row[-1]}" for row in cursor.fetchall())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=benchenv.DATABASES, default="postgres")
    parser.add_argument("--name", default="stance_bench")
    args = parser.parse_args(argv)
    benchenv.setup_django(args.db, args.name)

    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from benchmarks.perf import SEARCHES, _hot_and_cold, _users

    client = Client()
    client.force_login(_users()[0])
    hot = _hot_and_cold()[0]
    home = hot.project.get_absolute_url()
    # (title, path, fragment cache seconds: None keeps the site's setting)
    pages = [
        ("article list", home, None),
        ("article search", f"{home}?{urlencode({'q': SEARCHES[0]})}", None),
        ("reading page (fragment cached)", hot.get_absolute_url(), None),
        ("reading page (fragment cache off)", hot.get_absolute_url(), 0),
    ]
    print(f"# Query plans of a project's pages ({connection.vendor}, database {args.name})\n")
    shown_before: dict[str, str] = {}
    for title, path, cache_seconds in pages:
        settings = {} if cache_seconds is None else {"STANCE_FRAGMENT_CACHE_SECONDS": cache_seconds}
        with override_settings(**settings):
            client.get(path)  # a first request warms the caches the plans should not pay
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        shown = [
            q["sql"] for q in captured.captured_queries if not any(s in q["sql"] for s in SKIPPED)
        ]
        print(f"## {title}: `{path}`\n")
        print(f"{len(captured.captured_queries)} queries; the {len(shown)} after the session and")
        print("user lookups, each with its plan:\n")
        for number, sql in enumerate(shown, 1):
            print(f"### {title}, query {number}\n")
            if sql in shown_before:
                print(f"The same query as {shown_before[sql]} (plan above).\n")
                continue
            shown_before[sql] = f"{title}, query {number}"
            print(f"```sql\n{sql}\n```\n")
            if sql.lstrip().upper().startswith("SELECT"):
                print(f"```\n{plan(sql)}\n```\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
