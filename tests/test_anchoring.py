from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from rapidfuzz.distance import Indel

from annotations.anchoring import (
    CONTEXT,
    FUZZY_THRESHOLD,
    Anchor,
    context,
    reanchor,
    reanchor_many,
)

SAMPLE = Path(__file__).resolve().parents[2] / "shared/samples/000_cec687c1fc65c03c.expected.json"


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    return json.loads(SAMPLE.read_text(encoding="utf-8"))["body_paragraphs"]


@pytest.fixture(scope="module")
def article(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def selector(text: str, quote: str, occurrence: int = 0) -> dict[str, object]:
    """The stored selector of the ``occurrence``-th exact ``quote`` in ``text``."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    end = start + len(quote)
    prefix, suffix = context(text, start, end)
    return {"start": start, "end": end, "quote": quote, "prefix": prefix, "suffix": suffix}


def placed(text: str, anchor: Anchor) -> str:
    return text[anchor.start : anchor.end]


IRAN_ALLY = "Iran has so far been Bashar Al-Assad's main regional ally"
UNEASE = (
    "The unease over the offer highlights the different views over Syria held by the US and Russia."
)


def test_unchanged_text_keeps_offsets_and_is_anchored(article: str) -> None:
    stored = selector(article, IRAN_ALLY)

    anchor = reanchor(article, **stored)

    assert anchor == Anchor(stored["start"], stored["end"], "anchored", 1.0)


def test_text_inserted_before_moves_quote_by_the_insertion(article: str) -> None:
    stored = selector(article, IRAN_ALLY)
    inserted = "Editor's note: this article was updated on Wednesday.\n\n"

    anchor = reanchor(inserted + article, **stored)

    assert anchor.status == "moved"
    assert anchor.score == 1.0
    assert anchor.start == stored["start"] + len(inserted)
    assert anchor.end == stored["end"] + len(inserted)


def test_paragraphs_reordered_finds_quote_in_its_new_place(paragraphs: list[str]) -> None:
    old = "\n\n".join(paragraphs)
    stored = selector(old, UNEASE)
    new = "\n\n".join(list(reversed(paragraphs)))

    anchor = reanchor(new, **stored)

    assert anchor.status == "moved"
    assert anchor.score == 1.0
    assert placed(new, anchor) == UNEASE
    assert anchor.start == new.index(UNEASE) != stored["start"]


def test_small_deletion_inside_quote_moves_fuzzily_to_the_edited_sentence(article: str) -> None:
    stored = selector(article, UNEASE)
    edited = "The unease over the offer highlights the views over Syria held by the US and Russia."
    new = article.replace(UNEASE, edited)

    anchor = reanchor(new, **stored)

    assert anchor.status == "moved"
    assert FUZZY_THRESHOLD <= anchor.score < 1.0
    assert placed(new, anchor) == edited


def test_one_word_changed_moves_fuzzily_to_the_reworded_sentence(article: str) -> None:
    stored = selector(article, IRAN_ALLY)
    reworded = "Iran has so far been Bashar Al-Assad's chief regional ally"
    new = "A new first paragraph.\n\n" + article.replace(IRAN_ALLY, reworded)

    anchor = reanchor(new, **stored)

    assert anchor.status == "moved"
    assert FUZZY_THRESHOLD <= anchor.score < 1.0
    assert placed(new, anchor) == reworded


def test_fuzzy_match_ends_on_word_boundaries_without_whitespace(article: str) -> None:
    quote = "the different views over Syria held by the US"
    stored = selector(article, quote)
    new = article.replace("the different views over Syria", "the differing views on Syria")

    anchor = reanchor(new, **stored)

    assert anchor.status == "moved"
    assert placed(new, anchor) == "the differing views on Syria held by the US"


def test_quote_across_paragraphs_is_matched_fuzzily_across_them(paragraphs: list[str]) -> None:
    old = "\n\n".join(paragraphs)
    quote = paragraphs[4] + "\n\n" + paragraphs[5]
    stored = selector(old, quote)
    edited = [p.replace("news conference", "press briefing") for p in paragraphs]
    new = "\n\n".join(edited[:3] + edited[4:6] + edited[3:4] + edited[6:])

    anchor = reanchor(new, **stored)

    assert anchor.status == "moved"
    assert placed(new, anchor) == edited[4] + "\n\n" + edited[5]


def test_fuzzy_match_stays_inside_the_paragraph_of_the_quote(article: str) -> None:
    quote = "Russia has been a key ally to Syria during the crisis"
    stored = selector(article, quote)
    assert article[stored["start"] - 9 : stored["start"]] == "Russia.\n\n"
    new = article.replace(quote, quote.removeprefix("Russia "))

    anchor = reanchor(new, **stored)

    assert anchor.status == "moved"
    assert placed(new, anchor) == "has been a key ally to Syria during the crisis"


def test_fuzzy_match_starts_on_a_word_when_the_quote_did(article: str) -> None:
    quote = "and equipment since the uprising began in 2011"
    stored = selector(article, quote)
    new = article.replace(quote, quote.removeprefix("and "))

    anchor = reanchor(new, **stored)

    assert placed(new, anchor) == "equipment since the uprising began in 2011"


def test_heavily_reworded_quote_is_orphaned_not_attached_to_a_look_alike(article: str) -> None:
    stored = selector(article, UNEASE)
    look_alike = (
        "The anger over the offer underlines the old rift over Iran shared by the UN and Tehran."
    )
    similarity = Indel.normalized_similarity(UNEASE, look_alike)
    assert 0.6 < similarity < FUZZY_THRESHOLD  # a near miss, not an unrelated sentence
    new = article.replace(UNEASE, "Washington and Moscow see the conflict differently.")
    new = new.replace("Damascus has denied all the claims of abuse.", look_alike)

    anchor = reanchor(new, **stored)

    assert anchor.status == "orphaned"
    assert anchor.score == 0.0


def test_look_alike_just_above_threshold_is_taken_only_in_agreeing_context(
    article: str,
) -> None:
    stored = selector(article, IRAN_ALLY)
    look_alike = "Iran has so far stayed Bashar Al-Assad's main regional friend"
    assert FUZZY_THRESHOLD <= Indel.normalized_similarity(IRAN_ALLY, look_alike) < 0.85

    in_place = article.replace(IRAN_ALLY, look_alike)
    assert reanchor(in_place, **stored).status == "moved"

    elsewhere = article.replace(IRAN_ALLY, "Tehran is a friend of Damascus").replace(
        "Damascus has denied all the claims of abuse.", look_alike + "."
    )
    assert reanchor(elsewhere, **stored).status == "orphaned"


def test_removed_quote_is_orphaned_with_old_offsets_kept(article: str) -> None:
    stored = selector(article, UNEASE)
    new = article.replace(UNEASE + "\n\n", "")

    anchor = reanchor(new, **stored)

    assert anchor == Anchor(stored["start"], stored["end"], "orphaned", 0.0)


def test_threshold_accepts_a_match_just_above_and_rejects_one_just_below(article: str) -> None:
    stored = selector(article, UNEASE)
    reworded = (
        "The unease about this offer shows the divergent views on Syria held by the US and Russia."
    )
    new = article.replace(UNEASE, reworded)
    similarity = Indel.normalized_similarity(UNEASE, reworded)

    above = reanchor(new, **stored, threshold=similarity - 0.01)
    below = reanchor(new, **stored, threshold=similarity + 0.01)

    assert above.status == "moved"
    assert placed(new, above) == reworded
    assert above.score == pytest.approx(similarity)
    assert below.status == "orphaned"


def test_duplicate_quote_chooses_the_occurrence_whose_context_fits() -> None:
    text = (
        "In Geneva the envoy said the talks will go ahead as planned. "
        "In Moscow the minister said the talks will go ahead as planned."
    )
    stored = selector(text, "the talks will go ahead as planned", occurrence=1)
    new = "Update. " + text.replace("In Geneva", "At the UN office in Geneva")

    anchor = reanchor(new, **{**stored, "start": 0, "end": 34})

    assert anchor.status == "moved"
    assert anchor.start == new.index("the talks", new.index("Moscow"))


def test_duplicate_quote_with_equal_context_chooses_the_nearest() -> None:
    sentence = "Officials said the talks will go ahead. "
    text = sentence * 5
    stored = selector(text, "the talks will go ahead", occurrence=3)
    shifted = "Breaking. " + text

    anchor = reanchor(shifted, **stored)

    assert anchor.status == "moved"
    assert anchor.start == stored["start"] + len("Breaking. ")


def test_overlapping_occurrences_are_all_candidates() -> None:
    text = "The crowd chanted na na na until dawn."
    stored = selector(text, "na na", occurrence=1)
    assert stored["start"] == text.index("na na") + 3  # overlaps the first occurrence
    new = "At the rally the crowd chanted na na na until dawn."

    anchor = reanchor(new, **stored)

    assert anchor.start == new.index("na na") + 3


def test_context_at_start_and_end_of_text() -> None:
    text = "Short start. " + "x" * 50 + " Short end."

    assert context(text, 0, 5) == ("", text[5 : 5 + CONTEXT])
    assert context(text, len(text) - 4, len(text)) == (text[-4 - CONTEXT : -4], "")
    assert context(text, 3, 6, width=2) == ("ho", "st")
    assert context("", 0, 0) == ("", "")


def test_emoji_before_and_inside_quote_keep_code_point_offsets() -> None:
    quote = "Protesters carried 🇸🇾 flags and chanted 🙌 outside the hall"
    old = "Scenes 📷: " + quote + ", witnesses said."
    stored = selector(old, quote)
    new = "🔴 Live 🔴 — " + old

    exact = reanchor(new, **stored)
    assert exact.start == stored["start"] + len("🔴 Live 🔴 — ")
    assert placed(new, exact) == quote

    edited = "Protesters carried 🇸🇾 flags and sang 🙌 outside the hall"
    fuzzy = reanchor(new.replace(quote, edited), **stored)
    assert fuzzy.status == "moved"
    assert placed(new.replace(quote, edited), fuzzy) == edited


def test_accented_text_is_matched_exactly_and_fuzzily() -> None:
    quote = "Le ministre a déclaré à Genève que la décision était une erreur"
    old = "Selon l’AFP, " + quote + ", mais pas une catastrophe."
    stored = selector(old, quote)

    moved = reanchor("Dépêche. " + old, **stored)
    assert placed("Dépêche. " + old, moved) == quote

    edited = "Le ministre a affirmé à Genève que la décision était une erreur"
    new = old.replace(quote, edited)
    fuzzy = reanchor(new, **stored)
    assert fuzzy.status == "moved"
    assert placed(new, fuzzy) == edited


def test_empty_text_orphans_at_zero() -> None:
    anchor = reanchor("", start=10, end=20, quote="anything at all here")

    assert anchor == Anchor(0, 0, "orphaned", 0.0)


def test_quote_longer_than_text_is_orphaned_within_bounds(article: str) -> None:
    stored = selector(article, UNEASE)
    text = "Syria held by the US."

    anchor = reanchor(text, **stored)

    assert anchor.status == "orphaned"
    assert 0 <= anchor.start <= anchor.end <= len(text)


def test_one_word_quote_is_never_matched_fuzzily(article: str) -> None:
    stored = selector(article, "Montreux")
    new = article.replace("Montreux", "Montreaux")
    assert Indel.normalized_similarity("Montreux", "Montreaux") > FUZZY_THRESHOLD

    anchor = reanchor(new, **stored)

    assert anchor.status == "orphaned"


def test_short_quote_is_matched_fuzzily_only_in_agreeing_context(article: str) -> None:
    quote = "Lavrov said at a news conference"
    stored = selector(article, quote)
    changed = "Lavrov said at the news conference"

    in_place = article.replace(quote, changed)
    anchor = reanchor(in_place, **stored)
    assert anchor.status == "moved"
    assert placed(in_place, anchor) == changed

    elsewhere = article.replace(quote, "Lavrov told reporters").replace(
        "Damascus has denied all the claims of abuse.", changed + " on Friday."
    )
    assert reanchor(elsewhere, **stored).status == "orphaned"


def test_empty_quote_is_orphaned(article: str) -> None:
    assert reanchor(article, start=5, end=5, quote="").status == "orphaned"


@dataclass
class StoredAnnotation:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def test_reanchor_many_matches_reanchor_for_mappings_and_objects(article: str) -> None:
    quotes = [
        IRAN_ALLY,
        UNEASE,
        "Lavrov",
        "the talks",
        "Damascus has denied all the claims of abuse.",
    ]
    stored = [selector(article, q) for q in quotes]
    new = "Preface.\n\n" + article.replace("main regional", "main").replace(UNEASE, "Gone.")
    mixed = [StoredAnnotation(**s) if i % 2 else s for i, s in enumerate(stored)] * 3

    anchors = reanchor_many(new, mixed)

    assert anchors == [reanchor(new, **s) for s in stored] * 3
    assert [a.status for a in anchors[:5]] == ["moved", "orphaned", "moved", "moved", "moved"]


def test_every_result_is_a_valid_span(article: str) -> None:
    stored = selector(article, UNEASE)
    for text in ["", "x", article[:100], article[: stored["start"] + 10], article]:
        anchor = reanchor(text, **stored)
        assert 0 <= anchor.start <= anchor.end <= len(text)


def test_look_alike_naming_other_people_is_never_taken(article: str) -> None:
    stored = selector(article, IRAN_ALLY)
    other_people = "Iraq has so far been Nouri al-Maliki's main regional ally"
    assert FUZZY_THRESHOLD <= Indel.normalized_similarity(IRAN_ALLY, other_people)

    assert reanchor(article.replace(IRAN_ALLY, other_people), **stored).status == "orphaned"


UNAWARE = "The minister said he was unaware of the deal until last week"
FULLY_AWARE = "The minister said he was fully aware of the deal until last week"


def test_fuzzy_move_never_crosses_a_negation() -> None:
    old = f"Opening words of the report. {UNAWARE}. Closing words of the report."
    stored = selector(old, UNAWARE)
    assert Indel.normalized_similarity(UNAWARE, FULLY_AWARE) >= FUZZY_THRESHOLD

    for edited in (FULLY_AWARE, UNAWARE.replace("was unaware", "was not aware")):
        anchor = reanchor(old.replace(UNAWARE, edited), **stored)
        assert anchor.status == "orphaned", edited

    reverse = selector(old.replace(UNAWARE, FULLY_AWARE), FULLY_AWARE)
    assert reanchor(old, **reverse).status == "orphaned"


@pytest.mark.parametrize(
    ("quote", "figure", "changed"),
    [
        ("The fund paid 130,000 pounds to the families who lost homes", "130,000", "150,000"),
        ("The fund paid a total of 4.5 million to the families in the valley", "4.5", "5.4"),
        ("The fund paid three million pounds to the families in the valley", "three", "four"),
    ],
    ids=["thousands", "decimal", "words"],
)
def test_fuzzy_move_never_crosses_a_changed_figure(quote: str, figure: str, changed: str) -> None:
    old = f"Opening words of the report. {quote}. Closing words of the report."
    stored = selector(old, quote)
    edited = quote.replace(figure, changed)
    assert Indel.normalized_similarity(quote, edited) >= FUZZY_THRESHOLD

    assert reanchor(old.replace(quote, edited), **stored).status == "orphaned"
    # The same edit without the figure still moves.
    reworded = quote.replace("the families", "those families")
    assert reanchor(old.replace(quote, reworded), **stored).status == "moved"
