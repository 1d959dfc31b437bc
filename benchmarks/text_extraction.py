"""Measure the plain-text scrape extractor on extraction-bench/dev-text.

Usage: python -m benchmarks.text_extraction [FOLDER] [--dump PRED.json] [--worst N]

The scored text of a page is what the reader sees as the article: the
standfirst (if any) followed by the kept segments' text (body and captions),
joined by blank lines. Pages are imported in sorted order per source domain,
and each page's paragraphs count as seen for later pages of the same domain,
so the corpus rule ("recurs in 3 or more articles of a source") acts as it
would on sequential imports.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.scoring import (  # noqa: E402
    byline_matches,
    date_matches,
    page_counts,
    score_bodies,
    title_matches,
)
from reader.importing.text import extract_text, paragraph_fingerprint  # noqa: E402
from reader.importing.types import Extracted  # noqa: E402

DEFAULT_FOLDER = ROOT.parent / "shared" / "extraction-bench" / "dev-text"


def scored_text(result: Extracted) -> str:
    parts = [result.subtitle] if result.subtitle else []
    parts += [html.unescape(s.html) for s in result.segments if s.kept]
    return "\n\n".join(parts)


class SourceMemory:
    """Paragraph fingerprints per stored article of one source, as the pipeline keeps them."""

    def __init__(self) -> None:
        self.articles: dict[str, set[str]] = defaultdict(set)

    def recurring_for(self, article: str):
        def recurring(paragraph: str) -> bool:
            fp = paragraph_fingerprint(paragraph)
            return sum(1 for a, fps in self.articles.items() if a != article and fp in fps) >= 2

        return recurring

    def store(self, article: str, paragraphs: list[str]) -> None:
        self.articles[article] = {paragraph_fingerprint(p) for p in paragraphs}


def domain(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def run(folder: Path) -> tuple[dict, dict[str, Extracted], float]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    by_domain: dict[str, list[str]] = defaultdict(list)
    for name in sorted(truth):
        by_domain[domain(truth[name].get("url", ""))].append(name)
    results: dict[str, Extracted] = {}
    seconds = 0.0
    for dom in sorted(by_domain):
        memory = SourceMemory()
        for name in by_domain[dom]:
            text = (folder / f"{name}.txt").read_text(encoding="utf-8")
            began = time.perf_counter()
            result = extract_text(
                text, source_url=truth[name].get("url", ""), recurring=memory.recurring_for(name)
            )
            seconds += time.perf_counter() - began
            results[name] = result
            memory.store(name, [line for line in text.splitlines() if line.strip()])
    return truth, results, seconds


def report(truth: dict, results: dict[str, Extracted], seconds: float) -> None:
    preds = {name: scored_text(r) for name, r in results.items()}
    bodies = {name: t["articleBody"] for name, t in truth.items()}
    print("Scored text: standfirst + kept segments (body, caption), joined by blank lines.")
    print("Corpus rule: pages fed in sorted order per domain; earlier pages count as seen.")
    print(f"{'split':8} {'pages':>5} {'F1':>6} {'prec':>6} {'recall':>6} {'exact':>6}")
    for label, names in (
        ("all", sorted(truth)),
        ("aeb", sorted(n for n in truth if truth[n].get("source") == "aeb")),
        ("fundus", sorted(n for n in truth if truth[n].get("source") == "fundus")),
    ):
        s = score_bodies({n: bodies[n] for n in names}, {n: preds[n] for n in names})
        print(
            f"{label:8} {s['n']:>5} {s['f1']:6.3f} {s['precision']:6.3f} {s['recall']:6.3f} {s['accuracy']:6.3f}"
        )
    titled = [n for n in truth if truth[n].get("title")]
    authored = [n for n in truth if truth[n].get("authors")]
    dated = [n for n in truth if truth[n].get("date")]
    if titled:
        ok = sum(title_matches(truth[n]["title"], results[n].title) for n in titled)
        print(f"title   {ok}/{len(titled)} = {ok / len(titled):.3f}")
    if authored:
        ok = 0
        for n in authored:
            authors = truth[n]["authors"]
            if isinstance(authors, str):
                authors = [truth[n].get("author", "")]
            ok += byline_matches(authors, results[n].byline)
        print(f"byline  {ok}/{len(authored)} = {ok / len(authored):.3f}")
    if dated:
        ok = sum(
            date_matches(
                truth[n]["date"], results[n].published.isoformat() if results[n].published else ""
            )
            for n in dated
        )
        print(f"date    {ok}/{len(dated)} = {ok / len(dated):.3f}")
    print(
        f"speed   {len(results) / seconds:.0f} pages/s ({len(results)} pages, {seconds:.2f} s extracting)"
    )


def worst(truth: dict, results: dict[str, Extracted], n: int) -> None:
    rows = []
    for name, r in results.items():
        tp, fp, fn = page_counts(truth[name]["articleBody"], scored_text(r))
        p = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        rows.append((2 * p * rc / (p + rc) if p + rc else 0.0, p, rc, name))
    for f, p, rc, name in sorted(rows)[:n]:
        print(f"{f:.3f} P {p:.3f} R {rc:.3f} {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--dump", type=Path, help="write NAME -> {articleBody, title, …} JSON")
    parser.add_argument("--worst", type=int, default=0, help="list the N pages with lowest F1")
    args = parser.parse_args()
    truth, results, seconds = run(args.folder)
    report(truth, results, seconds)
    if args.worst:
        worst(truth, results, args.worst)
    if args.dump:
        args.dump.write_text(
            json.dumps(
                {
                    name: {
                        "articleBody": scored_text(r),
                        "title": r.title,
                        "author": r.byline,
                        "date": r.published.isoformat() if r.published else "",
                    }
                    for name, r in results.items()
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
        print(f"predictions written to {args.dump}")


if __name__ == "__main__":
    main()
