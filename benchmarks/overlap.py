"""Reading cost of fully overlapping highlights: page bytes, server time and memory.

Usage (from the project root):
    .venv/bin/python benchmarks/overlap.py [--db sqlite|postgres] [--counts 500 1000 2000] [--repeat 5]

One article of 5,000 words in 25 paragraphs; for each count N, N annotations are
nested so that every one overlaps every other (annotation i runs from word i to
word 5,000 − i, so the middle is covered by all N and the text is cut into 2N − 1
segments), by two users, tagged with one, two or three stances in turn. The
reading page is then fetched through Django's test client as one of the two
users, with the fragment cache off so every request renders: its size in bytes,
the median and least server time of ``--repeat`` requests, and the peak of Python memory
allocated during one request (tracemalloc). Prints one line per count and a
JSON object; the figures go into benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import benchenv  # noqa: E402

NAME = "stance_bench_overlap"
WORDS = 5000
PARAGRAPHS = 25


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=benchenv.DATABASES, default="sqlite")
    parser.add_argument("--counts", type=int, nargs="+", default=[500, 1000, 2000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    if max(args.counts) * 2 >= WORDS:
        parser.error(f"at most {WORDS // 2 - 1} annotations nest in {WORDS} words")

    benchenv.recreate_database(args.db, NAME)
    benchenv.setup_django(args.db, NAME)

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.test import Client, override_settings

    from annotations.models import Annotation, AnnotationStance, Stance
    from reader.importing.sanitize import build_body
    from reader.models import Article

    call_command("migrate", verbosity=0)
    User = get_user_model()
    alice = User.objects.create_user("overlap-alice")
    bob = User.objects.create_user("overlap-bob")
    stances = list(Stance.objects.order_by("order"))
    per = WORDS // PARAGRAPHS
    paragraphs = [
        " ".join(f"word{p * per + i:04d}" for i in range(per)) + "." for p in range(PARAGRAPHS)
    ]
    built = build_body([("p", text) for text in paragraphs])
    text = built.text
    article = Article.objects.create(
        title="Overlap bench",
        slug="overlap-bench",
        body_html=built.html,
        text=text,
        raw_input=b"",
        raw_kind="text",
    )
    starts = [text.index(f"word{i:04d}") for i in range(WORDS)]

    results = []
    made = 0
    for count in sorted(args.counts):
        with transaction.atomic():
            rows, tags = [], []
            for i in range(made, count):
                start, end = starts[i], starts[WORDS - 1 - i] + len("word0000")
                row = Annotation(
                    article=article,
                    user=alice if i % 2 else bob,
                    start=start,
                    end=end,
                    quote=text[start:end],
                    prefix=text[max(0, start - 32) : start],
                    suffix=text[end : end + 32],
                )
                rows.append(row)
                for s in stances[: 1 + i % 3]:
                    tags.append((row, s))
            Annotation.objects.bulk_create(rows, batch_size=500)
            AnnotationStance.objects.bulk_create(
                [AnnotationStance(annotation=a, stance=s) for a, s in tags], batch_size=1000
            )
        made = count
        client = Client()
        client.force_login(alice)
        url = article.get_absolute_url()
        with override_settings(STANCE_FRAGMENT_CACHE_SECONDS=0):
            response = client.get(url, follow=True)
            assert response.status_code == 200, response.status_code
            size = len(response.content)
            times = []
            for _ in range(args.repeat):
                began = time.perf_counter()
                client.get(url, follow=True)
                times.append(time.perf_counter() - began)
            tracemalloc.start()
            client.get(url, follow=True)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        marks = response.content.count(b"<mark ")
        result = {
            "annotations": count,
            "marks": marks,
            "page_bytes": size,
            "server_ms_median": round(statistics.median(times) * 1000, 1),
            "server_ms_min": round(min(times) * 1000, 1),
            "python_peak_mb": round(peak / 1e6, 1),
        }
        results.append(result)
        print(
            f"{count:>5} annotations: {marks:>5} marks, {size / 1e6:7.2f} MB, "
            f"{result['server_ms_median']:8.1f} ms median ({result['server_ms_min']:.1f} min), "
            f"{result['python_peak_mb']:6.1f} MB peak",
            flush=True,
        )
    print(json.dumps({"db": args.db, "words": WORDS, "results": results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
