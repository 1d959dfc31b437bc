"""Intercoder agreement: Krippendorff's alpha, unit alignment, pairwise F1.

Pure functions over plain data (no ORM), so a report is reproducible from a
snapshot and the arithmetic can be checked against published figures.

Alpha is computed from a coincidence matrix (Krippendorff 2011, "Computing
Krippendorff's alpha-reliability"): each unit with m >= 2 values contributes
every ordered pair of values from different coders with weight 1 / (m - 1).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

DEFAULT_THETA = 0.5
RELIABLE = 0.800
TENTATIVE = 0.667
MIN_UNITS = 20
MIN_PREVALENCE = 0.05


# --------------------------------------------------------------------------- alpha


def nominal_distance(a: Hashable, b: Hashable) -> float:
    return 0.0 if a == b else 1.0


def masi_distance(a: frozenset, b: frozenset) -> float:
    """Passonneau's MASI distance between two label sets (as NLTK defines it)."""
    if a == b:
        return 0.0
    union = len(a | b)
    inter = len(a & b)
    if a <= b or b <= a:
        monotonicity = 2 / 3
    elif inter:
        monotonicity = 1 / 3
    else:
        monotonicity = 0.0
    return 1.0 - (inter / union) * monotonicity


def coincidences(units: Iterable[Iterable[Hashable | None]]) -> dict[tuple, float]:
    """The coincidence matrix o[c, k] of reliability data, one row per unit.

    A unit is the sequence of the values its coders gave it; None is missing.
    Units with fewer than two values are not pairable and contribute nothing.
    """
    matrix: dict[tuple, float] = defaultdict(float)
    for unit in units:
        counts = Counter(v for v in unit if v is not None)
        m = sum(counts.values())
        if m < 2:
            continue
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nc - 1) if c == k else nc * nk
                if pairs:
                    matrix[(c, k)] += pairs / (m - 1)
    return matrix


def alpha_from_coincidences(
    matrix: Mapping[tuple, float],
    distance: Callable[[Hashable, Hashable], float] = nominal_distance,
) -> float | None:
    marginals: dict[Hashable, float] = defaultdict(float)
    for (c, _k), o in matrix.items():
        marginals[c] += o
    n = sum(marginals.values())
    if n <= 1:
        return None
    observed = sum(o * distance(c, k) for (c, k), o in matrix.items())
    values = list(marginals)
    expected = sum(
        marginals[c] * marginals[k] * distance(c, k) for c in values for k in values if c != k
    )
    if expected == 0:
        # Every value the same: D_e = 0 and alpha is undefined, not perfect.
        return None
    return 1.0 - (n - 1) * observed / expected


def krippendorff_alpha(
    units: Iterable[Iterable[Hashable | None]],
    distance: Callable[[Hashable, Hashable], float] = nominal_distance,
) -> float | None:
    """Krippendorff's alpha of reliability data given unit by unit."""
    return alpha_from_coincidences(coincidences(units), distance)


# ------------------------------------------------------------- character level


@dataclass(frozen=True)
class Span:
    """One coder's annotation: [start, end) of the canonical text with its stances."""

    coder: str
    start: int
    end: int
    stances: frozenset = frozenset()
    id: Hashable = None
    note: str = ""


@dataclass
class ArticleCoding:
    """What the coders of one article gave: `coders` are those whose coding counts
    (submitted, or sharing in a project that is not blind); the rest are missing."""

    key: str
    length: int
    coders: list[str]
    spans: list[Span] = field(default_factory=list)


@dataclass
class BinaryTally:
    """Sufficient statistics of binary character data: alpha adds over articles."""

    pairable: int = 0  # n: values in units with at least two coders
    ones: int = 0  # n_1
    disagreement: float = 0.0  # o_01

    def add(self, other: BinaryTally) -> None:
        self.pairable += other.pairable
        self.ones += other.ones
        self.disagreement += other.disagreement

    @property
    def alpha(self) -> float | None:
        n, ones = self.pairable, self.ones
        zeros = n - ones
        if n <= 1 or ones == 0 or zeros == 0:
            return None
        return 1.0 - (n - 1) * self.disagreement / (zeros * ones)

    @property
    def prevalence(self) -> float | None:
        return self.ones / self.pairable if self.pairable else None


def _merged(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(intervals):
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1][1] = e
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def character_tally(
    length: int,
    coders: Sequence[str],
    spans: Iterable[Span],
    stance: Hashable | None = None,
    within: Sequence[tuple[int, int]] | None = None,
) -> BinaryTally:
    """Binary character data of one article: position i is 1 for coder c when one of
    c's spans (carrying `stance`, when given) covers it. Coverage only changes at span
    boundaries, so the positions are taken segment by segment, not one by one."""
    m = len(coders)
    tally = BinaryTally()
    if m < 2 or length <= 0:
        return tally
    wanted = set(coders)
    by_coder: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for span in spans:
        if span.coder in wanted and (stance is None or stance in span.stances):
            s, e = max(0, span.start), min(length, span.end)
            if s < e:
                by_coder[span.coder].append((s, e))
    delta: dict[int, int] = defaultdict(int)
    for intervals in by_coder.values():
        for s, e in _merged(intervals):
            delta[s] += 1
            delta[e] -= 1
    tally.pairable = m * length
    covered = 0
    ones = 0
    disagreement = 0.0
    previous = 0
    for position in sorted(delta):
        if covered and position > previous:
            width = position - previous
            ones += width * covered
            disagreement += width * covered * (m - covered) / (m - 1)
        covered += delta[position]
        previous = position
    tally.ones = ones
    tally.disagreement = disagreement
    return tally


def pooled_character_alpha(
    articles: Iterable[ArticleCoding],
    stance: Hashable | None = None,
    coders: Sequence[str] | None = None,
) -> BinaryTally:
    """Character tallies summed over articles; a coder who did not code an article
    is missing for its positions (restrict to `coders` when given)."""
    total = BinaryTally()
    for article in articles:
        present = [c for c in article.coders if coders is None or c in coders]
        total.add(character_tally(article.length, present, article.spans, stance))
    return total


# ----------------------------------------------------------------------- units


def iou(a: Span, b: Span) -> float:
    inter = min(a.end, b.end) - max(a.start, b.start)
    if inter <= 0:
        return 0.0
    union = max(a.end, b.end) - min(a.start, b.start)
    return inter / union


def _overlapping_pairs(spans: Sequence[Span]) -> Iterable[tuple[int, int]]:
    order = sorted(range(len(spans)), key=lambda i: (spans[i].start, spans[i].end))
    active: list[int] = []
    for i in order:
        s = spans[i]
        active = [j for j in active if spans[j].end > s.start]
        for j in active:
            if spans[j].coder != s.coder:
                yield j, i
        active.append(i)


@dataclass
class Unit:
    id: int
    spans: dict[str, Span]  # coder -> their span in this unit

    @property
    def start(self) -> int:
        return min(s.start for s in self.spans.values())

    @property
    def end(self) -> int:
        return max(s.end for s in self.spans.values())

    def agrees(self, coders: Sequence[str], theta: float) -> bool:
        """Every coder has a version, with the same stances, pairwise IoU >= theta."""
        if any(c not in self.spans for c in coders) or len(self.spans) < 2:
            return False
        versions = list(self.spans.values())
        if len({v.stances for v in versions}) != 1:
            return False
        return all(iou(a, b) >= theta for a, b in combinations(versions, 2))


def align_units(spans: Sequence[Span], theta: float = DEFAULT_THETA) -> list[Unit]:
    """Group spans of different coders into units: candidate pairs in descending IoU,
    linked when IoU >= theta and the two groups share no coder (union-find); every
    span left over is a unit of its own. Units come back in text order."""
    spans = list(spans)
    parent = list(range(len(spans)))
    members: dict[int, set[str]] = {i: {s.coder} for i, s in enumerate(spans)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    candidates = []
    for i, j in _overlapping_pairs(spans):
        score = iou(spans[i], spans[j])
        if score >= theta:
            candidates.append((-score, spans[i].start, spans[j].start, min(i, j), max(i, j)))
    candidates.sort()
    for _score, _si, _sj, i, j in candidates:
        ri, rj = find(i), find(j)
        if ri == rj or members[ri] & members[rj]:
            continue
        parent[rj] = ri
        members[ri] |= members.pop(rj)

    groups: dict[int, dict[str, Span]] = defaultdict(dict)
    for i, span in enumerate(spans):
        groups[find(i)][span.coder] = span
    ordered = sorted(
        groups.values(),
        key=lambda g: (min(s.start for s in g.values()), max(s.end for s in g.values())),
    )
    return [Unit(id=n + 1, spans=g) for n, g in enumerate(ordered)]


def unit_stance_data(units: Sequence[Unit], coders: Sequence[str], stance: Hashable) -> list[list]:
    """Per unit, each coder's value for one stance: 1 / 0 when they have a version in
    the unit, missing (None) when they have not."""
    return [
        [(1 if stance in u.spans[c].stances else 0) if c in u.spans else None for c in coders]
        for u in units
    ]


def unit_label_sets(units: Sequence[Unit], coders: Sequence[str]) -> list[list]:
    return [[u.spans[c].stances if c in u.spans else None for c in coders] for u in units]


def units_used(units: Sequence[Unit], coders: Sequence[str]) -> int:
    return sum(1 for u in units if sum(1 for c in coders if c in u.spans) >= 2)


# -------------------------------------------------------------------- pairwise


def span_f1(a: Sequence[Span], b: Sequence[Span], theta: float = DEFAULT_THETA) -> float | None:
    """F1 of two coders' spans, a match being a one-to-one pair with IoU >= theta
    (greedy in descending IoU). None when neither has a span."""
    if not a and not b:
        return None
    pairs = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if x.end > y.start and y.end > x.start:
                score = iou(x, y)
                if score >= theta:
                    pairs.append((-score, i, j))
    pairs.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    for _score, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return 2 * len(used_a) / (len(a) + len(b))


# ---------------------------------------------------------------------- report


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def band(alpha: float | None) -> str:
    if alpha is None:
        return "undefined"
    if alpha >= RELIABLE:
        return "reliable"
    if alpha >= TENTATIVE:
        return "tentative"
    return "unreliable"


def _warning(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def article_report(
    article: ArticleCoding, stances: Sequence[str], theta: float = DEFAULT_THETA
) -> dict:
    """The agreement of one article, in the shape the `agreement` command prints."""
    coders = list(article.coders)
    spans = [s for s in article.spans if s.coder in coders]
    units = align_units(spans, theta)
    used = units_used(units, coders)
    any_tally = character_tally(article.length, coders, spans)
    stance_rows = {}
    for stance in stances:
        tally = character_tally(article.length, coders, spans, stance)
        stance_rows[stance] = {
            "alpha_chars": _round(tally.alpha),
            "alpha_units": _round(krippendorff_alpha(unit_stance_data(units, coders, stance))),
            "units_used": used,
            "units_total": len(units),
        }
    by_coder: dict[str, list[Span]] = {c: [] for c in coders}
    for s in spans:
        by_coder[s.coder].append(s)
    pairwise = {}
    for a, b in combinations(coders, 2):
        pairwise[f"{a}|{b}"] = {
            "span_f1": _round(span_f1(by_coder[a], by_coder[b], theta)),
            "alpha_chars_any": _round(character_tally(article.length, [a, b], spans).alpha),
        }
    return {
        "article": article.key,
        "coders": coders,
        "characters": article.length,
        "any_claim": {"alpha_chars": _round(any_tally.alpha)},
        "stances": stance_rows,
        "label_set_alpha_masi": _round(
            krippendorff_alpha(unit_label_sets(units, coders), masi_distance)
        ),
        "pairwise": pairwise,
        "warnings": warnings(article.length, coders, spans, units, stances, any_tally),
    }


def warnings(
    length: int,
    coders: Sequence[str],
    spans: Sequence[Span],
    units: Sequence[Unit],
    stances: Sequence[str],
    any_tally: BinaryTally,
) -> list[dict[str, str]]:
    out = []
    if len(coders) < 2:
        out.append(_warning("few_coders", "fewer than two coders: no agreement can be measured"))
    used = units_used(units, coders)
    if used < MIN_UNITS:
        out.append(
            _warning(
                "few_units",
                f"only {used} units coded by two or more coders (fewer than {MIN_UNITS})",
            )
        )
    having = {s.coder for s in spans}
    for c in coders:
        if c not in having:
            out.append(_warning("coder_without_annotations", f"{c} has no annotations"))
    for stance in stances:
        users = {s.coder for s in spans if stance in s.stances}
        if len(users) == 1:
            out.append(
                _warning(
                    "stance_one_coder", f"{stance} is used by one coder only ({next(iter(users))})"
                )
            )
    prevalence = any_tally.prevalence
    if prevalence is not None and prevalence < MIN_PREVALENCE:
        out.append(
            _warning(
                "low_prevalence",
                f"claims cover {prevalence:.1%} of the coded characters (under {MIN_PREVALENCE:.0%}): "
                "alpha is unstable",
            )
        )
    boundary = boundary_share(length, coders, units)
    if boundary is not None and boundary > 0.5:
        out.append(
            _warning(
                "mostly_boundaries",
                f"{boundary:.0%} of the character disagreement lies in units that several coders "
                "found: coders mostly disagree on where a claim begins and ends",
            )
        )
    return out


def boundary_share(length: int, coders: Sequence[str], units: Sequence[Unit]) -> float | None:
    """Share of the character disagreement that sits inside units found by two or
    more coders (boundaries), as opposed to claims only one coder marked."""
    if len(coders) < 2:
        return None
    total = 0.0
    shared = 0.0
    for unit in units:
        t = character_tally(length, coders, list(unit.spans.values())).disagreement
        total += t
        if len(unit.spans) >= 2:
            shared += t
    return shared / total if total else None


def project_report(
    articles: Sequence[ArticleCoding], stances: Sequence[str], theta: float = DEFAULT_THETA
) -> dict:
    """Pooled figures: character alpha over every article's positions (a coder who did
    not code an article is missing there), unit alpha over every article's units."""
    any_tally = pooled_character_alpha(articles)
    unit_rows: dict[str, list] = {s: [] for s in stances}
    used = 0
    total = 0
    label_sets: list[list] = []
    everyone = sorted({c for a in articles for c in a.coders})
    for article in articles:
        coders = list(article.coders)
        units = align_units([s for s in article.spans if s.coder in coders], theta)
        used += units_used(units, coders)
        total += len(units)
        for stance in stances:
            unit_rows[stance].extend(unit_stance_data(units, coders, stance))
        label_sets.extend(unit_label_sets(units, coders))
    stance_rows = {}
    for stance in stances:
        stance_rows[stance] = {
            "alpha_chars": _round(pooled_character_alpha(articles, stance).alpha),
            "alpha_units": _round(krippendorff_alpha(unit_rows[stance])),
            "units_used": used,
            "units_total": total,
        }
    pairwise = {}
    for a, b in combinations(everyone, 2):
        both = [x for x in articles if a in x.coders and b in x.coders]
        matched = 0
        count = 0
        for x in both:
            sa = [s for s in x.spans if s.coder == a]
            sb = [s for s in x.spans if s.coder == b]
            f1 = span_f1(sa, sb, theta)
            if f1 is not None:
                matched += f1 * (len(sa) + len(sb)) / 2
            count += len(sa) + len(sb)
        pairwise[f"{a}|{b}"] = {
            "span_f1": _round(2 * matched / count) if count else None,
            "alpha_chars_any": _round(pooled_character_alpha(both, coders=[a, b]).alpha),
        }
    return {
        "coders": everyone,
        "articles": len(articles),
        "characters": sum(a.length for a in articles),
        "any_claim": {"alpha_chars": _round(any_tally.alpha)},
        "stances": stance_rows,
        "label_set_alpha_masi": _round(krippendorff_alpha(label_sets, masi_distance)),
        "pairwise": pairwise,
    }


def agreement_with_gold(
    article: ArticleCoding,
    gold: Sequence[Span],
    stances: Sequence[str],
    theta: float = DEFAULT_THETA,
) -> dict[str, dict]:
    """Each coder against the gold layer: span F1 and character alpha per stance."""
    gold = [Span("gold", g.start, g.end, g.stances, g.id) for g in gold]
    out = {}
    for coder in article.coders:
        mine = [s for s in article.spans if s.coder == coder]
        both = [*mine, *gold]
        row = {
            "span_f1": _round(span_f1(mine, gold, theta)),
            "alpha_chars_any": _round(character_tally(article.length, [coder, "gold"], both).alpha),
            "stances": {
                s: _round(character_tally(article.length, [coder, "gold"], both, s).alpha)
                for s in stances
            },
        }
        out[coder] = row
    return out
