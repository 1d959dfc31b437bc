"""A 1,000-row Hypothesis file imported: the report and the time it takes.

Usage (from the project root):
    .venv/bin/python benchmarks/hypothesis_import.py [--db sqlite|postgres]

Builds a search response ({"total", "rows"}) in the shape Hypothesis's API gives,
on the seed article: 700 rows quote a sentence exactly (some across a paragraph
break, written without the newline, as a web page's text gives it), 150 quote it
with a word changed (placed by similarity), 100 quote text that is not in the
article, 50 are replies. Tags are stance names in other cases and one unknown tag.
Prints the import's report and its wall-clock time, then imports the file again
(which must create nothing) and prints that time too.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import benchenv  # noqa: E402

SEED = Path(__file__).resolve().parents[2] / "shared/samples/000_cec687c1fc65c03c.expected.json"
URL = "https://www.news.example/seed/"


def build_rows(paragraphs: list[str]) -> list[dict]:
    rng = random.Random(15)
    # Passages of 70 characters, every 90 characters of each paragraph.
    sentences = [p[i : i + 70] for p in paragraphs for i in range(0, len(p) - 70, 90)]
    rows = []
    for n in range(1_000):
        sentence = sentences[n % len(sentences)]
        if n < 700:
            exact = sentence
            if n % 10 == 0:
                # The end of one paragraph and the start of the next, without the break.
                k = (n // 10) % (len(paragraphs) - 1)
                exact = paragraphs[k][-30:] + paragraphs[k + 1][:30]
        elif n < 850:
            words = sentence.split()
            words[len(words) // 2] = "elsewhere"
            exact = " ".join(words)
        else:
            exact = f"A passage that this article never printed, number {n}, about harbours."
        row = {
            "id": f"bench{n:06d}HypId",
            "created": "2024-03-01T12:00:00.000000+00:00",
            "updated": "2024-03-02T12:00:00.000000+00:00",
            "user": "acct:carol@hypothes.is",
            "uri": URL + ("#annotations:x" if n % 3 else "?utm_source=feed"),
            "text": f"Note {n}",
            "tags": [rng.choice(["RUSSIA", "united states", "fbi-letter"])],
            "group": "__world__",
            "permissions": {"read": ["group:__world__"]},
            "target": [{"source": URL, "selector": [
                {"type": "RangeSelector", "startContainer": "/p[1]", "startOffset": 0,
                 "endContainer": "/p[1]", "endOffset": 5},
                {"type": "TextPositionSelector", "start": 900 + n, "end": 900 + n + len(exact)},
                {"type": "TextQuoteSelector", "exact": exact, "prefix": "", "suffix": ""},
            ]}],
            "document": {"title": ["Seed"]},
        }  # fmt: skip
        if n >= 950:
            row["references"] = [f"bench{n - 900:06d}HypId"]
        rows.append(row)
    return rows


def main() -> None:
    db = benchenv.fresh_database("stance_bench_hypothesis", __doc__.splitlines()[0])
    from django.contrib.auth import get_user_model

    from annotations import importing
    from projects.services import default_project, membership_set
    from tests.articles import stored_article

    user = get_user_model().objects.create_user("carol")
    membership_set(project=default_project(), user=user, role="annotator")
    expected = json.loads(SEED.read_text(encoding="utf-8"))
    stored_article(expected["title"], expected["body_paragraphs"], "https://news.example/seed")
    document = {"total": 1_000, "rows": build_rows(expected["body_paragraphs"])}
    started = time.perf_counter()
    report = importing.import_collection(document, importer=user)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = importing.import_collection(document, importer=user)
    second = time.perf_counter() - started
    print(f"database: {db}")
    print(f"1,000-row Hypothesis file: {first:.2f} s")
    print(f"  created {report.created}, fuzzy {len(report.fuzzy)}, not placed "
          f"{len(report.unplaced)}, replies skipped {report.replies}, unknown tags "
          f"{dict(report.unknown_stances)}, problems {len(report.problems)}")  # fmt: skip
    print(f"  {report.summary()}")
    print(f"same file again: {second:.2f} s; created {again.created}, "
          f"already present {again.already_present}")  # fmt: skip


if __name__ == "__main__":
    main()
