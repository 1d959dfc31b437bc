from __future__ import annotations

import random

import pytest
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import masi_distance as nltk_masi

from studies.agreement import (
    ArticleCoding,
    Span,
    align_units,
    article_report,
    character_tally,
    krippendorff_alpha,
    masi_distance,
    pooled_character_alpha,
    project_report,
    span_f1,
)

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C:
# 4 observers, 12 units, missing values; nominal alpha = 0.743.
KRIPPENDORFF_EXAMPLE = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


def by_unit(table: dict[str, list]) -> list[list]:
    return [list(values) for values in zip(*table.values(), strict=True)]


def test_alpha_reproduces_krippendorffs_published_example():
    assert round(krippendorff_alpha(by_unit(KRIPPENDORFF_EXAMPLE)), 3) == 0.743


def test_alpha_is_null_when_every_value_is_the_same():
    assert krippendorff_alpha([[1, 1, 1], [1, 1, None]]) is None


def test_alpha_is_one_for_perfect_agreement_and_negative_for_systematic_disagreement():
    assert krippendorff_alpha([[0, 0], [1, 1], [0, 0]]) == 1.0
    assert krippendorff_alpha([[0, 1], [1, 0], [0, 1]]) < 0


def nltk_alpha(units: list[list], distance=None) -> float:
    data = [
        (f"c{c}", f"u{u}", value)
        for u, unit in enumerate(units)
        for c, value in enumerate(unit)
        if value is not None
    ]
    task = AnnotationTask(data=data, distance=distance) if distance else AnnotationTask(data=data)
    return task.alpha()


@pytest.mark.parametrize("seed", range(12))
def test_nominal_alpha_matches_nltk_on_random_data_with_missing_values(seed):
    rng = random.Random(seed)
    coders = rng.randint(2, 6)
    units = [
        [rng.choice([None, "a", "b", "c", "a"]) for _ in range(coders)]
        for _ in range(rng.randint(10, 60))
    ]
    assert krippendorff_alpha(units) == pytest.approx(nltk_alpha(units), abs=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_masi_alpha_matches_nltk_on_random_label_sets(seed):
    rng = random.Random(100 + seed)
    labels = ["Russia", "United States", "Syrian opposition"]

    def label_set():
        if rng.random() < 0.15:
            return None
        return frozenset(rng.sample(labels, rng.randint(1, 3)))

    units = [[label_set() for _ in range(4)] for _ in range(40)]
    ours = krippendorff_alpha(units, masi_distance)
    assert ours == pytest.approx(nltk_alpha(units, nltk_masi), abs=1e-9)


def test_masi_distance_values():
    a, b, c = "a", "b", "c"
    assert masi_distance(frozenset({a}), frozenset({a})) == 0
    assert masi_distance(frozenset({a}), frozenset({a, b})) == pytest.approx(1 - 0.5 * 2 / 3)
    assert masi_distance(frozenset({a, b}), frozenset({b, c})) == pytest.approx(
        1 - (1 / 3) * (1 / 3)
    )
    assert masi_distance(frozenset({a}), frozenset({b})) == 1
    for x, y in [({a}, {a, b}), ({a, b}, {b, c}), ({a}, {b})]:
        assert masi_distance(frozenset(x), frozenset(y)) == pytest.approx(nltk_masi(set(x), set(y)))


# ------------------------------------------------------------ character level


def brute_force_character_alpha(length, coders, spans, stance=None):
    units = []
    for i in range(length):
        unit = []
        for c in coders:
            covered = any(
                s.coder == c and s.start <= i < s.end and (stance is None or stance in s.stances)
                for s in spans
            )
            unit.append(1 if covered else 0)
        units.append(unit)
    return krippendorff_alpha(units)


@pytest.mark.parametrize("seed", range(10))
def test_character_alpha_by_segments_equals_position_by_position(seed):
    rng = random.Random(seed)
    length = rng.randint(40, 200)
    coders = ["ann", "bob", "cyd"][: rng.randint(2, 3)]
    spans = []
    for c in coders:
        for _ in range(rng.randint(0, 5)):
            s = rng.randrange(length - 1)
            e = rng.randint(s + 1, min(length, s + 40))
            spans.append(Span(c, s, e, frozenset(rng.sample(["R", "U"], rng.randint(1, 2)))))
    expected = brute_force_character_alpha(length, coders, spans)
    got = character_tally(length, coders, spans).alpha
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected, abs=1e-9)
    expected_r = brute_force_character_alpha(length, coders, spans, "R")
    got_r = character_tally(length, coders, spans, "R").alpha
    assert (got_r is None) == (expected_r is None)
    if expected_r is not None:
        assert got_r == pytest.approx(expected_r, abs=1e-9)


def test_pooled_character_alpha_treats_an_unsubmitted_article_as_missing():
    one = ArticleCoding("a1", 10, ["ann", "bob"], [Span("ann", 0, 5), Span("bob", 0, 5)])
    # cyd coded only the second article; on the first her positions are missing, not 0.
    two = ArticleCoding(
        "a2", 10, ["ann", "bob", "cyd"], [Span("ann", 2, 6), Span("bob", 2, 6), Span("cyd", 2, 6)]
    )
    pooled = pooled_character_alpha([one, two])
    units = [[1 if i < 5 else 0, 1 if i < 5 else 0, None] for i in range(10)] + [
        [1 if 2 <= i < 6 else 0] * 3 for i in range(10)
    ]
    assert pooled.alpha == pytest.approx(krippendorff_alpha(units))
    assert pooled.alpha == 1.0


def test_character_alpha_is_null_when_nobody_marked_anything():
    assert character_tally(100, ["ann", "bob"], []).alpha is None


# --------------------------------------------------------------------- units


def units_as_sets(units):
    return [sorted((c, s.start, s.end) for c, s in u.spans.items()) for u in units]


def test_alignment_exact_match_is_one_unit():
    units = align_units([Span("ann", 10, 20), Span("bob", 10, 20), Span("cyd", 10, 20)])
    assert units_as_sets(units) == [[("ann", 10, 20), ("bob", 10, 20), ("cyd", 10, 20)]]


def test_alignment_shifted_spans_join_above_theta_and_split_below():
    # IoU of [0,10) and [2,12) is 8/12 = 0.67
    assert len(align_units([Span("ann", 0, 10), Span("bob", 2, 12)], theta=0.5)) == 1
    assert len(align_units([Span("ann", 0, 10), Span("bob", 2, 12)], theta=0.7)) == 2


def test_alignment_nested_span_joins_only_when_large_enough():
    # [0,100) and [10,90): IoU 0.8 -> one unit; [0,100) and [40,50): IoU 0.1 -> two units.
    assert len(align_units([Span("ann", 0, 100), Span("bob", 10, 90)])) == 1
    units = align_units([Span("ann", 0, 100), Span("bob", 40, 50)])
    assert units_as_sets(units) == [[("ann", 0, 100)], [("bob", 40, 50)]]


def test_alignment_never_puts_two_spans_of_one_coder_in_a_unit():
    # ann's two spans both overlap bob's one; bob joins the better one, the other stays alone.
    spans = [Span("ann", 0, 10), Span("ann", 8, 20), Span("bob", 0, 11)]
    units = align_units(spans)
    assert units_as_sets(units) == [[("ann", 0, 10), ("bob", 0, 11)], [("ann", 8, 20)]]
    for u in units:
        assert len(u.spans) == len({s.coder for s in u.spans.values()})


def test_alignment_transitive_links_never_merge_a_coder_twice():
    # ann1~bob (1.0), bob~ann2 (0.9): ann2 cannot join the unit that already holds ann.
    spans = [Span("ann", 0, 10), Span("bob", 0, 10), Span("ann", 0, 9), Span("cyd", 0, 9)]
    units = align_units(spans)
    assert units_as_sets(units) == [
        [("ann", 0, 9), ("cyd", 0, 9)],
        [("ann", 0, 10), ("bob", 0, 10)],
    ]


def test_alignment_without_overlap_gives_singletons():
    units = align_units([Span("ann", 0, 10), Span("bob", 20, 30)])
    assert units_as_sets(units) == [[("ann", 0, 10)], [("bob", 20, 30)]]


def test_span_f1():
    a = [Span("ann", 0, 10), Span("ann", 20, 30)]
    b = [Span("bob", 1, 10), Span("bob", 50, 60), Span("bob", 70, 80)]
    assert span_f1(a, b) == pytest.approx(2 * 1 / 5)
    assert span_f1([], []) is None


# --------------------------------------------------------------------- report


def test_article_report_shape_units_and_warnings():
    r, u = frozenset({"Russia"}), frozenset({"United States"})
    coding = ArticleCoding(
        "seed",
        200,
        ["ann", "bob", "cyd"],
        [
            Span("ann", 0, 20, r),
            Span("bob", 0, 20, r),
            Span("cyd", 2, 20, r),
            Span("ann", 50, 80, u),
            Span("bob", 55, 80, r),
        ],
    )
    report = article_report(coding, ["Russia", "United States"])
    assert report["article"] == "seed"
    assert report["coders"] == ["ann", "bob", "cyd"]
    assert report["characters"] == 200
    assert set(report["pairwise"]) == {"ann|bob", "ann|cyd", "bob|cyd"}
    russia = report["stances"]["Russia"]
    assert russia["units_total"] == 2
    assert russia["units_used"] == 2
    codes = {w["code"] for w in report["warnings"]}
    assert "few_units" in codes
    assert "stance_one_coder" in codes  # United States: ann only
    assert "coder_without_annotations" not in codes
    assert report["pairwise"]["ann|bob"]["span_f1"] == 1.0


def test_warning_for_a_coder_without_annotations_and_low_prevalence():
    coding = ArticleCoding("x", 1000, ["ann", "bob"], [Span("ann", 0, 10, frozenset({"R"}))])
    codes = {w["code"] for w in article_report(coding, ["R"])["warnings"]}
    assert {"coder_without_annotations", "low_prevalence"} <= codes


def test_warning_when_disagreement_is_mostly_boundaries():
    spans = [Span("ann", 0, 100), Span("bob", 20, 100)]
    codes = {
        w["code"]
        for w in article_report(ArticleCoding("x", 400, ["ann", "bob"], spans), [])["warnings"]
    }
    assert "mostly_boundaries" in codes


def test_project_report_pools_articles():
    one = ArticleCoding(
        "a",
        100,
        ["ann", "bob"],
        [Span("ann", 0, 10, frozenset({"R"})), Span("bob", 0, 10, frozenset({"R"}))],
    )
    two = ArticleCoding(
        "b",
        100,
        ["ann", "bob"],
        [Span("ann", 0, 10, frozenset({"R"})), Span("bob", 50, 60, frozenset({"R"}))],
    )
    report = project_report([one, two], ["R"])
    assert report["stances"]["R"]["units_total"] == 3
    assert report["stances"]["R"]["units_used"] == 1
    assert report["pairwise"]["ann|bob"]["span_f1"] == pytest.approx(0.5)
    expected = pooled_character_alpha([one, two]).alpha
    assert report["any_claim"]["alpha_chars"] == round(expected, 4)
