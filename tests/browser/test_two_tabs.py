"""Two tabs editing the same note: the second save is refused, the first edit is kept."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from annotations.models import Annotation

CLAIM = "Russia has been a key ally to Syria during the crisis"
FIRST_NOTE = "Original note, written last week."
TAB_ONE_NOTE = "Tab one: checked against the UN report."
TAB_TWO_NOTE = "Tab two: this claim needs a second source."


def open_editor(page: Page, annotation: Annotation) -> None:
    card = page.locator(f"#ann-{annotation.pk}")
    card.get_by_role("link", name="Edit").click()
    expect(card.locator("textarea[name=note]")).to_have_value(FIRST_NOTE)


def save_note(page: Page, annotation: Annotation, note: str) -> None:
    card = page.locator(f"#ann-{annotation.pk}")
    card.locator("textarea[name=note]").fill(note)
    card.get_by_role("button", name="Save").click()


# The refusal is a 409 the card shows; nothing else may go wrong.
@pytest.mark.page_problems_expected("response 409: POST")
def test_the_second_tabs_save_is_refused_with_the_current_text_and_the_first_edit_kept(
    seed_article, alice, make_annotation, new_context, login
):
    annotation = make_annotation(alice, seed_article, CLAIM, note=FIRST_NOTE)
    context = new_context()
    login(context, alice)
    tab_one, tab_two = context.new_page(), context.new_page()
    for tab in (tab_one, tab_two):
        tab.goto(seed_article.get_absolute_url())
        open_editor(tab, annotation)

    save_note(tab_one, annotation, TAB_ONE_NOTE)
    expect(tab_one.locator(f"#ann-{annotation.pk} .note")).to_have_text(TAB_ONE_NOTE)
    assert Annotation.objects.get(pk=annotation.pk).note == TAB_ONE_NOTE

    save_note(tab_two, annotation, TAB_TWO_NOTE)
    card = tab_two.locator(f"#ann-{annotation.pk}")
    refusal = card.locator(".stale[role=alert]")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("your edit was not saved")
    expect(refusal.locator(".lost")).to_have_text(TAB_TWO_NOTE)
    # The form now holds the current text, ready for another try on top of it.
    expect(card.locator("textarea[name=note]")).to_have_value(TAB_ONE_NOTE)

    stored = Annotation.objects.get(pk=annotation.pk)
    assert (stored.note, stored.version) == (TAB_ONE_NOTE, annotation.version + 1)

    # Saving again from the refreshed form is accepted: it was made from the current version.
    save_note(tab_two, annotation, TAB_TWO_NOTE)
    expect(tab_two.locator(f"#ann-{annotation.pk} .note")).to_have_text(TAB_TWO_NOTE)
    assert Annotation.objects.get(pk=annotation.pk).note == TAB_TWO_NOTE
