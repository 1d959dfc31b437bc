"""Where an annotation save's time goes: each SQL statement's median, and the rest.

Usage (from the project root, after benchmarks/seed_data.py):
    .venv/bin/python benchmarks/create_profile.py --db sqlite|postgres [--name stance_bench] [--saves 200]

Posts plain (non-htmx) saves on the corpus's typical article as one logged-in
user, with the rate limit raised out of reach (it is still counted), and prints the median of the
whole request (Django's test client, in process), of each statement the
database ran, and of the same request to /bench/noop/ (a logged-in POST that
does nothing). What is neither a statement nor the framework is Python in the
view: form validation, the offset checks, building the rows.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import benchenv  # noqa: E402
from benchmarks.httpload import median  # noqa: E402

TABLE = re.compile(r'(?:FROM|INTO)\s+"([^"]+)"')


def statement_name(sql: str) -> str:
    table = TABLE.search(sql)
    return f"{sql.split()[0]} {table.group(1) if table else ''}".strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=benchenv.DATABASES, required=True)
    parser.add_argument("--name", default="stance_bench")
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args(argv)
    benchenv.setup_django(args.db, args.name)

    from django.db import connection
    from django.test import Client, override_settings

    from annotations.models import Annotation, Stance
    from benchmarks.perf import _typical_article, _users, save_form
    from benchmarks.seed_data import spans

    article, _ = _typical_article()
    client = Client()
    client.force_login(_users()[0])
    stance = Stance.objects.order_by("pk").first()
    selections = list(spans(article.text, args.saves, random.Random(7)))
    statements: dict[str, list[float]] = defaultdict(list)
    per_request: list[dict[str, float]] = []
    totals = {"save": [], "noop": []}

    def timed(execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            name = statement_name(sql)
            per_request[-1][name] = per_request[-1].get(name, 0.0) + time.perf_counter() - began

    unreachable = ((1, 10**9), (60, 10**9))
    with (
        override_settings(ANNOTATION_CREATE_RATES=unreachable),
        connection.execute_wrapper(timed),
    ):
        for start, end in selections:
            data = save_form(article, start, end, stance, note="profiled save")
            for kind, url in (("save", "/annotations/new/"), ("noop", "/bench/noop/")):
                per_request.append({})
                began = time.perf_counter()
                response = client.post(url, data)
                totals[kind].append(time.perf_counter() - began)
                assert response.status_code == 302, (url, response.status_code)
                if kind == "save":
                    for name, seconds in per_request[-1].items():
                        statements[name].append(seconds)
    Annotation.objects.filter(article=article, note="profiled save").delete()

    save, noop = median(totals["save"]), median(totals["noop"])
    in_statements = sum(median(v) for v in statements.values())
    print(f"{args.db}: {len(selections)} saves, medians")
    print(f"  whole save request                          {save * 1000:7.3f} ms")
    for name, values in statements.items():
        print(f"    {name:<42}{median(values) * 1000:7.3f} ms")
    print(f"  all statements                              {in_statements * 1000:7.3f} ms")
    print(f"  logged-in no-op POST                        {noop * 1000:7.3f} ms")
    print(f"  the rest (view Python, commit)              {(save - in_statements - noop) * 1000:7.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
