"""The article-extraction-benchmark metric: token 4-gram shingles, per-page
weighting, corpus precision/recall means, F1 of the means. Same definition as
../shared/tools/score_extraction.py (checked by tests/test_scoring.py)."""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping

TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str | None) -> list[str]:
    return TOKEN.findall(text or "")


def shingles(text: str | None, n: int = 4) -> Counter:
    toks = tokens(text)
    if not toks:
        return Counter()
    if len(toks) < n:
        return Counter([tuple(toks)])
    return Counter(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))


def page_counts(true: str, pred: str) -> tuple[float, float, float]:
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    total = tp + fp + fn
    if total:
        return tp / total, fp / total, fn / total
    return 0.0, 0.0, 0.0


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return 0.0 if tp == 0 and fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return 0.0 if tp == 0 and fn == 0 else tp / (tp + fn)


def corpus_prf(counts: Iterable[tuple[float, float, float]]) -> tuple[float, float, float]:
    counts = list(counts)
    ps = [_precision(*c) for c in counts if c[0] + c[1] > 0]
    rs = [_recall(*c) for c in counts if c[0] + c[2] > 0]
    p = statistics.mean(ps) if ps else 0.0
    r = statistics.mean(rs) if rs else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score_bodies(truth: Mapping[str, str], preds: Mapping[str, str]) -> dict:
    """truth and preds map page name -> body text; missing predictions count as empty."""
    names = sorted(truth)
    counts = [page_counts(truth[n], preds.get(n) or "") for n in names]
    exact = [tokens(truth[n]) == tokens(preds.get(n) or "") for n in names]
    p, r, f = corpus_prf(counts)
    return {
        "n": len(names),
        "f1": f,
        "precision": p,
        "recall": r,
        "accuracy": sum(exact) / len(exact) if exact else 0.0,
    }


def _norm(s: str | None) -> str:
    s = (s or "").casefold()
    s = re.sub(r"[\u2018\u2019\u201c\u201d'\"`]", "", s)
    return re.sub(r"\s+", " ", s).strip()


def _day(s: str | None) -> dt.date | None:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", s or "")
    return dt.date(*map(int, m.groups())) if m else None


def title_matches(truth: str, found: str | None) -> bool:
    return _norm(truth) == _norm(found)


def byline_matches(authors: list[str], found: str | None) -> bool:
    return any(_norm(a) in _norm(found) for a in authors)


def date_matches(truth: str, found: str | None) -> bool:
    return _day(truth) is not None and _day(truth) == _day(found)
