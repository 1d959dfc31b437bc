"""Two people on one article: what one saves while the other is selecting reaches
the other's page whole, without a script error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation

from .helpers import drag_select, highlight

UNEASE = "The unease over the offer highlights the different views over Syria"
CLAIM = "Russia has been a key ally to Syria during the crisis"
DENIAL = "Damascus has denied all the claims of abuse."


def test_a_save_made_while_a_colleagues_annotation_waits_to_be_shown_shows_both(
    seed_article, alice, bob, make_annotation, user_page
):
    make_annotation(alice, seed_article, DENIAL, stance_names=["Russia"])
    page = user_page(alice)
    page.goto(seed_article.get_absolute_url())
    drag_select(page, UNEASE)
    expect(page.locator("#toolbar")).to_be_visible()

    # Bob saves just after the passage alice is selecting. Her poller learns of it, but
    # the refresh waits while she has a selection open.
    theirs = make_annotation(bob, seed_article, CLAIM, stance_names=["United States"])
    with page.expect_response(
        lambda r: "/annotations/changes/" in r.url and r.status == 200, timeout=10_000
    ):
        pass
    with page.expect_response(lambda r: r.url.endswith("/annotations/new/")):
        page.keyboard.press("1")

    mine = Annotation.objects.get(user=alice, quote=UNEASE)
    expect(page.locator(highlight(mine))).to_have_text(UNEASE)
    expect(page.locator(f"#ann-{theirs.pk}")).to_contain_text("bob")
    expect(page.locator(highlight(theirs))).to_have_text(CLAIM)
    expect(page.locator("#annotation-total")).to_have_text("(3)")


# The card's Edit answers 404 (the annotation is gone); nothing else may go wrong.
@pytest.mark.page_problems_expected("response 404: GET")
def test_a_card_deleted_in_another_tab_says_so_in_place_with_a_way_on(
    seed_article, alice, make_annotation, user_page
):
    annotation = make_annotation(alice, seed_article, CLAIM, stance_names=["Russia"])
    page = user_page(alice)
    page.goto(seed_article.get_absolute_url())
    card = page.locator(f"#ann-{annotation.pk}")
    Annotation.objects.filter(pk=annotation.pk).delete()  # the other tab
    card.get_by_role("link", name="Edit").click()
    expect(card.get_by_role("alert")).to_contain_text("This annotation no longer exists")
    card.get_by_role("link", name="Reload the page").click()
    expect(page.locator("#annotation-list")).to_contain_text("No annotations yet")
