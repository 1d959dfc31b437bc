"""Selections become canonical-text offsets in code points, whatever the characters."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Annotation
from reader import services

from .helpers import click_before, drag_select, highlight, selected_text

TEXT = """Émoji and accents: a test of offsets

By Zoë Ångström

Café owners in Zürich 🇨🇭 said the polar bear 🐻 exhibit drew crowds. “We never expected 😀 this many visitors,” said Renée Müller, whose café sits near the zoo.

The second paragraph talks about naïve résumés and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 letters: the mayor’s office 🏛 confirmed the figures on Tuesday.

A third paragraph closes the story with a quote from the keeper, who said the bears 🐾 were calm.
"""


@pytest.fixture
def emoji_article(transactional_db, alice, stances):
    article = services.article_import(raw=TEXT.encode(), user=alice, filename="offsets.txt").article
    assert "😀" in article.text and "𝔘𝔫𝔦𝔠𝔬𝔡𝔢" in article.text
    return article


@pytest.fixture
def alice_reading(emoji_article, alice, user_page) -> Page:
    page = user_page(alice)
    page.goto(emoji_article.get_absolute_url())
    return page


def save_with_hotkey(page: Page) -> Annotation:
    count = Annotation.objects.count()
    expect(page.locator("#toolbar")).to_be_visible()
    page.keyboard.press("1")
    expect(page.locator("#toolbar")).to_be_hidden()
    assert Annotation.objects.count() == count + 1
    return Annotation.objects.order_by("-created").first()


def expected_span(text: str, quote: str) -> tuple[int, int, str]:
    start = text.index(quote)
    return start, start + len(quote), quote


@pytest.mark.parametrize(
    "phrase",
    [
        "never expected 😀 this many visitors",  # flag and accents before, emoji inside
        "résumés and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 letters",  # astral letters inside, accents first
        "😀 this",  # starts on an emoji
    ],
)
def test_mouse_selection_is_stored_at_code_point_offsets(alice_reading, emoji_article, phrase):
    drag_select(alice_reading, phrase)
    assert selected_text(alice_reading) == phrase
    stored = save_with_hotkey(alice_reading)
    assert (stored.start, stored.end, stored.quote) == expected_span(emoji_article.text, phrase)
    expect(alice_reading.locator(highlight(stored))).to_have_text(phrase)


def test_keyboard_selection_ending_on_an_emoji_is_stored_at_code_point_offsets(
    alice_reading, emoji_article
):
    phrase = "the bears 🐾"
    click_before(alice_reading, phrase)
    for _ in range(len(phrase)):  # one keystroke per character; the emoji is two UTF-16 units
        alice_reading.keyboard.press("Shift+ArrowRight")
    assert selected_text(alice_reading) == phrase
    stored = save_with_hotkey(alice_reading)
    assert (stored.start, stored.end, stored.quote) == expected_span(emoji_article.text, phrase)


def test_selection_across_two_paragraphs_keeps_the_blank_line_between_them(
    alice_reading, emoji_article
):
    drag_select(alice_reading, "the mayor’s office", until="A third paragraph")
    stored = save_with_hotkey(alice_reading)
    start = emoji_article.text.index("the mayor’s office")
    end = emoji_article.text.index("A third paragraph") + len("A third paragraph")
    assert (stored.start, stored.end) == (start, end)
    assert stored.quote == emoji_article.text[start:end]
    assert "Tuesday.\n\nA third" in stored.quote
    marks = alice_reading.locator(highlight(stored))
    expect(marks).to_have_count(2)


def test_leading_and_trailing_spaces_of_a_selection_are_not_stored(alice_reading, emoji_article):
    drag_select(alice_reading, " said Renée Müller, ")
    stored = save_with_hotkey(alice_reading)
    assert stored.quote == "said Renée Müller,"
    assert stored.start == emoji_article.text.index("said Renée Müller,")


# The refusal is a 400 the toolbar shows; nothing else may go wrong.
@pytest.mark.page_problems_expected("response 400: POST")
def test_offsets_that_disagree_with_the_text_are_refused_in_the_toolbar(alice_reading):
    drag_select(alice_reading, "drew crowds")
    expect(alice_reading.locator("#toolbar")).to_be_visible()
    alice_reading.locator("#toolbar input[name=start]").evaluate(
        "input => { input.value = String(Number(input.value) + 1); }"
    )
    alice_reading.keyboard.press("1")
    error = alice_reading.locator("#toolbar-error")
    expect(error).to_contain_text("Not saved")
    expect(alice_reading.locator("#toolbar")).to_be_visible()
    assert Annotation.objects.count() == 0
    alice_reading.keyboard.press("Escape")
    expect(alice_reading.locator("#toolbar")).to_be_hidden()
