"""Recognising an edited article among 10,000: the time of the preview's lookup.

Usage (from the project root):
    .venv/bin/python benchmarks/similar_articles.py [--db sqlite|postgres]

Stores 10,000 articles of about 3,000 characters in one project, 50 of them sharing one
title (the worst case the lookup reads: MAX_CANDIDATES texts), then times
``similar_article`` for an edited copy of an article with a title of its own and of one
of the 50. The lookup reads candidates by title first, so the number of articles costs
one indexed-or-scanned title query, not a comparison per article.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import benchenv  # noqa: E402

ARTICLES = 10_000
SHARED_TITLE = 50
WORDS = (
    "council harbour minister river report ceasefire talks envoy border aid convoy "
    "parliament vote budget election court ruling statement spokesman officials said"
).split()


def article_text(rng: random.Random) -> str:
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(60, 90))).capitalize() + "."
        for _ in range(6)
    ]
    return "\n\n".join(paragraphs)


def timed(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    db = benchenv.fresh_database("stance_bench_similar", __doc__.splitlines()[0])
    from projects.services import default_project
    from reader.models import Article
    from reader.similar import similar_article

    project = default_project()
    rng = random.Random(15)
    articles = []
    for n in range(ARTICLES):
        title = "Council report" if n < SHARED_TITLE else f"Report number {n} on the harbour"
        article = Article(project=project, title=title, slug=f"a-{n}", raw_input=b"")
        article.set_text(body_html="", text=article_text(rng))
        articles.append(article)
    Article.objects.bulk_create(articles, batch_size=500)

    def edited(text: str) -> str:
        return text.replace(" the ", " a ", 3) + "\n\nA correction was added on Friday."

    alone = Article.objects.get(slug="a-5000")
    crowded = Article.objects.get(slug="a-7")
    for label, article in (("a title of its own", alone), ("one of 50 sharing a title", crowded)):
        text = edited(article.text)
        match = similar_article(project=project, title=article.title, text=text)
        assert match is not None and match.article.pk == article.pk
        seconds = timed(
            lambda a=article, t=text: similar_article(project=project, title=a.title, text=t)
        )  # noqa: E731
        print(f"{db}, {ARTICLES:,} articles, {label}: {seconds * 1000:.1f} ms "
              f"(similarity {match.similarity:.1f} %)")  # fmt: skip
    unknown = timed(
        lambda: similar_article(project=project, title="No such title", text="x" * 3000)
    )
    print(f"{db}, no article with the title: {unknown * 1000:.1f} ms")


if __name__ == "__main__":
    main()
