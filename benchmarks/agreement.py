"""Agreement at study scale: 5 coders x 100 articles of 5,000 characters, three
stances, ~20 claims per coder and article (coders largely agreeing, with shifted
boundaries, missed and extra claims). Prints the time of every article's report
plus the pooled project report; the target is under 2 s.

    .venv/bin/python -m benchmarks.agreement [--coders 5] [--articles 100] [--length 5000]
"""

from __future__ import annotations

import argparse
import random
import time

from studies.agreement import ArticleCoding, Span, article_report, project_report

STANCES = ["Russia", "United States", "Syrian opposition"]


def simulate(coders: int, articles: int, length: int, seed: int = 13) -> list[ArticleCoding]:
    rng = random.Random(seed)
    names = [f"coder{i + 1}" for i in range(coders)]
    out = []
    for a in range(articles):
        truth = []
        for _ in range(20):
            start = rng.randrange(0, length - 200)
            truth.append((start, start + rng.randint(30, 200), rng.choice(STANCES)))
        spans = []
        for name in names:
            for start, end, stance in truth:
                if rng.random() < 0.15:
                    continue  # missed
                s = max(0, start + rng.randint(-15, 15))
                e = min(length, max(s + 1, end + rng.randint(-15, 15)))
                label = stance if rng.random() < 0.85 else rng.choice(STANCES)
                spans.append(Span(name, s, e, frozenset({label})))
            for _ in range(rng.randint(0, 3)):  # extra
                s = rng.randrange(0, length - 100)
                spans.append(
                    Span(name, s, s + rng.randint(20, 100), frozenset({rng.choice(STANCES)}))
                )
        # a coder now and then did not code an article: missing, not zero
        present = [n for n in names if rng.random() > 0.05] or names[:2]
        out.append(ArticleCoding(f"article-{a + 1}", length, present, spans))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--coders", type=int, default=5)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--length", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = simulate(args.coders, args.articles, args.length)
    spans = sum(len(a.spans) for a in data)
    timings = []
    for _ in range(args.repeat):
        began = time.perf_counter()
        reports = [article_report(a, STANCES) for a in data]
        pooled = project_report(data, STANCES)
        timings.append(time.perf_counter() - began)
    best = min(timings)
    print(
        f"agreement: {args.coders} coders x {args.articles} articles x {args.length} chars "
        f"({spans} annotations): best of {args.repeat} {best:.3f} s "
        f"(per-article reports + pooled project report; target < 2 s) "
        f"{'PASS' if best < 2 else 'FAIL'}"
    )
    print(
        f"  pooled alpha (any claim, characters): {pooled['any_claim']['alpha_chars']}; "
        f"units used/total: {pooled['stances'][STANCES[0]]['units_used']}/"
        f"{pooled['stances'][STANCES[0]]['units_total']}; articles reported: {len(reports)}"
    )


if __name__ == "__main__":
    main()
