"""The extraction bench's development sets, and what the extraction benchmarks
share: which folders a set name means, how a page's text is scored on each
set, the worst pages, and the figure with one rule turned off.

Sets (all read by relative path from ../shared/extraction-bench/, never copied):

* ``dev``          151 news pages (aeb + fundus); truth is the article body.
* ``dev-dragnet``  938 pages of 2012 news and blogs; truth also holds the
  headline and byline lines, so a system's title and standfirst are scored
  with its text (``title + "\\n" + standfirst + "\\n" + text``, SOURCE.md).
* ``dev-paste`` (text benchmark only) the HTML pages of both sets as a
  select-all copy gives them: ``document.body.innerText`` in Chromium with
  JavaScript off and no network, generated once into benchmarks/out/paste/
  (git-ignored) by benchmarks/paste_set.py.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from benchmarks.scoring import page_counts, score_bodies

PROJECT_ROOT = Path(__file__).resolve().parents[1]
BENCH = PROJECT_ROOT.parent / "shared" / "extraction-bench"
OUT = PROJECT_ROOT / "benchmarks" / "out"


@dataclass(frozen=True)
class BenchSet:
    name: str
    html: Path  # NAME.html pages and ground-truth.json
    text: Path  # NAME.txt text scrapes of the same pages
    titled_truth: bool  # the truth holds the headline and byline lines

    def truth(self) -> dict[str, dict]:
        return json.loads((self.html / "ground-truth.json").read_text(encoding="utf-8"))


SETS = {
    "dev": BenchSet("dev", BENCH / "dev", BENCH / "dev-text", titled_truth=False),
    "dev-dragnet": BenchSet(
        "dev-dragnet", BENCH / "dev-dragnet", BENCH / "dev-dragnet-text", titled_truth=True
    ),
}
HTML_SETS = tuple(SETS)
PASTE = "dev-paste"


def paste_folder(base: str) -> Path:
    return OUT / "paste" / base


def resolve(name: str) -> BenchSet:
    """A set by name, or a folder of NAME.html pages with its ground-truth.json."""
    if name in SETS:
        return SETS[name]
    folder = Path(name)
    titled = "dragnet" in folder.name
    text = folder.with_name(folder.name + "-text")
    return BenchSet(folder.name, folder, text, titled_truth=titled)


def scored(bench: BenchSet, title: str | None, subtitle: str | None, text: str) -> str:
    """What a system's output is scored as on this set."""
    if bench.titled_truth:
        return "\n".join(part for part in (title or "", subtitle or "", text) if part)
    return "\n\n".join(part for part in (subtitle or "", text) if part)


def page_f1(truth: str, pred: str) -> tuple[float, float, float]:
    tp, fp, fn = page_counts(truth, pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return (2 * p * r / (p + r) if p + r else 0.0), p, r


def subsets(truth: Mapping[str, dict]) -> dict[str, list[str]]:
    found = {"all": sorted(truth)}
    sources = sorted({v.get("source", "?") for v in truth.values()})
    if len(sources) > 1:
        for source in sources:
            found[source] = sorted(n for n, v in truth.items() if v.get("source", "?") == source)
    return found


def score(truth: Mapping[str, dict], preds: Mapping[str, str], names: list[str] | None = None):
    names = sorted(truth) if names is None else names
    return score_bodies({n: truth[n].get("articleBody", "") for n in names}, preds)


def print_worst(truth: Mapping[str, dict], preds: Mapping[str, str], n: int) -> None:
    rows = sorted(
        (*page_f1(truth[name].get("articleBody", ""), preds.get(name, "")), name)
        for name in truth
    )
    print(f"worst {n} pages:")
    for f, p, r, name in rows[:n]:
        print(f"  F1 {f:.3f}  P {p:.3f}  R {r:.3f}  {name}  {truth[name].get('url', '')}")


@contextlib.contextmanager
def patched(owner: object, name: str, value: object) -> Iterator[None]:
    original = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, original)


def print_ablation(
    rows: list[tuple[str, dict[str, float]]], base: dict[str, float], sets: list[str]
) -> None:
    """One row per rule: each set's F1 with the rule off and what the rule earns there."""
    print("per-rule contribution: F1 with the rule turned off (earns = F1 with it - without)")
    header = "".join(f" {s + ' off':>18} {'earns':>7}" for s in sets)
    print(f"  {'rule':<34}{header}")
    print(f"  {'(all rules on)':<34}" + "".join(f" {base[s]:>18.4f} {'':>7}" for s in sets))
    for rule, figures in sorted(rows, key=lambda r: -sum(base[s] - r[1][s] for s in sets)):
        cells = "".join(f" {figures[s]:>18.4f} {base[s] - figures[s]:>+7.4f}" for s in sets)
        mark = ""
        gains = [base[s] - figures[s] for s in sets]
        if any(g > 0.0005 for g in gains) and any(g < -0.0005 for g in gains):
            mark = "  <- helps one set, hurts the other"
        elif all(g < -0.0005 for g in gains):
            mark = "  <- costs on every set"
        print(f"  {rule:<34}{cells}{mark}")


Extractor = Callable[[str, dict], str]
