"""The htmx versions of the forms, driven as a person drives them: what is not
changed in a form is kept, through the fragment swaps and the page's own script."""

from __future__ import annotations

from playwright.sync_api import expect

from annotations.models import Annotation

CLAIM = "Russia has been a key ally to Syria during the crisis"


def stored(annotation: Annotation) -> dict:
    annotation = Annotation.objects.get(pk=annotation.pk)
    return {
        "stances": sorted(s.name for s in annotation.stances.all()),
        "note": annotation.note,
        "visibility": annotation.visibility,
        "version": annotation.version,
        "span": (annotation.start, annotation.end, annotation.quote),
    }


def test_editing_only_the_note_on_the_card_keeps_its_stances_and_visibility(
    seed_article, alice, make_annotation, user_page
):
    annotation = make_annotation(
        alice,
        seed_article,
        CLAIM,
        stance_names=("Russia", "United States"),
        note="first thoughts",
        visibility=Annotation.Visibility.PRIVATE,
    )
    before = stored(annotation)
    page = user_page(alice)
    page.goto(seed_article.get_absolute_url())
    card = page.locator(f"#ann-{annotation.pk}")

    # Saved untouched through htmx: nothing stored changes, not even the version.
    card.get_by_role("link", name="Edit").click()
    expect(card.locator("input[name=stances]:checked")).to_have_count(2)
    with page.expect_response(lambda r: "/edit/" in r.url and r.request.method == "POST"):
        card.get_by_role("button", name="Save").click()
    expect(card.locator(".chips")).to_contain_text("Russia")
    assert stored(annotation) == before

    card.get_by_role("link", name="Edit").click()
    card.locator("textarea[name=note]").fill("checked against the UN report")
    card.get_by_role("button", name="Save").click()
    expect(card.locator(".note")).to_have_text("checked against the UN report")
    expect(card.locator(".chips")).to_contain_text("Russia")
    expect(card.locator(".chips")).to_contain_text("United States")
    assert stored(annotation) == {
        **before,
        "note": "checked against the UN report",
        "version": before["version"] + 1,
    }
