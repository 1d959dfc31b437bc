"""The reading page by keyboard: Shift+arrows select, Esc cancels, j/k walk the annotations."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from annotations.models import Annotation

from .helpers import click_before, highlight, selected_text

QUOTES = [
    "Russia’s Foreign Minister has called the decision",
    "Iran has so far been Bashar Al-Assad's main regional ally",
    "Damascus has denied all the claims of abuse.",
]


def current_card_ids(page: Page) -> list[str]:
    return page.locator("#annotation-list .card.is-current").evaluate_all(
        "cards => cards.map(c => c.id.slice(4))"
    )


def test_shift_arrows_after_placing_the_caret_open_the_toolbar_and_esc_cancels(
    seed_article, alice, user_page
):
    page = user_page(alice)
    page.goto(seed_article.get_absolute_url())
    phrase = "Mr Lavrov reiterated"
    click_before(page, phrase)
    expect(page.locator("#toolbar")).to_be_hidden()
    for _ in phrase:
        page.keyboard.press("Shift+ArrowRight")
    assert selected_text(page) == phrase
    expect(page.locator("#toolbar")).to_be_visible()
    start = seed_article.text.index(phrase)
    expect(page.locator("#toolbar input[name=start]")).to_have_value(str(start))
    expect(page.locator("#toolbar input[name=end]")).to_have_value(str(start + len(phrase)))

    page.keyboard.press("Control+Shift+ArrowRight")  # a word more
    expect(page.locator("#toolbar input[name=quote]")).to_have_value(phrase + " that")

    page.keyboard.press("Escape")
    expect(page.locator("#toolbar")).to_be_hidden()
    assert selected_text(page) == ""
    page.keyboard.press("1")
    assert Annotation.objects.count() == 0


def test_j_and_k_move_between_annotation_cards_and_their_highlights(
    seed_article, alice, bob, make_annotation, user_page
):
    made = [
        make_annotation(bob if i == 1 else alice, seed_article, q) for i, q in enumerate(QUOTES)
    ]
    ids = [str(a.pk) for a in made]
    page = user_page(alice)
    page.goto(seed_article.get_absolute_url())
    expect(page.locator("#annotation-list .card")).to_have_count(3)

    page.keyboard.press("j")
    assert current_card_ids(page) == [ids[0]]
    expect(page.locator(f"#ann-{ids[0]}")).to_be_focused()
    expect(page.locator(highlight(made[0]))).to_contain_class("is-current")
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert current_card_ids(page) == [ids[2]]
    page.keyboard.press("j")  # stays on the last
    assert current_card_ids(page) == [ids[2]]
    page.keyboard.press("k")
    assert current_card_ids(page) == [ids[1]]
    mark = page.locator(highlight(made[1]))
    expect(mark).to_contain_class("is-current")
    expect(mark).to_be_in_viewport()


def test_clicking_a_highlight_brings_its_card_and_the_card_brings_the_highlight(
    seed_article, alice, make_annotation, user_page
):
    first, last = (make_annotation(alice, seed_article, q) for q in (QUOTES[0], QUOTES[2]))
    page = user_page(alice, viewport={"width": 1280, "height": 500})
    page.goto(seed_article.get_absolute_url())

    page.locator(highlight(last)).click()
    assert current_card_ids(page) == [str(last.pk)]
    expect(page.locator(f"#ann-{last.pk}")).to_be_in_viewport()
    expect(page.locator("#toolbar")).to_be_hidden()

    page.locator(f"#ann-{first.pk} .quote").click()
    assert current_card_ids(page) == [str(first.pk)]
    mark = page.locator(highlight(first))
    expect(mark).to_contain_class("is-current")
    expect(mark).to_be_in_viewport()
