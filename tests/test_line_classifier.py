"""The learned line classifier (issue 14 §4) changes a rule's decision only when
it is sure, and the cleaning report says it did and how sure it was."""

from __future__ import annotations

import json

from reader.importing import line_model
from reader.importing.pipeline import build
from reader.importing.types import BODY, CHROME, Extracted, Segment

# A model of no trees: its prior alone is every line's log-odds of being body.
SURE_NOT_BODY = {"prior": -5.0, "trees": []}  # p = 0.0067
SURE_BODY = {"prior": 5.0, "trees": []}  # p = 0.9933
UNSURE = {"prior": 0.0, "trees": []}  # p = 0.5

LINES = [
    "The Harbour Gazette",
    "Ferry timetable changes this winter",
    "Home | Local | Weather",
    "The island ferry will run twice a day from November, the operator said on Monday.",
    "Residents who commute to the mainland asked for an earlier crossing.",
    "—",
]


def segments() -> list[Segment]:
    return [
        Segment("The Harbour Gazette", role=CHROME, rule="navigation"),
        Segment("Ferry timetable changes this winter", role="title", rule="title-from-first-line"),
        Segment("Home | Local | Weather", role=CHROME, rule="menu-line"),
        Segment(LINES[3]),
        Segment(LINES[4], rule="short-paragraph"),
        Segment("—", role=CHROME, rule="stray-short-line"),
    ]


def test_a_sure_classifier_drops_kept_lines_and_names_itself_with_its_confidence():
    reviewed = line_model.review(LINES, segments(), SURE_NOT_BODY)
    dropped = [s for s in reviewed if s.rule == line_model.RULE]
    assert [s.html for s in dropped] == [LINES[3], LINES[4]]
    assert all(s.role == CHROME and s.confidence == 0.993 for s in dropped)
    assert reviewed[1].role == "title"  # metadata is the rules' to decide


def test_a_sure_classifier_keeps_dropped_lines_but_not_a_line_without_words():
    reviewed = line_model.review(LINES, segments(), SURE_BODY)
    assert [s.role for s in reviewed] == [BODY, "title", BODY, BODY, BODY, CHROME]
    assert reviewed[0].rule == reviewed[2].rule == line_model.RULE
    assert reviewed[0].confidence == 0.993
    assert reviewed[5].rule == "stray-short-line"


def test_an_unsure_classifier_leaves_every_rule_decision_alone():
    before = [(s.role, s.rule) for s in segments()]
    after = [(s.role, s.rule, s.confidence) for s in line_model.review(LINES, segments(), UNSURE)]
    assert after == [(role, rule, None) for role, rule in before]


def test_cleaning_report_gives_the_classifier_and_its_confidence_for_each_line_it_drops():
    extracted = Extracted(segments=line_model.review(LINES, segments(), SURE_NOT_BODY))
    extracted.segments.append(Segment("A last paragraph the classifier never saw."))
    report = build(extracted).report
    by_classifier = [s for s in report["segments"] if s["rule"] == line_model.RULE]
    assert [(s["text"], s["role"], s["confidence"]) for s in by_classifier] == [
        (LINES[3], CHROME, 0.993),
        (LINES[4], CHROME, 0.993),
    ]
    assert all(s["confidence"] is None for s in report["segments"] if s["rule"] != line_model.RULE)


def test_stored_model_gives_the_same_answer_every_time():
    # Its load time is measured by `python -m benchmarks.line_model`, not asserted here.
    model = json.loads(line_model.MODEL_PATH.read_text(encoding="utf-8"))
    assert set(model) >= {"features", "prior", "trees"}
    assert model["features"] == [*line_model.FEATURES, *line_model.RULE_FEATURES]
    rows = [
        row + line_model.rule_features(s)
        for row, s in zip(line_model.page_features(LINES), segments(), strict=True)
    ]
    first = line_model.predict(model, rows)
    assert first == line_model.predict(model, rows)
    assert all(0.0 < p < 1.0 for p in first)
