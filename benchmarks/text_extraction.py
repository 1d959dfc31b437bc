"""Measure the plain-text extractor on text scrapes and pasted pages.

Usage: python -m benchmarks.text_extraction [SET ...] [--worst N] [--ablate] [--dump PRED.json]

SET is ``dev`` (dev-text scrapes), ``dev-dragnet`` (dev-dragnet-text scrapes),
``dev-paste`` (the HTML pages of both sets copied as a browser's select-all
gives them, built into benchmarks/out/paste/ when missing) or a folder of
NAME.txt beside a ground-truth.json; default: dev dev-dragnet dev-paste.

The scored text of a page is what the reader sees as the article: the
standfirst (if any) followed by the kept segments' text (body and captions),
joined by blank lines; on dev-dragnet, whose truth holds the headline, the
title goes first (see benchmarks/extraction_sets.py). Beside it: the raw text
itself, and trafilatura.extract on the same pages' HTML, scored the same way.
Pages are imported in sorted order per source domain, and each page's
paragraphs count as seen for later pages of the same domain, so the corpus
rule ("recurs in 3 or more articles of a source") acts as it would on
sequential imports. --ablate runs every set again with each rule turned off.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import extraction_sets as sets  # noqa: E402
from benchmarks.scoring import byline_matches, date_matches, title_matches  # noqa: E402
from reader.importing import text as text_module  # noqa: E402
from reader.importing.text import paragraph_fingerprint  # noqa: E402
from reader.importing.types import Extracted  # noqa: E402


@dataclass(frozen=True)
class Unit:
    """One scored run: a set's truth with the text inputs of one kind."""

    label: str
    bench: sets.BenchSet
    folder: Path


def units(names: list[str]) -> list[Unit]:
    found = []
    for name in names:
        if name == sets.PASTE:
            from benchmarks.paste_set import ensure_paste

            for base in sets.HTML_SETS:
                found.append(Unit(f"paste/{base}", sets.SETS[base], ensure_paste(base)))
        elif name.startswith(sets.PASTE + "/"):
            from benchmarks.paste_set import ensure_paste

            base = name.split("/", 1)[1]
            found.append(Unit(f"paste/{base}", sets.SETS[base], ensure_paste(base)))
        else:
            bench = sets.resolve(name)
            folder = bench.text if bench.text.is_dir() else Path(name)
            found.append(Unit(f"text/{bench.name}", bench, folder))
    return found


def kept_text(result: Extracted) -> str:
    return "\n\n".join(html.unescape(s.html) for s in result.segments if s.kept)


def scored_text(unit: Unit, result: Extracted) -> str:
    return sets.scored(unit.bench, result.title, result.subtitle, kept_text(result))


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


def load_inputs(unit: Unit) -> tuple[dict, dict[str, str]]:
    truth = unit.bench.truth()
    inputs = {}
    for name in sorted(truth):
        path = unit.folder / f"{name}.txt"
        inputs[name] = path.read_text(encoding="utf-8") if path.exists() else ""
    return truth, inputs


def run(unit: Unit, truth: dict, inputs: dict[str, str]) -> tuple[dict[str, Extracted], float]:
    by_domain: dict[str, list[str]] = defaultdict(list)
    for name in sorted(truth):
        by_domain[domain(truth[name].get("url", ""))].append(name)
    results: dict[str, Extracted] = {}
    seconds = 0.0
    for dom in sorted(by_domain):
        memory = SourceMemory()
        for name in by_domain[dom]:
            text = inputs[name]
            began = time.perf_counter()
            try:
                result = text_module.extract_text(
                    text, source_url=truth[name].get("url", ""), recurring=memory.recurring_for(name)
                )
            except text_module.ImportFailed:
                result = Extracted()
            seconds += time.perf_counter() - began
            results[name] = result
            memory.store(name, [line for line in text.splitlines() if line.strip()])
    return results, seconds


def trafilatura_reference(bench: sets.BenchSet, truth: dict) -> dict[str, str]:
    """trafilatura.extract on the same pages' HTML, scored like the pipeline (cached)."""
    import trafilatura

    cache = sets.OUT / f"trafilatura-{bench.name}-{trafilatura.__version__}.json"
    if cache.exists():
        found = json.loads(cache.read_text(encoding="utf-8"))
    else:
        found = {}
        for name in sorted(truth):
            page = (bench.html / f"{name}.html").read_bytes().decode("utf-8", errors="replace")
            body = trafilatura.extract(page, include_comments=False) or ""
            document = trafilatura.bare_extraction(page, with_metadata=True)
            found[name] = {"title": getattr(document, "title", None) or "", "text": body}
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(found), encoding="utf-8")
    return {n: sets.scored(bench, found[n]["title"], "", found[n]["text"]) for n in truth}


def report(unit: Unit, truth: dict, inputs: dict, results: dict, seconds: float) -> float:
    preds = {name: scored_text(unit, r) for name, r in results.items()}
    print(f"== {unit.label}: {unit.folder} ({len(truth)} pages)")
    print(f"  {'system':<26} {'subset':8} {'pages':>5} {'F1':>6} {'prec':>6} {'recall':>6} {'exact':>6}")
    systems = [("pipeline (text rules)", preds), ("raw text", inputs)]
    try:
        systems.append(("trafilatura on the HTML", trafilatura_reference(unit.bench, truth)))
    except Exception as error:  # the HTML may be absent for a folder given by path
        print(f"  (no trafilatura reference: {error})")
    figure = 0.0
    for label, found in systems:
        for subset, names in sets.subsets(truth).items():
            s = sets.score(truth, found, names)
            figure = s["f1"] if label.startswith("pipeline") and subset == "all" else figure
            print(
                f"  {label:<26} {subset:8} {s['n']:>5} {s['f1']:6.3f} {s['precision']:6.3f} "
                f"{s['recall']:6.3f} {s['accuracy']:6.3f}"
            )
    titled = [n for n in truth if truth[n].get("title")]
    if titled:
        ok = sum(title_matches(truth[n]["title"], results[n].title) for n in titled)
        print(f"  title exact   {ok}/{len(titled)} = {ok / len(titled):.3f}")
        authored = [n for n in truth if truth[n].get("authors")]
        ok = sum(byline_matches(truth[n]["authors"], results[n].byline) for n in authored)
        print(f"  byline        {ok}/{len(authored)} = {ok / max(1, len(authored)):.3f}")
        dated = [n for n in truth if truth[n].get("date")]
        ok = sum(
            date_matches(
                truth[n]["date"], results[n].published.isoformat() if results[n].published else ""
            )
            for n in dated
        )
        print(f"  date          {ok}/{len(dated)} = {ok / max(1, len(dated)):.3f}")
    print(f"  speed         {len(results) / max(seconds, 1e-9):.0f} pages/s ({seconds:.2f} s extracting)")
    return figure


# ---------------------------------------------------------------- ablation

# Steps that change the outcome without naming a rule on a line: turned off by
# replacing the function with one that leaves the lines as they are.
STEPS = {
    "step:glued-teasers": ("_mark_glued_teasers", lambda paras: None),
    "step:teaser-cards-cut": ("_cut_teaser_cards", lambda paras, start, end: (start, end)),
    "step:numbered-list-extension": ("_extend_through_numbered_list", lambda paras, end: end),
}


def rule_off(rule: str):
    """A context in which the named rule never fires: a rule names each line it
    decides (Para.set), and a line rule gives way to the next one that matches."""
    if rule in STEPS:
        function, replacement = STEPS[rule]
        return sets.patched(text_module, function, replacement)
    original_set = text_module.Para.set

    def set_unless_off(self, role, name, kind="p"):
        if name != rule:
            original_set(self, role, name, kind)

    return sets.patched(text_module.Para, "set", set_unless_off)


def rule_names(results: list[dict[str, Extracted]]) -> list[str]:
    counts: Counter = Counter()
    for found in results:
        for result in found.values():
            counts.update(s.rule for s in result.segments if s.rule)
    return sorted(counts) + sorted(STEPS)


def ablate(loaded: list[tuple[Unit, dict, dict, dict]], base: dict[str, float]) -> None:
    names = rule_names([results for *_, results in loaded])
    rows = []
    for rule in names:
        figures = {}
        with rule_off(rule):
            for unit, truth, inputs, _ in loaded:
                results, _ = run(unit, truth, inputs)
                preds = {n: scored_text(unit, r) for n, r in results.items()}
                figures[unit.label] = sets.score(truth, preds)["f1"]
        rows.append((rule, figures))
    sets.print_ablation(rows, base, [unit.label for unit, *_ in loaded])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="*", default=["dev", "dev-dragnet", sets.PASTE])
    parser.add_argument("--dump", type=Path, help="write LABEL -> NAME -> {articleBody, title, …} JSON")
    parser.add_argument("--worst", type=int, default=10, help="list the N pages with lowest F1")
    parser.add_argument("--ablate", action="store_true", help="the figure with each rule off")
    args = parser.parse_args()
    loaded = []
    base = {}
    dump = {}
    for unit in units(args.sets):
        truth, inputs = load_inputs(unit)
        results, seconds = run(unit, truth, inputs)
        base[unit.label] = report(unit, truth, inputs, results, seconds)
        if args.worst:
            sets.print_worst(truth, {n: scored_text(unit, r) for n, r in results.items()}, args.worst)
        print()
        loaded.append((unit, truth, inputs, results))
        dump[unit.label] = {
            name: {
                "articleBody": scored_text(unit, r),
                "title": r.title,
                "author": r.byline,
                "date": r.published.isoformat() if r.published else "",
            }
            for name, r in results.items()
        }
    if args.ablate:
        ablate(loaded, base)
    if args.dump:
        args.dump.write_text(json.dumps(dump, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"predictions written to {args.dump}")


if __name__ == "__main__":
    main()
