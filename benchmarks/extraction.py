"""Score the HTML import pipeline against plain trafilatura on the extraction bench.

Usage (from the project root):
    .venv/bin/python -m benchmarks.extraction [SET ...] [--limit N] [--worst N] [--ablate]

SET is ``dev`` or ``dev-dragnet`` (../shared/extraction-bench/, see
benchmarks/extraction_sets.py) or a folder of NAME.html pages with its
ground-truth.json; default: both sets. The pipeline's text is what the reader
sees as the article: the subtitle (if any) and the kept blocks, joined by blank
lines; on dev-dragnet, whose truth holds the headline, each system's title goes
first. Plain trafilatura is `trafilatura.extract(html, include_comments=False)`
for the body and `bare_extraction(with_metadata=True)` for the metadata, as in
../shared/tools/score_extraction.py. Speed counts the extraction call only,
with the page already in memory. --ablate prints the figure with each of the
pipeline's own rules turned off (the blocks it dropped from trafilatura's
text put back), and with each of its choices of reading turned off (every
page read again without it).
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

if str(PROJECT_ROOT) not in sys.path:
    sys.path.insert(0, str(PROJECT_ROOT))

from benchmarks import extraction_sets as sets  # noqa: E402
from benchmarks import scoring  # noqa: E402


@dataclass
class Found:
    text: str = ""
    title: str | None = None
    byline: str | None = None
    date: str | None = None
    subtitle: str = ""
    body: str = ""
    segments: list = field(default_factory=list)


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
                subtitle=subtitle,
                body=prepared.text,
                segments=prepared.extracted.segments,
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
            body=text,
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


def body_rows(run: Run, truth: dict[str, dict], bench: sets.BenchSet) -> list[tuple[str, dict]]:
    preds = scored_texts(run, bench)
    return [(subset, sets.score(truth, preds, names)) for subset, names in sets.subsets(truth).items()]


def scored_texts(run: Run, bench: sets.BenchSet) -> dict[str, str]:
    return {n: sets.scored(bench, f.title, f.subtitle, f.body) for n, f in run.found.items()}


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


def print_report(runs: list[Run], truth: dict[str, dict], bench: sets.BenchSet) -> None:
    print(f"== html/{bench.name}: {bench.html} ({len(truth)} pages)")
    if bench.titled_truth:
        print("   scored as title + standfirst + text: this set's truth holds the headline")
    print(f"  {'system':<34} {'subset':<7} {'n':>4} {'F1':>6} {'P':>6} {'R':>6} {'acc':>6}")
    for run in runs:
        for subset, m in body_rows(run, truth, bench):
            print(
                f"  {run.label:<34} {subset:<7} {m['n']:>4} {m['f1']:>6.3f} "
                f"{m['precision']:>6.3f} {m['recall']:>6.3f} {m['accuracy']:>6.3f}"
            )
    if len(runs) == 2:
        gain = body_rows(runs[0], truth, bench)[0][1]["f1"] - body_rows(runs[1], truth, bench)[0][1]["f1"]
        print(f"  pipeline - trafilatura on the same pages: {gain:+.3f}")
    print()
    print(f"  {'system':<34} {'title':>12} {'byline':>12} {'date':>12} {'pages/s':>8}")
    for run in runs:
        meta = metadata_row(run, truth)
        speed = len(run.found) / run.seconds if run.seconds else 0.0
        cells = " ".join(f"{v:>6.3f} (n={n:>3})" for v, n in meta.values())
        print(f"  {run.label:<34} {cells} {speed:>8.1f}")
    if len(runs) == 2 and runs[1].seconds:
        ratio = (len(runs[0].found) / runs[0].seconds) / (len(runs[1].found) / runs[1].seconds)
        print(f"\n  pipeline speed / plain trafilatura speed: {ratio:.2f}")
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


# Blocks the cleaning report lists without having taken them out of the article:
# putting them "back" measures nothing about a rule.
REPORT_ONLY_RULES = frozenset({"navigation", "not-main-content", "standfirst", "headline", "byline"})


def ablation_rows(pipeline: Run, truth: dict[str, dict], bench: sets.BenchSet) -> tuple[float, dict]:
    """F1 with each of the pipeline's own rules off: the blocks it took out of
    trafilatura's text put back where they stood."""
    from reader.importing.html import segment_text

    def text_with(found: Found, rule: str | None) -> str:
        kept = [
            segment_text(s)
            for s in found.segments
            if s.kept or (rule is not None and s.rule == rule)
        ]
        return sets.scored(bench, found.title, found.subtitle, "\n\n".join(kept))

    base = sets.score(truth, {n: text_with(f, None) for n, f in pipeline.found.items()})["f1"]
    rules = sorted(
        {s.rule for f in pipeline.found.values() for s in f.segments if s.rule and not s.kept}
        - REPORT_ONLY_RULES
    )
    rows = {}
    for rule in rules:
        preds = {n: text_with(f, rule) for n, f in pipeline.found.items()}
        rows[rule] = sets.score(truth, preds)["f1"]
    return base, rows


def reading_rows(pages: dict[str, str], truth: dict[str, dict], bench: sets.BenchSet) -> dict:
    """F1 with each of the pipeline's choices of reading turned off: every page
    read again without it (these choices decide which text is read, so no
    block can be put back to measure them)."""
    import trafilatura

    from reader.importing import html as html_module
    from reader.importing.types import ImportFailed

    _, extractor = pipeline_extractor()

    def figure() -> float:
        run = Run("reading choice off")
        for name, page in pages.items():
            try:
                run.found[name] = extractor(page, truth[name].get("url", ""))
            except ImportFailed:
                run.found[name] = Found()
        return sets.score(truth, scored_texts(run, bench))["f1"]

    def fallbacks_always(tree):
        return trafilatura.bare_extraction(tree, **{**html_module.TRAFILATURA_OPTIONS, "fast": False})

    choices = {
        "reading: fallbacks on bare only": ("_main_content", fallbacks_always),
        "reading: bare dump -> text rules": ("BARE_DUMP_RATIO", float("inf")),
    }
    rows = {}
    for label, (attribute, value) in choices.items():
        with sets.patched(html_module, attribute, value):
            rows[label] = figure()
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=list(sets.HTML_SETS))
    parser.add_argument("--limit", type=int, help="score only N pages, spread over the bench")
    parser.add_argument("--worst", type=int, default=10, help="list the N pages with lowest F1")
    parser.add_argument("--ablate", action="store_true", help="the figure with each rule off")
    parser.add_argument("--dump", type=Path, help="write each page's pipeline text as JSON")
    args = parser.parse_args(argv)
    dump = {}
    bases: dict[str, float] = {}
    ablations: dict[str, dict[str, float]] = {}
    for name in args.sets:
        bench = sets.resolve(name)
        truth, pages = load(bench.html, args.limit)
        pipeline, plain, extractor_only = run_both(pages, truth)
        print_report([pipeline, plain], truth, bench)
        if extractor_only is not None and extractor_only.seconds:
            speed = len(extractor_only.found) / extractor_only.seconds
            ratio = (len(plain.found) / plain.seconds) / speed
            print(f"  extract_html alone: {speed:.1f} pages/s ({1 / ratio:.2f} of plain trafilatura)")
        if args.worst:
            sets.print_worst(truth, scored_texts(pipeline, bench), args.worst)
        print()
        if args.ablate:
            bases[bench.name], rows = ablation_rows(pipeline, truth, bench)
            rows.update(reading_rows(pages, truth, bench))
            for rule, figure in rows.items():
                ablations.setdefault(rule, {})[bench.name] = figure
        dump[bench.name] = {
            n: {k: v for k, v in f.__dict__.items() if k != "segments"}
            for n, f in pipeline.found.items()
        }
    if args.ablate:
        labels = list(bases)
        rows = [(rule, {s: figures.get(s, bases[s]) for s in labels}) for rule, figures in ablations.items()]
        sets.print_ablation(rows, bases, labels)
    if args.dump:
        args.dump.write_text(json.dumps(dump, indent=1))


if __name__ == "__main__":
    main()
