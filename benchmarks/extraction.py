"""Score the HTML import pipeline against plain trafilatura on the extraction bench.

Usage (from the project root):
    .venv/bin/python -m benchmarks.extraction [FOLDER] [--limit N]

FOLDER defaults to ../shared/extraction-bench/dev. The pipeline's text is what
the reader sees as the article: the subtitle (if any) and the kept blocks,
joined by blank lines. Plain trafilatura is `trafilatura.extract(html,
include_comments=False)` for the body and `bare_extraction(with_metadata=True)`
for the metadata, as in ../shared/tools/score_extraction.py. Speed counts the
extraction call only, with the page already in memory.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = PROJECT_ROOT.parent / "shared" / "extraction-bench" / "dev"

if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks import scoring  # noqa: E402


@dataclass
class Found:
    text: str = ""
    title: str | None = None
    byline: str | None = None
    date: str | None = None


@dataclass
class Run:
    label: str
    found: dict[str, Found] = field(default_factory=dict)
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def pipeline_extractor() -> tuple[str, Callable[[str, str], Found]]:
    """The lead's full pipeline when it exists, else the HTML extractor alone."""
    try:
        from reader.importing.pipeline import prepare_html
    except ImportError:
        prepare_html = None

    if prepare_html is not None:

        def run_prepared(html: str, url: str) -> Found:
            prepared = prepare_html(html, url=url)
            subtitle = getattr(prepared, "subtitle", "") or ""
            text = "\n\n".join(part for part in (subtitle, prepared.text) if part)
            return Found(
                text=text,
                title=getattr(prepared, "title", None),
                byline=getattr(prepared, "byline", None),
                date=_iso(getattr(prepared, "published", None)),
            )

        return "pipeline (prepare_html)", run_prepared

    from reader.importing.html import extract_html, segment_text

    def run_extract(html: str, url: str) -> Found:
        extracted = extract_html(html, url=url)
        parts = [extracted.subtitle] + [segment_text(s) for s in extracted.segments if s.kept]
        return Found(
            text="\n\n".join(p for p in parts if p),
            title=extracted.title,
            byline=extracted.byline,
            date=_iso(extracted.published),
        )

    return "pipeline (extract_html)", run_extract


def run_both(pages: dict[str, str], truth: dict[str, dict]) -> tuple[Run, Run, Run | None]:
    """Both systems page by page, so that load from other processes on the
    machine slows them alike and the speed ratio stays fair."""
    import trafilatura

    from reader.importing.types import ImportFailed

    label, extractor = pipeline_extractor()
    pipeline = Run(label)
    plain = Run(f"trafilatura {trafilatura.__version__} extract")
    extractor(next(iter(pages.values())), "")  # imports and compiled patterns, not timed

    def run_pipeline(name: str, html: str) -> None:
        start = time.perf_counter()
        try:
            pipeline.found[name] = extractor(html, truth[name].get("url", ""))
        except ImportFailed as error:
            pipeline.found[name] = Found()
            pipeline.failures.append(f"{name}: {error}")
        pipeline.seconds += time.perf_counter() - start

    def run_plain(name: str, html: str) -> None:
        start = time.perf_counter()
        text = trafilatura.extract(html, include_comments=False) or ""
        plain.seconds += time.perf_counter() - start
        document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
        plain.found[name] = Found(
            text=text,
            title=getattr(document, "title", None),
            byline=getattr(document, "author", None),
            date=getattr(document, "date", None),
        )

    from reader.importing.html import extract_html

    extractor_only = Run("  of which extract_html")

    def run_extractor(name: str, html: str) -> None:
        start = time.perf_counter()
        try:
            extract_html(html, url=truth[name].get("url", ""))
        except ImportFailed:
            pass
        extractor_only.seconds += time.perf_counter() - start
        extractor_only.found[name] = Found()

    steps = [run_pipeline, run_plain]
    if pipeline.label.startswith("pipeline (prepare_html)"):
        steps.append(run_extractor)
    for index, (name, html) in enumerate(pages.items()):
        # Rotate which system meets a page first: the later ones find it in a warm cache.
        shift = index % len(steps)
        for step in steps[shift:] + steps[:shift]:
            step(name, html)
    return pipeline, plain, (extractor_only if extractor_only.found else None)


def body_rows(run: Run, truth: dict[str, dict]) -> list[tuple[str, dict]]:
    subsets = {"all": sorted(truth)}
    for source in sorted({v.get("source", "?") for v in truth.values()}):
        subsets[source] = sorted(n for n, v in truth.items() if v.get("source", "?") == source)
    rows = []
    for subset, names in subsets.items():
        figures = scoring.score_bodies(
            {n: truth[n].get("articleBody", "") for n in names},
            {n: run.found[n].text for n in names},
        )
        rows.append((subset, figures))
    return rows


def metadata_row(run: Run, truth: dict[str, dict]) -> dict[str, tuple[float, int]]:
    checks = {
        "title": lambda t, f: t.get("title") and scoring.title_matches(t["title"], f.title),
        "byline": lambda t, f: t.get("authors") and scoring.byline_matches(t["authors"], f.byline),
        "date": lambda t, f: t.get("date") and scoring.date_matches(t["date"], f.date),
    }
    fields = {"title": "title", "byline": "authors", "date": "date"}
    row = {}
    for name, check in checks.items():
        names = [n for n in truth if truth[n].get(fields[name])]
        hits = sum(bool(check(truth[n], run.found[n])) for n in names)
        row[name] = (hits / len(names) if names else 0.0, len(names))
    return row


def print_report(runs: list[Run], truth: dict[str, dict], folder: Path) -> None:
    print(f"extraction bench: {folder} ({len(truth)} pages)")
    print()
    print(f"{'system':<34} {'subset':<7} {'n':>4} {'F1':>6} {'P':>6} {'R':>6} {'acc':>6}")
    for run in runs:
        for subset, m in body_rows(run, truth):
            print(
                f"{run.label:<34} {subset:<7} {m['n']:>4} {m['f1']:>6.3f} "
                f"{m['precision']:>6.3f} {m['recall']:>6.3f} {m['accuracy']:>6.3f}"
            )
    print()
    print(f"{'system':<34} {'title':>12} {'byline':>12} {'date':>12} {'pages/s':>8}")
    base_speed = None
    for run in runs:
        meta = metadata_row(run, truth)
        speed = len(run.found) / run.seconds if run.seconds else 0.0
        base_speed = base_speed or speed
        cells = " ".join(f"{v:>6.3f} (n={n:>2})" for v, n in meta.values())
        print(f"{run.label:<34} {cells} {speed:>8.1f}")
    if len(runs) == 2 and runs[1].seconds:
        ratio = (len(runs[0].found) / runs[0].seconds) / (len(runs[1].found) / runs[1].seconds)
        print(f"\npipeline speed / plain trafilatura speed: {ratio:.2f}")
    for run in runs:
        for failure in run.failures:
            print(f"  {run.label} refused {failure}")


def load(folder: Path, limit: int | None) -> tuple[dict[str, dict], dict[str, str]]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    names = sorted(truth)
    if limit:
        names = names[:: max(1, len(names) // limit)][:limit]
    truth = {n: truth[n] for n in names}
    pages = {
        n: (folder / f"{n}.html").read_bytes().decode("utf-8", errors="replace") for n in names
    }
    return truth, pages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--limit", type=int, help="score only N pages, spread over the bench")
    parser.add_argument("--dump", type=Path, help="write each page's pipeline text as JSON")
    args = parser.parse_args(argv)
    truth, pages = load(args.folder, args.limit)
    pipeline, plain, extractor_only = run_both(pages, truth)
    print_report([pipeline, plain], truth, args.folder)
    if extractor_only is not None and extractor_only.seconds:
        speed = len(extractor_only.found) / extractor_only.seconds
        ratio = (len(plain.found) / plain.seconds) / speed
        print(f"extract_html alone: {speed:.1f} pages/s ({1 / ratio:.2f} of plain trafilatura)")
    if args.dump:
        args.dump.write_text(
            json.dumps({n: f.__dict__ for n, f in pipeline.found.items()}, indent=1)
        )


if __name__ == "__main__":
    main()
