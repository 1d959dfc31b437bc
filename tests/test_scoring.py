"""benchmarks/scoring.py must give the same figures as the shared scoring tool."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from benchmarks import scoring

SHARED = Path(__file__).resolve().parents[2] / "shared"
TOOL = SHARED / "tools" / "score_extraction.py"
DEV = SHARED / "extraction-bench" / "dev"


@pytest.fixture(scope="module")
def shared_tool():
    if not TOOL.exists():
        pytest.skip(f"shared scoring tool not found at {TOOL}")
    spec = importlib.util.spec_from_file_location("score_extraction", TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SYNTHETIC_TRUTH = {
    "exact": "The quick brown fox jumps over the lazy dog near the river bank.",
    "partial": "One two three four five six seven eight nine ten eleven twelve.",
    "extra": "Short truth with exactly seven tokens.",
    "missed": "Nothing of this text is found by the extractor at all.",
    "tiny": "Two words",
    "repeats": "again and again and again and again and again and again",
    "empty-truth": "",
}
SYNTHETIC_PREDICTIONS = {
    "exact": "The quick brown fox jumps over the lazy dog near the river bank.",
    "partial": "One two three four five six seven. Menu Home Sport",
    "extra": "Short truth with exactly seven tokens. Subscribe to our newsletter today!",
    "missed": "",
    "tiny": "Two words",
    "repeats": "again and again and again",
    "empty-truth": "Some chrome that should not be there",
}


def _assert_same(ours: dict, theirs: dict) -> None:
    for key in ("n", "f1", "precision", "recall", "accuracy"):
        assert ours[key] == pytest.approx(theirs[key], abs=1e-12), key


def test_scoring_matches_shared_tool_on_synthetic_pages(shared_tool):
    ours = scoring.score_bodies(SYNTHETIC_TRUTH, SYNTHETIC_PREDICTIONS)
    truth = {name: {"articleBody": body} for name, body in SYNTHETIC_TRUTH.items()}
    theirs = shared_tool.score_bodies(truth, SYNTHETIC_PREDICTIONS, n_boot=2)
    _assert_same(ours, theirs)
    assert 0 < ours["precision"] < 1 and 0 < ours["recall"] < 1


def test_page_counts_match_shared_tool_page_by_page(shared_tool):
    for name, truth in SYNTHETIC_TRUTH.items():
        prediction = SYNTHETIC_PREDICTIONS[name]
        assert scoring.page_counts(truth, prediction) == pytest.approx(
            shared_tool.page_counts(truth, prediction)
        )


def test_scoring_matches_shared_tool_on_real_pages(shared_tool):
    if not (DEV / "ground-truth.json").exists():
        pytest.skip(f"extraction bench not found at {DEV}")
    truth = json.loads((DEV / "ground-truth.json").read_text(encoding="utf-8"))
    names = sorted(truth)[::30]
    # Each page's truth scored against a damaged copy of itself: the second
    # half of its paragraphs dropped, and a line of chrome added.
    predictions = {}
    for name in names:
        paragraphs = truth[name]["articleBody"].split("\n")
        kept = paragraphs[: max(1, len(paragraphs) // 2)]
        predictions[name] = "\n".join(["Home News Sport Weather", *kept])
    ours = scoring.score_bodies({n: truth[n]["articleBody"] for n in names}, predictions)
    theirs = shared_tool.score_bodies({n: truth[n] for n in names}, predictions, n_boot=2)
    _assert_same(ours, theirs)
    assert ours["recall"] < 0.9


def test_metadata_matches_agree_with_shared_tool(shared_tool):
    assert scoring.title_matches("It’s “here”", "its here") is True
    assert shared_tool._norm("It’s “here”") == shared_tool._norm("its here")
    assert scoring.byline_matches(["Jane Doe"], "By Jane Doe, Reuters")
    assert not scoring.byline_matches(["Jane Doe"], "John Roe")
    assert scoring.date_matches("2024-08-28 10:00:23+00:00", "2024-08-28T09:00:00+00:00")
    assert not scoring.date_matches("2024-08-28 10:00:23+00:00", "2024-08-27")
    assert shared_tool._day("2024-08-28T10:00") == scoring._day("2024-08-28T10:00")
