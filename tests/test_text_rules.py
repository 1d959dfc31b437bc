from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path

import pytest

from reader.importing.text import extract_text, paragraph_fingerprint
from reader.importing.types import BODY, CAPTION, CHROME, ImportFailed

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
SEED = SAMPLES / "000_cec687c1fc65c03c.txt"
SEED_EXPECTED = SAMPLES / "000_cec687c1fc65c03c.expected.json"

BODY_TEXT = (
    "The minister said on Tuesday that the talks would go ahead as planned, despite the "
    "objections raised by several delegations over the weekend.\n\n"
    "Officials from both sides met for three hours in Geneva and agreed to continue the "
    "discussions next week, according to a statement released after the meeting.\n\n"
    "Critics of the agreement argue that it leaves too many questions open and that the "
    "deadline set by the negotiators is unrealistic.\n\n"
    "The next round is expected to focus on humanitarian access and the exchange of "
    "prisoners, two issues that have stalled previous efforts.\n\n"
)


def _text(segment) -> str:
    return html.unescape(segment.html)


def _kept(result) -> list[str]:
    return [_text(s) for s in result.segments if s.kept]


def _role_of(result, text: str) -> tuple[str, str]:
    for s in result.segments:
        if _text(s) == text:
            return s.role, s.rule
    raise AssertionError(f"no segment {text!r}")


def _page(*extra: str, tail: str = "") -> str:
    head = "Negotiators agree to resume talks next week\n\nBy Jane Reporter\n12 March 2024\n\n"
    return head + "\n\n".join(extra) + "\n\n" + BODY_TEXT + tail


@pytest.fixture(scope="module")
def seed():
    return extract_text(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def expected():
    return json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


def test_seed_metadata_matches_expected(seed, expected):
    assert seed.title == expected["title"]
    assert seed.subtitle == expected["subtitle"]
    assert seed.byline == expected["byline"]
    assert seed.published == dt.datetime.fromisoformat(expected["published"])
    assert seed.published.tzinfo is not None
    assert seed.source_name == expected["source_name"]
    assert seed.extractor == "text-rules"


def test_seed_body_is_the_thirteen_paragraphs_in_order(seed, expected):
    body = [_text(s) for s in seed.segments if s.role == BODY]
    assert body == expected["body_paragraphs"]
    assert all(s.kind == "p" for s in seed.segments if s.role == BODY)


def test_seed_caption_is_kept_once_and_its_credited_copy_dropped(seed, expected):
    captions = [s for s in seed.segments if s.role == CAPTION]
    assert [_text(s) for s in captions] == [expected["image_caption"]]
    assert captions[0].kind == "figcaption"
    credited = [s for s in seed.segments if expected["image_credit"] in _text(s)]
    assert [(s.role, s.rule) for s in credited] == [(CHROME, "duplicate-caption")]


def test_seed_chrome_lines_are_dropped_with_a_rule_each(seed, expected):
    kept = "\n".join(_kept(seed))
    chrome = [s for s in seed.segments if s.role == CHROME]
    chrome_texts = [_text(s) for s in chrome]
    for raw in expected["removed_as_boilerplate"]:
        line = " ".join(raw.split())
        assert line not in _kept(seed)
        if len(line) > 20:
            assert line not in kept
        assert line in chrome_texts
    assert all(s.rule for s in chrome)


def test_seed_segments_cover_every_line_in_order(seed):
    lines = [" ".join(line.split()) for line in SEED.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    assert [_text(s) for s in seed.segments] == lines
    assert all(s.rule for s in seed.segments if s.role != BODY)
