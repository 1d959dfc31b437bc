from __future__ import annotations

import datetime as dt
import json

import lxml.html
import pytest

from reader import services
from reader.importing.types import BODY, CAPTION, CHROME
from tests.conftest import SEED, SEED_EXPECTED

pytestmark = pytest.mark.django_db

EXPECTED = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))


def squeeze(text: str) -> str:
    """Whitespace (including no-break spaces) collapsed, for comparing across rules."""
    return " ".join(text.split())


def blocks(article) -> list[lxml.html.HtmlElement]:
    root = lxml.html.fragment_fromstring(f"<div>{article.body_html}</div>")
    return [el for el in root.iter() if el.get("data-offset") is not None]


def test_seed_metadata_is_exact(article):
    assert article.title == EXPECTED["title"]
    assert article.subtitle == EXPECTED["subtitle"]
    assert article.byline == EXPECTED["byline"]
    assert article.published == dt.datetime(2014, 1, 21, 12, 32, tzinfo=dt.UTC)
    assert article.source_name == "The Independent"


def test_seed_caption_is_one_figcaption_and_not_a_paragraph(article):
    captions = [el for el in blocks(article) if el.tag == "figcaption"]
    assert [c.text_content() for c in captions] == [EXPECTED["image_caption"]]
    assert captions[0].getparent().tag == "figure"
    paragraphs = [el.text_content() for el in blocks(article) if el.tag == "p"]
    assert EXPECTED["image_caption"] not in paragraphs
    assert article.text.count(EXPECTED["image_caption"][:60]) == 1
    assert EXPECTED["image_credit"] not in article.text


def test_seed_body_paragraphs_in_order_and_unchanged(article):
    paragraphs = [el.text_content() for el in blocks(article) if el.tag == "p"]
    assert paragraphs == EXPECTED["body_paragraphs"]
    assert len(paragraphs) == 13


def test_seed_chrome_lines_are_nowhere_in_the_text(article):
    assert len(EXPECTED["removed_as_boilerplate"]) == 14
    text = squeeze(article.text)
    for line in EXPECTED["removed_as_boilerplate"]:
        assert squeeze(line) not in text, line


def test_seed_every_dropped_block_is_reported_with_a_rule(article):
    report = article.cleaning_report
    dropped = [s for s in report["segments"] if s["role"] == CHROME]
    assert dropped
    assert all(s["rule"] for s in dropped)
    dropped_texts = [squeeze(s["text"]) for s in dropped]
    for line in EXPECTED["removed_as_boilerplate"]:
        assert squeeze(line) in dropped_texts, line
    assert report["dropped"] == len(dropped)


def test_seed_kept_segments_are_the_article_blocks(article):
    kept = [s["text"] for s in article.cleaning_report["segments"] if s["role"] in (BODY, CAPTION)]
    assert kept == [el.text_content() for el in blocks(article)]


def test_canonical_text_is_blocks_joined_by_blank_lines(article):
    texts = [el.text_content() for el in blocks(article)]
    assert article.text == "\n\n".join(texts)


def test_every_block_data_offset_points_at_its_text(article):
    found = blocks(article)
    assert len(found) == 14
    for element in found:
        offset = int(element.get("data-offset"))
        content = element.text_content()
        assert article.text[offset : offset + len(content)] == content
        assert offset == 0 or article.text[offset - 2 : offset] == "\n\n"


def test_raw_input_is_kept_verbatim(article, seed_bytes):
    assert bytes(article.raw_input) == seed_bytes
    assert article.raw_filename == SEED.name


def test_word_count_counts_words_as_a_reader_does(article):
    # "Russia’s" and "130,000" are one word each, not two; a lone "“" is none.
    def words(text: str) -> int:
        return sum(1 for token in text.split() if any(c.isalnum() for c in token))

    expected = sum(words(p) for p in EXPECTED["body_paragraphs"]) + words(EXPECTED["image_caption"])
    assert article.word_count == expected


def test_seed_import_through_the_service_reports_imported(alice, seed_bytes):
    outcome = services.article_import(raw=seed_bytes, user=alice, filename=SEED.name)
    assert outcome.status == services.IMPORTED
    assert outcome.article.imported_by == alice
