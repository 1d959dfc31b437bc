"""Overlapping highlights in Chromium: every covering stance drawn, and a chooser on a click."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from .helpers import highlight

SENTENCE = "Russia’s Foreign Minister has called the decision"
A = "Russia’s Foreign Minister has called"
B = "Foreign Minister has called the decision"
C = "Minister has"

MARK_STYLE = """
(mark) => {
  const style = getComputedStyle(mark);
  return {
    images: style.backgroundImage,
    dash: style.getPropertyValue("--dash").trim(),
    n: mark.dataset.n,
    text: mark.textContent,
  };
}
"""


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def overlap_page(
    seed_article, alice, bob, stances, make_annotation, user_page
) -> tuple[Page, list]:
    russia, usa, opposition = stances
    made = [
        make_annotation(alice, seed_article, A, stance_names=[russia.name]),
        make_annotation(bob, seed_article, B, stance_names=[usa.name]),
        make_annotation(alice, seed_article, C, stance_names=[opposition.name]),
    ]
    page = user_page(alice)
    page.goto(seed_article.get_absolute_url())
    expect(page.locator("#annotation-list .card")).to_have_count(3)
    return page, made


def test_two_and_three_stances_over_one_stretch_each_draw_their_underline(
    seed_article, alice, bob, stances, make_annotation, user_page
):
    page, made = overlap_page(seed_article, alice, bob, stances, make_annotation, user_page)
    russia, usa, opposition = (rgb(s.colour) for s in stances)
    marks = page.locator(highlight(made[0])).evaluate_all(f"marks => marks.map({MARK_STYLE})")
    by_text = {m["text"]: m for m in marks}
    assert list(by_text) == ["Russia’s ", "Foreign ", "Minister has", " called"]

    alone = by_text["Russia’s "]
    assert (
        alone["n"] == "1" and alone["images"].count("gradient") == 1 and russia in alone["images"]
    )
    two = by_text["Foreign "]
    assert two["n"] == "2" and two["images"].count("gradient") == 2
    # In codebook order: Russia's underline above the United States'.
    assert two["images"].index(russia) < two["images"].index(usa)
    three = by_text["Minister has"]
    assert three["n"] == "3" and three["images"].count("gradient") == 3
    assert (
        three["images"].index(russia)
        < three["images"].index(usa)
        < three["images"].index(opposition)
    )
    # Alice's own highlights are solid; where only bob's covers, his is dashed.
    assert alone["dash"] == "100%"
    bobs_only = page.locator(highlight(made[1])).evaluate_all(f"marks => marks.map({MARK_STYLE})")[
        -1
    ]
    assert bobs_only["text"] == " the decision" and bobs_only["dash"] == "4px"

    # The browser's selection is not the United States blue (nor any stance's colour).
    selection = page.evaluate(
        "() => getComputedStyle(document.querySelector('#article-body p'), '::selection').backgroundColor"
    )
    assert selection not in {russia, usa, opposition}
    assert selection.startswith("rgb(") and selection != "rgba(0, 0, 0, 0)"


def test_a_click_on_an_overlap_offers_every_annotation_there_by_keyboard_too(
    seed_article, alice, bob, stances, make_annotation, user_page
):
    page, made = overlap_page(seed_article, alice, bob, stances, make_annotation, user_page)
    chooser = page.locator("#chooser")
    expect(chooser).to_be_hidden()

    page.locator("#article-body mark[data-n='3']").click()
    expect(chooser).to_be_visible()
    expect(chooser).to_have_attribute("role", "dialog")
    buttons = chooser.locator("button")
    expect(buttons).to_have_count(3)
    expect(chooser).to_contain_text("3 annotations here")
    assert [b.get_attribute("data-id") for b in buttons.all()] == [str(a.pk) for a in made]
    expect(buttons.nth(1)).to_contain_text("bob")
    expect(buttons.nth(1)).to_contain_text("United States")
    expect(buttons.nth(0)).to_be_focused()

    page.keyboard.press("ArrowDown")
    expect(buttons.nth(1)).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # cycles back to the first
    expect(buttons.nth(0)).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(buttons.nth(2)).to_be_focused()
    page.keyboard.press("Escape")
    expect(chooser).to_be_hidden()

    page.locator("#article-body mark[data-n='2']").first.click()
    expect(buttons).to_have_count(2)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(chooser).to_be_hidden()
    expect(page.locator(f"#ann-{made[1].pk}")).to_contain_class("is-current")
    expect(page.locator(f"#ann-{made[1].pk}")).to_be_focused()

    # Where one annotation covers the text, a click goes straight to it.
    page.locator("#article-body mark", has_text="the decision").last.click()
    expect(chooser).to_be_hidden()
    expect(page.locator(f"#ann-{made[1].pk}")).to_contain_class("is-current")
