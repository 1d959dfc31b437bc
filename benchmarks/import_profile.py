"""Where the HTML import's time goes: each stage's share of the whole pipeline.

Usage (from the project root):
    .venv/bin/python benchmarks/import_profile.py [--repeat 2]

Runs ``prepare_text(kind="html")`` over ../shared/extraction-bench/dev with
each stage timed in place (wall clock, no profiler), then plain
``trafilatura.extract`` over the same pages, and prints milliseconds a page
for each. trafilatura's own extraction is ``bare_extraction``; everything
else is the pipeline's: the page's parse, metadata, the walk that lists the
page's other blocks for the cleaning report, the cleanup rules, sanitizing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import benchenv  # noqa: E402

STAGES = {
    "reader.importing.html": (
        "load_html",
        "read_page_meta",
        "body_segments",
        "mark_metadata_segments",
        "clean_body",
        "_unlinked_words",
        "chrome_segments",
    ),
    "reader.importing.pipeline": ("_report_text",),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    benchenv.setup_django("sqlite", "stance_bench")

    import importlib

    import trafilatura

    from reader.importing import html, pipeline
    from reader.importing.types import ImportFailed

    spent: Counter[str] = Counter()

    def timed(owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            began = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - began

        setattr(owner, name, wrapper)

    for module_name, names in STAGES.items():
        module = importlib.import_module(module_name)
        for name in names:
            timed(module, name, name)
    timed(html.trafilatura, "bare_extraction", "trafilatura bare_extraction")
    timed(html.PageMeta, "fill_from_tree", "fill_from_tree (metadata heuristics)")
    timed(pipeline.sanitize, "build_body", "sanitize.build_body (bleach, normalise)")

    folder = benchenv.PROJECT_ROOT.parent / "shared" / "extraction-bench" / "dev"
    pages = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.html"))]
    whole = plain = 0.0
    for _ in range(args.repeat):
        for page in pages:
            began = time.perf_counter()
            try:
                pipeline.prepare_text(page, kind="html")
            except ImportFailed:
                pass
            whole += time.perf_counter() - began
            began = time.perf_counter()
            trafilatura.extract(page)
            plain += time.perf_counter() - began
    count = len(pages) * args.repeat
    print(f"{len(pages)} pages × {args.repeat}; milliseconds a page")
    print(f"  whole pipeline (prepare_text)             {whole / count * 1000:7.2f}")
    for label, seconds in spent.most_common():
        print(f"    {label:<40}{seconds / count * 1000:7.2f}  {seconds / whole:6.1%}")
    rest = whole - sum(spent.values())
    print(f"    {'the rest':<40}{rest / count * 1000:7.2f}  {rest / whole:6.1%}")
    print(f"  plain trafilatura.extract                 {plain / count * 1000:7.2f}")
    print(f"  pipeline / plain speed: {plain / whole:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
