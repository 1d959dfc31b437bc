"""A learned line classifier for text scrapes, against the text rules (issue 14 §4).

Usage: python -m benchmarks.line_model [--cv] [--cross-set] [--train [OUT.json]] [--folds 5]

Every line of a text scrape (the pipeline's own paragraphs, one per line) gets
boilerpipe's shallow text features (Kohlschütter et al., WSDM 2010): word
count, average word length, stop-word ratio, punctuation, digit, upper-case and
title-case ratios, whether it ends a sentence, whether it looks like a link,
its relative position, and the same for the lines before and after it.

Label: a line is body when its words are in the page's true article text:
its casefolded \\w+ tokens, joined by spaces, are a substring of the truth's
(or, for a line of 4 or more tokens, at least 80% of its token 4-grams are
in the truth's); a line of 1-3 tokens, which appears by chance in most
truths, counts only when it is found there joined with the line before or
after it. Lines without a word carry no token and are not learned.

Model: gradient-boosted depth-4 trees (80, rate 0.2) on binned features (numpy, fixed
order, no randomness), stored as JSON thresholds and leaf values, read by a
few lines of plain Python.

--cv  grouped cross-validation: pages of both sets (dev-text and
      dev-dragnet-text) are grouped by source domain and every domain falls
      in one fold, so a page is always scored by a model that saw no page of
      its site. Scored per set, like benchmarks/text_extraction.py, for:
      (a) the text rules, (b) the classifier alone on the raw lines,
      (c) rules + classifier: veto (drop a line the rules keep when the
      classifier is sure it is not body), rescue (keep a line the rules drop
      as navigation/outside-main-text when it is sure it is), and both.
--cross-set  train on one set, score the other (the harshest transfer test).
--train [OUT.json]  fit the stacked model (d) on all pages of both sets and
      write it (default reader/importing/line_model.json, what the import reads).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks import extraction_sets as sets  # noqa: E402
from benchmarks import text_extraction as bench  # noqa: E402
from benchmarks.scoring import page_counts  # noqa: E402
from reader.importing import text as text_module  # noqa: E402
from reader.importing.line_model import (  # noqa: E402
    FEATURES,
    MODEL_PATH,
    RESCUABLE,
    RESCUE_ABOVE,
    RULE_FEATURES,
    TOKEN,
    VETO_BELOW,
    decide,
    page_features,
    predict,
    rule_features,
)
from reader.importing.types import BODY, CAPTION, CHROME  # noqa: E402

# ---------------------------------------------------------------- labels


def _norm(text: str) -> str:
    return " ".join(TOKEN.findall(text.casefold()))


def _grams(toks: list[str]) -> set[tuple[str, ...]]:
    return {tuple(toks[i : i + 4]) for i in range(len(toks) - 3)}


def labels(lines: list[str], truth: str) -> list[int]:
    """1 for a line in the true article text, 0 otherwise, -1 for a line without words."""
    padded = f" {_norm(truth)} "
    truth_grams = _grams(padded.split())
    norms = [_norm(line) for line in lines]

    def found(norm: str) -> bool:
        return f" {norm} " in padded

    found_lines = []
    for i, norm in enumerate(norms):
        toks = norm.split()
        if not toks:
            found_lines.append(-1)
        elif len(toks) >= 4:
            grams = _grams(toks)
            inside = found(norm) or sum(g in truth_grams for g in grams) >= 0.8 * len(grams)
            found_lines.append(int(inside))
        else:
            before = next((norms[j] for j in range(i - 1, -1, -1) if norms[j]), "")
            after = next((norms[j] for j in range(i + 1, len(norms)) if norms[j]), "")
            inside = found(norm) and (
                bool(before)
                and found(f"{before} {norm}")
                or bool(after)
                and found(f"{norm} {after}")
            )
            found_lines.append(int(inside))
    return found_lines


# ---------------------------------------------------------------- data


@dataclass
class Page:
    set_name: str
    name: str
    domain: str
    truth: str
    lines: list[str]
    rows: list[list[float]]
    labels: list[int]
    weights: list[float] = field(default_factory=list)
    rule_rows: list[list[float]] = field(default_factory=list)


def load_pages(set_names: list[str]) -> tuple[list[Page], dict]:
    """Pages of each set with features and labels, and the text rules' results."""
    pages: list[Page] = []
    rules = {}
    for set_name in set_names:
        unit = bench.units([set_name])[0]
        truth, inputs = bench.load_inputs(unit)
        # The rules alone: their decisions are what the classifier is measured
        # against and what the stacked model reads.
        rules_only = (
            sets.patched(text_module, "review_lines", lambda lines, segments: segments)
            if hasattr(text_module, "review_lines")
            else contextlib.nullcontext()
        )
        with rules_only:
            results, _ = bench.run(unit, truth, inputs)
        rules[set_name] = (unit, truth, results)
        for name in sorted(truth):
            text = inputs[name]
            lines = [p.text for p in text_module._paragraphs(text)] if text.strip() else []
            if len(lines) != len(results[name].segments) and results[name].segments:
                raise SystemExit(
                    f"{name}: {len(lines)} lines but {len(results[name].segments)} segments"
                )
            body = truth[name].get("articleBody", "")
            page = Page(
                set_name,
                name,
                bench.domain(truth[name].get("url", "")) or name,
                body,
                lines,
                page_features(lines),
                labels(lines, body),
            )
            # Every page weighs the same, as in the score; within a page a line weighs its tokens.
            sizes = [len(TOKEN.findall(line)) + 1 for line in lines]
            total = sum(sizes) or 1
            page.weights = [s / total for s in sizes]
            segments = results[name].segments
            page.rule_rows = [rule_features(seg) for seg in segments] or [[0.0] * 5 for _ in lines]
            pages.append(page)
    return pages, rules


def grouped_folds(pages: list[Page], k: int) -> list[int]:
    """Fold of each page: whole domains, largest first, into the fold with fewest pages."""
    by_domain: dict[str, list[int]] = defaultdict(list)
    for i, page in enumerate(pages):
        by_domain[page.domain].append(i)
    sizes = [0] * k
    fold = [0] * len(pages)
    for dom in sorted(by_domain, key=lambda d: (-len(by_domain[d]), d)):
        f = min(range(k), key=lambda j: (sizes[j], j))
        for i in by_domain[dom]:
            fold[i] = f
        sizes[f] += len(by_domain[dom])
    return fold


# ---------------------------------------------------------------- model


@dataclass
class Params:
    trees: int = 80
    depth: int = 4
    rate: float = 0.2
    bins: int = 32
    l2: float = 1.0
    min_hess: float = 1e-3
    per_page: bool = False  # True: every page weighs the same, whatever its set


def rows_of(page: Page, with_rules: bool) -> list[list[float]]:
    if with_rules:
        return [row + rule for row, rule in zip(page.rows, page.rule_rows, strict=True)]
    return page.rows


def fit(pages: list[Page], params: Params | None = None, *, with_rules: bool = False) -> dict:
    """Gradient-boosted trees (log loss) on binned features; returns the JSON model."""
    import numpy as np

    params = params or Params()
    X = np.array(
        [r for p in pages for r, y in zip(rows_of(p, with_rules), p.labels, strict=True) if y >= 0],
        dtype=np.float64,
    )
    y = np.array([y for p in pages for y in p.labels if y >= 0], dtype=np.float64)
    # Each set weighs the same in all (dev has 151 pages, dev-dragnet 938): the
    # figures are read per set, and a model fitted to the larger set's truth
    # (which holds headline and byline lines) costs the other.
    per_set = Counter(p.set_name for p in pages)
    share = {
        s: 1.0 if params.per_page else len(pages) / (len(per_set) * k) for s, k in per_set.items()
    }
    w = np.array(
        [
            wt * share[p.set_name]
            for p in pages
            for wt, y in zip(p.weights, p.labels, strict=True)
            if y >= 0
        ],
        dtype=np.float64,
    )
    w *= len(w) / w.sum()
    n, m = X.shape
    # Bin edges from quantiles; a value goes left when x <= edge.
    edges = []
    binned = np.zeros((m, n), dtype=np.int64)  # one contiguous row per feature
    for j in range(m):
        qs = np.unique(np.quantile(X[:, j], np.linspace(0, 1, params.bins + 1)[1:-1]))
        edges.append(qs)
        binned[j] = np.searchsorted(qs, X[:, j], side="left")
    nb = params.bins
    prior = float(np.log((w * y).sum() / (w * (1 - y)).sum()))
    score = np.full(n, prior)
    trees = []
    for _ in range(params.trees):
        p = 1.0 / (1.0 + np.exp(-score))
        g = w * (p - y)
        h = w * p * (1 - p)
        node = np.zeros(n, dtype=np.int64)  # heap index within the level
        tree_nodes: list = []  # per level: list of (feature, edge) or None
        for level in range(params.depth):
            width = 1 << level
            splits = []
            best_gain = np.full(width, -np.inf)
            best = [None] * width
            G_node = np.bincount(node, weights=g, minlength=width)
            H_node = np.bincount(node, weights=h, minlength=width)
            parent = G_node**2 / (H_node + params.l2)
            base = node * nb
            for j in range(m):
                key = base + binned[j]
                G = np.bincount(key, weights=g, minlength=width * nb).reshape(width, nb)
                H = np.bincount(key, weights=h, minlength=width * nb).reshape(width, nb)
                GL, HL = np.cumsum(G, axis=1)[:, :-1], np.cumsum(H, axis=1)[:, :-1]
                GR, HR = G_node[:, None] - GL, H_node[:, None] - HL
                gain = GL**2 / (HL + params.l2) + GR**2 / (HR + params.l2) - parent[:, None]
                gain[(HL < params.min_hess) | (HR < params.min_hess)] = -np.inf
                b = gain.argmax(axis=1)
                gb = gain[np.arange(width), b]
                for t in range(width):
                    if gb[t] > best_gain[t] and b[t] < len(edges[j]):
                        best_gain[t] = gb[t]
                        best[t] = (j, int(b[t]))
            new_node = node * 2
            for t in range(width):
                if best[t] is None or not np.isfinite(best_gain[t]) or best_gain[t] <= 0:
                    splits.append(None)
                    continue  # every sample goes left
                j, b = best[t]
                splits.append((j, float(edges[j][b])))
                mask = (node == t) & (binned[j] > b)
                new_node[mask] += 1
            tree_nodes.append(splits)
            node = new_node
        leaves = 1 << params.depth
        G_leaf = np.bincount(node, weights=g, minlength=leaves)
        H_leaf = np.bincount(node, weights=h, minlength=leaves)
        values = -params.rate * G_leaf / (H_leaf + params.l2)
        score += values[node]
        trees.append({"splits": tree_nodes, "leaves": [round(float(v), 6) for v in values]})
    for tree in trees:
        tree["splits"] = [
            [None if s is None else [s[0], round(s[1], 6)] for s in level]
            for level in tree["splits"]
        ]
    names = list(FEATURES) + (list(RULE_FEATURES) if with_rules else [])
    return {"features": names, "prior": round(prior, 6), "trees": trees}


# ---------------------------------------------------------------- scoring


def classifier_text(page: Page, probs: list[float], threshold: float = 0.5) -> str:
    return "\n\n".join(line for line, p in zip(page.lines, probs, strict=True) if p >= threshold)


def combined(result, probs: list[float], *, veto: float | None, rescue: float | None):
    """The rules' result with the classifier deciding where it is sure."""
    from dataclasses import replace

    if not result.segments:
        return result
    segments = []
    for seg, p in zip(result.segments, probs, strict=True):
        if veto is not None and seg.role == BODY and p < veto:
            seg = replace(seg, role=CHROME, rule="line-classifier")
        elif rescue is not None and seg.role == CHROME and seg.rule in RESCUABLE and p > rescue:
            seg = replace(seg, role=BODY, rule="line-classifier")
        segments.append(seg)
    return replace(result, segments=segments)


def stacked(result, probs: list[float], threshold: float = 0.5):
    """The rules' result with every body or dropped line decided by the stacked model."""
    from dataclasses import replace

    if not result.segments:
        return result
    segments = []
    for seg, p in zip(result.segments, probs, strict=True):
        if seg.role in (BODY, CAPTION) and p < threshold:
            seg = replace(seg, role=CHROME, rule="line-classifier")
        elif seg.role == CHROME and p >= threshold:
            seg = replace(seg, role=BODY, rule="line-classifier")
        segments.append(seg)
    return replace(result, segments=segments)


def reviewed(page: Page, result, probs: list[float]):
    """What the import does (reader.importing.line_model.decide), on a copy of the rules' result."""
    from dataclasses import replace

    segments = [replace(s) for s in result.segments]
    if segments:
        decide(page.lines, segments, probs)
    return replace(result, segments=segments)


def systems_for(page: Page, unit, result, probs: list[float], stacked_probs=None) -> dict[str, str]:
    bench_set = unit.bench
    found = {
        "(a) rules": bench.scored_text(unit, result),
        "(b) classifier alone": sets.scored(bench_set, "", "", classifier_text(page, probs)),
        f"(c1) rules, classifier veto <{VETO_BELOW}": bench.scored_text(
            unit, combined(result, probs, veto=VETO_BELOW, rescue=None)
        ),
        f"(c2) rules, classifier rescue >{RESCUE_ABOVE}": bench.scored_text(
            unit, combined(result, probs, veto=None, rescue=RESCUE_ABOVE)
        ),
        "(c3) rules, veto + rescue": bench.scored_text(
            unit, combined(result, probs, veto=VETO_BELOW, rescue=RESCUE_ABOVE)
        ),
    }
    if stacked_probs is not None:
        found["(d) stacked: rules' decision as features"] = bench.scored_text(
            unit, stacked(result, stacked_probs)
        )
        found[f"(d2) stacked, only if <{VETO_BELOW} or >{RESCUE_ABOVE} [import]"] = (
            bench.scored_text(unit, reviewed(page, result, stacked_probs))
        )
    return found


def oracle_text(page: Page) -> str:
    return "\n\n".join(line for line, y in zip(page.lines, page.labels, strict=True) if y == 1)


def report(
    pages: list[Page], probs: dict, rules: dict, title: str, stacked_probs: dict | None = None
):
    print(f"== {title}")
    figures: dict[str, dict[str, dict]] = {}
    for set_name, (unit, truth, results) in rules.items():
        preds: dict[str, dict[str, str]] = defaultdict(dict)
        for page in pages:
            if page.set_name != set_name or (set_name, page.name) not in probs:
                continue
            key = (set_name, page.name)
            found = systems_for(
                page, unit, results[page.name], probs[key], stacked_probs and stacked_probs[key]
            )
            for system, text in found.items():
                preds[system][page.name] = text
            preds["label oracle (upper bound)"][page.name] = sets.scored(
                unit.bench, "", "", oracle_text(page)
            )
        names = sorted(preds["(a) rules"])
        figures[set_name] = {s: sets.score(truth, found, names) for s, found in preds.items()}
        base = [page_counts(truth[n].get("articleBody", ""), preds["(a) rules"][n]) for n in names]
        for system, found in preds.items():
            mine = [page_counts(truth[n].get("articleBody", ""), found[n]) for n in names]
            figures[set_name][system]["delta"] = paired_bootstrap(base, mine)
    print(
        f"  {'system':<44}"
        + "".join(f" {s + ' F1':>16} {'P':>6} {'R':>6} {'vs rules [95%]':>25}" for s in figures)
    )
    systems = list(next(iter(figures.values())))
    for system in systems:
        cells = ""
        for f in figures.values():
            lo, hi = f[system]["delta"]
            delta = f[system]["f1"] - f["(a) rules"]["f1"]
            cells += (
                f" {f[system]['f1']:>16.4f} {f[system]['precision']:>6.3f}"
                f" {f[system]['recall']:>6.3f} {f'{delta:+.4f} [{lo:+.4f}, {hi:+.4f}]':>25}"
            )
        print(f"  {system:<44}{cells}")
    print("  pages: " + ", ".join(f"{s} {f['(a) rules']['n']}" for s, f in figures.items()))
    return figures


def paired_bootstrap(base: list, other: list, rounds: int = 1000) -> tuple[float, float]:
    """95% interval of F1(other) - F1(base) over pages resampled together (fixed seed)."""
    import numpy as np

    def prf(counts, idx):
        c = np.array(counts)[idx]  # rounds x pages x (tp, fp, fn)
        tp, fp, fn = c[..., 0], c[..., 1], c[..., 2]
        clean = (fp == 0) & (fn == 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            p = np.where(clean, 1.0, tp / (tp + fp))
            r = np.where(clean, 1.0, tp / (tp + fn))
        p_ok, r_ok = (tp + fp) > 0, (tp + fn) > 0
        pm = np.where(p_ok, p, 0).sum(1) / np.maximum(p_ok.sum(1), 1)
        rm = np.where(r_ok, r, 0).sum(1) / np.maximum(r_ok.sum(1), 1)
        return np.where(pm + rm > 0, 2 * pm * rm / np.maximum(pm + rm, 1e-12), 0)

    idx = np.random.default_rng(14).integers(0, len(base), size=(rounds, len(base)))
    diff = prf(other, idx) - prf(base, idx)
    return float(np.quantile(diff, 0.025)), float(np.quantile(diff, 0.975))


def sensitivity(pages, probs, rules) -> None:
    """F1 over a grid of thresholds: a diagnostic, not a choice (they are fixed above)."""
    print("  threshold sensitivity (not used to choose; the thresholds above were fixed first):")
    for set_name, (unit, truth, results) in rules.items():
        mine = [p for p in pages if p.set_name == set_name]
        names = sorted(p.name for p in mine)
        row = []
        for t in (0.3, 0.5, 0.7):
            found = {
                p.name: sets.scored(
                    unit.bench, "", "", classifier_text(p, probs[(set_name, p.name)], t)
                )
                for p in mine
            }
            row.append(f"alone@{t} {sets.score(truth, found, names)['f1']:.4f}")
        for v in (0.02, 0.05, 0.2):
            found = {
                p.name: bench.scored_text(
                    unit, combined(results[p.name], probs[(set_name, p.name)], veto=v, rescue=None)
                )
                for p in mine
            }
            row.append(f"veto<{v} {sets.score(truth, found, names)['f1']:.4f}")
        for r in (0.8, 0.95, 0.98):
            found = {
                p.name: bench.scored_text(
                    unit, combined(results[p.name], probs[(set_name, p.name)], veto=None, rescue=r)
                )
                for p in mine
            }
            row.append(f"rescue>{r} {sets.score(truth, found, names)['f1']:.4f}")
        print(f"    {set_name:<12} " + "  ".join(row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cv", action="store_true", help="grouped cross-validation (default)")
    parser.add_argument(
        "--cross-set", action="store_true", help="train on one set, score the other"
    )
    parser.add_argument(
        "--train",
        type=Path,
        nargs="?",
        const=MODEL_PATH,
        help="fit the stacked model on both sets and write it (default: what the import reads)",
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--trees", type=int, default=Params.trees)
    parser.add_argument(
        "--per-page", action="store_true", help="weigh every page the same, not every set"
    )
    args = parser.parse_args()
    if not (args.cv or args.cross_set or args.train):
        args.cv = True
    params = Params(trees=args.trees, per_page=args.per_page)
    began = time.perf_counter()
    pages, rules = load_pages(["dev", "dev-dragnet"])
    learned = sum(1 for p in pages for y in p.labels if y >= 0)
    body = sum(1 for p in pages for y in p.labels if y == 1)
    print(
        f"{len(pages)} pages, {learned} lines with words ({body} body), "
        f"{len({p.domain for p in pages})} domains; {len(FEATURES)} features; "
        f"loaded in {time.perf_counter() - began:.0f} s"
    )
    if args.cv:
        fold = grouped_folds(pages, args.folds)
        probs: dict[tuple[str, str], list[float]] = {}
        stacked_probs: dict[tuple[str, str], list[float]] = {}
        for f in range(args.folds):
            train = [p for p, k in zip(pages, fold, strict=True) if k != f]
            test = [p for p, k in zip(pages, fold, strict=True) if k == f]
            assert not {p.domain for p in train} & {p.domain for p in test}
            t0 = time.perf_counter()
            model = fit(train, params)
            stack = fit(train, params, with_rules=True)
            for page in test:
                probs[(page.set_name, page.name)] = predict(model, page.rows)
                stacked_probs[(page.set_name, page.name)] = predict(stack, rows_of(page, True))
            print(
                f"  fold {f}: {len(train)} training pages, {len(test)} held out, {time.perf_counter() - t0:.0f} s"
            )
        title = f"grouped {args.folds}-fold CV by source domain, both sets pooled"
        report(pages, probs, rules, title, stacked_probs)
        sensitivity(pages, probs, rules)
    if args.cross_set:
        probs, stacked_probs = {}, {}
        for train_set, test_set in (("dev", "dev-dragnet"), ("dev-dragnet", "dev")):
            train = [p for p in pages if p.set_name == train_set]
            model, stack = fit(train, params), fit(train, params, with_rules=True)
            for page in pages:
                if page.set_name == test_set:
                    probs[(test_set, page.name)] = predict(model, page.rows)
                    stacked_probs[(test_set, page.name)] = predict(stack, rows_of(page, True))
        report(pages, probs, rules, "cross-set: trained on the other set only", stacked_probs)
    if args.train:
        model = fit(pages, params, with_rules=True)
        model["trained_on"] = "dev-text + dev-dragnet-text (benchmarks/line_model.py --train)"
        args.train.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
        t0 = time.perf_counter()
        model = json.loads(args.train.read_text(encoding="utf-8"))
        loaded = time.perf_counter() - t0
        t0 = time.perf_counter()
        for page in pages:
            predict(model, rows_of(page, True))
        per_page = (time.perf_counter() - t0) / len(pages)
        print(
            f"model written to {args.train} ({args.train.stat().st_size} bytes): "
            f"loads in {loaded * 1000:.1f} ms, predicts a page in {per_page * 1000:.2f} ms"
        )


if __name__ == "__main__":
    main()
